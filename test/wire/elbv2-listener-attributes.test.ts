import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DescribeListenerAttributesCommand,
  ElasticLoadBalancingV2Client, ModifyListenerAttributesCommand, ModifyListenerCommand, RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { defaultNetwork, waitForHealthy } from '../support/elbv2.js';
import { freePort } from '../support/net.js';

/**
 * DescribeListenerAttributes and ModifyListenerAttributes through the real `aws elbv2` CLI and
 * @aws-sdk/client-elastic-load-balancing-v2, with the headers checked on real traffic (a relayed
 * response and the load balancer's own 503) and the attributes kept across a SIGKILL.
 */


function get(port: number, path = '/'): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end();
  });
}

const FRAME = 'routing.http.response.x_frame_options.header_value';
const HSTS = 'routing.http.response.strict_transport_security.header_value';
const SERVER = 'routing.http.response.server.enabled';
const TLS_VERSION = 'routing.http.request.x_amzn_tls_version.header_name';

const asMap = (attrs: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> =>
  Object.fromEntries((attrs ?? []).map((a) => [a.Key!, a.Value!]));

describe('ELBv2 listener attributes, applied to traffic', () => {
  let berth: BerthProcess;
  let elb: ElasticLoadBalancingV2Client;
  let target: Server;
  let targetPort: number;
  let subnets: string[];
  let vpcId: string;
  const state: { albArn?: string; listenerArn?: string; port?: number; httpsArn?: string } = {};

  const cli = (args: string[]): any => berth.awsJson(args);
  const healthy = (tgArn: string): Promise<void> => waitForHealthy(elb, tgArn);

  before(async () => {
    berth = await startBerth();
    elb = berth.client(ElasticLoadBalancingV2Client);
    target = createServer((_req, res) => res.writeHead(200, { 'X-Frame-Options': 'ALLOWALL', 'Content-Type': 'text/plain' }).end('app'));
    await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
    targetPort = (target.address() as AddressInfo).port;
    ({ subnets, vpcId } = defaultNetwork(berth));
  });
  after(async () => {
    target.close();
    await berth.stop();
  });


  it('inserts response headers on relayed responses and on a 503, set with the aws CLI', async () => {
    const lb = cli(['elbv2', 'create-load-balancer', '--name', 'hdr-alb', '--subnets', subnets[0], subnets[1]]).LoadBalancers[0];
    const tg = cli(['elbv2', 'create-target-group', '--name', 'hdr-app', '--protocol', 'HTTP', '--port', '80', '--target-type', 'ip', '--vpc-id', vpcId,
      '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2']).TargetGroups[0];
    const empty = cli(['elbv2', 'create-target-group', '--name', 'hdr-empty', '--protocol', 'HTTP', '--port', '80', '--target-type', 'ip', '--vpc-id', vpcId]).TargetGroups[0];
    const port = await freePort();
    const listener = cli(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(port),
      '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`]).Listeners[0];
    await elb.send(new CreateRuleCommand({
      ListenerArn: listener.ListenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/none'] }],
      Actions: [{ Type: 'forward', TargetGroupArn: empty.TargetGroupArn }],
    }));
    cli(['elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', `Id=127.0.0.1,Port=${targetPort}`]);
    await healthy(tg.TargetGroupArn);

    const defaults = asMap(cli(['elbv2', 'describe-listener-attributes', '--listener-arn', listener.ListenerArn]).Attributes);
    assert.equal(Object.keys(defaults).length, 11);
    assert.equal(defaults[SERVER], 'true');
    assert.equal(defaults[FRAME], '');
    assert.equal((await get(port)).headers['x-frame-options'], 'ALLOWALL', 'nothing set: the target\'s header passes');

    const modified = cli(['elbv2', 'modify-listener-attributes', '--listener-arn', listener.ListenerArn,
      '--attributes', JSON.stringify([{ Key: FRAME, Value: 'DENY' }, { Key: HSTS, Value: 'max-age=31536000; includeSubDomains' }])]);
    const after = asMap(modified.Attributes);
    assert.equal(Object.keys(after).length, 11, 'Modify answers every attribute');
    assert.equal(after[FRAME], 'DENY');
    assert.equal(after[HSTS], 'max-age=31536000; includeSubDomains');

    const relayed = await get(port);
    assert.equal(relayed.body, 'app');
    assert.equal(relayed.headers['x-frame-options'], 'DENY');
    assert.equal(relayed.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    const unavailable = await get(port, '/none');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers['x-frame-options'], 'DENY');
    assert.equal(unavailable.headers.server, 'awselb/2.0');
    Object.assign(state, { albArn: lb.LoadBalancerArn, listenerArn: listener.ListenerArn, port });
  });

  it('removes the load balancer\'s Server header, through the SDK', async () => {
    const out = await elb.send(new ModifyListenerAttributesCommand({ ListenerArn: state.listenerArn!, Attributes: [{ Key: SERVER, Value: 'false' }] }));
    assert.equal(asMap(out.Attributes)[SERVER], 'false');
    assert.equal(asMap(out.Attributes)[FRAME], 'DENY', 'earlier changes stay');
    const unavailable = await get(state.port!, '/none');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.server, undefined);
    assert.equal(unavailable.headers['x-frame-options'], 'DENY');
  });

  it('answers AWS errors for unknown listeners, keys and values, and NotImplemented for mTLS', async () => {
    const missing = state.listenerArn!.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    const notFound = await awsError(elb.send(new DescribeListenerAttributesCommand({ ListenerArn: missing })));
    assert.equal(notFound.name, 'ListenerNotFoundException');
    assert.equal(notFound.status, 400);
    const unknown = await awsError(elb.send(new ModifyListenerAttributesCommand({ ListenerArn: state.listenerArn!, Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '400' }] })));
    assert.equal(unknown.name, 'ValidationError');
    const bad = berth.aws(['elbv2', 'modify-listener-attributes', '--listener-arn', state.listenerArn!,
      '--attributes', JSON.stringify([{ Key: 'routing.http.response.x_content_type_options.header_value', Value: 'sniff' }])]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /ValidationError/);
    assert.match(bad.stderr, /x_content_type_options/);

    const port = await freePort();
    const https = (await elb.send(new CreateListenerCommand({
      LoadBalancerArn: state.albArn!, Protocol: 'HTTPS', Port: port, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
    }))).Listeners![0]!;
    const names = asMap((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: https.ListenerArn! }))).Attributes);
    assert.equal(Object.keys(names).length, 19);
    assert.equal(names['routing.http.request.x_amzn_mtls_clientcert.header_name'], 'X-Amzn-Mtls-Clientcert');
    const mtls = await awsError(elb.send(new ModifyListenerAttributesCommand({
      ListenerArn: https.ListenerArn!, Attributes: [{ Key: 'routing.http.request.x_amzn_mtls_clientcert.header_name', Value: 'X-Client-Cert' }],
    })));
    assert.equal(mtls.name, 'NotImplementedException');
    assert.equal(mtls.status, 501);
    const renamed = await elb.send(new ModifyListenerAttributesCommand({ ListenerArn: https.ListenerArn!, Attributes: [{ Key: TLS_VERSION, Value: 'X-Tls-Proto' }, { Key: FRAME, Value: 'SAMEORIGIN' }] }));
    assert.equal(asMap(renamed.Attributes)[TLS_VERSION], 'X-Tls-Proto');
    // HTTP has no request header names: they go with the protocol, the response headers stay.
    await elb.send(new ModifyListenerCommand({ ListenerArn: https.ListenerArn!, Protocol: 'HTTP' }));
    const asHttp = asMap((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: https.ListenerArn! }))).Attributes);
    assert.equal(asHttp[TLS_VERSION], undefined);
    assert.equal(asHttp[FRAME], 'SAMEORIGIN');
    assert.equal((await get(port)).headers['x-frame-options'], 'SAMEORIGIN');
  });

  it('keeps the TCP idle timeout of NLB TCP listeners in 60–6000 s; TLS listeners have none to change', async () => {
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'idle-nlb', Type: 'network', Subnets: [subnets[0]!] }))).LoadBalancers![0]!;
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'idle-tcp', Protocol: 'TCP', Port: targetPort, VpcId: vpcId, TargetType: 'ip' }))).TargetGroups![0]!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn!, Targets: [{ Id: '127.0.0.1', Port: targetPort }] }));
    const tcp = (await elb.send(new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'TCP', Port: await freePort(), DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }],
    }))).Listeners![0]!;
    assert.deepEqual(cli(['elbv2', 'describe-listener-attributes', '--listener-arn', tcp.ListenerArn!]).Attributes, [{ Key: 'tcp.idle_timeout.seconds', Value: '350' }]);
    const set = cli(['elbv2', 'modify-listener-attributes', '--listener-arn', tcp.ListenerArn!, '--attributes', 'Key=tcp.idle_timeout.seconds,Value=900']);
    assert.deepEqual(set.Attributes, [{ Key: 'tcp.idle_timeout.seconds', Value: '900' }]);
    for (const value of ['59', '6001']) {
      const out = await awsError(elb.send(new ModifyListenerAttributesCommand({ ListenerArn: tcp.ListenerArn!, Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: value }] })));
      assert.equal(out.name, 'ValidationError', value);
    }
    const tls = (await elb.send(new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn!, Protocol: 'TLS', Port: await freePort(), DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }],
      Certificates: [{ CertificateArn: `arn:aws:acm:us-east-1:${berth.creds.accountId}:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0` }],
    }))).Listeners![0]!;
    assert.deepEqual((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: tls.ListenerArn! }))).Attributes ?? [], []);
    const fixed = await awsError(elb.send(new ModifyListenerAttributesCommand({ ListenerArn: tls.ListenerArn!, Attributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '900' }] })));
    assert.equal(fixed.name, 'ValidationError');
    assert.match(fixed.message, /350 seconds/);
    // Back to TCP after TLS: the timeout went with the TCP protocol.
    await elb.send(new ModifyListenerCommand({ ListenerArn: tcp.ListenerArn!, Protocol: 'TLS', Certificates: [{ CertificateArn: tls.Certificates![0]!.CertificateArn! }] }));
    await elb.send(new ModifyListenerCommand({ ListenerArn: tcp.ListenerArn!, Protocol: 'TCP' }));
    assert.deepEqual(asMap((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: tcp.ListenerArn! }))).Attributes), { 'tcp.idle_timeout.seconds': '350' });
  });

  it('keeps the attributes and applies them again after a SIGKILL', async () => {
    await berth.kill('SIGKILL');
    await berth.start();
    elb = berth.client(ElasticLoadBalancingV2Client);
    const attrs = asMap((await elb.send(new DescribeListenerAttributesCommand({ ListenerArn: state.listenerArn! }))).Attributes);
    assert.deepEqual([attrs[FRAME], attrs[SERVER]], ['DENY', 'false']);
    const unavailable = await get(state.port!, '/none');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.server, undefined);
    assert.equal(unavailable.headers['x-frame-options'], 'DENY');
  });
});
