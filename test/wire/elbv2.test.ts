import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DeleteListenerCommand,
  DeleteRuleCommand, DeleteTargetGroupCommand, DeregisterTargetsCommand, DescribeListenersCommand, DescribeLoadBalancersCommand,
  DescribeRulesCommand, DescribeTagsCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client, ModifyListenerCommand, ModifyTargetGroupAttributesCommand, RegisterTargetsCommand, SetRulePrioritiesCommand,
  SetSubnetsCommand, AddTagsCommand, CreateTrustStoreCommand, SetIpAddressTypeCommand, SetSecurityGroupsCommand, DescribeLoadBalancerAttributesCommand, ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { defaultNetwork } from '../support/elbv2.js';
import { freePort } from '../support/net.js';

/** A loopback HTTP target that answers its name; `/slow` answers after 1.5 s. */
async function target(name: string): Promise<{ server: Server; port: number; hits: number }> {
  const t = { server: undefined as unknown as Server, port: 0, hits: 0 };
  t.server = createServer((req, res) => {
    if (req.url !== '/') t.hits++;
    const answer = (): void => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(name); };
    if (req.url === '/slow') setTimeout(answer, 1500);
    else answer();
  });
  await new Promise<void>((ok) => t.server.listen(0, '127.0.0.1', ok));
  t.port = (t.server.address() as AddressInfo).port;
  return t;
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** One request through a listener (node:http: fetch may not set Host), without keep-alive. */
function get(port: number, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; body: string; location: string | null }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, location: (res.headers.location as string | undefined) ?? null }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', fail);
    req.end();
  });
}

