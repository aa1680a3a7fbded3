/**
 * `npm run bench:tasks`: RunTask → RUNNING latency on the real Docker engine, and what Berth adds
 * to it. A real `berth up` process (sqlite store, embedded managed Fargate capacity on the local
 * Docker) on a temporary data dir, plus a `berth agent` process registered into an EC2 cluster.
 * Two shapes, BENCH_TASKS (50) tasks each, one task at a time (so latency is not queueing):
 *
 * - ec2Bridge: EC2 launch type, bridge network, on the registered container instance;
 * - fargateAwsvpc: FARGATE, awsvpc, on a default subnet (pause container + app container).
 *
 * The container is `sleep 3600` with initProcessEnabled, so SIGTERM ends it at once (stopTimeout
 * STOP_TIMEOUT_SEC, here and in the baselines; see tasks-docker.ts). Per task:
 * t0 just before RunTask is sent; RUNNING is seen by polling DescribeTasks every 10 ms (so the
 * measurement's resolution is that interval plus one DescribeTasks round trip, both reported);
 * the task's own `startedAt - createdAt` is recorded too. Then StopTask, and STOPPED is awaited
 * the same way before the next task (stop latency is reported as well).
 *
 * Baselines in the same run, interleaved round by round with the Berth tasks so that load on the
 * machine affects both alike: the same containers with the docker CLI and with bare Engine API
 * calls (see tasks-docker.ts). Rounds before BENCH_WARMUP (2) are run but not counted.
 *
 * Prints one JSON document on stdout; progress goes to stderr (every sample with BENCH_DEBUG=1). Everything created (containers,
 * networks, the data dir, the processes) is removed on the way out, also on failure or SIGINT.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand,
  type ECSClient, type RunTaskCommandInput, type Task,
} from '@aws-sdk/client-ecs';
import { DockerRuntime } from '../src/agent/runtime/docker.js';
import { AgentProcess, BerthProcess } from '../test/support/berth.js';
import { ensurePauseImage, ensureTestImage, PAUSE_IMAGE, TEST_IMAGE } from '../test/support/test-image.js';
import {
  apiAwsvpc, apiBridge, cliAwsvpc, cliBridge, createBaselineNetwork, docker, removeLabelled, STOP_TIMEOUT_SEC,
  type NetTimed, type Timed,
} from './tasks-docker.js';
import { round1, sleep, summarize } from './tasks-stats.js';

const TASKS = Number(process.env.BENCH_TASKS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const POLL_MS = 10;
const TASK_TIMEOUT_MS = 60_000;
/** A shape is abandoned after this many failed tasks (the failures are reported). */
const MAX_FAILURES = 3;
const TARGET_ADDED_P50_MS = 150;

const log = (line: string): void => void process.stderr.write(`bench:tasks: ${line}\n`);

/** One Berth task's measurements, in ms. */
interface TaskSample {
  runTaskCallMs: number;
  runningMs: number;
  startedMinusCreatedMs: number;
  /** createdAt → pullStartedAt: placement, push to the agent, network and pause container. */
  toPullStartMs: number;
  /** pullStoppedAt → startedAt: create, start and inspect of the app container (agent clock). */
  pullStopToStartedMs: number;
  stopMs: number;
  pollRoundTripMs: number;
}

interface Failure { round: number; error: string }

class Shape {
  readonly samples: TaskSample[] = [];
  readonly failures: Failure[] = [];
  get abandoned(): boolean { return this.failures.length >= MAX_FAILURES; }
}

const ms = (d: Date | undefined): number => d?.getTime() ?? NaN;

/** Polls one task every POLL_MS until `done` holds; returns it with when it was seen and the mean poll round trip. */
async function pollTask(ecs: ECSClient, cluster: string, arn: string, done: (t: Task) => boolean, since: number): Promise<{ task: Task; at: number; rtt: number }> {
  let polls = 0;
  let rttSum = 0;
  for (;;) {
    const a = performance.now();
    const r = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }));
    const at = performance.now();
    rttSum += at - a;
    polls++;
    const task = r.tasks?.[0];
    if (task && done(task)) return { task, at, rtt: rttSum / polls };
    if (task?.lastStatus === 'STOPPED') throw new Error(`task stopped early: ${task.stopCode} ${task.stoppedReason ?? ''}`);
    if (at - since > TASK_TIMEOUT_MS) throw new Error(`task not done after ${TASK_TIMEOUT_MS} ms; last seen ${task?.lastStatus}`);
    await sleep(POLL_MS);
  }
}

