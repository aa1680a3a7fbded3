import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type ContainerDefinition, type ECSClient } from '@aws-sdk/client-ecs';
import { AgentProcess, startBerth, type BerthProcess } from '../support/berth.js';
import { stopped, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'logs';

describe('the awslogs log driver (real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;
  let logs: CloudWatchLogsClient;
  let n = 0;

  before(async () => {
    await ensureTestImage();
    berth = await startBerth();
    ecs = berth.ecs();
    logs = new CloudWatchLogsClient({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER).start();
  });
  after(async () => {
    await agent.kill('SIGTERM');
    await berth.stop();
  });

  async function runToEnd(c: ContainerDefinition): Promise<{ taskId: string; task: Awaited<ReturnType<typeof waitForTask>> }> {
    const family = `l${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [c] }));
    const arn = (await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family }))).tasks![0]!.taskArn!;
    return { taskId: arn.split('/').pop()!, task: await waitForTask(ecs, CLUSTER, arn, stopped) };
  }

  it('ships stdout and stderr in order to prefix/container/task-id, the tail included by the time the task is STOPPED', async () => {
    const { taskId, task } = await runToEnd({
      name: 'app', image: TEST_IMAGE, memory: 16,
      command: ['sh', '-c', 'for i in $(seq 1 200); do echo "line $i"; done; echo "to stderr" >&2; echo last'],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' } },
    });
    assert.equal(task.containers![0]!.exitCode, 0);
    // Read right away: the agent flushed before reporting STOPPED.
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/app', logStreamName: `ecs/app/${taskId}`, startFromHead: true }));
    const messages = got.events!.map((e) => e.message);
    // stdout and stderr are separate pipes, stamped by the engine as it reads each: their lines
    // interleave by those stamps. Within stdout the order is the container's.
    assert.ok(messages.includes('to stderr'));
    const stdout = messages.filter((m) => m !== 'to stderr');
    assert.deepEqual(stdout, [...Array.from({ length: 200 }, (_, i) => `line ${i + 1}`), 'last']);
    const ts = got.events!.map((e) => e.timestamp!);
    assert.deepEqual(ts, [...ts].sort((a, b) => a - b), 'timestamps in order');
    const cli = berth.aws(['logs', 'get-log-events', '--log-group-name', '/ecs/app', '--log-stream-name', `ecs/app/${taskId}`, '--limit', '3', '--start-from-head']);
    // (Under load the engine may stamp the stderr line before stdout's first ones: compare with the SDK's view.)
    assert.deepEqual(cli.json.events.map((e: { message: string }) => e.message), messages.slice(0, 3));
  });

  it('fails the task with ResourceInitializationError when the log group is missing and not to be created', async () => {
    const { task } = await runToEnd({
      name: 'app', image: TEST_IMAGE, memory: 16, command: ['echo', 'hi'],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/missing', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
    });
    assert.equal(task.stopCode, 'TaskFailedToStart');
    assert.match(task.stoppedReason!, /^ResourceInitializationError: .*ResourceNotFoundException: The specified log group does not exist\./);
  });

  it('joins lines into events with awslogs-multiline-pattern', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/multi' }));
    const { taskId } = await runToEnd({
      name: 'app', image: TEST_IMAGE, memory: 16,
      command: ['sh', '-c', 'echo "INFO start"; echo "ERROR boom"; echo "  at frame 1"; echo "  at frame 2"; echo "INFO end"'],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/multi', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'p', 'awslogs-multiline-pattern': '(INFO|ERROR)' } },
    });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/multi', logStreamName: `p/app/${taskId}`, startFromHead: true }));
    assert.deepEqual(got.events!.map((e) => e.message), ['INFO start', 'ERROR boom\n  at frame 1\n  at frame 2', 'INFO end']);
  });
});
