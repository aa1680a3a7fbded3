import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedScanner } from '../../src/elbv2/dataplane/chunked-scanner.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Feeds `body` in pieces of `step` bytes; the offset in the whole where the message ended, or the failure. */
function scanInPieces(body: Buffer, step: number): number | 'invalid' | 'more' {
  const s = new ChunkedScanner();
  for (let at = 0; at < body.length; at += step) {
    const piece = body.subarray(at, Math.min(body.length, at + step));
    const r = s.scan(piece);
    if (r === 'invalid') return r;
    if (r >= 0) return at + r;
  }
  return 'more';
}

describe('finding the end of a chunked body', () => {
  const whole = 'a\r\n0123456789\r\n1;name=value\r\nx\r\n0\r\n\r\n';
  const withTrailers = '1\r\nx\r\n0\r\nX-Sum: 1\r\nX-B: 2\r\n\r\n';
  const rows: Array<{ name: string; body: string; want: number | 'invalid' | 'more' }> = [
    { name: 'chunks and the last chunk', body: whole, want: whole.length },
    { name: 'upper-case hex sizes', body: 'A\r\n0123456789\r\n0\r\n\r\n', want: 20 },
    { name: 'trailer fields after the last chunk', body: withTrailers, want: withTrailers.length },
    { name: 'the next message is not part of this one', body: '0\r\n\r\nHTTP/1.1 200 OK', want: 5 },
    { name: 'a message cut short', body: '5\r\nabc', want: 'more' },
    { name: 'a size that is not hex', body: 'z\r\n', want: 'invalid' },
    { name: 'data longer than its size', body: '1\r\nxy\r\n0\r\n\r\n', want: 'invalid' },
    { name: 'a bare LF after the size', body: '1\nx\r\n0\r\n\r\n', want: 'invalid' },
    { name: 'a size too large to be real', body: 'fffffffffffffff\r\n', want: 'invalid' },
  ];
  for (const r of rows) it(r.name, () => assert.equal(scanInPieces(b(r.body), 1 << 20), r.want));

  it('finds the same end however the bytes are split', () => {
    for (const step of [1, 2, 3, 7, 16]) assert.equal(scanInPieces(b(whole), step), whole.length, `step ${step}`);
  });

  it('scans from an offset (the body after a response head)', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    assert.equal(new ChunkedScanner().scan(b(head + whole), head.length), head.length + whole.length);
  });
});