/** The real `aws elbv2 …` CLI and @aws-sdk/client-elastic-load-balancing-v2 against the ELBv2 room, with traffic through the listeners. */
describe('ELBv2 over the Query protocol, carrying traffic', () => {
  let berth: BerthProcess;
  let elb: ElasticLoadBalancingV2Client;
  let blue: Awaited<ReturnType<typeof target>>;
  let green: Awaited<ReturnType<typeof target>>;
  let subnets: string[];
  let vpcId: string;
  const state: { lbArn?: string; tgArn?: string; listenerArn?: string; port?: number } = {};

  before(async () => {
    berth = await startBerth();
    elb = berth.client(ElasticLoadBalancingV2Client);
    blue = await target('blue');
    green = await target('green');
    ({ subnets, vpcId } = defaultNetwork(berth));
  });
  after(async () => {
    blue.server.close();
    green.server.close();
    await berth.stop();
  });

  const ok = (args: string[]): any => berth.awsJson(args);

  async function healthy(tgArn: string, count: number): Promise<any[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const d = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
      if (d.filter((x) => x.TargetHealth?.State === 'healthy').length >= count) return d;
      if (Date.now() > deadline) assert.fail(`targets did not become healthy: ${JSON.stringify(d)}`);
      await sleep(200);
    }
  }

  it('follows the ECS guide with the CLI: load balancer, ip target group, listener, targets healthy, round robin', async () => {
    const lb = ok(['elbv2', 'create-load-balancer', '--name', 'web-alb', '--subnets', subnets[0], subnets[1], '--tags', 'Key=team,Value=web']).LoadBalancers[0];
    assert.match(lb.LoadBalancerArn, new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${berth.creds.accountId}:loadbalancer/app/web-alb/[0-9a-f]{16}$`));
    assert.match(lb.DNSName, /^web-alb-\d{10}\.us-east-1\.elb\.localhost$/);
    assert.equal(lb.State.Code, 'active');
    assert.equal(lb.Type, 'application');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(lb.VpcId, vpcId);
    assert.deepEqual(lb.AvailabilityZones.map((z: any) => z.ZoneName), ['us-east-1a', 'us-east-1b']);
    const tg = ok(['elbv2', 'create-target-group', '--name', 'web-tg', '--protocol', 'HTTP', '--port', '80', '--target-type', 'ip', '--vpc-id', vpcId,
      '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--health-check-path', '/health', '--healthy-threshold-count', '2']).TargetGroups[0];
    assert.equal(tg.HealthCheckProtocol, 'HTTP');
    assert.equal(tg.HealthCheckPort, 'traffic-port');
    assert.equal(tg.HealthCheckTimeoutSeconds, 2);
    assert.equal(tg.UnhealthyThresholdCount, 2);
    assert.deepEqual(tg.Matcher, { HttpCode: '200' });
    assert.deepEqual(tg.LoadBalancerArns, []);
    const port = await freePort();
    const listener = ok(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(port),
      '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`]).Listeners[0];
    assert.equal(listener.Port, port);
    assert.deepEqual(listener.DefaultActions[0].ForwardConfig.TargetGroups, [{ TargetGroupArn: tg.TargetGroupArn, Weight: 1 }]);
    ok(['elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', `Id=127.0.0.1,Port=${blue.port}`, `Id=127.0.0.1,Port=${green.port}`]);
    const initial = ok(['elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn]).TargetHealthDescriptions;
    assert.equal(initial.length, 2);
    await healthy(tg.TargetGroupArn, 2);
    const cli = ok(['elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn, '--targets', `Id=127.0.0.1,Port=${blue.port}`]);
    assert.deepEqual(cli.TargetHealthDescriptions[0].TargetHealth, { State: 'healthy' });
    assert.equal(cli.TargetHealthDescriptions[0].HealthCheckPort, String(blue.port));
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push((await get(port, '/hello')).body);
    assert.equal(bodies.filter((b) => b === 'blue').length, 3, bodies.join());
    assert.equal(bodies.filter((b) => b === 'green').length, 3, bodies.join());
    assert.notEqual(bodies[0], bodies[1]);
    const described = ok(['elbv2', 'describe-target-groups', '--load-balancer-arn', lb.LoadBalancerArn]).TargetGroups;
    assert.deepEqual(described.map((t: any) => [t.TargetGroupName, t.LoadBalancerArns]), [['web-tg', [lb.LoadBalancerArn]]]);
    assert.deepEqual(ok(['elbv2', 'describe-tags', '--resource-arns', lb.LoadBalancerArn]).TagDescriptions[0].Tags, [{ Key: 'team', Value: 'web' }]);
    Object.assign(state, { lbArn: lb.LoadBalancerArn, tgArn: tg.TargetGroupArn, listenerArn: listener.ListenerArn, port });
  });

  it('routes by path and host with rule priorities, fixed responses and redirects', async () => {
    const listenerArn = state.listenerArn!;
    const api = await elb.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'api' } }],
    }));
    const apiRule = api.Rules![0]!;
    assert.deepEqual(apiRule.Conditions, [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }]);
    await elb.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 20, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['old.example.com'] } }],
      Actions: [{ Type: 'redirect', RedirectConfig: { Host: 'new.example.com', StatusCode: 'HTTP_301' } }],
    }));
    const inUse = await awsError(elb.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 10, Conditions: [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }],
    })));
    assert.equal(inUse.name, 'PriorityInUseException');
    assert.equal(inUse.status, 400);
    const all = (await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules!;
    assert.deepEqual(all.map((r) => [r.Priority, r.IsDefault]), [['10', false], ['20', false], ['default', true]]);
    assert.equal(all[1]!.Actions![0]!.RedirectConfig!.Path, '/#{path}');

    const port = state.port!;
    assert.deepEqual(await get(port, '/api/users'), { status: 200, body: 'api', location: null });
    const moved = await get(port, '/a/b?x=1', { host: 'old.example.com' });
    assert.equal(moved.status, 301);
    assert.equal(moved.location, `http://new.example.com:${port}/a/b?x=1`);
    assert.match((await get(port, '/other')).body, /^(blue|green)$/);

    // A header rule moved in front of the path rule takes /api/ requests that carry the header.
    const header = await elb.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 30, Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['yes'] } }],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418', MessageBody: 'canary' } }],
    }));
    await elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: header.Rules![0]!.RuleArn, Priority: 5 }] }));
    assert.equal((await get(port, '/api/x', { 'x-canary': 'yes' })).status, 418);
    assert.equal((await get(port, '/api/x')).body, 'api');
    const swap = await awsError(elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: header.Rules![0]!.RuleArn, Priority: 10 }] })));
    assert.equal(swap.name, 'PriorityInUseException');
    const defaultArn = all[2]!.RuleArn!;
    assert.equal((await awsError(elb.send(new DeleteRuleCommand({ RuleArn: defaultArn })))).name, 'OperationNotPermittedException');
    await elb.send(new DeleteRuleCommand({ RuleArn: header.Rules![0]!.RuleArn }));
    assert.equal((await get(port, '/api/x', { 'x-canary': 'yes' })).body, 'api');
    await elb.send(new AddTagsCommand({ ResourceArns: [apiRule.RuleArn!], Tags: [{ Key: 'route', Value: 'api' }] }));
    const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [apiRule.RuleArn!] }));
    assert.deepEqual(tags.TagDescriptions![0]!.Tags, [{ Key: 'route', Value: 'api' }]);
  });

  it('answers ELBv2 errors: duplicates, unknown ARNs, a group in use, a taken port, unimplemented actions', async () => {
    const again = await elb.send(new CreateLoadBalancerCommand({ Name: 'web-alb', Subnets: [subnets[0]!, subnets[1]!] }));
    assert.equal(again.LoadBalancers![0]!.LoadBalancerArn, state.lbArn, 'the same settings: the same load balancer');
    const dup = await awsError(elb.send(new CreateLoadBalancerCommand({ Name: 'web-alb', Subnets: [subnets[0]!, subnets[2]!] })));
    assert.equal(dup.name, 'DuplicateLoadBalancerNameException');
    assert.equal((await awsError(elb.send(new CreateTargetGroupCommand({ Name: 'web-tg', Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'ip' })))).name, 'DuplicateTargetGroupNameException');
    const badSubnet = await awsError(elb.send(new CreateLoadBalancerCommand({ Name: 'x', Subnets: ['subnet-0123456789abcdef0', subnets[0]!] })));
    assert.equal(badSubnet.name, 'SubnetNotFoundException');
    const one = await awsError(elb.send(new CreateLoadBalancerCommand({ Name: 'x', Subnets: [subnets[0]!] })));
    assert.equal(one.name, 'ValidationError');
    const missingLb = state.lbArn!.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    assert.equal((await awsError(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [missingLb] })))).name, 'LoadBalancerNotFoundException');
    assert.equal((await awsError(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })))).message, "Load balancers '[nope]' not found");
    const missingTg = state.tgArn!.replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    assert.equal((await awsError(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [missingTg] })))).name, 'TargetGroupNotFoundException');
    assert.equal((await awsError(elb.send(new RegisterTargetsCommand({ TargetGroupArn: missingTg, Targets: [{ Id: '127.0.0.1' }] })))).name, 'TargetGroupNotFoundException');
    assert.equal((await awsError(elb.send(new DescribeListenersCommand({ ListenerArns: [state.listenerArn!.replace(/[0-9a-f]{16}$/, '0123456789abcdef')] })))).name, 'ListenerNotFoundException');
    assert.equal((await awsError(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: ['not-an-arn'] })))).name, 'ValidationError');
    const inUse = await awsError(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: state.tgArn! })));
    assert.equal(inUse.name, 'ResourceInUseException');
    const dupListener = await awsError(elb.send(new CreateListenerCommand({
      LoadBalancerArn: state.lbArn!, Protocol: 'HTTP', Port: state.port!, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    })));
    assert.equal(dupListener.name, 'DuplicateListenerException');
    // A port some other program holds: an AWS-shaped 400, and nothing is left behind.
    const squatter = createNetServer();
    await new Promise<void>((okk) => squatter.listen(0, '127.0.0.1', okk));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      const busy = await awsError(elb.send(new CreateListenerCommand({
        LoadBalancerArn: state.lbArn!, Protocol: 'HTTP', Port: taken, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
      })));
      assert.equal(busy.name, 'InvalidConfigurationRequestException');
      assert.equal(busy.status, 400);
      assert.match(busy.message, new RegExp(`port ${taken}`));
    } finally {
      squatter.close();
    }
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: state.lbArn! }))).Listeners!;
    assert.deepEqual(listeners.map((l) => l.Port), [state.port]);
    assert.equal((await get(state.port!, '/api/a')).body, 'api', 'the existing listener still answers');
    const ni = await awsError(elb.send(new CreateTrustStoreCommand({ Name: 'mtls', CaCertificatesBundleS3Bucket: 'b', CaCertificatesBundleS3Key: 'k' })));
    assert.equal(ni.name, 'NotImplementedException');
    assert.equal(ni.status, 501);
    const attrs = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: state.lbArn! }));
    assert.equal(attrs.Attributes!.find((a) => a.Key === 'idle_timeout.timeout_seconds')!.Value, '60');
    const bad = await awsError(elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: state.lbArn!, Attributes: [{ Key: 'no.such', Value: '1' }] })));
    assert.equal(bad.name, 'ValidationError');
  });

  it('moves a load balancer to other subnets, security groups and IP address type (set-subnets, set-security-groups, set-ip-address-type)', async () => {
    const lbArn = state.lbArn!;
    const moved = ok(['elbv2', 'set-subnets', '--load-balancer-arn', lbArn, '--subnets', subnets[1]!, subnets[2]!]);
    assert.deepEqual(moved.AvailabilityZones.map((z: any) => z.SubnetId), [subnets[1], subnets[2]]);
    const shown = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0]!;
    assert.deepEqual(shown.AvailabilityZones!.map((z) => z.SubnetId), [subnets[1], subnets[2]]);
    assert.equal((await awsError(elb.send(new SetSubnetsCommand({ LoadBalancerArn: lbArn, Subnets: [subnets[0]!] })))).name, 'ValidationError', 'an ALB needs two zones');
    assert.equal((await awsError(elb.send(new SetSubnetsCommand({ LoadBalancerArn: lbArn, Subnets: ['subnet-0123456789abcdef0', subnets[0]!] })))).name, 'SubnetNotFoundException');

    const sg = ok(['ec2', 'create-security-group', '--group-name', 'alb-sg', '--description', 'ALB', '--vpc-id', vpcId]).GroupId;
    const set = ok(['elbv2', 'set-security-groups', '--load-balancer-arn', lbArn, '--security-groups', sg]);
    assert.deepEqual(set.SecurityGroupIds, [sg]);
    assert.deepEqual((await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0]!.SecurityGroups, [sg]);
    assert.equal((await awsError(elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lbArn, SecurityGroups: ['sg-0123456789abcdef0'] })))).name, 'InvalidSecurityGroupException');

    assert.equal((await elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: lbArn, IpAddressType: 'dualstack' }))).IpAddressType, 'dualstack');
    assert.equal((await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }))).LoadBalancers![0]!.IpAddressType, 'dualstack');
    await elb.send(new SetIpAddressTypeCommand({ LoadBalancerArn: lbArn, IpAddressType: 'ipv4' }));
    assert.equal((await get(state.port!, '/api/a')).body, 'api', 'traffic still flows');
  });

  it('drains a deregistered target: its request in flight finishes, new requests go elsewhere', async () => {
    const tgArn = state.tgArn!;
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }] }));
    const attrs = (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }))).Attributes!;
    assert.equal(attrs.find((a) => a.Key === 'deregistration_delay.timeout_seconds')!.Value, '10');
    assert.equal(attrs.find((a) => a.Key === 'load_balancing.algorithm.type')!.Value, 'round_robin');
    // Two slow requests: one lands on each target.
    const slow = [get(state.port!, '/slow'), get(state.port!, '/slow')];
    await sleep(300);
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: blue.port }] }));
    const during = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
    const drained = during.find((d) => d.Target!.Port === blue.port)!;
    assert.equal(drained.TargetHealth!.State, 'draining');
    assert.equal(drained.TargetHealth!.Reason, 'Target.DeregistrationInProgress');
    for (let i = 0; i < 4; i++) assert.equal((await get(state.port!, '/x')).body, 'green');
    const finished = await Promise.all(slow);
    assert.deepEqual(finished.map((r) => r.status), [200, 200]);
    assert.deepEqual(finished.map((r) => r.body).sort(), ['blue', 'green']);
    await sleep(100);
    const afterwards = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
    assert.deepEqual(afterwards.map((d) => d.Target!.Port), [green.port]);
    const gone = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: blue.port }] }))).TargetHealthDescriptions!;
    assert.deepEqual(gone[0]!.TargetHealth, { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' });
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: '127.0.0.1', Port: blue.port }] }));
    await healthy(tgArn, 2);
  });

  it('keeps state and binds the listeners again after a SIGKILL', async () => {
    await berth.kill('SIGKILL');
    await berth.start();
    elb = berth.client(ElasticLoadBalancingV2Client);
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['web-alb'] }))).LoadBalancers!;
    assert.equal(lbs[0]!.LoadBalancerArn, state.lbArn);
    assert.equal((await get(state.port!, '/api/x')).body, 'api');
    await healthy(state.tgArn!, 2);
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await get(state.port!, '/x')).body);
    assert.deepEqual([...seen].sort(), ['blue', 'green']);
    // Moving the listener to another port rebinds it; the old port closes.
    const moved = await freePort();
    await elb.send(new ModifyListenerCommand({ ListenerArn: state.listenerArn!, Port: moved }));
    assert.equal((await get(moved, '/api/x')).body, 'api');
    await assert.rejects(get(state.port!, '/api/x'));
    await elb.send(new DeleteListenerCommand({ ListenerArn: state.listenerArn! }));
    await assert.rejects(get(moved, '/api/x'));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: state.tgArn! }));
    assert.deepEqual((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups, []);
  });
});
