import assert from 'node:assert/strict';
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { DataPlaneConfig, TargetGroupConfig } from '../../src/elbv2/dataplane/config.js';
import type { FlowCounters } from '../../src/elbv2/dataplane/metrics.js';
import { LoadBalancerRuntime, type RuntimeOptions } from '../../src/elbv2/dataplane/runtime.js';
import { selfSignedCertificate } from '../../src/elbv2/dataplane/self-signed.js';
import { fastChecks, waitFor } from '../support/dataplane.js';

/** NLB TLS, UDP and TCP_UDP listeners on loopback, with real targets; every wait is bounded. */

const closers: Array<() => void> = [];
const runtimes: LoadBalancerRuntime[] = [];
after(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  for (const c of closers) c();
});

const forward = (id: string) => ({ type: 'forward' as const, targetGroups: [{ targetGroupId: id }] });

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', () => ok()); });
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** A TCP echo server that also answers health checks (a TCP connect). */
async function tcpEcho(): Promise<number> {
  const srv = createNetServer((s: Socket) => { s.on('error', () => undefined); s.pipe(s); });
  return listen(srv);
}

/**
 * A UDP target answering `name:<datagram>`, with a TCP echo on the same port number for the
 * TCP health check (and for TCP_UDP traffic). Retries until a port is free for both.
 */
async function udpTarget(name: string): Promise<{ port: number; seen: Set<string> }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = await tcpEcho();
    const sock = createSocket('udp4');
    const seen = new Set<string>();
    const bound = await new Promise<boolean>((ok) => {
      sock.once('error', () => ok(false));
      sock.bind(port, '127.0.0.1', () => ok(true));
    });
    if (!bound) { sock.close(); continue; }
    sock.on('message', (msg, from) => { seen.add(`${from.address}:${from.port}`); sock.send(`${name}:${msg.toString()}`, from.port, from.address); });
    closers.push(() => sock.close());
    return { port, seen };
  }
  throw new Error('no port free for both TCP and UDP');
}

/** A loopback UDP client: `ask` sends one datagram and waits for one answer (undefined: none in time). */
async function udpClient(): Promise<{ sock: DgramSocket; ask(port: number, msg: string, ms?: number): Promise<string | undefined> }> {
  const sock = createSocket('udp4');
  await new Promise<void>((ok) => sock.bind(0, '127.0.0.1', () => ok()));
  closers.push(() => sock.close());
  return {
    sock,
    ask: (port, msg, ms = 2000) => new Promise((ok) => {
      const timer = setTimeout(() => { sock.off('message', onMsg); ok(undefined); }, ms);
      const onMsg = (m: Buffer): void => { clearTimeout(timer); sock.off('message', onMsg); ok(m.toString()); };
      sock.on('message', onMsg);
      sock.send(msg, port, '127.0.0.1');
    }),
  };
}

function tlsExchange(port: number, message: string, opts: { ALPNProtocols?: string[] } = {}): Promise<{ echo: string; protocol: string | null; alpn: string | false }> {
  return new Promise((ok, fail) => {
    const c: TLSSocket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...opts }, () => c.end(message));
    let echo = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => (echo += d));
    c.on('end', () => ok({ echo, protocol: c.getProtocol(), alpn: c.alpnProtocol ?? false }));
    c.on('error', fail);
    c.setTimeout(5000, () => c.destroy(new Error('client timeout')));
  });
}

async function start(config: DataPlaneConfig, opts: RuntimeOptions = {}): Promise<{ rt: LoadBalancerRuntime; port: (id?: string) => number }> {
  const rt = new LoadBalancerRuntime(opts);
  runtimes.push(rt);
  await rt.apply(config);
  return { rt, port: (id = 'l1') => rt.address(id)!.port };
}

const healthy = (rt: LoadBalancerRuntime, tg: string, n: number) => () =>
  rt.describeTargetHealth(tg).filter((d) => d.targetHealth.state === 'healthy').length === n;

const nlbFlows = (rt: LoadBalancerRuntime): FlowCounters => rt.metrics().loadBalancers.nlb as FlowCounters;

function group(id: string, protocol: TargetGroupConfig['protocol'], ports: number[], attributes?: Record<string, string>): TargetGroupConfig {
  return { id, protocol, targets: ports.map((port) => ({ id: '127.0.0.1', port })), healthCheck: fastChecks, ...(attributes ? { attributes } : {}) };
}

