import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  CreateClusterCommand, DeregisterContainerInstanceCommand, DescribeContainerInstancesCommand, ListContainerInstancesCommand,
  RegisterContainerInstanceCommand, StartTaskCommand, ListTasksCommand, UpdateContainerInstancesStateCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand,
  type ContainerDefinition, type ECSClient,
} from '@aws-sdk/client-ecs';
import { AgentProcess, awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { running, stopped, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'ec2';

describe('tasks on a registered container instance (EC2 launch type, real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;
  let n = 0;

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER).start();
  });
  after(async () => {
    const account = berth.creds.accountId;
    await agent.kill('SIGTERM');
    await berth.stop();
    // Whatever a failed test left behind.
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.cluster=arn:aws:ecs:us-east-1:${account}:cluster/${CLUSTER}`], { encoding: 'utf8' }).trim();
    if (ids) execFileSync('docker', ['rm', '-f', ...ids.split('\n')], { stdio: 'ignore' });
  });

  async function run(containers: ContainerDefinition[], extra: Record<string, unknown> = {}): Promise<string> {
    const family = `t${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: containers, ...extra }));
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family, launchType: 'EC2' }));
    assert.deepEqual(r.failures, []);
    assert.equal(r.tasks?.[0]?.lastStatus, 'PROVISIONING');
    return r.tasks![0]!.taskArn!;
  }

  const web = (name = 'web'): ContainerDefinition => ({
    name, image: TEST_IMAGE, memory: 32, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], portMappings: [{ containerPort: 8080, hostPort: 0 }],
  });

  it('runs a task to RUNNING with a dynamic host port that serves, and stops it with the user\'s reason', async () => {
    const arn = await run([{ ...web(), stopTimeout: 2 }]);
    const t = await waitForTask(ecs, CLUSTER, arn, running);
    assert.ok(t.startedAt instanceof Date && t.pullStartedAt instanceof Date && t.pullStoppedAt instanceof Date);
    const b = t.containers![0]!.networkBindings![0]!;
    assert.ok(b.hostPort! >= 32768, `dynamic host port, got ${b.hostPort}`);
    const body = await (await fetch(`http://127.0.0.1:${b.hostPort}/`)).text();
    assert.match(body, /berth test/);
    const inst = await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [agent.containerInstanceArn] }));
    const ci = inst.containerInstances![0]!;
    assert.equal(ci.agentConnected, true);
    assert.equal(ci.runningTasksCount, 1);
    const mem = (r: typeof ci.registeredResources) => r!.find((x) => x.name === 'MEMORY')!.integerValue!;
    assert.equal(mem(ci.registeredResources) - mem(ci.remainingResources), 32);
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn, reason: 'done here' }));
    const s = await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(s.stopCode, 'UserInitiated');
    assert.equal(s.stoppedReason, 'done here');
    assert.ok(s.stoppingAt && s.stoppedAt && s.executionStoppedAt);
    assert.equal(s.containers![0]!.lastStatus, 'STOPPED');
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.task-arn=${arn}`], { encoding: 'utf8' }).trim();
    assert.equal(left, '', 'the task\'s containers are removed');
  });

  it('stops the task when an essential container exits, with its exit code', async () => {
    const arn = await run([{ name: 'main', image: TEST_IMAGE, memory: 16, command: ['sh', '-c', 'exit 3'] }]);
    const s = await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(s.stopCode, 'EssentialContainerExited');
    assert.equal(s.stoppedReason, 'Essential container in task exited');
    assert.equal(s.containers![0]!.exitCode, 3);
  });

  it('keeps the task running when a non-essential container exits', async () => {
    const arn = await run([{ ...web(), stopTimeout: 1 }, { name: 'side', image: TEST_IMAGE, memory: 16, essential: false, command: ['sh', '-c', 'exit 7'] }]);
    const t = await waitForTask(ecs, CLUSTER, arn, (x) => x.lastStatus === 'RUNNING' && x.containers!.find((c) => c.name === 'side')!.lastStatus === 'STOPPED');
    assert.equal(t.containers!.find((c) => c.name === 'side')!.exitCode, 7);
    assert.equal(t.containers!.find((c) => c.name === 'web')!.lastStatus, 'RUNNING');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await waitForTask(ecs, CLUSTER, arn, stopped);
  });

  it('fails a task whose image is missing with CannotPullContainerError', async () => {
    const arn = await run([{ name: 'ghost', image: 'berth-test/does-not-exist:1', memory: 16 }]);
    const s = await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(s.stopCode, 'TaskFailedToStart');
    assert.match(s.stoppedReason!, /^CannotPullContainerError/);
    assert.match(s.containers![0]!.reason!, /^CannotPullContainerError/);
  });

  it('reports an OOM kill as OutOfMemoryError', async () => {
    const arn = await run([{ name: 'hog', image: TEST_IMAGE, memory: 8, command: ['sh', '-c', 'sleep 2; x=a; while true; do x="$x$x"; done'] }]);
    const s = await waitForTask(ecs, CLUSTER, arn, stopped, 60_000);
    assert.equal(s.containers![0]!.reason, 'OutOfMemoryError: Container killed due to memory usage');
    assert.equal(s.containers![0]!.exitCode, 137);
    assert.equal(s.stopCode, 'EssentialContainerExited');
  });

  it('honours dependsOn: a container waits for SUCCESS and never starts when its dependency fails', async () => {
    const ok = await run([
      { name: 'init', image: TEST_IMAGE, memory: 16, essential: false, command: ['sh', '-c', 'exit 0'] },
      { name: 'main', image: TEST_IMAGE, memory: 16, command: ['sh', '-c', 'sleep 1; exit 5'], dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
    ]);
    const s1 = await waitForTask(ecs, CLUSTER, ok, stopped);
    assert.equal(s1.containers!.find((c) => c.name === 'main')!.exitCode, 5, 'main ran after init succeeded');
    const bad = await run([
      { name: 'init', image: TEST_IMAGE, memory: 16, essential: false, command: ['sh', '-c', 'exit 1'] },
      { name: 'main', image: TEST_IMAGE, memory: 16, command: ['sleep', '60'], dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] },
    ]);
    const s2 = await waitForTask(ecs, CLUSTER, bad, stopped);
    assert.equal(s2.stopCode, 'TaskFailedToStart');
    assert.equal(s2.containers!.find((c) => c.name === 'main')!.exitCode, undefined, 'main never started');
    assert.match(s2.stoppedReason!, /init/);
  });

  it('turns a container health check into healthStatus of the container and the task', async () => {
    const arn = await run([{ ...web(), stopTimeout: 1, healthCheck: { command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1'], interval: 5, timeout: 2, retries: 1, startPeriod: 0 } }]);
    const t = await waitForTask(ecs, CLUSTER, arn, (x) => x.healthStatus === 'HEALTHY', 30_000);
    assert.equal(t.containers![0]!.healthStatus, 'HEALTHY');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await waitForTask(ecs, CLUSTER, arn, stopped);
  });

  it('applies container overrides of command and environment', async () => {
    const family = `t${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'c', image: TEST_IMAGE, memory: 16, command: ['sh', '-c', 'exit 9'], environment: [{ name: 'FOO', value: 'no' }] }] }));
    const r = await ecs.send(new RunTaskCommand({
      cluster: CLUSTER, taskDefinition: family, launchType: 'EC2', startedBy: 'tester',
      overrides: { containerOverrides: [{ name: 'c', command: ['sh', '-c', 'test "$FOO" = bar && test "$AWS_REGION" = us-east-1 && exit 42'], environment: [{ name: 'FOO', value: 'bar' }] }] },
    }));
    const s = await waitForTask(ecs, CLUSTER, r.tasks![0]!.taskArn!, stopped);
    assert.equal(s.containers![0]!.exitCode, 42);
    assert.equal(s.startedBy, 'tester');
    const listed = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, startedBy: 'tester', desiredStatus: 'STOPPED' }));
    assert.deepEqual(listed.taskArns, [s.taskArn]);
    assert.deepEqual((await ecs.send(new ListTasksCommand({ cluster: CLUSTER, family, desiredStatus: 'RUNNING' }))).taskArns, []);
  });

  it('maps container definition fields onto the Docker container', async () => {
    const arn = await run([{
      name: 'shaped', image: TEST_IMAGE, memory: 64, memoryReservation: 32, cpu: 128, user: 'nobody', workingDirectory: '/tmp',
      command: ['sleep', '3600'], readonlyRootFilesystem: true, linuxParameters: { initProcessEnabled: true },
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }], dockerLabels: { team: 'core' },
      mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared' }],
    }, { name: 'reader', image: TEST_IMAGE, memory: 16, essential: false, command: ['sh', '-c', 'test -d /shared && exit 0; exit 1'], volumesFrom: [{ sourceContainer: 'shaped', readOnly: true }] }],
    { volumes: [{ name: 'shared', dockerVolumeConfiguration: { scope: 'task', autoprovision: true, driver: 'local' } }] });
    const t = await waitForTask(ecs, CLUSTER, arn, (x) => x.lastStatus === 'RUNNING' && x.containers!.find((c) => c.name === 'reader')!.lastStatus === 'STOPPED');
    assert.equal(t.containers!.find((c) => c.name === 'reader')!.exitCode, 0, 'volumesFrom gave the reader the volume');
    const id = t.containers!.find((c) => c.name === 'shaped')!.runtimeId!;
    const inspect = JSON.parse(execFileSync('docker', ['inspect', id], { encoding: 'utf8' }))[0];
    assert.equal(inspect.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(inspect.HostConfig.MemoryReservation, 32 * 1024 * 1024);
    assert.equal(inspect.HostConfig.CpuShares, 128);
    assert.equal(inspect.HostConfig.ReadonlyRootfs, true);
    assert.equal(inspect.HostConfig.Init, true);
    assert.deepEqual(inspect.HostConfig.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
    assert.equal(inspect.Config.User, 'nobody');
    assert.equal(inspect.Config.WorkingDir, '/tmp');
    assert.equal(inspect.Config.Labels.team, 'core');
    assert.equal(inspect.Config.Labels['com.amazonaws.ecs.task-arn'], arn);
    assert.ok(inspect.Mounts.some((m: { Destination: string; Type: string }) => m.Destination === '/shared' && m.Type === 'volume'));
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await waitForTask(ecs, CLUSTER, arn, stopped);
  });

  it('places nothing on a DRAINING instance, and again once it is ACTIVE', async () => {
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [agent.containerInstanceArn], status: 'DRAINING' }));
    const family = `t${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'c', image: TEST_IMAGE, memory: 16, command: ['true'] }] }));
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family, launchType: 'EC2' }));
    assert.deepEqual(r.tasks, []);
    assert.equal(r.failures?.length, 1);
    const listed = await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, status: 'DRAINING' }));
    assert.deepEqual(listed.containerInstanceArns, [agent.containerInstanceArn]);
    await ecs.send(new UpdateContainerInstancesStateCommand({ cluster: CLUSTER, containerInstances: [agent.containerInstanceArn], status: 'ACTIVE' }));
    const again = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family, launchType: 'EC2' }));
    assert.equal(again.tasks?.length, 1);
    await waitForTask(ecs, CLUSTER, again.tasks![0]!.taskArn!, stopped);
  });

  it('runs host and none network modes as Docker does', async () => {
    const hostArn = await run([{ name: 'h', image: TEST_IMAGE, memory: 16, command: ['httpd', '-f', '-p', '18089', '-h', '/www'], portMappings: [{ containerPort: 18089 }], linuxParameters: { initProcessEnabled: true } }], { networkMode: 'host' });
    const h = await waitForTask(ecs, CLUSTER, hostArn, running);
    assert.deepEqual(h.containers![0]!.networkBindings, [{ bindIP: '0.0.0.0', containerPort: 18089, hostPort: 18089, protocol: 'tcp' }]);
    let body = '';
    for (let i = 0; i < 30 && !body; i++) body = await fetch('http://127.0.0.1:18089/').then((r) => r.text(), () => '');
    assert.match(body, /berth test/);
    const noneArn = await run([{ name: 'n', image: TEST_IMAGE, memory: 16, command: ['sh', '-c', 'wget -q -T 2 -O /dev/null http://127.0.0.1:18089/ && exit 0; exit 6'] }], { networkMode: 'none' });
    const n0 = await waitForTask(ecs, CLUSTER, noneArn, stopped);
    assert.equal(n0.containers![0]!.exitCode, 6, 'no network at all in none mode');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: hostArn }));
    await waitForTask(ecs, CLUSTER, hostArn, stopped);
  });

  it('starts a task on a chosen container instance with StartTask', async () => {
    const family = `t${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'c', image: TEST_IMAGE, memory: 16, command: ['sh', '-c', 'exit 0'] }] }));
    const r = await ecs.send(new StartTaskCommand({ cluster: CLUSTER, taskDefinition: family, containerInstances: [agent.containerInstanceArn.split('/').pop()!], startedBy: 'start-task' }));
    assert.deepEqual(r.failures, []);
    assert.equal(r.tasks![0]!.containerInstanceArn, agent.containerInstanceArn);
    const s = await waitForTask(ecs, CLUSTER, r.tasks![0]!.taskArn!, stopped);
    assert.equal(s.containers![0]!.exitCode, 0);
    const missing = await ecs.send(new StartTaskCommand({ cluster: CLUSTER, taskDefinition: family, containerInstances: ['0123456789abcdef0123456789abcdef'] }));
    assert.deepEqual(missing.failures?.map((f) => f.reason), ['MISSING']);
  });

  it('registers and deregisters container instances through the API, refusing to drop running tasks without force', async () => {
    const reg = await ecs.send(new RegisterContainerInstanceCommand({
      cluster: CLUSTER, totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 2048 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 4096 }],
      versionInfo: { agentVersion: '1.80.0' }, attributes: [{ name: 'stack', value: 'prod' }],
    }));
    const arn = reg.containerInstance!.containerInstanceArn!;
    assert.equal(reg.containerInstance!.agentConnected, false);
    assert.equal(reg.containerInstance!.status, 'ACTIVE');
    const d = await ecs.send(new DeregisterContainerInstanceCommand({ cluster: CLUSTER, containerInstance: arn }));
    assert.equal(d.containerInstance!.status, 'INACTIVE');
    const list = await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER }));
    assert.ok(!list.containerInstanceArns!.includes(arn));
    const sleeper = await run([{ name: 's', image: TEST_IMAGE, memory: 16, command: ['sleep', '3600'], linuxParameters: { initProcessEnabled: true } }]);
    await waitForTask(ecs, CLUSTER, sleeper, running);
    const refused = await awsError(ecs.send(new DeregisterContainerInstanceCommand({ cluster: CLUSTER, containerInstance: agent.containerInstanceArn })));
    assert.equal(refused.name, 'InvalidParameterException');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: sleeper }));
    await waitForTask(ecs, CLUSTER, sleeper, stopped);
  });

  it('answers RunTask errors as ECS does', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'big', containerDefinitions: [{ name: 'c', image: TEST_IMAGE, memory: 10_000_000 }] }));
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'big', launchType: 'EC2' }));
    assert.deepEqual(r.failures?.map((f) => f.reason), ['RESOURCE:MEMORY']);
    const missing = await awsError(ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'nope' })));
    assert.equal(missing.name, 'InvalidParameterException');
    await ecs.send(new CreateClusterCommand({ clusterName: 'empty' }));
    const empty = await awsError(ecs.send(new RunTaskCommand({ cluster: 'empty', taskDefinition: 'big', launchType: 'EC2' })));
    assert.match(empty.message, /No Container Instances were found/);
  });
});
