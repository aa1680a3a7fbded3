import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as h2connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { DataPlaneConfig, ListenerConfig } from '../../src/elbv2/dataplane/config.js';
import { LoadBalancerRuntime } from '../../src/elbv2/dataplane/runtime.js';
import { fastChecks, waitFor } from '../support/dataplane.js';

/**
 * Listener attributes applied by a real runtime on loopback: inserted response headers on the
 * HTTP/1.1 fast path, the general node:http path and HTTP/2, on relayed and on the load
 * balancer's own responses; the Server switch; the TLS request headers; the TCP idle timeout.
 */

const closers: Array<() => unknown> = [];
after(async () => { for (const c of closers.reverse()) await c(); });

const FRAME = 'routing.http.response.x_frame_options.header_value';
const HSTS = 'routing.http.response.strict_transport_security.header_value';
const SERVER = 'routing.http.response.server.enabled';

/** A target that sends its own X-Frame-Options and Server headers, and keeps the last request's headers. */
async function target(): Promise<{ port: number; last?: IncomingHttpHeaders }> {
  const t: { port: number; last?: IncomingHttpHeaders } = { port: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['user-agent'] !== 'ELB-HealthChecker/2.0') t.last = req.headers;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'X-Frame-Options': 'ALLOWALL', Server: 'target/1', 'Content-Type': 'text/plain' }).end('from target'));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.port = (server.address() as AddressInfo).port;
  closers.push(() => { server.closeAllConnections(); server.close(); });
  return t;
}

const forward = { type: 'forward' as const, targetGroups: [{ targetGroupId: 'tg' }] };

function config(port: number, listener: Partial<ListenerConfig>, lbAttributes?: Record<string, string>): DataPlaneConfig {
  return {
    targetGroups: [{ id: 'tg', protocol: 'HTTP', targets: [{ id: '127.0.0.1', port }], healthCheck: { intervalSeconds: 60 } }, { id: 'empty', protocol: 'HTTP', targets: [] }],
    loadBalancers: [{ id: 'alb', type: 'application', attributes: lbAttributes, listeners: [{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward], ...listener }] }],
  };
}

async function start(cfg: DataPlaneConfig): Promise<{ rt: LoadBalancerRuntime; port: number }> {
  const rt = new LoadBalancerRuntime();
  closers.push(() => rt.close());
  await rt.apply(cfg);
  return { rt, port: rt.address('l1')!.port };
}

interface Reply { status: number; headers: IncomingHttpHeaders; body: string }

function send(port: number, opts: { path?: string; method?: string; headers?: Record<string, string>; body?: string; tls?: boolean } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const fn = opts.tls ? httpsRequest : request;
    const req = fn({ host: '127.0.0.1', port, path: opts.path ?? '/', method: opts.method ?? 'GET', headers: opts.headers, agent: false, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', fail);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** One HTTP/2 request; its response headers. */
async function h2get(port: number, path = '/'): Promise<Record<string, unknown>> {
  const session = h2connect(`https://localhost:${port}`, { rejectUnauthorized: false });
  try {
    return await new Promise((ok, fail) => {
      const s = session.request({ ':path': path, ':method': 'GET' });
      let headers: Record<string, unknown> = {};
      s.on('response', (h) => (headers = h));
      s.resume();
      s.on('end', () => ok(headers));
      s.on('error', fail);
      s.end();
    });
  } finally {
    session.close();
  }
}

const inserted = { [FRAME]: 'DENY', [HSTS]: 'max-age=31536000' };

describe('response headers inserted by an HTTP listener', () => {
  it('replace the target header on the fast path and are added where the target sent none', async () => {
    const t = await target();
    const { port } = await start(config(t.port, { attributes: inserted }));
    const r = await send(port);
    assert.equal(r.body, 'from target');
    assert.equal(r.headers['x-frame-options'], 'DENY', 'one value: the listener\'s, not the target\'s beside it');
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
    assert.equal(r.headers.server, 'target/1', 'the target\'s own Server header is relayed');
  });

  it('are on the general path too: a chunked upload handed to node:http', async () => {
    const t = await target();
    const { port } = await start(config(t.port, { attributes: inserted }));
    const r = await send(port, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: 'payload' });
    assert.equal(r.body, 'from target');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
  });

  it('are on the load balancer\'s own 503, fixed response and redirect, with its Server header', async () => {
    const t = await target();
    const { port } = await start(config(t.port, {
      attributes: inserted,
      defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'empty' }] }],
      rules: [
        { priority: 1, conditions: [{ field: 'path-pattern', values: ['/fixed'] }], actions: [{ type: 'fixed-response', statusCode: '418', messageBody: 'tea' }] },
        { priority: 2, conditions: [{ field: 'path-pattern', values: ['/moved'] }], actions: [{ type: 'redirect', redirect: { host: 'example.com', statusCode: 'HTTP_301' } }] },
      ],
    }));
    for (const [path, status] of [['/', 503], ['/fixed', 418], ['/moved', 301]] as const) {
      const r = await send(port, { path });
      assert.equal(r.status, status, path);
      assert.equal(r.headers['x-frame-options'], 'DENY', path);
      assert.equal(r.headers['strict-transport-security'], 'max-age=31536000', path);
      assert.equal(r.headers.server, 'awselb/2.0', path);
    }
  });

  it('leave the load balancer\'s responses without Server when server.enabled is false', async () => {
    const t = await target();
    const { port } = await start(config(t.port, { attributes: { [SERVER]: 'false' }, defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'empty' }] }] }));
    const r = await send(port);
    assert.equal(r.status, 503);
    assert.equal(r.headers.server, undefined);
    const fixed = await start(config(t.port, { attributes: { [SERVER]: 'false' }, defaultActions: [{ type: 'fixed-response', statusCode: '200', messageBody: 'hi' }] }));
    assert.equal((await send(fixed.port)).headers.server, undefined);
  });

  it('follow a change of attributes without rebinding the listener', async () => {
    const t = await target();
    const { rt, port } = await start(config(t.port, {}));
    assert.equal((await send(port)).headers['x-frame-options'], 'ALLOWALL', 'nothing set: the target\'s header as it is');
    await rt.apply(config(t.port, { attributes: { [FRAME]: 'SAMEORIGIN' } }));
    assert.equal(rt.address('l1')!.port, port);
    assert.equal((await send(port)).headers['x-frame-options'], 'SAMEORIGIN');
    await rt.apply(config(t.port, { attributes: { [FRAME]: '' } }));
    assert.equal((await send(port)).headers['x-frame-options'], 'ALLOWALL');
  });
});

