import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { requestHeaders, responseHeaderObject, responseHeaders, type ForwardInfo } from '../../src/elbv2/dataplane/headers.js';
import { selfSignedCertificate } from '../../src/elbv2/dataplane/self-signed.js';

const info: ForwardInfo = { clientIp: '198.51.100.9', proto: 'https', port: '443', xffMode: 'append', upgrade: false };
const pairs = (flat: string[]): Array<[string, string]> => flat.reduce<Array<[string, string]>>((acc, v, i) => (i % 2 ? (acc[acc.length - 1]![1] = v, acc) : [...acc, [v, '']]), []);
const get = (flat: string[], name: string): string[] => pairs(flat).filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);

interface Row { name: string; raw: string[]; f?: Partial<ForwardInfo>; header: string; want: string[] }

// Each row: request headers from a client and what the target receives for one header.
const rows: Row[] = [
  { name: 'X-Forwarded-For is created with the client address', raw: ['Host', 'a'], header: 'x-forwarded-for', want: ['198.51.100.9'] },
  { name: 'X-Forwarded-For is appended to', raw: ['X-Forwarded-For', '10.0.0.1'], header: 'x-forwarded-for', want: ['10.0.0.1, 198.51.100.9'] },
  { name: 'repeated X-Forwarded-For headers are joined, then appended to', raw: ['x-forwarded-for', '1.1.1.1', 'X-Forwarded-For', '2.2.2.2'], header: 'x-forwarded-for', want: ['1.1.1.1, 2.2.2.2, 198.51.100.9'] },
  { name: 'preserve mode leaves it as sent', raw: ['X-Forwarded-For', '10.0.0.1'], f: { xffMode: 'preserve' }, header: 'x-forwarded-for', want: ['10.0.0.1'] },
  { name: 'remove mode drops it', raw: ['X-Forwarded-For', '10.0.0.1'], f: { xffMode: 'remove' }, header: 'x-forwarded-for', want: [] },
  { name: 'X-Forwarded-Proto is the listener protocol, not the client claim', raw: ['X-Forwarded-Proto', 'http'], header: 'x-forwarded-proto', want: ['https'] },
  { name: 'X-Forwarded-Port is the listener port', raw: ['X-Forwarded-Port', '1'], header: 'x-forwarded-port', want: ['443'] },
  { name: 'Connection is hop-by-hop', raw: ['Connection', 'keep-alive'], header: 'connection', want: [] },
  { name: 'Keep-Alive is hop-by-hop', raw: ['Keep-Alive', 'timeout=5'], header: 'keep-alive', want: [] },
  { name: 'Transfer-Encoding is re-framed by the proxy', raw: ['Transfer-Encoding', 'chunked'], header: 'transfer-encoding', want: [] },
  { name: 'Upgrade is kept for a WebSocket handshake', raw: ['Connection', 'Upgrade', 'Upgrade', 'websocket'], f: { upgrade: true }, header: 'upgrade', want: ['websocket'] },
  { name: 'HTTP/2 pseudo-headers are dropped, :authority becomes Host', raw: [':method', 'GET', ':authority', 'h2.example.com', ':path', '/'], header: 'host', want: ['h2.example.com'] },
  { name: 'an explicit Host wins over :authority', raw: [':authority', 'a.example.com', 'host', 'b.example.com'], header: 'host', want: ['b.example.com'] },
  { name: 'other headers pass untouched, case kept', raw: ['X-Trace', 'abc'], header: 'x-trace', want: ['abc'] },
];

describe('request headers to the target', () => {
  for (const r of rows) it(r.name, () => assert.deepEqual(get(requestHeaders(r.raw, { ...info, ...r.f }), r.header), r.want));
  it('no pseudo-header reaches the target', () => assert.ok(!requestHeaders([':path', '/', ':scheme', 'https'], info).some((h) => h.startsWith(':'))));
});

describe('response headers to the client', () => {
  const raw = ['Content-Type', 'text/plain', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Transfer-Encoding', 'chunked'];
  it('drop hop-by-hop headers for HTTP/1.1', () => assert.deepEqual(responseHeaders(raw), ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']));
  it('become an object with repeated values as arrays for HTTP/2', () => assert.deepEqual(responseHeaderObject(raw), { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] }));
});

describe('self-signed certificates', () => {
  const { certPem } = selfSignedCertificate(['localhost', '127.0.0.1', '::1'], new Date('2026-01-01T00:00:00Z'), 30);
  const x = new X509Certificate(certPem);
  it('are signed by their own key', () => assert.ok(x.verify(x.publicKey)));
  it('name the host in CN and subjectAltName', () => {
    assert.equal(x.subject, 'CN=localhost');
    assert.equal(x.checkHost('localhost'), 'localhost');
    assert.equal(x.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(x.checkIP('::1'), '::1');
  });
  it('are valid for the days asked', () => assert.equal(new Date(x.validTo).toISOString().slice(0, 10), '2026-01-31'));
});
