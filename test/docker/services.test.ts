import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand,
  DeleteServiceCommand, DescribeTasksCommand, UpdateContainerInstancesStateCommand, type ECSClient, type Service,
} from '@aws-sdk/client-ecs';
import { AgentProcess, startBerth, type BerthProcess } from '../support/berth.js';
import { stopped, waitForService, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'svc';

/** Services on one real agent: the aws CLI flow, scaling, replacement, rolling deployments, the circuit breaker. */
describe('services (real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER, ['--memory', '2048']).start();
    // Healthy once httpd answers; Docker checks every 5 s (ECS's minimum interval).
    for (const [family, command] of [['web', 'httpd -f -p 8080 -h /www'], ['web-v2', 'httpd -f -p 8080 -h /www']] as const) {
      await ecs.send(new RegisterTaskDefinitionCommand({
        family, containerDefinitions: [{
          name: 'web', image: TEST_IMAGE, memory: 32, command: ['sh', '-c', command], stopTimeout: 1,
          healthCheck: { command: ['CMD-SHELL', 'wget -q -O - http://127.0.0.1:8080/ >/dev/null'], interval: 5, timeout: 2, retries: 2, startPeriod: 0 },
        }],
      }));
    }
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'broken', containerDefinitions: [{ name: 'web', image: 'berth-test/no-such-image:1', memory: 32 }] }));
  });
  after(async () => {
    await agent?.kill('SIGTERM');
    await berth?.stop();
  });

  async function describe1(name: string): Promise<Service> {
    return (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))).services![0]!;
  }

  const until = (name: string, ok: (s: Service) => boolean, timeoutMs = 60_000): Promise<Service> => waitForService(ecs, CLUSTER, name, ok, timeoutMs);

  const running = async (name: string): Promise<string[]> =>
    (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: name, desiredStatus: 'RUNNING' }))).taskArns ?? [];

  it('aws ecs create-service, wait services-stable, scale up and down, delete-service --force (aws CLI)', async () => {
    const created = berth.aws(['ecs', 'create-service', '--cluster', CLUSTER, '--service-name', 'cli', '--task-definition', 'web', '--desired-count', '2', '--launch-type', 'EC2']);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.json.service.status, 'ACTIVE');
    assert.match(created.json.service.deployments[0].id, /^ecs-svc\/\d{19}$/);
    const waited = berth.aws(['ecs', 'wait', 'services-stable', '--cluster', CLUSTER, '--services', 'cli']);
    assert.equal(waited.status, 0, waited.stderr);
    let s = await describe1('cli');
    assert.equal(s.runningCount, 2);
    assert.match(s.events!.at(-1)!.message!, /^\(service cli\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: await running('cli') }))).tasks!;
    assert.ok(tasks.every((t) => t.group === 'service:cli' && t.startedBy === s.deployments![0]!.id));

    assert.equal(berth.aws(['ecs', 'update-service', '--cluster', CLUSTER, '--service', 'cli', '--desired-count', '3']).status, 0);
    assert.equal(berth.aws(['ecs', 'wait', 'services-stable', '--cluster', CLUSTER, '--services', 'cli']).status, 0);
    assert.equal((await running('cli')).length, 3);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'cli', desiredCount: 1 }));
    s = await until('cli', (x) => x.runningCount === 1 && x.pendingCount === 0);
    assert.ok(s.events!.some((e) => /^\(service cli\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(e.message!)));

    const refused = berth.aws(['ecs', 'delete-service', '--cluster', CLUSTER, '--service', 'cli']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /InvalidParameterException.*The service cannot be stopped while it is scaled above 0/);
    const deleted = berth.aws(['ecs', 'delete-service', '--cluster', CLUSTER, '--service', 'cli', '--force']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.json.service.status, 'DRAINING');
    assert.equal(berth.aws(['ecs', 'wait', 'services-inactive', '--cluster', CLUSTER, '--services', 'cli']).status, 0);
    assert.deepEqual(await running('cli'), []);
    const listed = berth.aws(['ecs', 'list-services', '--cluster', CLUSTER]);
    assert.ok(!listed.json.serviceArns.some((a: string) => a.endsWith('/cli')));
  });

  it('replaces a task whose container was killed', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'heal', taskDefinition: 'web', desiredCount: 1, launchType: 'EC2' }));
    await until('heal', (x) => x.runningCount === 1);
    const [first] = await running('heal');
    const id = execFileSync('docker', ['ps', '-q', '--filter', `label=com.amazonaws.ecs.task-arn=${first}`], { encoding: 'utf8' }).trim();
    execFileSync('docker', ['kill', id]);
    const s = await until('heal', (x) => x.runningCount === 1 && x.events!.filter((e) => /has started 1 tasks/.test(e.message!)).length >= 2);
    const now = await running('heal');
    assert.equal(now.length, 1);
    assert.notEqual(now[0], first);
    assert.equal(s.deployments!.length, 1);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'heal', desiredCount: 0 }));
  });

  it('replaces a task that turns UNHEALTHY, with ECS\'s event and stop reason', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'flaky', containerDefinitions: [{
        name: 'web', image: TEST_IMAGE, memory: 32, stopTimeout: 1, command: ['sh', '-c', 'touch /tmp/ok; while true; do sleep 1; done'],
        healthCheck: { command: ['CMD-SHELL', 'test -f /tmp/ok'], interval: 5, timeout: 2, retries: 1, startPeriod: 0 },
      }],
    }));
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'sick', taskDefinition: 'flaky', desiredCount: 1, launchType: 'EC2' }));
    await until('sick', (x) => x.deployments![0]!.rolloutState === 'COMPLETED', 90_000);
    const [first] = await running('sick');
    const id = execFileSync('docker', ['ps', '-q', '--filter', `label=com.amazonaws.ecs.task-arn=${first}`], { encoding: 'utf8' }).trim();
    execFileSync('docker', ['exec', id, 'rm', '/tmp/ok']);
    const s = await until('sick', (x) => x.events!.some((e) => e.message === `(service sick) (task ${first!.split('/').pop()}) failed container health checks.`), 90_000);
    assert.ok(s.events!.some((e) => /^\(service sick\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/.test(e.message!)));
    const old = await waitForTask(ecs, CLUSTER, first!, stopped);
    assert.equal(old.stopCode, 'ServiceSchedulerInitiated');
    assert.equal(old.stoppedReason, 'Task failed container health checks');
    await until('sick', (x) => x.runningCount === 1 && x.deployments!.length === 1);
    assert.notEqual((await running('sick'))[0], first);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'sick', desiredCount: 0 }));
  });

  it('a forced rolling deployment never drops below minimumHealthyPercent, then completes', async () => {
    await ecs.send(new CreateServiceCommand({
      cluster: CLUSTER, serviceName: 'roll', taskDefinition: 'web', desiredCount: 2, launchType: 'EC2',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    }));
    const first = await until('roll', (x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED', 90_000);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'roll', taskDefinition: 'web-v2', forceNewDeployment: true }));
    // Sampled throughout: healthy RUNNING tasks never fewer than 2 (100% of 2).
    let lowest = Infinity;
    let maxTotal = 0;
    const end = Date.now() + 120_000;
    let last: Service | undefined;
    while (Date.now() < end) {
      const arns = await running('roll');
      const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks! : [];
      const healthy = tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY').length;
      lowest = Math.min(lowest, healthy);
      maxTotal = Math.max(maxTotal, tasks.length);
      last = await describe1('roll');
      if (last.deployments!.length === 1 && last.deployments![0]!.rolloutState === 'COMPLETED' && last.deployments![0]!.id !== first.deployments![0]!.id) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(last!.deployments![0]!.rolloutState, 'COMPLETED', JSON.stringify(last!.events!.slice(0, 5)));
    assert.match(last!.taskDefinition!, /task-definition\/web-v2:1$/);
    assert.ok(lowest >= 2, `healthy tasks fell to ${lowest}`);
    assert.ok(maxTotal <= 4, `tasks rose to ${maxTotal} (maximumPercent 200 of 2)`);
    assert.ok(last!.events!.some((e) => /^\(service roll\) \(deployment ecs-svc\/\d+\) deployment completed\.$/.test(e.message!)));
    assert.ok(last!.events!.some((e) => e.message === '(service roll) has reached a steady state.'));
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'roll', desiredCount: 0 }));
  });

  it('a SIGKILL of the server in the middle of a deployment: it resumes; no task is lost, orphaned or started twice', async () => {
    await ecs.send(new CreateServiceCommand({
      cluster: CLUSTER, serviceName: 'crash', taskDefinition: 'web', desiredCount: 3, launchType: 'EC2',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    }));
    await until('crash', (x) => x.deployments!.length === 1 && x.runningCount === 3, 90_000);
    // A steady service: the restart replaces nothing (its agent is away for a moment, its tasks ran on).
    const steady = [...(await running('crash'))].sort();
    await berth.kill('SIGKILL');
    await berth.start(true);
    await new Promise((r) => setTimeout(r, 5000));
    assert.deepEqual([...(await running('crash'))].sort(), steady);
    assert.equal((await describe1('crash')).runningCount, 3);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'crash', taskDefinition: 'web-v2' }));
    await until('crash', (x) => x.deployments!.length === 2 && x.deployments![0]!.runningCount! + x.deployments![0]!.pendingCount! > 0);
    await berth.kill('SIGKILL');
    await berth.start(true);
    const s = await until('crash', (x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED' && x.runningCount === 3, 120_000);
    assert.match(s.taskDefinition!, /web-v2:1$/);
    const arns = await running('crash');
    assert.equal(arns.length, 3);
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks!;
    assert.ok(tasks.every((t) => t.taskDefinitionArn!.endsWith('web-v2:1') && t.lastStatus === 'RUNNING'));
    // Docker runs exactly the service's RUNNING tasks, one container each: none orphaned, none twice.
    const label = `label=com.amazonaws.ecs.cluster=arn:aws:ecs:us-east-1:${berth.creds.accountId}:cluster/${CLUSTER}`;
    const ids = execFileSync('docker', ['ps', '-q', '--filter', label, '--filter', 'label=com.amazonaws.ecs.task-definition-family=web-v2'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    const byTask = execFileSync('docker', ['inspect', '--format', '{{index .Config.Labels "com.amazonaws.ecs.task-arn"}}', ...ids], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual([...byTask].sort(), [...arns].sort());
    // The old revision's tasks stopped and left no container behind.
    const old = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'crash', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    assert.ok(old.length >= 3, `the first revision's tasks were stopped (${old.length})`);
    for (const arn of old) {
      await waitForTask(ecs, CLUSTER, arn, stopped);
      assert.equal(execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.task-arn=${arn}`], { encoding: 'utf8' }).trim(), '');
    }
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'crash', desiredCount: 0 }));
  });

  it('replaces the tasks on a DRAINING instance elsewhere, within minimum healthy and maximum percent', async () => {
    const second = await new AgentProcess(berth, CLUSTER, ['--memory', '1024']).start();
    try {
      await ecs.send(new CreateServiceCommand({
        cluster: CLUSTER, serviceName: 'drain', taskDefinition: 'web', desiredCount: 2, launchType: 'EC2',
        placementStrategy: [{ type: 'spread', field: 'instanceId' }],
      }));
      await until('drain', (x) => x.runningCount === 2 && x.deployments![0]!.rolloutState === 'COMPLETED', 90_000);
      const where = async (): Promise<string[]> => ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: await running('drain') }))).tasks ?? []).map((t) => t.containerInstanceArn!).sort();
      assert.deepEqual(await where(), [agent.containerInstanceArn, second.containerInstanceArn].sort(), 'one task on each instance');
      await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [second.containerInstanceArn], status: 'DRAINING' }));
      // Healthy tasks never below 2 (100%) while the task moves: sampled until the move is done.
      let lowest = Infinity;
      const end = Date.now() + 90_000;
      for (;;) {
        const arns = await running('drain');
        const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks! : [];
        lowest = Math.min(lowest, tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY').length);
        if (tasks.length === 2 && tasks.every((t) => t.containerInstanceArn === agent.containerInstanceArn && t.lastStatus === 'RUNNING')) break;
        assert.ok(Date.now() < end, `tasks did not leave the draining instance: ${JSON.stringify(tasks.map((t) => [t.containerInstanceArn, t.lastStatus]))}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok(lowest >= 2, `healthy tasks fell to ${lowest}`);
      await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'drain', desiredCount: 0 }));
      await until('drain', (x) => x.runningCount === 0);
    } finally {
      await second.kill('SIGTERM');
    }
  });

  it('DAEMON places one task on each instance and follows instances as they join and drain', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'daemon', taskDefinition: 'web', launchType: 'EC2', schedulingStrategy: 'DAEMON' }));
    let s = await until('daemon', (x) => x.runningCount === 1 && x.desiredCount === 1);
    const second = await new AgentProcess(berth, CLUSTER, ['--memory', '1024']).start();
    try {
      s = await until('daemon', (x) => x.runningCount === 2 && x.desiredCount === 2);
      const where = async (): Promise<string[]> => ((await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: await running('daemon') }))).tasks ?? []).map((t) => t.containerInstanceArn!).sort();
      assert.deepEqual(await where(), [agent.containerInstanceArn, second.containerInstanceArn].sort());
      await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [second.containerInstanceArn], status: 'DRAINING' }));
      s = await until('daemon', (x) => x.runningCount === 1 && x.desiredCount === 1 && x.pendingCount === 0);
      assert.deepEqual(await where(), [agent.containerInstanceArn]);
      assert.equal(s.schedulingStrategy, 'DAEMON');
      await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'daemon' }));
      await until('daemon', (x) => x.status === 'INACTIVE');
    } finally {
      await second.kill('SIGTERM');
    }
  });

  it('a revision whose tasks cannot start trips the circuit breaker and rolls back', async () => {
    await ecs.send(new CreateServiceCommand({
      cluster: CLUSTER, serviceName: 'cb', taskDefinition: 'web', desiredCount: 1, launchType: 'EC2',
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
    }));
    const good = await until('cb', (x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED', 90_000);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'cb', taskDefinition: 'broken' }));
    const s = await until('cb', (x) => x.events!.some((e) => /rolling back to deployment/.test(e.message!)), 120_000);
    assert.ok(s.events!.some((e) => /^\(service cb\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/.test(e.message!)));
    const back = await until('cb', (x) => x.deployments!.length === 1 && x.deployments![0]!.rolloutState === 'COMPLETED', 90_000);
    assert.equal(back.taskDefinition, good.taskDefinition);
    assert.equal(back.runningCount, 1);
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'cb', desiredCount: 0 }));
  });
});
