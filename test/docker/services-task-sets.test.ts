import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  CreateClusterCommand, CreateServiceCommand, CreateTaskSetCommand, DeleteServiceCommand, DeleteTaskSetCommand, DescribeTaskSetsCommand,
  DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServicePrimaryTaskSetCommand, UpdateTaskSetCommand,
  type ECSClient, type TaskSet,
} from '@aws-sdk/client-ecs';
import { AgentProcess, startBerth, type BerthProcess } from '../support/berth.js';
import { stopped, waitForService, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'tsets';
const SERVICE = 'bluegreen';

/** An EXTERNAL service on one real agent: a blue/green switch driven through task sets. */
describe('task sets of an EXTERNAL service (real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER, ['--memory', '1024']).start();
    // Healthy once httpd answers, so a set reaches STEADY_STATE without the 40 s settle.
    for (const family of ['blue', 'green']) {
      await ecs.send(new RegisterTaskDefinitionCommand({
        family, containerDefinitions: [{
          name: 'web', image: TEST_IMAGE, memory: 32, command: ['sh', '-c', 'httpd -f -p 8080 -h /www'], stopTimeout: 1,
          healthCheck: { command: ['CMD-SHELL', 'wget -q -O - http://127.0.0.1:8080/ >/dev/null'], interval: 5, timeout: 2, retries: 2, startPeriod: 0 },
        }],
      }));
    }
  });
  after(async () => {
    await agent?.kill('SIGTERM');
    await berth?.stop();
  });

  const describeSet = async (id: string): Promise<TaskSet | undefined> =>
    (await ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: SERVICE, taskSets: [id] }))).taskSets?.[0];

  async function untilSet(id: string, ok: (t: TaskSet) => boolean, timeoutMs = 90_000): Promise<TaskSet> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const t = await describeSet(id);
      if (t && ok(t)) return t;
      if (Date.now() > end) throw new Error(`task set ${id} did not get there; last seen ${JSON.stringify(t)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const runningOf = async (setId: string): Promise<string[]> => {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'RUNNING' }))).taskArns ?? [];
    if (!arns.length) return [];
    const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
    return tasks.filter((t) => t.startedBy === setId).map((t) => t.taskArn!);
  };

  it('runs a set\'s tasks, switches the primary set, scales the old set to 0 and deletes it', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredCount: 2, deploymentController: { type: 'EXTERNAL' } }));
    const blue = (await ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: 'blue', launchType: 'EC2', scale: { value: 100, unit: 'PERCENT' } }))).taskSet!;
    assert.equal(blue.computedDesiredCount, 2);
    let b = await untilSet(blue.id!, (t) => t.stabilityStatus === 'STEADY_STATE');
    assert.deepEqual([b.runningCount, b.pendingCount, b.status], [2, 0, 'ACTIVE']);
    const blueTasks = await runningOf(blue.id!);
    assert.equal(blueTasks.length, 2);
    const described = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: blueTasks }))).tasks!;
    assert.ok(described.every((t) => t.group === `service:${SERVICE}` && t.taskDefinitionArn!.endsWith('task-definition/blue:1') && t.healthStatus === 'HEALTHY'));
    await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: CLUSTER, service: SERVICE, primaryTaskSet: blue.id }));

    const green = (await ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: 'green', launchType: 'EC2', scale: { value: 100, unit: 'PERCENT' } }))).taskSet!;
    const g = await untilSet(green.id!, (t) => t.stabilityStatus === 'STEADY_STATE');
    assert.deepEqual([g.runningCount, g.computedDesiredCount], [2, 2]);
    let s = await waitForService(ecs, CLUSTER, SERVICE, (x) => x.runningCount === 4);
    assert.equal(s.deployments, undefined);

    const primary = (await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: CLUSTER, service: SERVICE, primaryTaskSet: green.taskSetArn }))).taskSet!;
    assert.equal(primary.status, 'PRIMARY');
    assert.equal((await describeSet(blue.id!))!.status, 'ACTIVE');

    // The old set scaled to 0: its tasks stop, its counts follow.
    await ecs.send(new UpdateTaskSetCommand({ cluster: CLUSTER, service: SERVICE, taskSet: blue.id, scale: { value: 0, unit: 'PERCENT' } }));
    b = await untilSet(blue.id!, (t) => t.runningCount === 0 && t.stabilityStatus === 'STEADY_STATE');
    assert.equal(b.computedDesiredCount, 0);
    for (const arn of blueTasks) {
      const t = await waitForTask(ecs, CLUSTER, arn, stopped);
      assert.equal(t.stopCode, 'ServiceSchedulerInitiated');
      assert.equal(t.stoppedReason, `Scaling activity initiated by (deployment ${blue.id})`);
    }
    const deleted = (await ecs.send(new DeleteTaskSetCommand({ cluster: CLUSTER, service: SERVICE, taskSet: blue.id }))).taskSet!;
    assert.equal(deleted.status, 'DRAINING');
    await waitForService(ecs, CLUSTER, SERVICE, (x) => x.taskSets!.length === 1);

    s = await waitForService(ecs, CLUSTER, SERVICE, (x) => x.runningCount === 2 && x.taskSets![0]!.stabilityStatus === 'STEADY_STATE');
    assert.equal(s.taskSets![0]!.id, green.id);
    assert.match(s.taskDefinition!, /task-definition\/green:1$/);
    assert.ok(s.events!.some((e) => e.message!.startsWith(`(service bluegreen, taskSet ${green.id}) has started 2 tasks: (task `)));
    assert.ok(s.events!.some((e) => /^\(service bluegreen\) has stopped 2 running tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(e.message!)));
    assert.ok(s.events!.some((e) => e.message === '(service bluegreen) has reached a steady state.'));
    // Docker runs exactly the green set's tasks.
    const label = `label=com.amazonaws.ecs.cluster=arn:aws:ecs:us-east-1:${berth.creds.accountId}:cluster/${CLUSTER}`;
    const ids = execFileSync('docker', ['ps', '-q', '--filter', label, '--filter', 'label=com.amazonaws.ecs.container-name=web'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    const byTask = execFileSync('docker', ['inspect', '--format', '{{index .Config.Labels "com.amazonaws.ecs.task-arn"}}', ...ids], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual([...byTask].sort(), [...(await runningOf(green.id!))].sort());

    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true }));
    s = await waitForService(ecs, CLUSTER, SERVICE, (x) => x.status === 'INACTIVE', 60_000);
    assert.deepEqual(s.taskSets, []);
  });
});
