import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  CreateClusterCommand, DescribeContainerInstancesCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import { AgentProcess, startBerth, type BerthProcess } from '../support/berth.js';
import { running, stopped, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'restarts';
const containersOf = (taskArn: string): string[] =>
  execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.task-arn=${taskArn}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);

describe('agent restarts and disconnects (real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER).start();
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'sleeper', containerDefinitions: [{ name: 'main', image: TEST_IMAGE, memory: 16, command: ['sleep', '3600'], linuxParameters: { initProcessEnabled: true } }],
    }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'short', containerDefinitions: [{ name: 'main', image: TEST_IMAGE, memory: 16, command: ['sh', '-c', 'sleep 3; exit 4'] }],
    }));
  });
  after(async () => {
    await agent.kill('SIGTERM');
    await berth.stop();
  });

  const connected = async (want: boolean): Promise<void> => {
    for (let i = 0; i < 100; i++) {
      const d = await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [agent.containerInstanceArn] }));
      if (d.containerInstances?.[0]?.agentConnected === want) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`agentConnected never became ${want}`);
  };

  it('adopts its running containers after a SIGKILL restart instead of starting them again', async () => {
    const arn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'sleeper' }))).tasks![0]!.taskArn!;
    const before = await waitForTask(ecs, CLUSTER, arn, running);
    const runtimeId = before.containers![0]!.runtimeId;
    const arnBefore = agent.containerInstanceArn;
    await agent.kill('SIGKILL');
    await connected(false);
    await agent.start();
    assert.equal(agent.containerInstanceArn, arnBefore, 'the agent comes back as the same container instance');
    await connected(true);
    const afterRestart = await waitForTask(ecs, CLUSTER, arn, running);
    assert.equal(afterRestart.containers![0]!.runtimeId, runtimeId, 'the same container, adopted');
    assert.equal(containersOf(arn).length, 1, 'nothing started twice');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(containersOf(arn).length, 0);
  });

  it('keeps containers running while disconnected, and applies a stop requested meanwhile on reconnect', async () => {
    const arn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'sleeper' }))).tasks![0]!.taskArn!;
    await waitForTask(ecs, CLUSTER, arn, running);
    await agent.kill('SIGKILL');
    await connected(false);
    const s = await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn, reason: 'while away' }));
    assert.equal(s.task?.desiredStatus, 'STOPPED');
    assert.equal(s.task?.lastStatus, 'RUNNING', 'nothing can stop it while the agent is away');
    assert.equal(containersOf(arn).length, 1, 'its container keeps running');
    await agent.start();
    const t = await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(t.stoppedReason, 'while away');
    assert.equal(t.stopCode, 'UserInitiated');
  });

  it('reports a container that exited while the agent was down, and does not run it again', async () => {
    const arn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'short' }))).tasks![0]!.taskArn!;
    await waitForTask(ecs, CLUSTER, arn, running);
    await agent.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 4000));
    await agent.start();
    const t = await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(t.containers![0]!.exitCode, 4);
    assert.equal(t.stopCode, 'EssentialContainerExited');
  });
});
