import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, DescribeTasksCommand, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand,
  StopTaskCommand, UpdateContainerInstancesStateCommand, type ECSClient, type RunTaskCommandInput, type Task,
} from '@aws-sdk/client-ecs';
import { AgentProcess, awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { running, stopped, waitForService, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'placement';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/**
 * Placement on three real agents in three availability zones (512 MiB each; the first two tagged
 * stack=prod): strategies, constraints and draining as ECS documents them.
 */
describe('task placement across three agents in three availability zones (real Docker)', () => {
  let berth: BerthProcess;
  let ecs: ECSClient;
  const agents: AgentProcess[] = [];
  const zoneOf = new Map<string, string>();

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (const [i, zone] of ZONES.entries()) {
      const attrs = ['--attribute', `ecs.availability-zone=${zone}`, ...(i < 2 ? ['--attribute', 'stack=prod'] : [])];
      const a = await new AgentProcess(berth, CLUSTER, ['--memory', '512', ...attrs]).start();
      agents.push(a);
      zoneOf.set(a.containerInstanceArn, zone);
    }
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'small', containerDefinitions: [{ name: 'app', image: TEST_IMAGE, memory: 64, command: ['sleep', '600'], stopTimeout: 1 }],
    }));
  });
  after(async () => {
    for (const a of agents) await a.kill('SIGTERM');
    await berth?.stop();
  });

  async function runTasks(input: Partial<RunTaskCommandInput>): Promise<{ tasks: Task[]; failures: { arn?: string; reason?: string; detail?: string }[] }> {
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'small', launchType: 'EC2', ...input }));
    return { tasks: r.tasks ?? [], failures: r.failures ?? [] };
  }

  async function stopAll(): Promise<void> {
    const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER }))).taskArns ?? [];
    for (const task of arns) await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task }));
    for (const t of arns) await waitForTask(ecs, CLUSTER, t, stopped);
  }

  const count = (tasks: Task[], key: (t: Task) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const t of tasks) out[key(t)] = (out[key(t)] ?? 0) + 1;
    return out;
  };

  it('spread by availability zone puts two of six tasks in each zone, and they run', async () => {
    const { tasks, failures } = await runTasks({ count: 6, placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }] });
    assert.deepEqual(failures, []);
    assert.deepEqual(count(tasks, (t) => zoneOf.get(t.containerInstanceArn!)!), { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 });
    assert.deepEqual(count(tasks, (t) => t.availabilityZone!), { 'us-east-1a': 2, 'us-east-1b': 2, 'us-east-1c': 2 });
    for (const t of tasks) await waitForTask(ecs, CLUSTER, t.taskArn!, running);
    await stopAll();
  });

  it('binpack on memory fills the fullest instance first', async () => {
    const first = await runTasks({ count: 1, placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    const fullest = first.tasks[0]!.containerInstanceArn!;
    const more = await runTasks({ count: 4, placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    assert.deepEqual(more.failures, []);
    assert.deepEqual(count(more.tasks, (t) => t.containerInstanceArn!), { [fullest]: 4 }, 'every task on the instance with the least memory left');
    await stopAll();
  });

  it('memberOf keeps tasks on the instances the expression names, from RunTask and from the task definition', async () => {
    const prod = await runTasks({ count: 4, placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }] });
    assert.deepEqual(prod.failures, []);
    for (const t of prod.tasks) assert.ok(['us-east-1a', 'us-east-1b'].includes(zoneOf.get(t.containerInstanceArn!)!));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'zone-c', placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.availability-zone in [us-east-1c]' }],
      containerDefinitions: [{ name: 'app', image: TEST_IMAGE, memory: 64, command: ['sleep', '600'], stopTimeout: 1 }],
    }));
    const c = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'zone-c', launchType: 'EC2', count: 2 }));
    assert.deepEqual(count(c.tasks!, (t) => zoneOf.get(t.containerInstanceArn!)!), { 'us-east-1c': 2 });
    // Both constraints together: nothing can satisfy them.
    const none = await ecs.send(new RunTaskCommand({
      cluster: CLUSTER, taskDefinition: 'zone-c', launchType: 'EC2', placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }],
    }));
    assert.equal(none.tasks?.length, 0);
    assert.equal(none.failures?.[0]?.reason, 'MemberOf placement constraint unsatisfied.');
    const bad = await awsError(runTasks({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:stack ==' }] }));
    assert.equal(bad.name, 'InvalidParameterException');
    await stopAll();
  });

  it('distinctInstance places each task of a group on a different instance, and says why the fourth cannot go', async () => {
    const r = await runTasks({ count: 4, group: 'one-each', placementConstraints: [{ type: 'distinctInstance' }] });
    assert.equal(r.tasks.length, 3);
    assert.equal(new Set(r.tasks.map((t) => t.containerInstanceArn)).size, 3);
    assert.deepEqual(r.failures.map((f) => f.reason), ['DistinctInstance placement constraint unsatisfied.']);
    await stopAll();
  });

  it('a task too big for any instance fails with RESOURCE:MEMORY and the closest instance', async () => {
    const r = await runTasks({ overrides: { containerOverrides: [{ name: 'app', memory: 1024 }] } });
    assert.equal(r.tasks.length, 0);
    assert.equal(r.failures[0]?.reason, 'RESOURCE:MEMORY');
    assert.match(r.failures[0]!.detail!, /^3 instances; RESOURCE:MEMORY 3; closest [0-9a-f]{32} \(RESOURCE:MEMORY\)$/);
    assert.ok(zoneOf.has(r.failures[0]!.arn!), 'the failure names a container instance');
  });

  it('a DRAINING instance takes no new tasks while its standalone tasks keep running; ACTIVE again takes them', async () => {
    const drained = agents[0]!.containerInstanceArn;
    const kept = await runTasks({ count: 3, placementConstraints: [{ type: 'distinctInstance' }], group: 'before-drain' });
    const onDrained = kept.tasks.find((t) => t.containerInstanceArn === drained)!;
    await waitForTask(ecs, CLUSTER, onDrained.taskArn!, running);
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [drained], status: 'DRAINING' }));
    const during = await runTasks({ count: 6, placementStrategy: [{ type: 'spread', field: 'instanceId' }] });
    assert.equal(during.tasks.filter((t) => t.containerInstanceArn === drained).length, 0);
    const still = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [onDrained.taskArn!] }))).tasks![0]!;
    assert.equal(still.lastStatus, 'RUNNING', 'a standalone task keeps running on a draining instance');
    const listed = await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, status: 'DRAINING' }));
    assert.deepEqual(listed.containerInstanceArns, [drained]);
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [drained], status: 'ACTIVE' }));
    const after = await runTasks({ count: 1, placementConstraints: [{ type: 'memberOf', expression: `ec2InstanceId != i-none and attribute:ecs.availability-zone == ${zoneOf.get(drained)}` }] });
    assert.equal(after.tasks[0]?.containerInstanceArn, drained);
    await stopAll();
  });

  it('ListContainerInstances --filter takes the cluster query language (aws CLI)', async () => {
    const r = berth.aws(['ecs', 'list-container-instances', '--cluster', CLUSTER, '--filter', 'attribute:ecs.availability-zone == us-east-1b']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json.containerInstanceArns, [agents[1]!.containerInstanceArn]);
    const prod = berth.aws(['ecs', 'list-container-instances', '--cluster', CLUSTER, '--filter', 'attribute:stack exists and not (attribute:ecs.availability-zone =~ .*1b)']);
    assert.deepEqual(prod.json.containerInstanceArns, [agents[0]!.containerInstanceArn]);
    const bad = berth.aws(['ecs', 'list-container-instances', '--cluster', CLUSTER, '--filter', 'attribute:stack in [prod']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /InvalidParameterException/);
  });

  it('AZ rebalancing: a service crowded into two zones moves a task to the third once it is usable again', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'checked', containerDefinitions: [{
        name: 'app', image: TEST_IMAGE, memory: 64, command: ['sleep', '600'], stopTimeout: 1,
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 2 },
      }],
    }));
    const c = agents[2]!.containerInstanceArn;
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [c], status: 'DRAINING' }));
    const created = await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'zones', taskDefinition: 'checked', desiredCount: 3, launchType: 'EC2' }));
    assert.equal(created.service?.availabilityZoneRebalancing, 'ENABLED', 'ECS enables it by default for a service that suits it');
    const zonesOf = async (): Promise<Record<string, number>> => {
      const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'zones', desiredStatus: 'RUNNING' }))).taskArns ?? [];
      const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks! : [];
      return count(tasks.filter((t) => t.lastStatus === 'RUNNING'), (t) => t.availabilityZone!);
    };
    await waitForService(ecs, CLUSTER, 'zones', (s) => s.deployments?.[0]?.rolloutState === 'COMPLETED', 90_000);
    assert.deepEqual(Object.values(await zonesOf()).sort(), [1, 2]);

    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [c], status: 'ACTIVE' }));
    const done = await waitForService(ecs, CLUSTER, 'zones', (s) => s.events!.some((e) => e.message!.startsWith('service (zones) is AZ balanced')), 120_000);
    const messages = done.events!.map((e) => e.message!).reverse();
    assert.ok(messages.some((m) => /^service \(zones\) is not AZ balanced with .* AZ Rebalancing in progress\.$/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^zones has started 1 tasks in us-east-1c to AZ Rebalance: \(task \w+\)\.$/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^zones has stopped 1 running tasks in us-east-1[ab] due to AZ rebalancing: \(task \w+\)\.$/.test(m)), messages.join('\n'));
    assert.ok(messages.includes('service (zones) is AZ balanced with 1 tasks in us-east-1a, 1 tasks in us-east-1b, and 1 tasks in us-east-1c.'), messages.join('\n'));
    await waitForService(ecs, CLUSTER, 'zones', (s) => s.runningCount === 3 && s.pendingCount === 0, 60_000);
    assert.deepEqual(await zonesOf(), { 'us-east-1a': 1, 'us-east-1b': 1, 'us-east-1c': 1 });

    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'zones', force: true }));
    await waitForService(ecs, CLUSTER, 'zones', (s) => s.status === 'INACTIVE', 60_000);
  });
});
