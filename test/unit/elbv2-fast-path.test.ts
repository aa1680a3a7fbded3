import assert from 'node:assert/strict';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, connect, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { DataPlaneConfig } from '../../src/elbv2/dataplane/config.js';
import { LoadBalancerRuntime } from '../../src/elbv2/dataplane/runtime.js';
import { selfSignedCertificate } from '../../src/elbv2/dataplane/self-signed.js';
import { TRACE_ROOT } from '../../src/elbv2/dataplane/trace-id.js';

/**
 * The HTTP/1.1 fast path on loopback: framing, keep-alive, pipelining, failures and the hand-off
 * to node:http, against targets that are either node:http servers or raw sockets whose every
 * byte the test writes.
 */

const closers: Array<() => unknown> = [];
after(async () => { for (const c of closers.reverse()) await c(); });

/** A node:http target; `sockets` counts the connections that carried requests (not health checks). */
async function httpTarget(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; sockets: Set<Socket>; last?: IncomingHttpHeaders }> {
  const t: { port: number; sockets: Set<Socket>; last?: IncomingHttpHeaders } = { port: 0, sockets: new Set() };
  const server: Server = createServer((req, res) => {
    if (req.headers['user-agent'] === 'ELB-HealthChecker/2.0') { res.end('ok'); return; }
    t.sockets.add(req.socket);
    t.last = req.headers;
    handler(req, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.port = (server.address() as AddressInfo).port;
  closers.push(() => { server.closeAllConnections(); server.close(); });
  return t;
}

/** A raw target: `onRequest` gets each request head (health checks are answered 200) and writes whatever it likes. */
async function rawTarget(onRequest: (socket: Socket, head: string) => void): Promise<{ port: number; connections: number }> {
  const t = { port: 0, connections: 0 };
  const server: NetServer = createNetServer((s) => {
    let buf = '';
    let counted = false;
    s.on('error', () => undefined);
    s.on('data', (c: Buffer) => {
      buf += c.toString('latin1');
      for (let at = buf.indexOf('\r\n\r\n'); at >= 0; at = buf.indexOf('\r\n\r\n')) {
        const head = buf.slice(0, at);
        buf = buf.slice(at + 4);
        if (head.includes('ELB-HealthChecker')) { s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'); continue; }
        if (!counted) { counted = true; t.connections++; }
        onRequest(s, head);
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.port = (server.address() as AddressInfo).port;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  closers.push(() => { for (const s of sockets) s.destroy(); server.close(); });
  return t;
}

async function albTo(port: number, groupAttributes?: Record<string, string>, protocol: 'HTTP' | 'HTTPS' = 'HTTP'): Promise<{ rt: LoadBalancerRuntime; port: number }> {
  const rt = new LoadBalancerRuntime();
  closers.push(() => rt.close());
  const config: DataPlaneConfig = {
    targetGroups: [{ id: 'tg', protocol, targets: [{ id: '127.0.0.1', port }], healthCheck: { intervalSeconds: 60 }, attributes: groupAttributes }],
    loadBalancers: [{ id: 'alb', type: 'application', listeners: [{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'tg' }] }] }] }],
  };
  await rt.apply(config);
  return { rt, port: rt.address('l1')!.port };
}

interface Reply { status: number; headers: IncomingHttpHeaders; body: Buffer; socket: Socket }

function send(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer; agent?: Agent | false } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), socket: res.socket }));
      res.on('error', fail);
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** Writes raw bytes on one client connection and collects what comes back until `done` says so or the connection closes. */
function raw(port: number, bytes: string | Buffer, done: (text: string) => boolean = () => false, halfClose = false): Promise<{ text: string; closed: boolean }> {
  return new Promise((ok, fail) => {
    const s = connect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => { s.destroy(); fail(new Error(`no complete answer: ${JSON.stringify(text.slice(0, 300))}`)); }, 5000);
    s.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (done(text)) { clearTimeout(timer); s.destroy(); ok({ text, closed: false }); }
    });
    s.on('close', () => { clearTimeout(timer); ok({ text, closed: true }); });
    s.on('error', () => undefined);
    if (halfClose) s.end(bytes);
    else s.write(bytes);
  });
}

const count = (text: string, what: string): number => text.split(what).length - 1;

