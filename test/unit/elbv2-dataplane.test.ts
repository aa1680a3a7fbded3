import assert from 'node:assert/strict';
import { createServer, request, Agent, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as h2connect } from 'node:http2';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions as HttpsAgentOptions } from 'node:https';
import { createServer as createNetServer, connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { DataPlaneConfig, LoadBalancerConfig, TargetGroupConfig } from '../../src/elbv2/dataplane/config.js';
import { LoadBalancerRuntime } from '../../src/elbv2/dataplane/runtime.js';
import { fastChecks, waitFor } from '../support/dataplane.js';

/** Real loopback targets and a real runtime; every wait is bounded. */

interface Target {
  name: string;
  port: number;
  server: Server;
  /** Sockets that carried at least one request other than a health check. */
  trafficSockets: Set<unknown>;
  hits: number;
  failHealth: boolean;
  lastHeaders?: IncomingHttpHeaders;
}

const servers: Array<{ close(): void }> = [];

async function target(name: string, handler?: (req: IncomingMessage, res: ServerResponse, t: Target) => boolean): Promise<Target> {
  const t: Target = { name, port: 0, server: undefined as unknown as Server, trafficSockets: new Set(), hits: 0, failHealth: false };
  t.server = createServer((req, res) => {
    if (req.headers['user-agent'] === 'ELB-HealthChecker/2.0') {
      res.writeHead(t.failHealth ? 500 : 200).end('ok');
      return;
    }
    t.hits++;
    t.trafficSockets.add(req.socket);
    t.lastHeaders = req.headers;
    if (handler?.(req, res, t)) return;
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(name));
  });
  await new Promise<void>((ok) => t.server.listen(0, '127.0.0.1', ok));
  t.port = (t.server.address() as AddressInfo).port;
  servers.push({ close: () => { t.server.closeAllConnections(); t.server.close(); } });
  return t;
}

interface Reply { status: number; body: string; headers: IncomingHttpHeaders }

function get(port: number, path = '/', headers: Record<string, string> = {}, agent: Agent | false = false): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('client timeout')));
    req.on('error', fail);
    req.end();
  });
}


function group(id: string, targets: Target[], extra: Partial<TargetGroupConfig> = {}): TargetGroupConfig {
  return { id, protocol: 'HTTP', targets: targets.map((t) => ({ id: '127.0.0.1', port: t.port })), healthCheck: fastChecks, ...extra };
}

function alb(listeners: LoadBalancerConfig['listeners'], attributes?: Record<string, string>): LoadBalancerConfig {
  return { id: 'alb', type: 'application', listeners, attributes };
}

const forward = (...ids: Array<string | [string, number]>) => ({
  type: 'forward' as const,
  targetGroups: ids.map((g) => (typeof g === 'string' ? { targetGroupId: g } : { targetGroupId: g[0], weight: g[1] })),
});

