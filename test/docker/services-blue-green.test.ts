import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, ListTasksCommand, RegisterTaskDefinitionCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { AgentProcess, startBerth, type BerthProcess } from '../support/berth.js';
import { freePort, httpGet } from '../support/net.js';
import { waitForService } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'bluegreen';

const get = httpGet;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * ECS's native blue/green deployments behind a real ALB, driven with the aws CLI: green starts in
 * the alternate target group, the test listener rule reaches it first, a PAUSE hook holds the
 * deployment until continue-service-deployment, then production traffic moves to green and blue
 * is stopped — with requests flowing throughout and none failing.
 */
describe('blue/green deployments behind an application load balancer (real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;
  let port = 0;
  let blueTg = '';
  let greenTg = '';
  let prodRule = '';
  let testRule = '';

  const ok = (args: string[]): any => berth.awsJson(args);
  const until = (pred: (s: Service) => boolean, timeoutMs = 120_000): Promise<Service> => waitForService(ecs, CLUSTER, 'web', pred, timeoutMs);
  const forward = (blueWeight: number, greenWeight: number): string => JSON.stringify([{
    Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blueTg, Weight: blueWeight }, { TargetGroupArn: greenTg, Weight: greenWeight }] },
  }]);
  const byColour = (r: any): Record<string, number> => Object.fromEntries(r.Actions[0].ForwardConfig.TargetGroups.map((g: any) => [g.TargetGroupArn === blueTg ? 'blue' : 'green', g.Weight]));
  const weights = (rule: string): Record<string, number> => byColour(ok(['elbv2', 'describe-rules', '--rule-arns', rule]).Rules[0]);
  // While a test drives traffic, the CLI runs without blocking the event loop that carries it.
  const okAsync = (args: string[]): Promise<any> => berth.awsJsonAsync(args);
  const weightsAsync = async (rule: string): Promise<Record<string, number>> => byColour((await okAsync(['elbv2', 'describe-rules', '--rule-arns', rule])).Rules[0]);

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER, ['--memory', '2048']).start();
    // Each revision answers its version: v1 is blue, v2 green.
    for (const v of ['v1', 'v2']) {
      await ecs.send(new RegisterTaskDefinitionCommand({
        family: 'versioned', containerDefinitions: [{
          name: 'web', image: TEST_IMAGE, memory: 32, stopTimeout: 1, portMappings: [{ containerPort: 8080, hostPort: 0 }],
          command: ['sh', '-c', `mkdir -p /tmp/www && echo ${v} > /tmp/www/index.html && httpd -f -p 8080 -h /tmp/www`],
        }],
      }));
    }
  });
  after(async () => {
    await agent?.kill('SIGTERM');
    await berth?.stop();
  });

  it('creates a BLUE_GREEN service on two target groups, a production rule and a test rule', async () => {
    const subnets = ok(['ec2', 'describe-subnets']).Subnets;
    const lb = ok(['elbv2', 'create-load-balancer', '--name', 'bg-alb', '--type', 'application', '--subnets', ...subnets.slice(0, 2).map((s: any) => s.SubnetId)]).LoadBalancers[0];
    const tg = (name: string): string => {
      const arn = ok(['elbv2', 'create-target-group', '--name', name, '--protocol', 'HTTP', '--port', '80', '--target-type', 'instance', '--vpc-id', subnets[0].VpcId,
        '--health-check-path', '/', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2']).TargetGroups[0].TargetGroupArn;
      ok(['elbv2', 'modify-target-group-attributes', '--target-group-arn', arn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=2']);
      return arn;
    };
    blueTg = tg('blue-tg');
    greenTg = tg('green-tg');
    port = await freePort();
    const listener = ok(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(port),
      '--default-actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=404}']).Listeners[0];
    prodRule = ok(['elbv2', 'create-rule', '--listener-arn', listener.ListenerArn, '--priority', '10',
      '--conditions', 'Field=path-pattern,Values=/*', '--actions', forward(100, 0)]).Rules[0].RuleArn;
    testRule = ok(['elbv2', 'create-rule', '--listener-arn', listener.ListenerArn, '--priority', '5',
      '--conditions', 'Field=http-header,HttpHeaderConfig={HttpHeaderName=X-Test,Values=[1]}', '--actions', forward(100, 0)]).Rules[0].RuleArn;

    const loadBalancers = (alt: Record<string, string>): string => JSON.stringify([{
      targetGroupArn: blueTg, containerName: 'web', containerPort: 8080,
      advancedConfiguration: { alternateTargetGroupArn: greenTg, productionListenerRule: prodRule, testListenerRule: testRule, roleArn: 'arn:aws:iam::000000000000:role/ecsInfrastructureRole', ...alt },
    }]);
    const create = (lbs: string): ReturnType<BerthProcess['aws']> => berth.aws(['ecs', 'create-service', '--cluster', CLUSTER, '--service-name', 'web', '--task-definition', 'versioned:1',
      '--desired-count', '2', '--launch-type', 'EC2', '--health-check-grace-period-seconds', '0',
      '--deployment-configuration', JSON.stringify({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }), '--load-balancers', lbs]);
    const bad = create(loadBalancers({ alternateTargetGroupArn: blueTg }));
    assert.match(bad.stderr, /InvalidParameterException.*alternateTargetGroupArn must differ/);
    assert.equal(create(loadBalancers({})).status, 0);
    ok(['ecs', 'wait', 'services-stable', '--cluster', CLUSTER, '--services', 'web']);
    const s = await until((x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED');
    assert.equal(s.deploymentConfiguration?.strategy, 'BLUE_GREEN');
    assert.equal(s.loadBalancers?.[0]?.advancedConfiguration?.alternateTargetGroupArn, greenTg);
    assert.deepEqual(weights(prodRule), { blue: 100, green: 0 });
    for (let i = 0; i < 4; i++) assert.deepEqual(await get(port), { status: 200, body: 'v1' });
  });

  it('deploys green beside blue, holds at a PAUSE hook with test traffic on green, then shifts production with no failed request', async () => {
    const failures: string[] = [];
    const seen = new Set<string>();
    let sent = 0;
    let stop = false;
    const t0 = Date.now();
    // Production traffic throughout, one request at a time, bounded to three minutes.
    const load = (async () => {
      const end = Date.now() + 180_000;
      while (!stop && Date.now() < end) {
        const at = Date.now() - t0;
        const r = await get(port);
        sent++;
        if (r.status !== 200) failures.push(`${at} ms: ${r.status} ${r.body.slice(0, 80)}`);
        else seen.add(r.body);
      }
    })();

    const updated = (await okAsync(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'web', '--task-definition', 'versioned:2',
      '--deployment-configuration', JSON.stringify({
        strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } }],
      })])).service;
    const green = updated.deployments[0].id as string;
    const sdArn = (await okAsync(['ecs', 'list-service-deployments', '--cluster', CLUSTER, '--service', 'web'])).serviceDeployments
      .find((d: any) => d.targetServiceRevisionArn.endsWith(green.split('/')[1]))!.serviceDeploymentArn as string;
    const describe = async (): Promise<any> => (await okAsync(['ecs', 'describe-service-deployments', '--service-deployment-arns', sdArn])).serviceDeployments[0];

    // Held at the hook: test traffic on green, production still on blue, both running in full.
    let d = await describe();
    const end = Date.now() + 120_000;
    while (d.lifecycleStage !== 'POST_TEST_TRAFFIC_SHIFT' && Date.now() < end) { await sleep(500); d = await describe(); }
    assert.equal(d.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT', JSON.stringify(d));
    assert.equal(d.status, 'IN_PROGRESS');
    const hook = d.lifecycleHookDetails[0];
    assert.equal(hook.status, 'AWAITING_ACTION');
    assert.equal(hook.targetType, 'PAUSE');
    assert.deepEqual([d.targetServiceRevision.requestedTestTrafficWeight, d.targetServiceRevision.requestedProductionTrafficWeight], [100, 0]);
    assert.deepEqual([d.sourceServiceRevisions[0].requestedTestTrafficWeight, d.sourceServiceRevisions[0].requestedProductionTrafficWeight], [0, 100]);
    assert.deepEqual(await weightsAsync(testRule), { blue: 0, green: 100 });
    assert.deepEqual(await weightsAsync(prodRule), { blue: 100, green: 0 });
    for (let i = 0; i < 3; i++) assert.deepEqual(await get(port, { 'X-Test': '1' }), { status: 200, body: 'v2' });
    for (let i = 0; i < 3; i++) assert.deepEqual(await get(port), { status: 200, body: 'v1' });
    const mid = await until(() => true);
    assert.equal(mid.runningCount, 4, 'green runs in full beside blue');
    assert.ok(seen.has('v1') && !seen.has('v2'), 'production saw only blue so far');

    const wrongHook = await berth.awsAsync(['ecs', 'continue-service-deployment', '--service-deployment-arn', sdArn, '--hook-id', 'nope']);
    assert.match(wrongHook.stderr, /InvalidParameterException/);
    await okAsync(['ecs', 'continue-service-deployment', '--service-deployment-arn', sdArn, '--hook-id', hook.hookId, '--action', 'CONTINUE']);

    const s = await until((x) => x.deployments!.length === 1 && x.deployments![0]!.id === green && x.deployments![0]!.rolloutState === 'COMPLETED', 120_000);
    // Let the load see green for a moment, then stop it.
    await sleep(1000);
    stop = true;
    await load;
    assert.equal(s.runningCount, 2);
    assert.deepEqual(await weightsAsync(prodRule), { blue: 0, green: 100 });
    for (let i = 0; i < 4; i++) assert.deepEqual(await get(port), { status: 200, body: 'v2' });
    const timeline = s.events!.slice().reverse().map((e) => `${e.createdAt!.getTime() - t0} ms: ${e.message}`);
    assert.deepEqual(failures, [], `no request failed of ${sent}; events:\n${timeline.join('\n')}`);
    assert.ok(seen.has('v2'));
    const done = await describe();
    assert.equal(done.status, 'SUCCESSFUL');
    assert.equal(done.lifecycleStage, 'CLEAN_UP');
    assert.equal(done.lifecycleHookDetails[0].status, 'SUCCEEDED');
    // Blue's tasks left the blue target group.
    const blueTargets = ok(['elbv2', 'describe-target-health', '--target-group-arn', blueTg]).TargetHealthDescriptions;
    assert.equal(blueTargets.length, 0, JSON.stringify(blueTargets));
  });

  it('a LINEAR deployment shifts production traffic in steps: half of the requests reach each revision between them', async () => {
    // v2 is production now; deploy v1 in two 50 % steps, paused before each.
    const updated = ok(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'web', '--task-definition', 'versioned:1',
      '--deployment-configuration', JSON.stringify({
        strategy: 'LINEAR', bakeTimeInMinutes: 0, linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 0 },
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
      })]).service;
    const green = updated.deployments[0].id as string;
    const sdArn = ok(['ecs', 'list-service-deployments', '--cluster', CLUSTER, '--service', 'web']).serviceDeployments
      .find((x: any) => x.targetServiceRevisionArn.endsWith(green.split('/')[1]))!.serviceDeploymentArn as string;
    const awaiting = async (n: number): Promise<any> => {
      const end = Date.now() + 120_000;
      for (;;) {
        const d = ok(['ecs', 'describe-service-deployments', '--service-deployment-arns', sdArn]).serviceDeployments[0];
        const hooks = (d.lifecycleHookDetails ?? []).filter((h: any) => h.status === 'AWAITING_ACTION');
        if (hooks.length && (d.lifecycleHookDetails.length === n)) return { d, hook: hooks[0] };
        assert.ok(Date.now() < end, `timed out waiting for pause ${n}: ${JSON.stringify(d)}`);
        await sleep(500);
      }
    };
    const first = await awaiting(1);
    assert.equal(first.d.lifecycleStage, 'POST_TEST_TRAFFIC_SHIFT');
    assert.deepEqual(weights(prodRule), { blue: 0, green: 100 }, 'v2 (in the alternate group) still has all production traffic');
    ok(['ecs', 'continue-service-deployment', '--service-deployment-arn', sdArn, '--hook-id', first.hook.hookId]);

    const second = await awaiting(2);
    assert.equal(second.d.lifecycleStage, 'PRODUCTION_TRAFFIC_SHIFT');
    assert.deepEqual(second.d.targetServiceRevision.requestedProductionTrafficWeight, 50);
    assert.deepEqual(weights(prodRule), { blue: 500, green: 500 });
    const bodies: Record<string, number> = {};
    for (let i = 0; i < 40; i++) { const r = await get(port); assert.equal(r.status, 200); bodies[r.body] = (bodies[r.body] ?? 0) + 1; }
    assert.ok((bodies.v1 ?? 0) >= 8 && (bodies.v2 ?? 0) >= 8, `both revisions serve production between steps: ${JSON.stringify(bodies)}`);
    ok(['ecs', 'continue-service-deployment', '--service-deployment-arn', sdArn, '--hook-id', second.hook.hookId]);

    await until((x) => x.deployments!.length === 1 && x.deployments![0]!.id === green && x.deployments![0]!.rolloutState === 'COMPLETED', 120_000);
    assert.deepEqual(weights(prodRule), { blue: 100, green: 0 });
    for (let i = 0; i < 3; i++) assert.deepEqual(await get(port), { status: 200, body: 'v1' });
    // Back to BLUE_GREEN for what follows.
    ok(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'web', '--deployment-configuration', JSON.stringify({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 })]);
  });

  it('a SIGKILL of the server in the middle of a blue/green deployment: it resumes where it was, nothing started twice', async () => {
    const updated = ok(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'web', '--task-definition', 'versioned:2',
      '--deployment-configuration', JSON.stringify({
        strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
      })]).service;
    const green = updated.deployments[0].id as string;
    const sdArn = ok(['ecs', 'list-service-deployments', '--cluster', CLUSTER, '--service', 'web']).serviceDeployments
      .find((d: any) => d.targetServiceRevisionArn.endsWith(green.split('/')[1]))!.serviceDeploymentArn as string;
    const describe = (): any => ok(['ecs', 'describe-service-deployments', '--service-deployment-arns', sdArn]).serviceDeployments[0];
    let d = describe();
    const end = Date.now() + 120_000;
    while (d.lifecycleStage !== 'POST_SCALE_UP' && Date.now() < end) { await sleep(500); d = describe(); }
    assert.equal(d.lifecycleStage, 'POST_SCALE_UP');
    const taskArns = async (): Promise<string[]> => (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }))).taskArns!.slice().sort();
    const before = await taskArns();
    assert.equal(before.length, 4, 'green in full beside blue');

    await berth.kill('SIGKILL');
    await berth.start(true);
    ecs = berth.ecs();
    // Held at the same stage by the same hook; no task added or lost; production still on blue (v1).
    d = describe();
    assert.equal(d.lifecycleStage, 'POST_SCALE_UP');
    assert.equal(d.lifecycleHookDetails[0].status, 'AWAITING_ACTION');
    await sleep(3000);
    assert.deepEqual(await taskArns(), before);
    for (let i = 0; i < 3; i++) assert.deepEqual(await get(port), { status: 200, body: 'v1' });

    ok(['ecs', 'continue-service-deployment', '--service-deployment-arn', sdArn, '--hook-id', d.lifecycleHookDetails[0].hookId]);
    await until((x) => x.deployments!.length === 1 && x.deployments![0]!.id === green && x.deployments![0]!.rolloutState === 'COMPLETED', 120_000);
    for (let i = 0; i < 3; i++) assert.deepEqual(await get(port), { status: 200, body: 'v2' });
    const after = await taskArns();
    assert.equal(after.length, 2);
    assert.ok(after.every((t) => before.includes(t)), 'the green tasks that finished the deployment are the ones started before the restart');
  });
});
