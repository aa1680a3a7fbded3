import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand, DescribeContainerInstancesCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand,
  type ContainerInstance, type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { Agent } from '../../src/agent/agent.js';
import { containerSpec } from '../../src/agent/engine/container-spec.js';
import { createBody } from '../../src/agent/runtime/docker/mapping.js';
import { detectNvidiaGpus, parseGpuIds } from '../../src/agent/runtime/gpus.js';
import { HollowRuntime } from '../../src/agent/runtime/hollow.js';
import type { ContainerSpec } from '../../src/agent/runtime/port.js';
import { MemoryAgentState } from '../../src/agent/state-store.js';
import { loadConfig } from '../../src/config.js';
import { hostResources } from '../../src/ecs/agents/hub.js';
import { clusterSubject } from '../../src/ecs/agents/tokens.js';
import { freeGpus } from '../../src/ecs/task/candidates.js';
import { assignGpus, gpuCounts } from '../../src/ecs/task/service.js';
import type { ContainerPayload, TaskPayload } from '../../src/protocol/messages.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { running, stopped, waitForTask } from '../support/tasks.js';

const def = (containerDefinitions: TaskDefinition['containerDefinitions']) => ({ def: { definition: { containerDefinitions }, registeredAt: 0 } });

describe('GPU helpers', () => {
  it('parses GPU ids from nvidia-smi lines and from the --gpus flag', () => {
    assert.deepEqual(parseGpuIds('GPU-aaa\nGPU-bbb\n\n'), ['GPU-aaa', 'GPU-bbb']);
    assert.deepEqual(parseGpuIds(' g0, g1,,g0 '), ['g0', 'g1']);
    assert.deepEqual(parseGpuIds(''), []);
  });

  it('finds no GPUs when nvidia-smi is missing', async () => {
    assert.deepEqual(await detectNvidiaGpus('/nonexistent/nvidia-smi'), []);
  });

  it('counts each container\'s GPUs, container overrides replacing the definition\'s', () => {
    const req = {
      ...def([
        { name: 'a', resourceRequirements: [{ type: 'GPU', value: '2' }] },
        { name: 'b' },
        { name: 'c', resourceRequirements: [{ type: 'InferenceAccelerator', value: 'x' }, { type: 'GPU', value: '1' }] },
      ]),
      overrides: { containerOverrides: [{ name: 'c', resourceRequirements: [{ type: 'GPU' as const, value: '3' }] }] },
    };
    assert.deepEqual(gpuCounts(req), [{ name: 'a', count: 2 }, { name: 'b', count: 0 }, { name: 'c', count: 3 }]);
  });

  it('shares a task\'s GPU ids out to its containers in order', () => {
    const m = assignGpus([{ name: 'a', count: 2 }, { name: 'b', count: 0 }, { name: 'c', count: 1 }], ['g0', 'g1', 'g2']);
    assert.deepEqual([...m], [['a', ['g0', 'g1']], ['c', ['g2']]]);
  });

  it('free GPUs are the registered ones no task holds, in registration order', () => {
    assert.deepEqual(freeGpus(['g0', 'g1', 'g2'], ['g1']), ['g0', 'g2']);
    assert.deepEqual(freeGpus(undefined, ['g1']), []);
    assert.deepEqual(freeGpus(['g0'], undefined), ['g0']);
  });

  it('keeps a hello\'s GPU ids only when there are some (absent = none)', () => {
    const base = { cpu: 1024, memory: 512, ports: [22], portsUdp: [] };
    assert.deepEqual(hostResources(base), base);
    assert.deepEqual(hostResources({ ...base, gpus: [] }), base);
    assert.deepEqual(hostResources({ ...base, gpus: ['g0', 'g0', 'g1'] }), { ...base, gpus: ['g0', 'g1'] });
  });

  it('names the container\'s GPUs in NVIDIA_VISIBLE_DEVICES and, on NVIDIA hosts only, as a device request', () => {
    const task = { taskArn: 'arn:aws:ecs:us-east-1:1:task/c/t1', clusterArn: 'c', family: 'f', revision: 1, networkMode: 'bridge', volumes: [] } as unknown as TaskPayload;
    const c = { name: 'app', containerArn: 'arn:c', image: 'i', essential: true, environment: [], cpu: 0, portMappings: [], dependsOn: [], mountPoints: [], volumesFrom: [], gpuIds: ['g0', 'g1'] } as ContainerPayload;
    const spec = containerSpec(task, c, { agentId: 'a', idOf: () => undefined, baseEnv: () => ({}) });
    assert.ok(spec.env?.includes('NVIDIA_VISIBLE_DEVICES=g0,g1'));
    assert.deepEqual(spec.gpuIds, ['g0', 'g1']);
    const host = (b: Record<string, unknown>) => b.HostConfig as Record<string, unknown>;
    assert.deepEqual(host(createBody(spec, { nvidia: true })).DeviceRequests, [{ Driver: 'nvidia', DeviceIDs: ['g0', 'g1'], Capabilities: [['gpu']] }]);
    assert.equal(host(createBody(spec)).DeviceRequests, undefined);
    const plain = containerSpec(task, { ...c, gpuIds: undefined }, { agentId: 'a', idOf: () => undefined, baseEnv: () => ({}) });
    assert.ok(!plain.env?.some((e) => e.startsWith('NVIDIA_VISIBLE_DEVICES=')));
    assert.equal(host(createBody(plain, { nvidia: true })).DeviceRequests, undefined);
  });
});

