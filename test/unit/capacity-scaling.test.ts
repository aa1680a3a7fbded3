import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCapacityProviderCommand, CreateClusterCommand, DescribeTasksCommand, ECSClient, ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

/**
 * Managed scaling end to end, in one process: a server with hollow scaling on (instances are
 * in-process agents on simulated runtimes), a provider with managed scaling ENABLED and no
 * instance; RunTask fails, the scaler launches, RunTask places, tasks stop, the scaler scales in.
 */
const CLUSTER = 'elastic';
const PROVIDER = 'elastic-cp';
const GROUP = 'elastic-asg';
const groupArn = `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5098c24f-d26e-4e9c-9bd8-8d88de1ec613:autoScalingGroupName/${GROUP}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('capacity provider managed scaling with hollow instances', { timeout: 90_000 }, () => {
  let dataDir: string;
  let server: RunningServer;
  let ecs: ECSClient;
  const scope = { accountId: '', region: 'us-east-1' };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'berth-scaling-'));
    const env = {
      BERTH_PORT: '0', BERTH_HOST: '127.0.0.1', BERTH_DATA_DIR: dataDir, BERTH_STORE: 'memory',
      BERTH_SCALING_INTERVAL_MS: '100', BERTH_SCALING_SCALE_IN_SEC: '0.5', BERTH_SCALING_MAX_SIZE: '10',
    };
    const config = loadConfig(env);
    server = await startServer(config, env, { hollowScaling: true });
    scope.accountId = server.root.accountId;
    scope.region = config.region;
    ecs = new ECSClient({
      endpoint: `http://127.0.0.1:${server.port}`, region: config.region, maxAttempts: 1,
      credentials: { accessKeyId: server.root.accessKeyId, secretAccessKey: server.root.secretAccessKey },
    });
    await ecs.send(new CreateCapacityProviderCommand({
      name: PROVIDER,
      autoScalingGroupProvider: { autoScalingGroupArn: groupArn, managedScaling: { status: 'ENABLED', targetCapacity: 100 }, managedTerminationProtection: 'ENABLED' },
    }));
    await ecs.send(new CreateClusterCommand({
      clusterName: CLUSTER, capacityProviders: [PROVIDER], defaultCapacityProviderStrategy: [{ capacityProvider: PROVIDER, weight: 1 }],
    }));
    // Hollow instances offer 2048 CPU units and 4096 MiB: two of these tasks per instance.
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'worker', networkMode: 'bridge',
      containerDefinitions: [{ name: 'main', image: 'berth-test/busybox:latest', cpu: 512, memory: 1536, command: ['sleep', '3600'] }],
    }));
  });

  after(async () => {
    ecs?.destroy();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const instances = async (): Promise<string[]> =>
    (await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, status: 'ACTIVE' }))).containerInstanceArns ?? [];

  it('is on when asked for (off by default)', () => {
    assert.ok(server.capacity, 'hollowScaling: true turns it on');
  });

  it('scales out for tasks that cannot be placed, then in once they stop, sparing instances with tasks', async () => {
    assert.equal(server.capacity!.reservation(scope, PROVIDER)?.reservation ?? 100, 100, 'M 0, N 0 → 100');
    const first = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'worker', count: 3 }));
    assert.equal(first.tasks?.length, 0);
    assert.equal(first.failures?.length, 3);

    // The scaler sees 3 waiting tasks (M = 2 instances, N = 0 → 200) and launches 2.
    const out = await until('a scale-out reading', async () => {
      const r = server.capacity!.reservation(scope, PROVIDER);
      return r && r.n === 0 && r.m === 2 ? r : undefined;
    });
    assert.equal(out.reservation, 200);
    assert.equal(out.launch, 2);
    await until('two instances', async () => (await instances()).length === 2);

    // The caller retries what failed: now every task is placed.
    const arns: string[] = [];
    await until('all tasks placed', async () => {
      const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'worker', count: 3 - arns.length }));
      arns.push(...(r.tasks ?? []).map((t) => t.taskArn!));
      return arns.length === 3;
    });
    await until('tasks RUNNING', async () => {
      const d = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
      return d.tasks?.every((t) => t.lastStatus === 'RUNNING');
    });
    const steady = await until('reservation at target', async () => {
      const r = server.capacity!.reservation(scope, PROVIDER);
      return r && r.m === 2 && r.n === 2 ? r : undefined;
    });
    assert.equal(steady.reservation, 100);
    assert.equal((await instances()).length, 2, 'no more instances than needed');

    // Stop all tasks but one: its instance stays, the other goes.
    const d = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
    const keep = d.tasks![0]!;
    for (const t of d.tasks!.slice(1)) await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: t.taskArn! }));
    await until('scale-in to one instance', async () => {
      const left = await instances();
      return left.length === 1 && left[0] === keep.containerInstanceArn;
    });
    const one = await until('reading after scale-in', async () => {
      const r = server.capacity!.reservation(scope, PROVIDER);
      return r && r.n === 1 ? r : undefined;
    });
    assert.equal(one.reservation, 100);
    const still = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [keep.taskArn!] }));
    assert.equal(still.tasks?.[0]?.lastStatus, 'RUNNING', 'the protected instance kept its task');

    // The last task stops: the group empties (M 0, N 0 → 100).
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: keep.taskArn! }));
    await until('scale-in to zero', async () => (await instances()).length === 0);
    const none = await until('reading at zero', async () => {
      const r = server.capacity!.reservation(scope, PROVIDER);
      return r && r.n === 0 ? r : undefined;
    });
    assert.equal(none.reservation, 100);
  });
});
