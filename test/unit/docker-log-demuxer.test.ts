import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LogDemuxer } from '../../src/agent/runtime/docker/logs.js';
import type { LogLine } from '../../src/agent/runtime/port.js';

/** One frame of Docker's multiplexed log stream (stdout 1, stderr 2). */
function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

describe('the Docker log stream demuxer', () => {
  it('splits frames into lines per stream, with the engine\'s timestamps, across chunk boundaries', () => {
    const got: LogLine[] = [];
    const d = new LogDemuxer((l) => got.push(l));
    const all = Buffer.concat([
      frame(1, '2026-12-01T23:48:14.123456789Z hello\n2026-12-01T23:48:14.5Z wor'),
      frame(1, 'ld\n'),
      frame(2, '2026-12-01T23:48:15.000000001Z oops\n'),
    ]);
    for (let i = 0; i < all.length; i += 7) d.push(all.subarray(i, i + 7));
    d.end();
    assert.deepEqual(got, [
      { stream: 'stdout', timestamp: Date.parse('2026-12-01T23:48:14.123Z'), text: 'hello' },
      { stream: 'stdout', timestamp: Date.parse('2026-12-01T23:48:14.500Z'), text: 'world' },
      { stream: 'stderr', timestamp: Date.parse('2026-12-01T23:48:15.000Z'), text: 'oops' },
    ]);
  });

  it('reads any RFC 3339 UTC timestamp to the millisecond, as Date.parse does', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 9 }), (at, extra) => {
      const iso = at.toISOString(); // …SS.mmmZ
      const stamp = `${iso.slice(0, 23)}${'7'.repeat(extra)}Z`;
      const got: LogLine[] = [];
      const d = new LogDemuxer((l) => got.push(l));
      d.push(frame(1, `${stamp} x\n`));
      return got[0]!.timestamp === at.getTime();
    }));
  });

  it('falls back to the arrival time when a line has no timestamp', () => {
    const got: LogLine[] = [];
    const before = Date.now();
    new LogDemuxer((l) => got.push(l)).push(frame(1, 'no stamp here\n'));
    assert.equal(got[0]!.text, 'no stamp here');
    assert.ok(got[0]!.timestamp >= before);
  });
});