/** A hollow runtime that remembers what it was asked to create. */
class RecordingRuntime extends HollowRuntime {
  readonly specs: ContainerSpec[] = [];
  override async create(spec: ContainerSpec): Promise<string> {
    this.specs.push(spec);
    return super.create(spec);
  }
}

describe('GPUs end to end with hollow agents', () => {
  const CLUSTER = 'gpus';
  let dataDir: string;
  let server: RunningServer;
  let ecs: ECSClient;
  const agents: Agent[] = [];
  const gpuRuntime = new RecordingRuntime();
  let gpuHost = '';
  let plainHost = '';

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'berth-gpu-'));
    const env = { BERTH_PORT: '0', BERTH_HOST: '127.0.0.1', BERTH_DATA_DIR: dataDir, BERTH_STORE: 'memory' };
    const config = loadConfig(env);
    server = await startServer(config, env);
    ecs = new ECSClient({
      endpoint: `http://127.0.0.1:${server.port}`, region: config.region, maxAttempts: 1,
      credentials: { accessKeyId: server.root.accessKeyId, secretAccessKey: server.root.secretAccessKey },
    });
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const token = server.tokens.issue(clusterSubject(server.root.accountId, config.region, CLUSTER));
    const joinAgent = async (name: string, runtime: HollowRuntime, gpus?: string[]): Promise<string> => {
      const agent = new Agent({
        serverUrl: `http://127.0.0.1:${server.port}`, joinToken: token, runtime, stateStore: new MemoryAgentState(),
        pauseImage: 'berth/pause:latest', metadata: false, credentialsRoute: false, hostname: name, ...(gpus ? { resources: { gpus } } : {}),
      });
      agents.push(agent);
      await agent.start();
      await agent.ready;
      return agent.containerInstanceArn!;
    };
    gpuHost = await joinAgent('gpu-host', gpuRuntime, ['GPU-0', 'GPU-1', 'GPU-2']);
    plainHost = await joinAgent('plain-host', new HollowRuntime());
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'train', networkMode: 'bridge',
      containerDefinitions: [
        { name: 'main', image: 'berth-test/busybox:latest', memory: 16, resourceRequirements: [{ type: 'GPU', value: '2' }] },
        { name: 'sidecar', image: 'berth-test/busybox:latest', memory: 16 },
      ],
    }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'huge', networkMode: 'bridge',
      containerDefinitions: [{ name: 'main', image: 'berth-test/busybox:latest', memory: 16, resourceRequirements: [{ type: 'GPU', value: '4' }] }],
    }));
  });

  after(async () => {
    for (const a of agents) a.stop();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const instances = async (): Promise<Map<string, ContainerInstance>> => {
    const r = await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: [gpuHost, plainHost] }));
    return new Map((r.containerInstances ?? []).map((i) => [i.containerInstanceArn!, i]));
  };
  const gpuResource = (rs: ContainerInstance['registeredResources']) => rs?.find((r) => r.name === 'GPU');

  it('reports the GPUs a host registered, and none for a host without', async () => {
    const m = await instances();
    const g = m.get(gpuHost)!;
    assert.deepEqual(gpuResource(g.registeredResources), { name: 'GPU', type: 'STRINGSET', stringSetValue: ['GPU-0', 'GPU-1', 'GPU-2'], doubleValue: 0, longValue: 0, integerValue: 0 });
    assert.deepEqual(gpuResource(g.remainingResources)?.stringSetValue, ['GPU-0', 'GPU-1', 'GPU-2']);
    assert.equal(gpuResource(m.get(plainHost)!.registeredResources), undefined);
    assert.equal(gpuResource(m.get(plainHost)!.remainingResources), undefined);
  });

  it('places a task needing GPUs where they are free, gives them to its container, and frees them when it stops', async () => {
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'train', launchType: 'EC2' }));
    assert.deepEqual(r.failures, []);
    const task = r.tasks![0]!;
    assert.equal(task.containerInstanceArn, gpuHost);
    const main = task.containers!.find((c) => c.name === 'main')!;
    const sidecar = task.containers!.find((c) => c.name === 'sidecar')!;
    assert.deepEqual(main.gpuIds, ['GPU-0', 'GPU-1']);
    assert.equal(sidecar.gpuIds, undefined);

    const seen = await waitForTask(ecs, CLUSTER, task.taskArn!, running);
    assert.deepEqual(seen.containers!.find((c) => c.name === 'main')!.gpuIds, ['GPU-0', 'GPU-1']);
    // The agent named them to the container.
    const spec = gpuRuntime.specs.find((s) => s.labels['com.amazonaws.ecs.container-name'] === 'main' && s.labels['com.amazonaws.ecs.task-arn'] === task.taskArn)!;
    assert.ok(spec.env?.includes('NVIDIA_VISIBLE_DEVICES=GPU-0,GPU-1'));
    assert.deepEqual(spec.gpuIds, ['GPU-0', 'GPU-1']);
    const sideSpec = gpuRuntime.specs.find((s) => s.labels['com.amazonaws.ecs.container-name'] === 'sidecar' && s.labels['com.amazonaws.ecs.task-arn'] === task.taskArn)!;
    assert.ok(!sideSpec.env?.some((e) => e.startsWith('NVIDIA_VISIBLE_DEVICES=')));

    let g = (await instances()).get(gpuHost)!;
    assert.deepEqual(gpuResource(g.registeredResources)?.stringSetValue, ['GPU-0', 'GPU-1', 'GPU-2']);
    assert.deepEqual(gpuResource(g.remainingResources)?.stringSetValue, ['GPU-2']);

    // One GPU left: a second such task does not fit anywhere.
    const second = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'train', launchType: 'EC2' }));
    assert.deepEqual(second.tasks, []);
    assert.equal(second.failures?.[0]?.reason, 'RESOURCE:GPU');

    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: task.taskArn! }));
    await waitForTask(ecs, CLUSTER, task.taskArn!, stopped);
    g = (await instances()).get(gpuHost)!;
    assert.deepEqual(gpuResource(g.remainingResources)?.stringSetValue, ['GPU-0', 'GPU-1', 'GPU-2']);

    const third = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'train', launchType: 'EC2' }));
    assert.deepEqual(third.failures, []);
    assert.deepEqual(third.tasks![0]!.containers!.find((c) => c.name === 'main')!.gpuIds, ['GPU-0', 'GPU-1']);
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: third.tasks![0]!.taskArn! }));
    await waitForTask(ecs, CLUSTER, third.tasks![0]!.taskArn!, stopped);
  });

  it('fails a task needing more GPUs than any instance has with RESOURCE:GPU', async () => {
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'huge', launchType: 'EC2' }));
    assert.deepEqual(r.tasks, []);
    assert.equal(r.failures?.length, 1);
    assert.equal(r.failures![0]!.reason, 'RESOURCE:GPU');
    assert.ok([gpuHost, plainHost].includes(r.failures![0]!.arn!));
  });
});