describe('an HTTPS listener', () => {
  it('inserts the headers over HTTP/1.1 and HTTP/2, replacing the target\'s', async () => {
    const t = await target();
    const { port } = await start(config(t.port, { protocol: 'HTTPS', attributes: inserted }));
    const r = await send(port, { tls: true });
    assert.equal(r.body, 'from target');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    const h2 = await h2get(port);
    assert.equal(h2[':status'], 200);
    assert.equal(h2['x-frame-options'], 'DENY');
    assert.equal(h2['strict-transport-security'], 'max-age=31536000');
  });

  it('adds the TLS version and cipher suite under the names the listener gives them, when the load balancer enables them', async () => {
    const t = await target();
    const renamed = { 'routing.http.request.x_amzn_tls_version.header_name': 'X-Tls-Proto' };
    const lbOn = { 'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'true' };
    const { rt, port } = await start(config(t.port, { protocol: 'HTTPS', attributes: renamed }, lbOn));
    await send(port, { tls: true, headers: { 'x-tls-proto': 'spoofed' } });
    assert.match(String(t.last!['x-tls-proto']), /^TLSv1\.[23]$/, 'the negotiated version, not the client\'s claim');
    assert.match(String(t.last!['x-amzn-tls-cipher-suite']), /^[A-Z0-9_-]+$/);
    assert.equal(t.last!['x-amzn-tls-version'], undefined);
    await h2get(port);
    assert.match(String(t.last!['x-tls-proto']), /^TLSv1\.[23]$/, 'HTTP/2 too');
    await rt.apply(config(t.port, { protocol: 'HTTPS', attributes: renamed }));
    await send(port, { tls: true });
    assert.equal(t.last!['x-tls-proto'], undefined, 'off unless the load balancer attribute is on');
  });
});

describe('the TCP idle timeout of an NLB TCP listener', () => {
  /** Connects and waits for the load balancer to close the idle connection; the ms it took, or undefined if still open after `wait`. */
  function idleFor(port: number, wait: number): Promise<number | undefined> {
    return new Promise((ok, fail) => {
      const t0 = Date.now();
      const c = netConnect(port, '127.0.0.1');
      c.on('error', () => undefined);
      const timer = setTimeout(() => { c.destroy(); ok(undefined); }, wait);
      c.once('close', () => { clearTimeout(timer); ok(Date.now() - t0); });
      c.once('timeout', () => fail(new Error('unexpected')));
    });
  }

  it('follows the listener attribute, and a change applies without rebinding', async () => {
    const echo = createNetServer((s) => { s.on('error', () => undefined); s.pipe(s); });
    await new Promise<void>((ok) => echo.listen(0, '127.0.0.1', ok));
    closers.push(() => echo.close());
    const cfg = (seconds: string): DataPlaneConfig => ({
      targetGroups: [{ id: 'tcp', protocol: 'TCP', targets: [{ id: '127.0.0.1', port: (echo.address() as AddressInfo).port }], healthCheck: fastChecks }],
      loadBalancers: [{ id: 'nlb', type: 'network', listeners: [{ id: 'l1', port: 0, protocol: 'TCP', defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'tcp' }] }], attributes: { 'tcp.idle_timeout.seconds': seconds } }] }],
    });
    const { rt, port } = await start(cfg('0.3'));
    await waitFor('tcp target healthy', () => rt.describeTargetHealth('tcp')[0]?.targetHealth.state === 'healthy');
    const cut = await idleFor(port, 3000);
    assert.ok(cut !== undefined && cut >= 250 && cut < 2500, `cut after ${cut} ms`);
    await rt.apply(cfg('30'));
    assert.equal(rt.address('l1')!.port, port);
    assert.equal(await idleFor(port, 800), undefined, 'a new connection takes the new timeout');
  });
});
