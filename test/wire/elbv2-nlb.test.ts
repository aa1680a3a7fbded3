import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeListenersCommand, DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client, ModifyListenerCommand, RegisterTargetsCommand, SetSecurityGroupsCommand, type ProtocolEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { defaultNetwork, waitForHealthy } from '../support/elbv2.js';
import { freePort } from '../support/net.js';

/**
 * Network load balancers with TLS, UDP and TCP_UDP listeners through the real
 * @aws-sdk/client-elastic-load-balancing-v2 and `aws elbv2`, carrying traffic to loopback echo
 * servers. Every wait is bounded.
 */

const closers: Array<() => void> = [];

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', () => ok()); });
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** Binds a UDP socket on `port` of loopback; false when the port is taken. */
async function bindUdp(sock: DgramSocket, port: number): Promise<boolean> {
  return new Promise((ok) => {
    sock.once('error', () => ok(false));
    sock.bind(port, '127.0.0.1', () => ok(true));
  });
}

/** A loopback port free for both TCP and UDP a moment ago (TCP_UDP and UDP listeners). */
async function freeDualPort(): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const port = await freePort();
    const probe = createSocket('udp4');
    const free = await bindUdp(probe, port);
    await new Promise<void>((ok) => probe.close(() => ok()));
    if (free) return port;
  }
  throw new Error('no loopback port free for TCP and UDP');
}

/** A target echoing TCP and answering datagrams with `name:<datagram>`, both on one port (TCP also serves the health check). */
async function echoTarget(name: string): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const port = await listen(createNetServer((s: Socket) => { s.on('error', () => undefined); s.pipe(s); }));
    const sock = createSocket('udp4');
    if (!(await bindUdp(sock, port))) { sock.close(); continue; }
    sock.on('message', (msg, from) => sock.send(`${name}:${msg.toString()}`, from.port, from.address));
    closers.push(() => sock.close());
    return port;
  }
  throw new Error('no port free for a TCP and UDP target');
}

async function udpClient(): Promise<{ ask(port: number, msg: string, ms?: number): Promise<string | undefined> }> {
  const sock = createSocket('udp4');
  await bindUdp(sock, 0);
  closers.push(() => sock.close());
  return {
    ask: (port, msg, ms = 3000) => new Promise((ok) => {
      const timer = setTimeout(() => { sock.off('message', onMsg); ok(undefined); }, ms);
      const onMsg = (m: Buffer): void => { clearTimeout(timer); sock.off('message', onMsg); ok(m.toString()); };
      sock.on('message', onMsg);
      sock.send(msg, port, '127.0.0.1');
    }),
  };
}

function tlsEcho(port: number, message: string): Promise<{ echo: string; protocol: string | null }> {
  return new Promise((ok, fail) => {
    const c = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => c.end(message));
    let echo = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => (echo += d));
    c.on('end', () => ok({ echo, protocol: c.getProtocol() }));
    c.on('error', fail);
    c.setTimeout(5000, () => c.destroy(new Error('client timeout')));
  });
}

function tcpEcho(port: number, message: string): Promise<string> {
  return new Promise((ok, fail) => {
    const c = netConnect(port, '127.0.0.1', () => c.end(message));
    let echo = '';
    c.setEncoding('utf8');
    c.on('data', (d: string) => (echo += d));
    c.on('close', () => ok(echo));
    c.on('error', fail);
    c.setTimeout(5000, () => c.destroy(new Error('client timeout')));
  });
}

