import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { AgentProcess, startBerth, type BerthProcess } from '../support/berth.js';
import { execFileSync } from 'node:child_process';
import { freePort, httpGet } from '../support/net.js';
import { stopped, waitForService, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'alb';

const get = httpGet;

/**
 * A service behind an ALB on a real agent: the ECS guide's `aws elbv2` + `aws ecs create-service
 * --load-balancers` flow, targets registered as tasks run and healthy only when the target group
 * says so, round robin, and a forced deployment under continuous load without a failed request.
 */
describe('a service behind an application load balancer (real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;
  let listenerPort = 0;
  let tgArn = '';

  const ok = (args: string[]): any => berth.awsJson(args);

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER, ['--memory', '2048']).start();
    // Each task answers its own container id, so the test can tell targets apart.
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'whoami', containerDefinitions: [{
        name: 'web', image: TEST_IMAGE, memory: 32, stopTimeout: 1, portMappings: [{ containerPort: 8080, hostPort: 0 }],
        command: ['sh', '-c', 'mkdir -p /tmp/www && hostname > /tmp/www/index.html && httpd -f -p 8080 -h /tmp/www'],
      }],
    }));
  });
  after(async () => {
    await agent?.kill('SIGTERM');
    await berth?.stop();
  });

  const until = (ok: (s: Service) => boolean, timeoutMs = 90_000): Promise<Service> => waitForService(ecs, CLUSTER, 'web', ok, timeoutMs);

  function healthyTargets(): string[] {
    const h = ok(['elbv2', 'describe-target-health', '--target-group-arn', tgArn]);
    return h.TargetHealthDescriptions.filter((d: any) => d.TargetHealth.State === 'healthy').map((d: any) => `${d.Target.Id}:${d.Target.Port}`);
  }

  it('the aws CLI flow: load balancer, target group, listener, create-service --load-balancers; traffic reaches every task, round robin', async () => {
    const subnets = ok(['ec2', 'describe-subnets']).Subnets;
    const lb = ok(['elbv2', 'create-load-balancer', '--name', 'web-alb', '--type', 'application', '--subnets', ...subnets.slice(0, 2).map((s: any) => s.SubnetId)]).LoadBalancers[0];
    const tg = ok(['elbv2', 'create-target-group', '--name', 'web-tg', '--protocol', 'HTTP', '--port', '80', '--target-type', 'instance', '--vpc-id', subnets[0].VpcId,
      '--health-check-path', '/', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2']).TargetGroups[0];
    tgArn = tg.TargetGroupArn;
    ok(['elbv2', 'modify-target-group-attributes', '--target-group-arn', tgArn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=2']);
    listenerPort = await freePort();
    ok(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(listenerPort),
      '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`]);

    const wrongPort = berth.aws(['ecs', 'create-service', '--cluster', CLUSTER, '--service-name', 'web', '--task-definition', 'whoami', '--desired-count', '2',
      '--launch-type', 'EC2', '--load-balancers', `targetGroupArn=${tgArn},containerName=web,containerPort=80`]);
    assert.match(wrongPort.stderr, /The container web did not have a container port 80 defined/);
    ok(['ecs', 'create-service', '--cluster', CLUSTER, '--service-name', 'web', '--task-definition', 'whoami', '--desired-count', '2', '--launch-type', 'EC2',
      '--health-check-grace-period-seconds', '0', '--load-balancers', `targetGroupArn=${tgArn},containerName=web,containerPort=8080`]);
    ok(['ecs', 'wait', 'services-stable', '--cluster', CLUSTER, '--services', 'web']);
    const end = Date.now() + 60_000;
    while (healthyTargets().length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
    assert.equal(healthyTargets().length, 2);
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push((await get(listenerPort)).body);
    const counts = Object.values(bodies.reduce<Record<string, number>>((m, b) => ({ ...m, [b]: (m[b] ?? 0) + 1 }), {}));
    assert.deepEqual(counts, [3, 3], `round robin over both tasks: ${bodies.join(', ')}`);
    // The deployment completes only once the target group calls the tasks healthy.
    const s = await until((x) => x.deployments![0]!.rolloutState === 'COMPLETED');
    assert.equal(s.runningCount, 2);
  });

  it('a task its target group calls unhealthy is taken out of rotation and replaced', async () => {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }))).taskArns!;
    const victim = arns[0]!;
    const id = execFileSync('docker', ['ps', '-q', '--filter', `label=com.amazonaws.ecs.task-arn=${victim}`], { encoding: 'utf8' }).trim();
    execFileSync('docker', ['exec', id, 'rm', '/tmp/www/index.html']); // its httpd now answers 404
    const t = await waitForTask(ecs, CLUSTER, victim, stopped, 90_000).catch(async (err: Error) => {
      const s = await waitForService(ecs, CLUSTER, 'web', () => true);
      throw new Error(`${err.message.slice(0, 300)}\ntarget health: ${JSON.stringify(berth.aws(['elbv2', 'describe-target-health', '--target-group-arn', tgArn]).json)}\nevents: ${JSON.stringify(s.events!.slice(0, 6).map((e) => e.message))}\ndeployments: ${JSON.stringify(s.deployments)}`);
    });
    assert.equal(t.stopCode, 'ServiceSchedulerInitiated');
    assert.equal(t.stoppedReason, `Task failed ELB health checks in (target-group ${tgArn})`);
    await until((x) => x.runningCount === 2 && x.deployments!.length === 1);
    const end = Date.now() + 60_000;
    while (healthyTargets().length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 500));
    assert.equal(healthyTargets().length, 2);
    for (let i = 0; i < 6; i++) assert.equal((await get(listenerPort)).status, 200);
  });

  it('a forced deployment under continuous load: targets change over, no request fails', async () => {
    const before = new Set(healthyTargets());
    let sent = 0;
    const failures: string[] = [];
    let stop = false;
    // One request at a time, bounded: at most ~2 minutes.
    const load = (async () => {
      const end = Date.now() + 120_000;
      while (!stop && Date.now() < end) {
        const r = await get(listenerPort);
        sent++;
        if (r.status !== 200) failures.push(`${r.status} ${r.body.slice(0, 80)}`);
      }
    })();
    const first = (await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', forceNewDeployment: true }))).service!.deployments![0]!.id;
    const s = await until((x) => x.deployments!.length === 1 && x.deployments![0]!.id === first && x.deployments![0]!.rolloutState === 'COMPLETED', 120_000);
    stop = true;
    await load;
    assert.equal(s.runningCount, 2);
    const after = healthyTargets();
    assert.equal(after.length, 2);
    assert.ok(after.every((t) => !before.has(t)), 'the new tasks are the targets now');
    assert.ok(sent > 20, `requests sent throughout (${sent})`);
    assert.deepEqual(failures, []);
  });
});