describe('NLB TLS listeners', () => {
  it('terminates TLS with a generated certificate and passes the plain bytes to a TCP target', async () => {
    const echo = await tcpEcho();
    const { rt, port } = await start({
      targetGroups: [group('tcp', 'TCP', [echo])],
      loadBalancers: [{ id: 'nlb', type: 'network', listeners: [{ id: 'l1', port: 0, protocol: 'TLS', defaultActions: [forward('tcp')] }] }],
    });
    await waitFor('the TCP target healthy', healthy(rt, 'tcp', 1));
    const got = await tlsExchange(port(), 'hello through tls');
    assert.equal(got.echo, 'hello through tls');
    assert.equal(got.protocol, 'TLSv1.2', 'ELBSecurityPolicy-2016-08 (the default) stops at TLS 1.2');
    assert.equal(got.alpn, false, 'no ALPN policy: none negotiated');
    await waitFor('the flow closed', () => nlbFlows(rt).ActiveFlowCount === 0);
    const m = nlbFlows(rt);
    assert.equal(m.NewFlowCount_TLS, 1);
    assert.equal(m.NewFlowCount_TCP, 0);
    assert.ok(m.ProcessedBytes_TLS >= 17);
  });

  it('applies the security and ALPN policies and encrypts again to a TLS target group', async () => {
    const pair = selfSignedCertificate(['localhost']);
    const alpnSeen: Array<string | false> = [];
    const srv = createTlsServer({ key: pair.keyPem, cert: pair.certPem, ALPNProtocols: ['h2', 'http/1.1'] }, (s) => {
      alpnSeen.push(s.alpnProtocol ?? false);
      s.on('error', () => undefined);
      s.pipe(s);
    });
    const targetPort = await listen(srv as unknown as Server);
    const { rt, port } = await start({
      targetGroups: [group('tls', 'TLS', [targetPort])],
      loadBalancers: [{
        id: 'nlb', type: 'network',
        listeners: [{ id: 'l1', port: 0, protocol: 'TLS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', alpnPolicy: 'HTTP2Preferred', defaultActions: [forward('tls')] }],
      }],
    });
    await waitFor('the TLS target healthy', healthy(rt, 'tls', 1));
    const got = await tlsExchange(port(), 'h2 end to end', { ALPNProtocols: ['http/1.1', 'h2'] });
    assert.equal(got.echo, 'h2 end to end');
    assert.equal(got.protocol, 'TLSv1.3');
    assert.equal(got.alpn, 'h2', "HTTP2Preferred: the listener's preference wins");
    assert.deepEqual(alpnSeen.filter((a) => a !== false), ['h2'], 'the target is offered what the client chose');
    const refused = await new Promise<boolean>((ok) => {
      const c = tlsConnect({ host: '127.0.0.1', port: port(), rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
      c.on('secureConnect', () => { c.destroy(); ok(false); });
      c.on('error', () => ok(true));
    });
    assert.equal(refused, true, 'a TLS 1.1 client is refused by a TLS13-1-2 policy');
    await waitFor('the negotiation error counted', () => nlbFlows(rt).ClientTLSNegotiationErrorCount === 1);
  });
});

describe('NLB UDP listeners', () => {
  const udpLb = (protocol: 'UDP' | 'TCP_UDP' = 'UDP', tg = 'udp') =>
    ({ id: 'nlb', type: 'network' as const, listeners: [{ id: 'l1', port: 0, protocol, defaultActions: [forward(tg)] }] });

  it('maps each client to one target round robin and relays datagrams both ways', async () => {
    const a = await udpTarget('a');
    const b = await udpTarget('b');
    const { rt, port } = await start({ targetGroups: [group('udp', 'UDP', [a.port, b.port])], loadBalancers: [udpLb()] });
    await waitFor('both UDP targets healthy (TCP checks)', healthy(rt, 'udp', 2));
    const clients = await Promise.all([1, 2, 3, 4].map(() => udpClient()));
    const firstAnswers: string[] = [];
    for (const [i, c] of clients.entries()) firstAnswers.push((await c.ask(port(), `hello ${i}`))!);
    const owners = firstAnswers.map((x) => x.split(':')[0]);
    assert.deepEqual(owners.slice().sort(), ['a', 'a', 'b', 'b'], `four flows over two targets: ${firstAnswers.join()}`);
    assert.notEqual(owners[0], owners[1], 'round robin alternates');
    // Later datagrams of a flow keep to its target.
    for (const [i, c] of clients.entries()) {
      for (let k = 0; k < 3; k++) assert.equal(await c.ask(port(), `again ${k}`), `${owners[i]}:again ${k}`);
    }
    const m = nlbFlows(rt);
    assert.equal(m.NewFlowCount_UDP, 4);
    assert.equal(m.ActiveFlowCount_UDP, 4);
    assert.equal(m.ProcessedBytes_UDP, m.ProcessedBytes);
    assert.ok(m.ProcessedBytes > 0);
  });

  it('expires idle flows, and a client coming back starts a new flow', async () => {
    const a = await udpTarget('a');
    const { rt, port } = await start({ targetGroups: [group('udp', 'UDP', [a.port])], loadBalancers: [udpLb()] }, { udpIdleTimeoutMs: 200 });
    await waitFor('the UDP target healthy', healthy(rt, 'udp', 1));
    const c = await udpClient();
    assert.equal(await c.ask(port(), 'one'), 'a:one');
    assert.equal(nlbFlows(rt).ActiveFlowCount, 1);
    await waitFor('the idle flow expired', () => nlbFlows(rt).ActiveFlowCount === 0, 2000);
    assert.equal((rt.metrics().targetGroups.udp!.targets[`127.0.0.1:${a.port}`] as FlowCounters).ActiveFlowCount, 0);
    assert.equal(await c.ask(port(), 'two'), 'a:two');
    assert.equal(nlbFlows(rt).NewFlowCount, 2);
  });

  it('drops datagrams when no target can take them, and bounds the flow table', async () => {
    const a = await udpTarget('a');
    const { rt, port } = await start({
      targetGroups: [group('empty', 'UDP', []), group('udp', 'UDP', [a.port])],
      loadBalancers: [udpLb('UDP', 'empty'), { id: 'nlb2', type: 'network', listeners: [{ id: 'l2', port: 0, protocol: 'UDP', defaultActions: [forward('udp')] }] }],
    }, { udpMaxFlows: 2 });
    const c = await udpClient();
    assert.equal(await c.ask(port(), 'anyone?', 300), undefined, 'no target: dropped');
    assert.equal(nlbFlows(rt).ActiveFlowCount, 0);
    await waitFor('the UDP target healthy', healthy(rt, 'udp', 1));
    const clients = await Promise.all([1, 2, 3].map(() => udpClient()));
    assert.equal(await clients[0]!.ask(port('l2'), 'x'), 'a:x');
    assert.equal(await clients[1]!.ask(port('l2'), 'y'), 'a:y');
    assert.equal(await clients[2]!.ask(port('l2'), 'z', 300), undefined, 'a third flow is over the bound');
    const m = rt.metrics().loadBalancers.nlb2 as FlowCounters;
    assert.equal(m.RejectedFlowCount, 1);
    assert.equal(m.ActiveFlowCount, 2);
  });

  it('gives a draining target no new flows and ends its flows when the delay is over', async () => {
    const a = await udpTarget('a');
    const b = await udpTarget('b');
    const attrs = { 'deregistration_delay.timeout_seconds': '1' };
    const cfg = (ports: number[]): DataPlaneConfig => ({ targetGroups: [group('udp', 'UDP', ports, attrs)], loadBalancers: [udpLb()] });
    const { rt, port } = await start(cfg([a.port, b.port]));
    await waitFor('both UDP targets healthy', healthy(rt, 'udp', 2));
    const [c1, c2] = await Promise.all([udpClient(), udpClient()]);
    const first = [(await c1!.ask(port(), 'm'))!, (await c2!.ask(port(), 'm'))!];
    const onA = first[0]!.startsWith('a:') ? c1! : c2!;
    await rt.apply(cfg([b.port]));
    assert.equal(rt.describeTargetHealth('udp').find((d) => d.target.port === a.port)?.targetHealth.state, 'draining');
    assert.equal(await onA.ask(port(), 'still'), 'a:still', 'the existing flow keeps its draining target');
    for (let i = 0; i < 3; i++) {
      const fresh = await udpClient();
      assert.equal(await fresh.ask(port(), 'new'), 'b:new', 'new flows go to the registered target');
    }
    await waitFor('the draining target removed', () => rt.describeTargetHealth('udp').length === 1, 3000);
    assert.equal(await onA.ask(port(), 'after'), 'b:after', 'the flow was closed; the client starts over on b');
  });
});

describe('NLB TCP_UDP listeners', () => {
  it('serves TCP and UDP on one port to a TCP_UDP group', async () => {
    const a = await udpTarget('a');
    const { rt, port } = await start({
      targetGroups: [group('both', 'TCP_UDP', [a.port])],
      loadBalancers: [{ id: 'nlb', type: 'network', listeners: [{ id: 'l1', port: 0, protocol: 'TCP_UDP', defaultActions: [forward('both')] }] }],
    });
    await waitFor('the TCP_UDP target healthy', healthy(rt, 'both', 1));
    const c = await udpClient();
    assert.equal(await c.ask(port(), 'datagram'), 'a:datagram');
    const echoed = await new Promise<string>((ok, fail) => {
      const sock = netConnect(port(), '127.0.0.1', () => sock.end('stream'));
      let buf = '';
      sock.setEncoding('utf8');
      sock.on('data', (d: string) => (buf += d));
      sock.on('close', () => ok(buf));
      sock.on('error', fail);
    });
    assert.equal(echoed, 'stream');
    await waitFor('the TCP flow closed', () => nlbFlows(rt).ActiveFlowCount_TCP === 0);
    const m = nlbFlows(rt);
    assert.equal(m.NewFlowCount_UDP, 1);
    assert.equal(m.NewFlowCount_TCP, 1);
    assert.equal(m.NewFlowCount, 2);
  });
});