describe('the HTTP/1.1 fast path', () => {
  it('relays a chunked response as it is and reuses the target connection', async () => {
    const t = await rawTarget((s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n'));
    const { port } = await albTo(t.port);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 3; i++) {
      const r = await send(port, { agent });
      assert.equal(r.status, 200);
      assert.equal(r.body.toString(), 'hello world');
      assert.equal(r.headers['transfer-encoding'], 'chunked');
    }
    agent.destroy();
    assert.equal(t.connections, 1, 'three requests, one target connection');
  });

  it('reads a response without length to the close, and closes the client connection after it', async () => {
    const t = await rawTarget((s) => { s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, '); setTimeout(() => s.end('part two'), 20); });
    const { port } = await albTo(t.port);
    const r = await raw(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.ok(r.closed);
    assert.match(r.text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(r.text, /\r\nConnection: close\r\n/);
    assert.ok(r.text.endsWith('\r\n\r\npart one, part two'));
  });

  it('sends no body for HEAD, 204 and 304, and the connection carries on', async () => {
    const t = await httpTarget((req, res) => {
      if (req.url === '/204') { res.writeHead(204).end(); return; }
      if (req.url === '/304') { res.writeHead(304, { etag: '"x"' }).end(); return; }
      res.writeHead(200, { 'content-length': '5' }).end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const { port } = await albTo(t.port);
    const all = 'HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\nGET /end HTTP/1.1\r\nHost: a\r\n\r\n';
    const r = await raw(port, all, (text) => text.endsWith('hello'));
    const statuses = [...r.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    assert.deepEqual(statuses, ['200', '204', '304', '200']);
    assert.equal(count(r.text, 'hello'), 1, 'only the GET carries a body');
  });

  it('keeps one client connection and one target connection for many requests', async () => {
    const t = await httpTarget((_req, res) => res.end('ok'));
    const { port } = await albTo(t.port);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const clientSockets = new Set<Socket>();
    for (let i = 0; i < 20; i++) clientSockets.add((await send(port, { agent })).socket);
    agent.destroy();
    assert.equal(clientSockets.size, 1);
    assert.equal(t.sockets.size, 1);
  });

  it('answers pipelined requests in order', async () => {
    const t = await httpTarget((req, res) => setTimeout(() => res.end(`echo ${req.url}`), req.url === '/1' ? 30 : 0));
    const { port } = await albTo(t.port);
    const r = await raw(port, 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n', (text) => text.includes('echo /3'));
    assert.ok(r.text.indexOf('echo /1') < r.text.indexOf('echo /2') && r.text.indexOf('echo /2') < r.text.indexOf('echo /3'));
  });

  it('answers a client that half-closed after its requests, then ends the connection', async () => {
    const t = await httpTarget((req, res) => setTimeout(() => res.end(`echo ${req.url}`), 20));
    const { port } = await albTo(t.port);
    const r = await raw(port, 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n', undefined, true);
    assert.ok(r.closed);
    assert.ok(r.text.includes('echo /1') && r.text.endsWith('echo /2'));
  });

  it('answers 502 when the target closes before its response head is complete', async () => {
    const t = await rawTarget((s) => s.end('HTTP/1.1 200 OK\r\nContent-Le'));
    const { rt, port } = await albTo(t.port);
    const r = await send(port);
    assert.equal(r.status, 502);
    assert.equal(r.headers.server, 'awselb/2.0');
    const c = rt.metrics().loadBalancers.alb as { HTTPCode_ELB_502_Count: number };
    assert.equal(c.HTTPCode_ELB_502_Count, 1);
  });

  it('cuts the client connection when the target closes in the middle of a body', async () => {
    const t = await rawTarget((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part'));
    const { port } = await albTo(t.port);
    const r = await raw(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.ok(r.closed);
    assert.ok(r.text.endsWith('only part'), 'what arrived is relayed, then the connection ends short of the length');
  });

  it('answers 502 for a malformed response head', async () => {
    const t = await rawTarget((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx'));
    const { port } = await albTo(t.port);
    assert.equal((await send(port)).status, 502);
  });

  it('skips an informational 103 and relays the final response', async () => {
    const t = await rawTarget((s) => s.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const { port } = await albTo(t.port);
    const r = await send(port);
    assert.deepEqual([r.status, r.body.toString()], [200, 'ok']);
  });

  it('retries a GET once when the target closed the reused idle connection', async () => {
    let n = 0;
    // Every response promises keep-alive, but the target then hangs up as soon as the next request arrives.
    const t = await rawTarget((s) => { if (n++ % 2 === 0) s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'); else s.destroy(); });
    const { port } = await albTo(t.port);
    assert.equal((await send(port)).status, 200);
    assert.equal((await send(port)).status, 200, 'the second request rides a fresh connection after the reset');
  });

  it('streams large bodies both ways', async () => {
    const t = await httpTarget((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-length': String(body.length * 2) });
        res.write(body);
        res.end(body);
      });
    });
    const { port } = await albTo(t.port);
    const up = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < up.length; i++) up[i] = i % 251;
    const r = await send(port, { method: 'POST', body: up, headers: { 'content-length': String(up.length) } });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, up.length * 2);
    assert.ok(r.body.subarray(0, up.length).equals(up) && r.body.subarray(up.length).equals(up));
  });

  it('hands unusual requests to node:http on the same connection: HTTP/1.0, chunked upload, 100-continue', async () => {
    const t = await httpTarget((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(`got ${n}`));
    });
    const { port } = await albTo(t.port);
    const chunked = 'GET /fast HTTP/1.1\r\nHost: a\r\n\r\nPOST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    const r1 = await raw(port, chunked, (text) => text.includes('got 3'));
    assert.equal(count(r1.text, 'HTTP/1.1 200'), 2);
    const r2 = await raw(port, 'GET / HTTP/1.0\r\nHost: a\r\n\r\n');
    assert.match(r2.text, /^HTTP\/1\.1 200/);
    assert.ok(r2.text.endsWith('got 0'));
    const r3 = await send(port, { method: 'POST', headers: { expect: '100-continue', 'content-length': '4' }, body: Buffer.from('abcd') });
    assert.equal(r3.body.toString(), 'got 4');
  });

  it('answers 503 with the request body unread by closing the connection after', async () => {
    const rt = new LoadBalancerRuntime();
    closers.push(() => rt.close());
    await rt.apply({ targetGroups: [{ id: 'tg', protocol: 'HTTP', targets: [] }], loadBalancers: [{ id: 'alb', type: 'application', listeners: [{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'tg' }] }] }] }] });
    const port = rt.address('l1')!.port;
    const r = await raw(port, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\nonly a little');
    assert.match(r.text, /^HTTP\/1\.1 503 /);
    assert.match(r.text, /\r\nConnection: close\r\n/);
    assert.ok(r.closed);
    const keep = await raw(port, 'GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n', (text) => count(text, '</html>') === 2);
    assert.equal(count(keep.text, 'HTTP/1.1 503'), 2, 'without a pending body the connection stays open');
  });

  it('adds X-Amzn-Trace-Id when the client sent none, and keeps the one it sent', async () => {
    const t = await httpTarget((_req, res) => res.end('ok'));
    const { port } = await albTo(t.port);
    await send(port);
    const made = String(t.last!['x-amzn-trace-id']);
    assert.match(made, TRACE_ROOT);
    const secs = parseInt(made.slice(7, 15), 16);
    assert.ok(Math.abs(secs - Date.now() / 1000) < 60, 'the root carries the epoch seconds');
    await send(port);
    assert.notEqual(String(t.last!['x-amzn-trace-id']), made, 'a new id per request');
    await send(port, { headers: { 'X-Amzn-Trace-Id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8' } });
    assert.equal(t.last!['x-amzn-trace-id'], 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8');
  });

  it('speaks TLS to an HTTPS target group, keeping the connection alive', async () => {
    const { certPem, keyPem } = selfSignedCertificate(['127.0.0.1']);
    const sockets = new Set<unknown>();
    const server = createHttpsServer({ cert: certPem, key: keyPem }, (req, res) => { sockets.add(req.socket); res.end(`tls ${req.headers['x-forwarded-proto']}`); });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    closers.push(() => { server.closeAllConnections(); server.close(); });
    const { port } = await albTo((server.address() as AddressInfo).port, undefined, 'HTTPS');
    for (let i = 0; i < 3; i++) assert.equal((await send(port)).body.toString(), 'tls http');
    assert.ok(sockets.size <= 2, 'requests share the TLS connection (a health check may hold another)');
  });

  it('sets the stickiness cookie and honours it', async () => {
    const t = await httpTarget((_req, res) => res.end('ok'));
    const { port } = await albTo(t.port, { 'stickiness.enabled': 'true' });
    const r = await send(port);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    assert.match(cookie, /^AWSALB=/);
    assert.equal((await send(port, { headers: { cookie } })).status, 200);
  });
});