describe('ELBv2 network load balancers: TLS, UDP and TCP_UDP listeners', () => {
  let berth: BerthProcess;
  let elb: ElasticLoadBalancingV2Client;
  let subnets: string[];
  let vpcId: string;
  let lbArn: string;
  let certificateArn: string;
  const ports: { tls?: number; udp?: number; dual?: number } = {};

  const cli = (args: string[]): any => berth.awsJson(args);
  const healthy = (tgArn: string, count: number): Promise<void> => waitForHealthy(elb, tgArn, count);

  async function group(name: string, protocol: ProtocolEnum, port: number): Promise<string> {
    const tg = await elb.send(new CreateTargetGroupCommand({
      Name: name, Protocol: protocol, Port: port, VpcId: vpcId, TargetType: 'ip', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2,
    }));
    return tg.TargetGroups![0]!.TargetGroupArn!;
  }


  before(async () => {
    berth = await startBerth();
    elb = berth.client(ElasticLoadBalancingV2Client);
    ({ subnets, vpcId } = defaultNetwork(berth));
    certificateArn = `arn:aws:acm:us-east-1:${berth.creds.accountId}:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'edge-nlb', Type: 'network', Subnets: [subnets[0]!, subnets[1]!] }));
    lbArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  });
  after(async () => {
    for (const c of closers) c();
    await berth.stop();
  });

  it('terminates TLS in front of a plain TCP echo server, created with the aws CLI', async () => {
    const echo = await echoTarget('tls');
    const tg = cli(['elbv2', 'create-target-group', '--name', 'tls-echo', '--protocol', 'TCP', '--port', String(echo), '--target-type', 'ip',
      '--vpc-id', vpcId, '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2']).TargetGroups[0];
    assert.equal(tg.HealthCheckProtocol, 'TCP');
    const port = await freePort();
    const listener = cli(['elbv2', 'create-listener', '--load-balancer-arn', lbArn, '--protocol', 'TLS', '--port', String(port),
      '--certificates', `CertificateArn=${certificateArn}`, '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`]).Listeners[0];
    assert.equal(listener.Protocol, 'TLS');
    assert.equal(listener.SslPolicy, 'ELBSecurityPolicy-2016-08', 'the API and CLI default');
    assert.deepEqual(listener.Certificates, [{ CertificateArn: certificateArn }]);
    cli(['elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', `Id=127.0.0.1,Port=${echo}`]);
    await healthy(tg.TargetGroupArn, 1);
    const got = await tlsEcho(port, 'decrypted at the listener');
    assert.equal(got.echo, 'decrypted at the listener');
    assert.equal(got.protocol, 'TLSv1.2');
    // A newer policy and an ALPN policy rebind the listener with TLS 1.3.
    const modified = cli(['elbv2', 'modify-listener', '--listener-arn', listener.ListenerArn, '--ssl-policy', 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      '--alpn-policy', 'HTTP2Preferred']).Listeners[0];
    assert.equal(modified.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    assert.deepEqual(modified.AlpnPolicy, ['HTTP2Preferred']);
    assert.deepEqual(modified.Certificates, [{ CertificateArn: certificateArn }], 'the certificate is kept');
    assert.equal((await tlsEcho(port, 'again')).protocol, 'TLSv1.3');
    ports.tls = port;
  });

  it('relays UDP datagrams to two UDP echo servers, one target per client flow, round robin', async () => {
    const a = await echoTarget('a');
    const b = await echoTarget('b');
    const tgArn = await group('udp-echo', 'UDP', a);
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))).TargetGroups![0]!;
    assert.equal(tg.Protocol, 'UDP');
    assert.equal(tg.HealthCheckProtocol, 'TCP', 'a UDP group is health checked over TCP by default');
    assert.equal(tg.HealthCheckPort, 'traffic-port');
    const port = await freeDualPort();
    const l = await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'UDP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    assert.equal(l.Listeners![0]!.Protocol, 'UDP');
    assert.equal(l.Listeners![0]!.SslPolicy, undefined);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: a }, { Id: '127.0.0.1', Port: b }] }));
    await healthy(tgArn, 2);
    const clients = await Promise.all([1, 2, 3, 4].map(() => udpClient()));
    const owners: string[] = [];
    for (const [i, c] of clients.entries()) {
      const answer = await c.ask(port, `ping ${i}`);
      assert.match(answer ?? '', new RegExp(`^(a|b):ping ${i}$`));
      owners.push(answer!.split(':')[0]!);
    }
    assert.deepEqual(owners.slice().sort(), ['a', 'a', 'b', 'b'], owners.join());
    for (const [i, c] of clients.entries()) assert.equal(await c.ask(port, 'more'), `${owners[i]}:more`, 'a flow keeps its target');
    ports.udp = port;
  });

  it('serves TCP and UDP on one port with a TCP_UDP listener', async () => {
    const t = await echoTarget('both');
    const tgArn = await group('dual-echo', 'TCP_UDP', t);
    const port = await freeDualPort();
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP_UDP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: t }] }));
    await healthy(tgArn, 1);
    assert.equal(await (await udpClient()).ask(port, 'dgram'), 'both:dgram');
    assert.equal(await tcpEcho(port, 'stream'), 'stream');
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners!;
    assert.deepEqual(listeners.map((x) => x.Protocol).sort(), ['TCP_UDP', 'TLS', 'UDP']);
    ports.dual = port;
  });

  it('answers ELBv2 validation errors for TLS, UDP and TCP_UDP listeners and groups', async () => {
    const tcpArn = await group('v-tcp', 'TCP', 7001);
    const udpArn = await group('v-udp', 'UDP', 7002);
    const port = await freeDualPort();
    const attempt = (extra: Record<string, unknown>, tg = tcpArn) => awsError(elb.send(new CreateListenerCommand({
      LoadBalancerArn: lbArn, Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }], ...extra,
    } as never)));
    const cases: Array<[string, Promise<{ name: string; message: string }>, string, RegExp?]> = [
      ['a TLS listener without a certificate', attempt({ Protocol: 'TLS' }), 'ValidationError', /certificate must be specified/],
      ['two certificates', attempt({ Protocol: 'TLS', Certificates: [{ CertificateArn: certificateArn }, { CertificateArn: certificateArn }] }), 'TooManyCertificatesException'],
      ['a certificate that is no ACM or IAM ARN', attempt({ Protocol: 'TLS', Certificates: [{ CertificateArn: 'my-cert' }] }), 'CertificateNotFoundException'],
      ['an unknown security policy', attempt({ Protocol: 'TLS', Certificates: [{ CertificateArn: certificateArn }], SslPolicy: 'MyPolicy' }), 'SSLPolicyNotFoundException'],
      ['an unknown ALPN policy', attempt({ Protocol: 'TLS', Certificates: [{ CertificateArn: certificateArn }], AlpnPolicy: ['HTTP3'] }), 'ALPNPolicyNotSupportedException'],
      ['an ALPN policy on a TCP listener', attempt({ Protocol: 'TCP', AlpnPolicy: ['HTTP2Preferred'] }), 'ValidationError'],
      ['a certificate on a UDP listener', attempt({ Protocol: 'UDP', Certificates: [{ CertificateArn: certificateArn }] }, udpArn), 'ValidationError'],
      ['a UDP listener to a TCP group', attempt({ Protocol: 'UDP' }), 'IncompatibleProtocolsException'],
      ['a TCP_UDP listener to a UDP group', attempt({ Protocol: 'TCP_UDP' }, udpArn), 'IncompatibleProtocolsException'],
      ['a TLS listener to a UDP group', attempt({ Protocol: 'TLS', Certificates: [{ CertificateArn: certificateArn }] }, udpArn), 'IncompatibleProtocolsException'],
      ['a QUIC listener', attempt({ Protocol: 'QUIC' }), 'UnsupportedProtocolException'],
      ['a UDP health check', awsError(elb.send(new CreateTargetGroupCommand({ Name: 'v-bad', Protocol: 'UDP', Port: 7003, VpcId: vpcId, HealthCheckProtocol: 'UDP' }))), 'ValidationError'],
      ['a TCP health check for an HTTP group', awsError(elb.send(new CreateTargetGroupCommand({ Name: 'v-bad', Protocol: 'HTTP', Port: 7003, VpcId: vpcId, HealthCheckProtocol: 'TCP' }))), 'ValidationError'],
    ];
    for (const [what, pending, code, message] of cases) {
      const err = await pending;
      assert.equal(err.name, code, `${what}: ${err.message}`);
      if (message) assert.match(err.message, message, what);
    }
    const sgs = cli(['ec2', 'describe-security-groups', '--filters', `Name=vpc-id,Values=${vpcId}`]).SecurityGroups;
    const noGroups = await awsError(elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lbArn, SecurityGroups: [sgs[0].GroupId] })));
    assert.equal(noGroups.name, 'InvalidConfigurationRequestException', 'an NLB created without security groups takes none later');
    // Nothing was created on the port; a TCP listener then moves to TLS only with a certificate.
    const tcp = await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'TCP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tcpArn }] }));
    const arn = tcp.Listeners![0]!.ListenerArn!;
    assert.equal((await awsError(elb.send(new ModifyListenerCommand({ ListenerArn: arn, Protocol: 'TLS' })))).name, 'ValidationError');
    const tls = await elb.send(new ModifyListenerCommand({ ListenerArn: arn, Protocol: 'TLS', Certificates: [{ CertificateArn: certificateArn }] }));
    assert.equal(tls.Listeners![0]!.SslPolicy, 'ELBSecurityPolicy-2016-08');
    const back = await elb.send(new ModifyListenerCommand({ ListenerArn: arn, Protocol: 'TCP' }));
    assert.equal(back.Listeners![0]!.SslPolicy, undefined, 'a TCP listener has no security policy');
    assert.equal(back.Listeners![0]!.Certificates, undefined);
  });

  it('binds the TLS, UDP and TCP_UDP listeners again after a SIGKILL', async () => {
    await berth.kill('SIGKILL');
    await berth.start();
    elb = berth.client(ElasticLoadBalancingV2Client);
    assert.equal((await tlsEcho(ports.tls!, 'back')).echo, 'back');
    assert.match((await (await udpClient()).ask(ports.udp!, 'back')) ?? '', /^(a|b):back$/);
    assert.equal(await (await udpClient()).ask(ports.dual!, 'back'), 'both:back');
    assert.equal(await tcpEcho(ports.dual!, 'back'), 'back');
  });
});
