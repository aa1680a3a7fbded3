import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, DescribeTasksCommand, ListTasksCommand, PutClusterCapacityProvidersCommand, UpdateServiceCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand,
  type ContainerDefinition, type ECSClient, type Task,
} from '@aws-sdk/client-ecs';
import type { BerthProcess } from '../support/berth.js';
import { running, stopped, waitForService, waitForTask } from '../support/tasks.js';
import { TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'fargate';
const cliMain = resolve(fileURLToPath(import.meta.url), '../../../src/cli/main.js');

/** awsvpc task tests, registered into the describe of fargate.test.ts (one server for all). */
export function fargateTaskTests(berthOf: () => BerthProcess): void {
  let ecs: ECSClient;
  let ec2: EC2Client;
  let subnet = '';
  let n = 0;

  async function setup(): Promise<void> {
    if (subnet) return;
    const berth = berthOf();
    ecs = berth.ecs();
    ec2 = new EC2Client({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds });
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets![0]!.SubnetId!;
  }

  async function run(containers: ContainerDefinition[], extra: Record<string, unknown> = {}, count = 1): Promise<Task[]> {
    await setup();
    const family = `fg${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({
      family, requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: containers, ...extra,
    }));
    const r = await ecs.send(new RunTaskCommand({
      cluster: CLUSTER, taskDefinition: family, launchType: 'FARGATE', count,
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], assignPublicIp: 'ENABLED' } },
    }));
    assert.deepEqual(r.failures, []);
    return r.tasks!;
  }

  const ipOf = (t: Task): string => t.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value!;

  it('serves the task metadata endpoint v4 and v3 to its containers, with the ECS environment', async () => {
    const script = [
      'wget -q -O /www/task.json "$ECS_CONTAINER_METADATA_URI_V4/task"',
      'wget -q -O /www/container.json "$ECS_CONTAINER_METADATA_URI_V4"',
      'wget -q -O /www/stats.json "$ECS_CONTAINER_METADATA_URI_V4/stats"',
      'wget -q -O /www/v3task.json "$ECS_CONTAINER_METADATA_URI/task"',
      'env > /www/env.txt',
      'exec httpd -f -p 80 -h /www',
    ].join('; ');
    const [t0] = await run([{ name: 'meta', image: TEST_IMAGE, command: ['sh', '-c', script], linuxParameters: { initProcessEnabled: true } }]);
    const t = await waitForTask(ecs, CLUSTER, t0!.taskArn!, running);
    const get = async (path: string): Promise<string> => {
      for (let i = 0; i < 50; i++) {
        const r = await fetch(`http://${ipOf(t)}/${path}`).catch(() => undefined);
        if (r?.ok) return r.text();
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no ${path}`);
    };
    const task = JSON.parse(await get('task.json'));
    assert.equal(task.TaskARN, t.taskArn);
    assert.equal(task.Cluster, t.clusterArn);
    assert.equal(task.Family, `fg${n}`);
    assert.equal(task.LaunchType, 'FARGATE');
    // Fetched as the container starts: the task may not have reached RUNNING yet, as in ECS.
    assert.ok(['ACTIVATING', 'RUNNING'].includes(task.KnownStatus), task.KnownStatus);
    assert.equal(task.Containers[0].Name, 'meta');
    assert.deepEqual(task.Containers[0].Networks[0].IPv4Addresses, [ipOf(t)]);
    assert.equal(task.Containers[0].Networks[0].NetworkMode, 'awsvpc');
    const container = JSON.parse(await get('container.json'));
    assert.equal(container.DockerId, t.containers![0]!.runtimeId);
    assert.equal(container.ContainerARN, t.containers![0]!.containerArn);
    const stats = JSON.parse(await get('stats.json'));
    assert.ok(stats.memory_stats, 'Docker stats');
    const v3 = JSON.parse(await get('v3task.json'));
    assert.equal(v3.TaskARN, t.taskArn);
    const env = await get('env.txt');
    assert.match(env, /^AWS_REGION=us-east-1$/m);
    assert.match(env, /^AWS_DEFAULT_REGION=us-east-1$/m);
    assert.match(env, /^AWS_EXECUTION_ENV=AWS_ECS_FARGATE$/m);
    assert.match(env, /^ECS_CONTAINER_METADATA_URI_V4=http:\/\//m);
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: t.taskArn! }));
    await waitForTask(ecs, CLUSTER, t.taskArn!, stopped);
  });

  it('lets the containers of an awsvpc task reach each other on localhost, and share task volumes', async () => {
    const [t0] = await run([
      { name: 'web', image: TEST_IMAGE, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], linuxParameters: { initProcessEnabled: true } },
      { name: 'writer', image: TEST_IMAGE, essential: false, command: ['sh', '-c', 'echo hi > /data/hello'], mountPoints: [{ sourceVolume: 'scratch', containerPath: '/data' }] },
      {
        name: 'client', image: TEST_IMAGE, essential: false,
        command: ['sh', '-c', 'wget -q -O /dev/null http://127.0.0.1:8080/ && test "$(cat /data/hello)" = hi && exit 0; exit 1'],
        dependsOn: [{ containerName: 'web', condition: 'START' }, { containerName: 'writer', condition: 'COMPLETE' }],
        mountPoints: [{ sourceVolume: 'scratch', containerPath: '/data', readOnly: true }],
      },
    ], { volumes: [{ name: 'scratch' }] });
    const t = await waitForTask(ecs, CLUSTER, t0!.taskArn!, (x) => x.containers!.find((c) => c.name === 'client')!.lastStatus === 'STOPPED');
    assert.equal(t.containers!.find((c) => c.name === 'writer')!.exitCode, 0);
    assert.equal(t.containers!.find((c) => c.name === 'client')!.exitCode, 0, 'client reached web on 127.0.0.1 and read the shared volume');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: t.taskArn! }));
    await waitForTask(ecs, CLUSTER, t.taskArn!, stopped);
  });

  it('sends SIGTERM, then SIGKILL after stopTimeout', async () => {
    const [t0] = await run([{ name: 'stubborn', image: TEST_IMAGE, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'], stopTimeout: 2 }]);
    await waitForTask(ecs, CLUSTER, t0!.taskArn!, running);
    const start = Date.now();
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: t0!.taskArn! }));
    const s = await waitForTask(ecs, CLUSTER, t0!.taskArn!, stopped);
    const took = Date.now() - start;
    assert.ok(took >= 2000 && took < 15_000, `stopped after ${took} ms`);
    assert.equal(s.containers![0]!.exitCode, 137);
  });

  it('a Fargate Spot interruption (berth spot interrupt) stops the task with stopCode SpotInterruption after the warning', async () => {
    await setup();
    const berth = berthOf();
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['FARGATE', 'FARGATE_SPOT'], defaultCapacityProviderStrategy: [] }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'spot', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
      containerDefinitions: [{ name: 'app', image: TEST_IMAGE, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'], stopTimeout: 60 }],
    }));
    const r = await ecs.send(new RunTaskCommand({
      cluster: CLUSTER, taskDefinition: 'spot', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], assignPublicIp: 'DISABLED' } },
    }));
    const t = r.tasks![0]!;
    assert.equal(t.capacityProviderName, 'FARGATE_SPOT');
    await waitForTask(ecs, CLUSTER, t.taskArn!, running);
    const start = Date.now();
    const out = execFileSync(process.execPath, [cliMain, 'spot', 'interrupt', '--cluster', CLUSTER, '--warning-seconds', '2'], {
      encoding: 'utf8', env: { ...process.env, BERTH_DATA_DIR: berth.dataDir, BERTH_PORT: String(berth.port) },
    });
    assert.deepEqual(JSON.parse(out).Interrupted, [t.taskArn]);
    const s = await waitForTask(ecs, CLUSTER, t.taskArn!, stopped);
    const took = Date.now() - start;
    assert.equal(s.stopCode, 'SpotInterruption');
    assert.equal(s.stoppedReason, 'Your Spot Task was interrupted.');
    // The container ignores SIGTERM: it is killed once the 2-second warning is over, not after its 60-second stopTimeout.
    assert.ok(took >= 2000 && took < 20_000, `stopped after ${took} ms`);
    assert.equal(s.containers![0]!.exitCode, 137);
  });

  it('a Fargate service honours its capacity provider strategy\'s base and weight across its tasks as it scales', async () => {
    await setup();
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: CLUSTER, capacityProviders: ['FARGATE', 'FARGATE_SPOT'], defaultCapacityProviderStrategy: [] }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'spread-cp', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
      containerDefinitions: [{ name: 'app', image: TEST_IMAGE, command: ['sleep', '600'], stopTimeout: 1 }],
    }));
    const strategy = [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }];
    await ecs.send(new CreateServiceCommand({
      cluster: CLUSTER, serviceName: 'mixed', taskDefinition: 'spread-cp', desiredCount: 1, capacityProviderStrategy: strategy,
      networkConfiguration: { awsvpcConfiguration: { subnets: [subnet], assignPublicIp: 'DISABLED' } },
    }));
    const byProvider = async (): Promise<Record<string, number>> => {
      const arns = (await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'mixed' }))).taskArns ?? [];
      const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks! : [];
      return tasks.reduce<Record<string, number>>((m, t) => ({ ...m, [t.capacityProviderName!]: (m[t.capacityProviderName!] ?? 0) + 1 }), {});
    };
    try {
      await waitForService(ecs, CLUSTER, 'mixed', (x) => x.runningCount === 1, 60_000);
      assert.deepEqual(await byProvider(), { FARGATE: 1 }, 'the base first');
      // Scaled one task at a time, the service ends where placing all four at once would: base and
      // weight apply across its running tasks, not within each launch (which would put every one on the base).
      for (const n of [2, 3, 4]) {
        await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'mixed', desiredCount: n }));
        await waitForService(ecs, CLUSTER, 'mixed', (x) => x.runningCount === n && x.pendingCount === 0, 60_000);
      }
      assert.deepEqual(await byProvider(), { FARGATE: 2, FARGATE_SPOT: 2 });
    } finally {
      await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'mixed', force: true }));
      await waitForService(ecs, CLUSTER, 'mixed', (x) => x.status === 'INACTIVE', 60_000);
    }
  });

  it('leaks nothing: 200 tasks come and go leaving no container, ENI or address behind', async (t) => {
    await setup();
    const before = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet] }))).Subnets![0]!.AvailableIpAddressCount;
    const arns: string[] = [];
    for (let i = 0; i < 20; i++) arns.push(...(await run([{ name: 'blip', image: TEST_IMAGE, command: ['true'] }], {}, 10)).map((t) => t.taskArn!));
    assert.equal(arns.length, 200);
    const deadline = Date.now() + 240_000;
    for (;;) {
      const left = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'RUNNING' }));
      if (!left.taskArns?.length) break;
      if (Date.now() >= deadline) {
        const stuck = await waitForTask(ecs, CLUSTER, left.taskArns[0]!, () => true);
        assert.fail(`${left.taskArns.length} tasks still not stopped, e.g. ${JSON.stringify(stuck)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    // desiredStatus turns STOPPED as soon as a task starts stopping: wait for every one to be STOPPED.
    for (const arn of arns) {
      const done = await waitForTask(ecs, CLUSTER, arn, stopped, 60_000);
      assert.equal(done.containers![0]!.exitCode, 0);
    }
    const account = berthOf().creds.accountId;
    const containers = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.cluster=arn:aws:ecs:us-east-1:${account}:cluster/${CLUSTER}`], { encoding: 'utf8' }).trim();
    assert.equal(containers, '', 'no task or pause container is left');
    // The subnet's Docker network is removed with its last task, but Docker 20.10 can keep a stale
    // endpoint on a network after heavy churn and refuse to remove it (no container attached; it
    // goes with a daemon restart). That is Docker's state, not Berth's, so it is reported, not failed.
    const leftNetworks = execFileSync('docker', ['network', 'ls', '--filter', 'name=berth-net-', '--format', '{{.Name}}'], { encoding: 'utf8' }).trim();
    if (leftNetworks) t.diagnostic(`Docker still lists ${leftNetworks.split('\n').join(', ')} (removal is retried by the agent)`);
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnet] }] }));
    assert.deepEqual(enis.NetworkInterfaces, []);
    const afterCount = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet] }))).Subnets![0]!.AvailableIpAddressCount;
    assert.equal(afterCount, before, 'every address is back');
  });
}