/** Runs one task to RUNNING and stops it to STOPPED. */
async function oneTask(ecs: ECSClient, input: RunTaskCommandInput): Promise<TaskSample> {
  const cluster = input.cluster!;
  const t0 = performance.now();
  const r = await ecs.send(new RunTaskCommand(input));
  const runTaskCallMs = performance.now() - t0;
  const arn = r.tasks?.[0]?.taskArn;
  if (!arn || r.failures?.length) throw new Error(`RunTask failed: ${JSON.stringify(r.failures)}`);
  try {
    const up = await pollTask(ecs, cluster, arn, (t) => t.lastStatus === 'RUNNING', t0);
    const t = up.task;
    const s0 = performance.now();
    await ecs.send(new StopTaskCommand({ cluster, task: arn, reason: 'bench' }));
    const down = await pollTask(ecs, cluster, arn, (x) => x.lastStatus === 'STOPPED', s0);
    return {
      runTaskCallMs,
      runningMs: up.at - t0,
      startedMinusCreatedMs: ms(t.startedAt) - ms(t.createdAt),
      toPullStartMs: ms(t.pullStartedAt) - ms(t.createdAt),
      pullStopToStartedMs: ms(t.startedAt) - ms(t.pullStoppedAt),
      stopMs: down.at - s0,
      pollRoundTripMs: up.rtt,
    };
  } catch (err) {
    // Leave nothing running into the next round.
    await ecs.send(new StopTaskCommand({ cluster, task: arn, reason: 'bench: failed' })).catch(() => undefined);
    await pollTask(ecs, cluster, arn, (x) => x.lastStatus === 'STOPPED', performance.now()).catch(() => undefined);
    throw err;
  }
}

/** Set on SIGINT/SIGTERM: no new step starts. */
let aborted = false;
/** The step running now; cleanup waits for it, or it could create a container after the sweep. */
let inFlight: Promise<unknown> = Promise.resolve();

async function measure<T>(round: number, into: { samples: T[]; failures: Failure[] }, fn: () => Promise<T>): Promise<void> {
  if (aborted) throw new Error('interrupted');
  try {
    const t0 = performance.now();
    const step = fn();
    inFlight = step.catch(() => undefined);
    const sample = await step;
    if (process.env.BENCH_DEBUG) log(`round ${round}: ${Math.round(performance.now() - t0)} ms ${JSON.stringify(sample)}`);
    if (round >= WARMUP) into.samples.push(sample);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    log(`round ${round}: ${error}`);
    into.failures.push({ round, error: error.slice(0, 500) });
  }
}

function berthSection(s: Shape): Record<string, unknown> {
  const pick = (k: keyof TaskSample) => summarize(s.samples.map((x) => x[k]));
  return {
    runningMs: pick('runningMs'),
    startedMinusCreatedMs: pick('startedMinusCreatedMs'),
    runTaskCallMs: pick('runTaskCallMs'),
    phasesMs: { createdToPullStarted: pick('toPullStartMs'), pullStoppedToStarted: pick('pullStopToStartedMs') },
    stopMs: pick('stopMs'),
    resolutionMs: { pollInterval: POLL_MS, meanDescribeTasksRoundTrip: round1(summarize(s.samples.map((x) => x.pollRoundTripMs)).mean) },
    failures: s.failures,
  };
}

const timedSection = (b: { samples: Timed[]; failures: Failure[] }): Record<string, unknown> => ({
  startMs: summarize(b.samples.map((x) => x.startMs)),
  stopMs: summarize(b.samples.map((x) => x.stopMs)),
  ...(b.failures.length ? { failures: b.failures } : {}),
});

// --- set-up and teardown -----------------------------------------------------------------

const runId = randomBytes(4).toString('hex');
const berth = new BerthProcess(mkdtempSync(join(tmpdir(), 'berth-bench-tasks-')));
berth.command = 'up';
let agent: AgentProcess | undefined;
const runtime = new DockerRuntime();
const clusterArns: string[] = [];
let berthNetwork: string | undefined;
let cleaned: Promise<void> | undefined;

/** Idempotent: stops new steps, the processes, waits out the step in flight, then Berth's task containers, the subnet network if idle, the baselines' leftovers, the data dir. */
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    aborted = true;
    await agent?.kill('SIGTERM').catch(() => undefined);
    await berth.kill('SIGTERM').catch(() => undefined);
    // With the server gone a Berth step fails at its next call; a baseline step runs out.
    await inFlight;
    for (const arn of clusterArns) {
      const ids = await docker(['ps', '-aq', '--filter', `label=com.amazonaws.ecs.cluster=${arn}`]).catch(() => '');
      if (ids) await docker(['rm', '-f', ...ids.split('\n')]).catch(() => undefined);
    }
    // Fails (harmlessly) while any other Berth on this host still has a task on that subnet.
    if (berthNetwork) await docker(['network', 'rm', berthNetwork]).catch(() => undefined);
    await removeLabelled(runId);
    runtime.close();
    await berth.stop(true).catch(() => undefined);
  })();
  return cleaned;
}

