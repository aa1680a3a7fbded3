import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_HEAD_BYTES, parseRequestHead, parseResponseHead, responseFraming, type ResponseHead } from '../../src/elbv2/dataplane/http1-head.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('request heads for the fast path', () => {
  it('parses a plain GET with its raw headers, host and cookie', () => {
    const h = parseRequestHead(b('GET /a?b=1 HTTP/1.1\r\nHost: x.test\r\nCookie: a=1\r\ncookie: b=2\r\nX-Y:  v  \r\n\r\nrest'));
    assert.ok(typeof h === 'object');
    assert.equal(h.method, 'GET');
    assert.equal(h.target, '/a?b=1');
    assert.deepEqual(h.raw, ['Host', 'x.test', 'Cookie', 'a=1', 'cookie', 'b=2', 'X-Y', 'v']);
    assert.equal(h.host, 'x.test');
    assert.equal(h.cookie, 'a=1; b=2');
    assert.equal(h.contentLength, 0);
    assert.equal(h.close, false);
    assert.equal(h.end, b('GET /a?b=1 HTTP/1.1\r\nHost: x.test\r\nCookie: a=1\r\ncookie: b=2\r\nX-Y:  v  \r\n\r\n').length);
  });

  it('starts at the given offset (the next pipelined request)', () => {
    const first = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
    const h = parseRequestHead(b(first + 'HEAD /two HTTP/1.1\r\nHost: a\r\n\r\n'), first.length);
    assert.ok(typeof h === 'object');
    assert.deepEqual([h.method, h.target], ['HEAD', '/two']);
  });

  it('reads Content-Length and Connection: close', () => {
    const h = parseRequestHead(b('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nConnection: keep-alive, close\r\n\r\n'));
    assert.ok(typeof h === 'object');
    assert.deepEqual([h.contentLength, h.close], [12, true]);
  });

  it('keeps latin1 bytes of values intact', () => {
    const h = parseRequestHead(Buffer.concat([b('GET / HTTP/1.1\r\nHost: a\r\nX-Name: '), Buffer.from('café', 'utf8'), b('\r\n\r\n')]));
    assert.ok(typeof h === 'object');
    assert.equal(Buffer.from(h.raw[3]!, 'latin1').toString('utf8'), 'café');
  });

  it('waits for the end of the head', () => {
    assert.equal(parseRequestHead(b('GET / HTTP/1.1\r\nHost: a\r\n')), 'incomplete');
  });

  const general: Array<[string, string]> = [
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: a\r\n\r\n'],
    ['a chunked upload', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['Expect: 100-continue', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n'],
    ['a WebSocket handshake', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ['no Host', 'GET / HTTP/1.1\r\nX: y\r\n\r\n'],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['two Content-Lengths', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n'],
    ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n'],
    ['an absolute-form target', 'GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a lower-case method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n'],
    ['an obs-folded line', 'GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n'],
    ['a bare LF inside the head', 'GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n'],
    ['a control character in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX: 1\u00012\r\n\r\n'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'],
  ];
  for (const [name, text] of general) it(`hands ${name} to node:http`, () => assert.equal(parseRequestHead(b(text)), 'general'));

  it('hands a head longer than node allows to node:http (for its 431)', () => {
    const big = 'GET / HTTP/1.1\r\nHost: a\r\nX: ' + 'v'.repeat(MAX_HEAD_BYTES) + '\r\n';
    assert.equal(parseRequestHead(b(big)), 'general');
    assert.equal(parseRequestHead(b(big + '\r\n')), 'general');
  });
});

describe('response heads from targets', () => {
  const parse = (s: string): ResponseHead => {
    const r = parseResponseHead(b(s));
    assert.ok(typeof r === 'object', `parsed: ${String(r)}`);
    return r;
  };

  it('parses status, reason, length and keep-alive', () => {
    const r = parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello');
    assert.deepEqual([r.status, r.reason, r.contentLength, r.transferEncoding, r.close], [200, 'OK', 5, 'none', false]);
    assert.deepEqual(r.raw, ['Content-Length', '5', 'X-A', 'b']);
  });

  it('accepts an empty or missing reason phrase', () => {
    assert.equal(parse('HTTP/1.1 204 \r\n\r\n').reason, '');
    assert.equal(parse('HTTP/1.1 204\r\n\r\n').status, 204);
  });

  it('sees chunked as the last transfer coding, anything else as read-to-close', () => {
    assert.equal(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n').transferEncoding, 'chunked');
    assert.equal(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n').transferEncoding, 'other');
  });

  it('knows when the target closes: Connection: close, or HTTP/1.0 without keep-alive', () => {
    assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n').close, true);
    assert.equal(parse('HTTP/1.0 200 OK\r\n\r\n').close, true);
    assert.equal(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').close, false);
  });

  it('accepts repeated equal Content-Lengths', () => assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n').contentLength, 3));

  const invalid: Array<[string, string]> = [
    ['conflicting Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'],
    ['a non-numeric Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\n'],
    ['a bad status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['a bad header line', 'HTTP/1.1 200 OK\r\nno colon\r\n\r\n'],
  ];
  for (const [name, text] of invalid) it(`rejects ${name}`, () => assert.equal(parseResponseHead(b(text)), 'invalid'));

  it('rejects a head that never ends within the limit', () => assert.equal(parseResponseHead(b('HTTP/1.1 200 OK\r\nX: ' + 'y'.repeat(100)), 0, 64), 'invalid'));
});

describe('where a response body ends', () => {
  const head = (status: number, extra: Partial<ResponseHead> = {}): ResponseHead =>
    ({ status, reason: '', raw: [], contentLength: -1, transferEncoding: 'none', close: false, end: 0, ...extra });
  const rows: Array<{ name: string; method: string; head: ResponseHead; want: string }> = [
    // HEAD, 204 and 304 never have a body, whatever their headers say.
    { name: 'HEAD with a Content-Length', method: 'HEAD', head: head(200, { contentLength: 10 }), want: 'none' },
    { name: '204', method: 'GET', head: head(204), want: 'none' },
    { name: '304 with a Content-Length', method: 'GET', head: head(304, { contentLength: 10 }), want: 'none' },
    { name: 'chunked wins over a Content-Length', method: 'GET', head: head(200, { contentLength: 10, transferEncoding: 'chunked' }), want: 'chunked' },
    { name: 'another transfer coding reads to close', method: 'GET', head: head(200, { transferEncoding: 'other' }), want: 'close' },
    { name: 'Content-Length: 0', method: 'GET', head: head(200, { contentLength: 0 }), want: 'none' },
    { name: 'Content-Length', method: 'POST', head: head(201, { contentLength: 7 }), want: 'length' },
    { name: 'no length at all reads to close', method: 'GET', head: head(200), want: 'close' },
  ];
  for (const r of rows) it(r.name, () => assert.equal(responseFraming(r.method, r.head).kind, r.want));
});