/** mulberry32: a seeded uniform generator, so the weighted split is the same every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const runtimes: LoadBalancerRuntime[] = [];
async function start(config: DataPlaneConfig, random?: () => number): Promise<{ rt: LoadBalancerRuntime; port: (id?: string) => number }> {
  const rt = new LoadBalancerRuntime({ random });
  runtimes.push(rt);
  await rt.apply(config);
  return { rt, port: (id = 'l1') => rt.address(id)!.port };
}

const allHealthy = (rt: LoadBalancerRuntime, tg: string, n: number) => () => {
  const h = rt.describeTargetHealth(tg);
  return h.length === n && h.every((d) => d.targetHealth.state === 'healthy');
};

after(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  for (const s of servers) s.close();
});

describe('the ALB data plane on loopback', () => {
  it('spreads requests round robin over three healthy targets', async () => {
    const ts = await Promise.all(['a', 'b', 'c'].map((n) => target(n)));
    const { rt, port } = await start({ targetGroups: [group('tg', ts)], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])] });
    await waitFor('three healthy targets', allHealthy(rt, 'tg', 3));
    const bodies: string[] = [];
    for (let i = 0; i < 9; i++) bodies.push((await get(port())).body);
    assert.deepEqual(ts.map((t) => t.hits), [3, 3, 3]);
    assert.equal(new Set(bodies.slice(0, 3)).size, 3, 'each round visits every target once');
    const m = rt.metrics();
    assert.equal(m.targetGroups.tg!.HealthyHostCount, 3);
    assert.equal((m.loadBalancers.alb as { HTTPCode_Target_2XX_Count: number }).HTTPCode_Target_2XX_Count, 9);
  });

  it('routes by path pattern and host header, falling back to the default action', async () => {
    const [web, api, admin] = await Promise.all([target('web'), target('api'), target('admin')]);
    const { port } = await start({
      targetGroups: [group('web', [web!]), group('api', [api!]), group('admin', [admin!])],
      loadBalancers: [alb([{
        id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('web')],
        rules: [
          { priority: 20, conditions: [{ field: 'host-header', values: ['admin.example.com'] }], actions: [forward('admin')] },
          { priority: 10, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [forward('api')] },
          { priority: 30, conditions: [{ field: 'path-pattern', values: ['/old/*'] }], actions: [{ type: 'redirect', redirect: { path: '/new/#{path}', statusCode: 'HTTP_301' } }] },
          { priority: 40, conditions: [{ field: 'path-pattern', values: ['/teapot'] }], actions: [{ type: 'fixed-response', statusCode: '418', contentType: 'text/plain', messageBody: 'short and stout' }] },
        ],
      }])],
    });
    assert.equal((await get(port(), '/api/users')).body, 'api');
    assert.equal((await get(port(), '/', { host: 'ADMIN.example.com' })).body, 'admin');
    assert.equal((await get(port(), '/api/x', { host: 'admin.example.com' })).body, 'api', 'priority 10 wins over 20');
    assert.equal((await get(port(), '/index.html')).body, 'web');
    const moved = await get(port(), '/old/a?x=1', { host: 'shop.example.com' });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, `http://shop.example.com:${port()}/new/old/a?x=1`);
    const teapot = await get(port(), '/teapot');
    assert.deepEqual([teapot.status, teapot.body, teapot.headers.server], [418, 'short and stout', 'awselb/2.0']);
  });

  it('splits weighted forwarding about as configured over 1000 requests', async () => {
    const [blue, green] = await Promise.all([target('blue'), target('green')]);
    const { rt, port } = await start({
      targetGroups: [group('blue', [blue!]), group('green', [green!])],
      loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward(['blue', 80], ['green', 20])] }])],
    }, seeded(7));
    await waitFor('blue healthy', allHealthy(rt, 'blue', 1));
    await waitFor('green healthy', allHealthy(rt, 'green', 1));
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    await Promise.all(Array.from({ length: 1000 }, () => get(port(), '/', {}, agent)));
    agent.destroy();
    assert.equal(blue!.hits + green!.hits, 1000);
    assert.ok(blue!.hits > 740 && blue!.hits < 860, `blue got ${blue!.hits} of 1000 (weight 80%)`);
  });

  it('answers 503 like ALB when the target group has no registered target', async () => {
    const { rt, port } = await start({ targetGroups: [group('empty', [])], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('empty')] }])] });
    const r = await get(port());
    assert.equal(r.status, 503);
    assert.match(r.body, /<title>503 Service Temporarily Unavailable<\/title>/);
    assert.equal(r.headers.server, 'awselb/2.0');
    assert.equal((rt.metrics().loadBalancers.alb as { HTTPCode_ELB_503_Count: number }).HTTPCode_ELB_503_Count, 1);
  });

  it('answers 502 when the target refuses the connection', async () => {
    const gone = await target('gone');
    gone.server.close();
    const { rt, port } = await start({
      targetGroups: [group('tg', [gone], { healthCheck: { intervalSeconds: 60 } })],
      loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])],
    });
    const r = await get(port());
    assert.equal(r.status, 502);
    assert.match(r.body, /502 Bad Gateway/);
    const tg = rt.metrics().targetGroups.tg!.counters as { HTTPCode_ELB_502_Count: number; TargetConnectionErrorCount: number };
    assert.deepEqual([tg.HTTPCode_ELB_502_Count, tg.TargetConnectionErrorCount], [1, 1]);
  });

  it('answers 504 when the target says nothing within the idle timeout', async () => {
    const slow = await target('slow', () => true); // never answers
    const { port } = await start({
      targetGroups: [group('tg', [slow], { healthCheck: { intervalSeconds: 60 } })],
      loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }], { 'idle_timeout.timeout_seconds': '0.3' })],
    });
    const t0 = Date.now();
    const r = await get(port());
    assert.equal(r.status, 504);
    assert.match(r.body, /504 Gateway Time-out/);
    assert.ok(Date.now() - t0 < 2000);
  });

  it('takes a target failing its health checks out of rotation and puts it back when it recovers', async () => {
    const [good, flaky] = await Promise.all([target('good'), target('flaky')]);
    const { rt, port } = await start({ targetGroups: [group('tg', [good!, flaky!])], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])] });
    await waitFor('both healthy', allHealthy(rt, 'tg', 2));
    flaky!.failHealth = true;
    await waitFor('flaky unhealthy', () => rt.describeTargetHealth('tg').some((d) => d.targetHealth.state === 'unhealthy'));
    const sick = rt.describeTargetHealth('tg').find((d) => d.target.port === flaky!.port)!;
    assert.deepEqual(sick.targetHealth, { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' });
    flaky!.hits = 0;
    for (let i = 0; i < 6; i++) assert.equal((await get(port())).body, 'good');
    assert.equal(flaky!.hits, 0);
    flaky!.failHealth = false;
    await waitFor('flaky healthy again', allHealthy(rt, 'tg', 2));
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await get(port())).body);
    assert.deepEqual([...seen].sort(), ['flaky', 'good']);
  });

  it('drains a deregistered target: its slow request finishes, new requests go elsewhere', async () => {
    const old = await target('old', (req, res) => {
      if (req.url !== '/slow') return false;
      setTimeout(() => res.writeHead(200).end('old finished'), 600);
      return true;
    });
    const fresh = await target('new');
    const cfg = (ts: Target[]): DataPlaneConfig => ({
      targetGroups: [group('tg', ts, { attributes: { 'deregistration_delay.timeout_seconds': '5' } })],
      loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])],
    });
    const { rt, port } = await start(cfg([old]));
    await waitFor('old healthy', allHealthy(rt, 'tg', 1));
    const slow = get(port(), '/slow');
    await waitFor('slow request at the target', () => old.hits === 1);
    await rt.apply(cfg([fresh]));
    const oldHealth = rt.describeTargetHealth('tg').find((d) => d.target.port === old.port)!;
    assert.deepEqual(oldHealth.targetHealth, { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' });
    for (let i = 0; i < 3; i++) assert.equal((await get(port())).body, 'new');
    assert.deepEqual(await slow.then((r) => [r.status, r.body]), [200, 'old finished']);
    await waitFor('old gone once idle', () => rt.describeTargetHealth('tg').length === 1, 1000);
    assert.deepEqual(rt.describeTargetHealth('tg', [{ id: '127.0.0.1', port: old.port }])[0]!.targetHealth.reason, 'Target.NotRegistered');
  });

  it('adds X-Forwarded-For, -Proto and -Port and drops hop-by-hop headers', async () => {
    const echo = await target('echo');
    const { port } = await start({ targetGroups: [group('tg', [echo])], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])] });
    await get(port(), '/', { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'proxy-connection': 'keep-alive', 'x-custom': 'kept' });
    const h = echo.lastHeaders!;
    assert.equal(h['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(h['x-forwarded-proto'], 'http');
    assert.equal(h['x-forwarded-port'], String(port()));
    assert.equal(h['x-custom'], 'kept');
    assert.equal(h['proxy-connection'], undefined);
    assert.equal(h.host, `127.0.0.1:${port()}`);
  });

  it('reuses keep-alive connections to the target', async () => {
    const t = await target('ka');
    const { port } = await start({ targetGroups: [group('tg', [t], { healthCheck: { intervalSeconds: 60 } })], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])] });
    for (let i = 0; i < 50; i++) assert.equal((await get(port())).status, 200); // a new client connection each time
    assert.equal(t.hits, 50);
    assert.equal(t.trafficSockets.size, 1, 'fifty sequential requests ride one target connection');
  });

  for (const [scheme, protocol] of [['ws', 'HTTP'], ['wss', 'HTTPS']] as const) it(`passes a WebSocket upgrade through and echoes frames both ways (${scheme}: on ${protocol})`, async () => {
    const t = await target('ws');
    const wss = new WebSocketServer({ server: t.server });
    wss.on('connection', (ws, req) => ws.on('message', (m) => ws.send(`echo:${m.toString()}:${req.headers['x-forwarded-for']}`)));
    servers.push({ close: () => wss.close() });
    const { port } = await start({ targetGroups: [group('tg', [t])], loadBalancers: [alb([{ id: 'l1', port: 0, protocol, defaultActions: [forward('tg')] }])] });
    const ws = new WebSocket(`${scheme}://127.0.0.1:${port()}/chat`, { rejectUnauthorized: false });
    const reply = await new Promise<string>((ok, fail) => {
      ws.once('open', () => ws.send('hi'));
      ws.once('message', (m) => ok(m.toString()));
      ws.once('error', fail);
      setTimeout(() => fail(new Error('no echo')), 3000);
    });
    ws.close();
    assert.equal(reply, 'echo:hi:127.0.0.1');
  });

  it('serves HTTP/2 on an HTTPS listener with a generated certificate', async () => {
    const t = await target('h2');
    const { port } = await start({ targetGroups: [group('tg', [t])], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTPS', defaultActions: [forward('tg')] }])] });
    const session = h2connect(`https://localhost:${port()}`, { rejectUnauthorized: false });
    const { status, body } = await new Promise<{ status: number; body: string }>((ok, fail) => {
      const s = session.request({ ':path': '/h2', ':method': 'GET' });
      let status = 0;
      let body = '';
      s.on('response', (h) => (status = Number(h[':status'])));
      s.setEncoding('utf8');
      s.on('data', (c: string) => (body += c));
      s.on('end', () => ok({ status, body }));
      s.on('error', fail);
      s.end();
    });
    session.close();
    assert.deepEqual([status, body], [200, 'h2']);
    assert.equal(t.lastHeaders!['x-forwarded-proto'], 'https');
    assert.equal(t.lastHeaders!.host, `localhost:${port()}`);
  });

  it('serves HTTP/1.1 on an HTTPS listener: keep-alive, and only http/1.1 by ALPN when HTTP/2 is off', async () => {
    const t = await target('tls1');
    const { rt, port } = await start({
      targetGroups: [group('tg', [t])],
      loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTPS', defaultActions: [forward('tg')] }], { 'routing.http2.enabled': 'false' })],
    });
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] } as HttpsAgentOptions);
    const getTls = (path: string): Promise<{ status: number; body: string; alpn: string | false | null; socket: unknown }> => new Promise((ok, fail) => {
      const req = httpsRequest({ host: '127.0.0.1', port: port(), path, agent }, (res) => {
        const socket = res.socket as TLSSocket;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body, alpn: socket.alpnProtocol, socket }));
      });
      req.on('error', fail);
      req.end();
    });
    const a = await getTls('/one');
    const b = await getTls('/two');
    agent.destroy();
    assert.deepEqual([a.status, a.body, b.status, b.body], [200, 'tls1', 200, 'tls1']);
    assert.equal(a.alpn, 'http/1.1', 'h2 is not offered when routing.http2.enabled is false');
    assert.equal(a.socket, b.socket, 'one keep-alive connection carries both requests');
    assert.equal(t.lastHeaders!['x-forwarded-proto'], 'https');
    assert.equal(t.lastHeaders!['x-forwarded-port'], String(port()));
    // Plain HTTP to the TLS port: a failed handshake, counted, and nothing reaches the target.
    const hits = t.hits;
    await get(port()).catch(() => undefined);
    await waitFor('handshake error counted', () => (rt.metrics().loadBalancers.alb as { ClientTLSNegotiationErrorCount: number }).ClientTLSNegotiationErrorCount === 1, 2000);
    assert.equal(t.hits, hits);
  });

  it('keeps a client on its target with lb_cookie stickiness', async () => {
    const ts = await Promise.all(['s1', 's2', 's3'].map((n) => target(n)));
    const { rt, port } = await start({
      targetGroups: [group('tg', ts, { attributes: { 'stickiness.enabled': 'true', 'stickiness.type': 'lb_cookie' } })],
      loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])],
    });
    await waitFor('healthy', allHealthy(rt, 'tg', 3));
    const first = await get(port());
    const cookie = String(first.headers['set-cookie']![0]).split(';')[0]!;
    assert.match(cookie, /^AWSALB=/);
    for (let i = 0; i < 5; i++) assert.equal((await get(port(), '/', { cookie })).body, first.body);
  });

  it('applies the same config twice without rebinding', async () => {
    const t = await target('idem');
    const cfg: DataPlaneConfig = { targetGroups: [group('tg', [t])], loadBalancers: [alb([{ id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [forward('tg')] }])] };
    const { rt, port } = await start(cfg);
    const before = port();
    await rt.apply(cfg);
    assert.equal(port(), before);
    assert.equal((await get(port())).body, 'idem');
  });
});

describe('the NLB data plane on loopback', () => {
  let echo: { port: number };
  before(async () => {
    const srv = createNetServer((s: Socket) => s.pipe(s));
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    servers.push({ close: () => srv.close() });
    echo = { port: (srv.address() as AddressInfo).port };
  });

  it('passes TCP bytes through to a target and back', async () => {
    const { rt, port } = await start({
      targetGroups: [{ id: 'tcp', protocol: 'TCP', targets: [{ id: '127.0.0.1', port: echo.port }], healthCheck: { intervalSeconds: 0.05, timeoutSeconds: 0.5 } }],
      loadBalancers: [{ id: 'nlb', type: 'network', listeners: [{ id: 'l1', port: 0, protocol: 'TCP', defaultActions: [forward('tcp')] }] }],
    });
    await waitFor('tcp target healthy', allHealthy(rt, 'tcp', 1));
    const got = await new Promise<string>((ok, fail) => {
      const c = netConnect(port(), '127.0.0.1', () => c.end('ping over nlb'));
      let buf = '';
      c.setEncoding('utf8');
      c.on('data', (d: string) => (buf += d));
      c.on('close', () => ok(buf));
      c.on('error', fail);
    });
    assert.equal(got, 'ping over nlb');
    await waitFor('flow closed', () => (rt.metrics().loadBalancers.nlb as { ActiveFlowCount: number }).ActiveFlowCount === 0, 1000);
    const flows = rt.metrics().loadBalancers.nlb as { NewFlowCount: number; ProcessedBytes: number };
    assert.equal(flows.NewFlowCount, 1);
    assert.ok(flows.ProcessedBytes >= 26);
  });
});