// `on`, not `once`: under `npm run bench` a Ctrl-C reaches this process twice (from the terminal
// and passed on by run.ts), and the second must not kill it mid-cleanup.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

const setupStart = performance.now();
try {
  await Promise.all([ensureTestImage(), ensurePauseImage()]);
  await berth.start();
  const ecs = berth.ecs();
  const ec2 = new EC2Client({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });

  const ec2Cluster = 'bench-ec2';
  const fgCluster = 'bench-fargate';
  for (const clusterName of [ec2Cluster, fgCluster]) {
    clusterArns.push((await ecs.send(new CreateClusterCommand({ clusterName }))).cluster!.clusterArn!);
  }
  agent = await new AgentProcess(berth, ec2Cluster).start();

  const app = { name: 'app', image: TEST_IMAGE, command: ['sleep', '3600'], linuxParameters: { initProcessEnabled: true }, stopTimeout: STOP_TIMEOUT_SEC };
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'bench-ec2', networkMode: 'bridge', containerDefinitions: [{ ...app, memory: 32 }] }));
  await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'bench-fargate', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [app],
  }));
  // The last default subnet: test files use the first, and Berth servers on one host share the
  // Docker network of a CIDR while each picks addresses on its own, so a run beside the tests
  // could otherwise be handed an address a test task holds.
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets ?? [];
  const subnet = [...subnets].sort((a, b) => (a.CidrBlock ?? '').localeCompare(b.CidrBlock ?? '', 'en', { numeric: true })).pop();
  if (!subnet?.SubnetId) throw new Error('no default subnet');
  berthNetwork = `berth-net-${subnet.CidrBlock!.replace('/', '-')}`;

  const cliNet = await createBaselineNetwork(runId, `berth-bench-${runId}-cli`);
  // Reserve a second free /24 for the engine-API baseline, which creates its network each round.
  const apiNet = await createBaselineNetwork(runId, `berth-bench-${runId}-apinet`);
  await docker(['network', 'rm', apiNet.name]);

  const ec2Shape = new Shape();
  const fgShape = new Shape();
  const cliBridgeRuns = { samples: [] as Timed[], failures: [] as Failure[] };
  const apiBridgeRuns = { samples: [] as Timed[], failures: [] as Failure[] };
  const cliAwsvpcRuns = { samples: [] as Timed[], failures: [] as Failure[] };
  const apiAwsvpcRuns = { samples: [] as NetTimed[], failures: [] as Failure[] };

  log(`set up in ${Math.round(performance.now() - setupStart)} ms; ${WARMUP + TASKS} rounds`);
  const started = performance.now();
  for (let round = 0; round < WARMUP + TASKS; round++) {
    if (!ec2Shape.abandoned) {
      await measure(round, ec2Shape, () => oneTask(ecs, { cluster: ec2Cluster, taskDefinition: 'bench-ec2', launchType: 'EC2' }));
    }
    await measure(round, cliBridgeRuns, () => cliBridge(runId, TEST_IMAGE));
    await measure(round, apiBridgeRuns, () => apiBridge(runtime, runId, TEST_IMAGE, round));
    if (!fgShape.abandoned) {
      await measure(round, fgShape, () => oneTask(ecs, {
        cluster: fgCluster, taskDefinition: 'bench-fargate', launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [subnet.SubnetId!], assignPublicIp: 'DISABLED' } },
      }));
    }
    await measure(round, cliAwsvpcRuns, () => cliAwsvpc(runId, TEST_IMAGE, PAUSE_IMAGE, cliNet));
    await measure(round, apiAwsvpcRuns, () => apiAwsvpc(runtime, runId, TEST_IMAGE, PAUSE_IMAGE, apiNet, round));
    if ((round + 1) % 10 === 0) log(`${round + 1}/${WARMUP + TASKS} rounds, ${Math.round((performance.now() - started) / 1000)} s`);
  }

  // Every task is STOPPED now, and a task reports STOPPED only after its containers, and the
  // subnet's network with the subnet's last task, are removed: nothing of Berth's may remain.
  let leftContainers = 0;
  for (const arn of clusterArns) {
    const ids = await docker(['ps', '-aq', '--filter', `label=com.amazonaws.ecs.cluster=${arn}`]);
    leftContainers += ids ? ids.split('\n').length : 0;
  }
  const leftovers = {
    containers: leftContainers,
    // Also true, without a leak, while another Berth on this host has a task on the same subnet.
    subnetNetwork: await docker(['network', 'inspect', berthNetwork]).then(() => true, () => false),
    enis: (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnet.SubnetId] }] }))).NetworkInterfaces?.length ?? 0,
  };
  if (leftovers.containers || leftovers.enis) log(`left behind: ${JSON.stringify(leftovers)}`);

  const p50 = (xs: number[]): number => summarize(xs).p50;
  const ec2Running = p50(ec2Shape.samples.map((s) => s.runningMs));
  const fgRunning = p50(fgShape.samples.map((s) => s.runningMs));
  const added = (berthP50: number, baseP50: number): number => round1(berthP50 - baseP50);
  const cliBridgeP50 = p50(cliBridgeRuns.samples.map((s) => s.startMs));
  const cliAwsvpcP50 = p50(cliAwsvpcRuns.samples.map((s) => s.startMs));
  const apiAwsvpcNoNet = apiAwsvpcRuns.samples.map((s) => s.pauseMs + s.appMs);

  const result = {
    settings: {
      tasksPerShape: TASKS,
      warmupRoundsNotCounted: WARMUP,
      pollIntervalMs: POLL_MS,
      order: 'sequential, one task or container at a time; each round runs Berth EC2, CLI bridge, API bridge, Berth Fargate, CLI awsvpc, API awsvpc',
      server: '`berth up` process, sqlite store, managed Fargate capacity on local Docker; EC2 tasks on a `berth agent` process',
      container: `${TEST_IMAGE} sleep 3600, initProcessEnabled (docker --init), stopTimeout ${STOP_TIMEOUT_SEC} s everywhere`,
      subnet: { id: subnet.SubnetId, cidr: subnet.CidrBlock, dockerNetwork: berthNetwork },
      dockerServerVersion: execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim(),
      totalSeconds: Math.round((performance.now() - started) / 1000),
    },
    leftAfterAllTasksStopped: leftovers,
    ec2Bridge: {
      berth: berthSection(ec2Shape),
      baselineDockerCli: { command: `docker run -d --init --rm ${TEST_IMAGE} sleep 3600; docker stop -t ${STOP_TIMEOUT_SEC}; docker rm -f`, ...timedSection(cliBridgeRuns) },
      baselineEngineApi: { calls: 'create + start; stop + remove (Berth\'s DockerRuntime, no Berth around it)', ...timedSection(apiBridgeRuns) },
      berthAddedP50Ms: added(ec2Running, cliBridgeP50),
      berthAddedP50MsVsEngineApi: added(ec2Running, p50(apiBridgeRuns.samples.map((s) => s.startMs))),
      targetAddedP50Ms: TARGET_ADDED_P50_MS,
      withinTarget: ec2Running - cliBridgeP50 <= TARGET_ADDED_P50_MS,
    },
    fargateAwsvpc: {
      berth: berthSection(fgShape),
      baselineDockerCli: {
        command: `docker run -d --network <bridge> --ip <addr> ${PAUSE_IMAGE}; docker run -d --init --network container:<pause> ${TEST_IMAGE} sleep 3600 (network made once); docker stop app; docker rm -f app pause`,
        ...timedSection(cliAwsvpcRuns),
      },
      baselineEngineApi: {
        calls: 'network create + pause create/start (static address) + app create/start; stop + remove all, network too — what Berth does for a subnet\'s only task',
        ...timedSection(apiAwsvpcRuns),
        startWithoutNetworkMs: summarize(apiAwsvpcNoNet),
        segmentsMs: {
          networkCreate: summarize(apiAwsvpcRuns.samples.map((s) => s.networkMs)),
          pause: summarize(apiAwsvpcRuns.samples.map((s) => s.pauseMs)),
          app: summarize(apiAwsvpcRuns.samples.map((s) => s.appMs)),
        },
      },
      berthAddedP50Ms: added(fgRunning, cliAwsvpcP50),
      berthAddedP50MsVsEngineApi: added(fgRunning, p50(apiAwsvpcRuns.samples.map((s) => s.startMs))),
      berthAddedP50MsVsEngineApiWithoutNetwork: added(fgRunning, p50(apiAwsvpcNoNet)),
      targetAddedP50Ms: TARGET_ADDED_P50_MS,
      withinTarget: fgRunning - cliAwsvpcP50 <= TARGET_ADDED_P50_MS,
    },
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} catch (err) {
  log(aborted ? 'interrupted' : `failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
