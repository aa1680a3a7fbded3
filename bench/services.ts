/**
 * Service scheduler benchmarks (`node dist/bench/services.js` prints one JSON document; progress
 * on stderr). Two parts, in this order:
 *
 * - restartHollow: a `berth server` process (sqlite store, temporary data dir, fixed port) and a
 *   separate process of BENCH_SVC_AGENTS (50) hollow agents (bench/services-agents.ts).
 *   BENCH_SVC_SERVICES (1000) REPLICA services of BENCH_SVC_TASKS (10) tasks each are created
 *   through the SDK and awaited until every task is RUNNING; then the server is SIGKILLed and
 *   started again on the same port and data dir, and the time until every agent is connected and
 *   every service steady again (runningCount = desiredCount, pendingCount 0, one deployment) is
 *   measured; after BENCH_SVC_SETTLE_SEC (10) more seconds every service's tasks are listed: no
 *   STOPPED task and exactly desiredCount RUNNING ones means no task was started twice.
 *   BENCH_SVC_DEADLINE_SEC (600) bounds the initial wait, BENCH_SVC_RESTART_DEADLINE_SEC (180) the
 *   wait after the restart.
 * - forcedDeploymentDocker: a `berth server` and a `berth agent` on the real Docker engine; a
 *   10-task service (BENCH_SVC_DOCKER_TASKS) of busybox httpd with a container health check at the
 *   shortest interval accepted (1 s tried first, else 5 s), minimumHealthyPercent 100 /
 *   maximumPercent 200; once steady, UpdateService forceNewDeployment, timed until the new
 *   deployment is COMPLETED and alone, while healthy RUNNING tasks are sampled (minimum reported).
 *
 * BENCH_SVC_PARTS=hollow|docker|all (all). Everything started is removed on the way out, also on
 * failure or SIGINT/SIGTERM: processes, task containers (by cluster label), data dirs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeContainerInstancesCommand, DescribeServicesCommand, DescribeTasksCommand,
  ECSClient, ListClustersCommand, ListContainerInstancesCommand, ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { AgentProcess, BerthProcess } from '../test/support/berth.js';
import { ensureTestImage, TEST_IMAGE } from '../test/support/test-image.js';
import { docker } from './tasks-docker.js';
import { round1, sleep, summarize } from './tasks-stats.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const cliMain = join(repo, 'dist/src/cli/main.js');

const SERVICES = Number(process.env.BENCH_SVC_SERVICES ?? 1000);
const TASKS = Number(process.env.BENCH_SVC_TASKS ?? 10);
const AGENTS = Number(process.env.BENCH_SVC_AGENTS ?? 50);
const DEADLINE_MS = Number(process.env.BENCH_SVC_DEADLINE_SEC ?? 600) * 1000;
/** How long to wait for the services to be steady again after the restart. */
const RESTART_DEADLINE_MS = Number(process.env.BENCH_SVC_RESTART_DEADLINE_SEC ?? 180) * 1000;
const SETTLE_MS = Number(process.env.BENCH_SVC_SETTLE_SEC ?? 10) * 1000;
const DOCKER_TASKS = Number(process.env.BENCH_SVC_DOCKER_TASKS ?? 10);
const PARTS = process.env.BENCH_SVC_PARTS ?? 'all';
const CLUSTER = 'svcbench';
const CONCURRENCY = 16;

const log = (line: string): void => void process.stderr.write(`bench:services: ${new Date().toISOString().slice(11, 19)} ${line}\n`);

/** Runs `fn` over 0..n-1 with at most `limit` in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** Cleanups registered by the parts, run once on the way out (also on a signal). */
const cleanups: (() => Promise<void> | void)[] = [];
async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      log(`cleanup: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

const gone = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;
async function killChild(c: ChildProcess | undefined, sig: NodeJS.Signals): Promise<void> {
  if (!c || gone(c)) return;
  const exited = new Promise<void>((ok) => c.once('exit', () => ok()));
  c.kill(sig);
  await exited;
}

// --- part 1: reconcile after a restart, hollow agents -------------------------------------

/** A `berth server` on a fixed port; its stderr is kept (last lines) for the report. */
class Server {
  child: ChildProcess | undefined;
  readonly tail: string[] = [];
  constructor(readonly dataDir: string, readonly port: number) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [cliMain, 'server'], {
      env: { ...process.env, BERTH_PORT: String(this.port), BERTH_HOST: '127.0.0.1', BERTH_DATA_DIR: this.dataDir, BERTH_STORE: 'sqlite' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((ok, fail) => {
      let buf = '';
      let up = false;
      child.stderr!.on('data', (c: Buffer) => {
        buf += c.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) {
          this.tail.push(l);
          if (this.tail.length > 40) this.tail.shift();
          if (!up && /listening on http/.test(l)) {
            up = true;
            ok();
          }
        }
      });
      child.once('exit', (code, sig) => {
        if (!up) fail(new Error(`berth server exited with ${code ?? sig}: ${this.tail.join('\n')}`));
      });
    });
  }

  creds(): { accessKeyId: string; secretAccessKey: string } {
    return JSON.parse(readFileSync(join(this.dataDir, 'root-credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
  }
}

/** Per-service counts read with DescribeServices (10 a call). */
interface Sweep { steady: number; running: number; pending: number; deployments: number; notSteady: string[] }

async function sweep(ecs: ECSClient, names: string[], want: number): Promise<Sweep> {
  const out: Sweep = { steady: 0, running: 0, pending: 0, deployments: 0, notSteady: [] };
  const batches = Math.ceil(names.length / 10);
  await pool(batches, 8, async (b) => {
    const r = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: names.slice(b * 10, b * 10 + 10) }));
    for (const s of r.services ?? []) {
      out.running += s.runningCount ?? 0;
      out.pending += s.pendingCount ?? 0;
      out.deployments += s.deployments?.length ?? 0;
      if (s.runningCount === want && s.desiredCount === want && s.pendingCount === 0 && s.deployments?.length === 1) out.steady++;
      else out.notSteady.push(s.serviceName!);
    }
  });
  return out;
}

async function connectedAgents(ecs: ECSClient): Promise<number> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const r = await ecs.send(new ListContainerInstancesCommand({ cluster: CLUSTER, nextToken: token, maxResults: 100 }));
    arns.push(...(r.containerInstanceArns ?? []));
    token = r.nextToken;
  } while (token);
  let n = 0;
  for (let i = 0; i < arns.length; i += 100) {
    const r = await ecs.send(new DescribeContainerInstancesCommand({ cluster: CLUSTER, containerInstances: arns.slice(i, i + 100) }));
    n += (r.containerInstances ?? []).filter((c) => c.agentConnected && c.status === 'ACTIVE').length;
  }
  return n;
}

async function listAll(ecs: ECSClient, serviceName: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const r = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName, desiredStatus, nextToken: token, maxResults: 100 }));
    arns.push(...(r.taskArns ?? []));
    token = r.nextToken;
  } while (token);
  return arns;
}

async function restartHollow(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-svc-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const server = new Server(dataDir, port);
  cleanups.push(() => killChild(server.child, 'SIGKILL'));
  const result: Record<string, unknown> = {
    settings: { services: SERVICES, tasksPerService: TASKS, agents: AGENTS, store: 'sqlite', deadlineSec: DEADLINE_MS / 1000, restartDeadlineSec: RESTART_DEADLINE_MS / 1000, settleSec: SETTLE_MS / 1000, createConcurrency: CONCURRENCY },
  };
  const phase = (name: string, value: unknown): void => {
    result[name] = value;
    log(`${name}: ${JSON.stringify(value)}`);
  };

  await server.start();
  const creds = server.creds();
  const ecs = new ECSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
  cleanups.push(() => ecs.destroy());
  const agentsProc: { child?: ChildProcess } = {};
  cleanups.push(() => killChild(agentsProc.child, 'SIGTERM'));
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const token = spawnSync(process.execPath, [cliMain, 'agent', 'token', '--cluster', CLUSTER], {
      encoding: 'utf8', env: { ...process.env, BERTH_DATA_DIR: dataDir },
    }).stdout.trim();
    if (!token) throw new Error('berth agent token printed nothing');

    // --- agents, in their own process ---
    const t0 = performance.now();
    const child = agentsProc.child = spawn(process.execPath, [join(here, 'services-agents.js')], {
      env: { ...process.env, SVC_AGENTS_URL: `http://127.0.0.1:${port}`, SVC_AGENTS_TOKEN: token, SVC_AGENTS_N: String(AGENTS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let lastConnected = '';
    await new Promise<void>((ok, fail) => {
      let buf = '';
      child.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) {
          if (l.startsWith('ready')) ok();
          if (l.startsWith('connected')) lastConnected = l;
        }
      });
      child.once('exit', (code) => fail(new Error(`hollow agents exited with ${code}`)));
      setTimeout(() => fail(new Error('hollow agents not ready in 120 s')), 120_000).unref();
    });
    phase('agentsRegisteredMs', Math.round(performance.now() - t0));

    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'svcbench', networkMode: 'bridge',
      containerDefinitions: [{ name: 'app', image: 'berth-test/busybox:latest', memory: 16, cpu: 1, command: ['sleep', '3600'] }],
    }));

    // --- create ---
    const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
    const createMs: number[] = [];
    const t1 = performance.now();
    await pool(SERVICES, CONCURRENCY, async (i) => {
      const a = performance.now();
      await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: names[i], taskDefinition: 'svcbench', desiredCount: TASKS, launchType: 'EC2' }));
      createMs.push(performance.now() - a);
    });
    const createdAt = performance.now();
    phase('create', { wallMs: Math.round(createdAt - t1), perSecond: round1(SERVICES / ((createdAt - t1) / 1000)), callMs: summarize(createMs) });

    // --- all RUNNING ---
    let s: Sweep;
    let sweeps = 0;
    for (;;) {
      s = await sweep(ecs, names, TASKS);
      sweeps++;
      if (s.steady === SERVICES) break;
      if (performance.now() - t1 > DEADLINE_MS) {
        phase('initialRunning', { reached: false, runningTasks: s.running, steadyServices: s.steady, afterMs: Math.round(performance.now() - t1) });
        return result;
      }
      if (sweeps % 5 === 0) log(`initial: ${s.running}/${SERVICES * TASKS} running, ${s.steady}/${SERVICES} steady`);
      await sleep(1000);
    }
    const allRunningMs = performance.now() - t1;
    phase('initialRunning', {
      reached: true, tasks: SERVICES * TASKS, allRunningMsFromFirstCreate: Math.round(allRunningMs),
      tasksPerSecond: Math.round((SERVICES * TASKS) / (allRunningMs / 1000)), sweepResolutionNote: 'DescribeServices sweep every ~1 s',
    });

    // --- SIGKILL, restart on the same port ---
    const tk = performance.now();
    await killChild(server.child, 'SIGKILL');
    const killedMs = performance.now() - tk;
    await server.start();
    const listeningMs = performance.now() - tk;
    // The first API answer after the restart (the scheduler's first passes share the event loop).
    await ecs.send(new ListClustersCommand({}));
    const firstAnswerMs = performance.now() - tk;
    let agentsBackMs: number | undefined;
    let minRunning = Infinity;
    let maxRunning = 0;
    let maxDeployments = 0;
    let steadyMs: number | undefined;
    let last: Sweep | undefined;
    let errors = 0;
    let firstBelowFullMs: number | undefined;
    while (performance.now() - tk < RESTART_DEADLINE_MS) {
      try {
        if (agentsBackMs === undefined && (await connectedAgents(ecs)) === AGENTS) agentsBackMs = performance.now() - tk;
        last = await sweep(ecs, names, TASKS);
      } catch (err) {
        errors++;
        if (errors < 5) log(`after restart: ${err instanceof Error ? err.message : String(err)}`);
        await sleep(500);
        continue;
      }
      if (firstBelowFullMs === undefined && last.running < SERVICES * TASKS) firstBelowFullMs = performance.now() - tk;
      minRunning = Math.min(minRunning, last.running);
      maxRunning = Math.max(maxRunning, last.running);
      maxDeployments = Math.max(maxDeployments, last.deployments);
      if (agentsBackMs !== undefined && last.steady === SERVICES) {
        steadyMs = performance.now() - tk;
        break;
      }
      log(`after restart: agents ${agentsBackMs === undefined ? 'not all back' : 'back'}, ${last.running} running, ${last.pending} pending, ${last.steady}/${SERVICES} steady (${lastConnected})`);
      await sleep(1000);
    }
    phase('afterRestart', {
      killMs: Math.round(killedMs), listeningAgainMs: Math.round(listeningMs), firstApiAnswerMs: Math.round(firstAnswerMs),
      allAgentsConnectedMs: agentsBackMs === undefined ? null : Math.round(agentsBackMs),
      allServicesSteadyMs: steadyMs === undefined ? null : Math.round(steadyMs),
      runningCountSumFirstBelowFullMs: firstBelowFullMs === undefined ? null : Math.round(firstBelowFullMs),
      runningCountSum: { min: minRunning, max: maxRunning, final: last?.running ?? null },
      deploymentsSumMax: maxDeployments,
      notSteady: last && last.steady !== SERVICES ? last.notSteady.slice(0, 10) : [],
      pollErrors: errors,
    });

    // --- settle, then count every task ---
    await sleep(SETTLE_MS);
    const after = await sweep(ecs, names, TASKS);
    let running = 0;
    let stopped = 0;
    const wrong: { service: string; running: number; stopped: number }[] = [];
    await pool(SERVICES, CONCURRENCY, async (i) => {
      const r = (await listAll(ecs, names[i]!, 'RUNNING')).length;
      const st = (await listAll(ecs, names[i]!, 'STOPPED')).length;
      running += r;
      stopped += st;
      if (r !== TASKS || st !== 0) wrong.push({ service: names[i]!, running: r, stopped: st });
    });
    // A sample of the stopped tasks' reasons, if any.
    let stoppedReasons: Record<string, number> = {};
    const sample = wrong.find((w) => w.stopped > 0);
    if (sample) {
      const arns = (await listAll(ecs, sample.service, 'STOPPED')).slice(0, 100);
      const tasks = (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
      stoppedReasons = {};
      for (const t of tasks) stoppedReasons[`${t.stopCode}: ${t.stoppedReason}`] = (stoppedReasons[`${t.stopCode}: ${t.stoppedReason}`] ?? 0) + 1;
      const svc = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [sample.service] }))).services?.[0];
      result.sampleServiceEvents = (svc?.events ?? []).slice(0, 8).map((e) => e.message);
    }
    phase('afterSettle', {
      settleSec: SETTLE_MS / 1000, steadyServices: after.steady, runningTasksListed: running, stoppedTasksListed: stopped,
      tasksEverCreated: running + stopped, expected: SERVICES * TASKS, noTaskStartedTwice: stopped === 0 && running === SERVICES * TASKS,
      servicesWithExtraTasks: wrong.length, firstWrong: wrong.slice(0, 5), stoppedReasons,
    });
    return result;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    result.serverStderrTail = server.tail.slice(-15);
    return result;
  } finally {
    await killChild(agentsProc.child, 'SIGTERM');
    await killChild(server.child, 'SIGTERM');
  }
}

// --- part 2: forced deployment on real Docker ----------------------------------------------

async function forcedDeploymentDocker(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { loadavgAtStart: loadavg().map(round1) };
  await ensureTestImage();
  const berth = new BerthProcess(mkdtempSync(join(tmpdir(), 'berth-bench-svcdocker-')));
  let clusterArn: string | undefined;
  let agent: AgentProcess | undefined;
  const removeContainers = async (): Promise<void> => {
    if (!clusterArn) return;
    const ids = await docker(['ps', '-aq', '--filter', `label=com.amazonaws.ecs.cluster=${clusterArn}`]).catch(() => '');
    if (ids) await docker(['rm', '-f', ...ids.split('\n')]).catch(() => undefined);
  };
  cleanups.push(async () => {
    await agent?.kill('SIGTERM').catch(() => undefined);
    await berth.kill('SIGTERM').catch(() => undefined);
    await removeContainers();
    await berth.stop(true).catch(() => undefined);
  });
  await berth.start();
  const ecs = berth.ecs();
  cleanups.push(() => ecs.destroy());
  const cluster = 'svcbench-docker';
  clusterArn = (await ecs.send(new CreateClusterCommand({ clusterName: cluster }))).cluster!.clusterArn!;
  agent = await new AgentProcess(berth, cluster, ['--memory', '2048']).start();

  // The shortest health check interval Berth accepts: 1 s, else ECS's 5 s minimum.
  let interval = 1;
  const register = (i: number): Promise<unknown> => ecs.send(new RegisterTaskDefinitionCommand({
    family: 'svcbench-web', containerDefinitions: [{
      name: 'web', image: TEST_IMAGE, memory: 32, command: ['sh', '-c', 'httpd -f -p 8080 -h /www'], stopTimeout: 1,
      healthCheck: { command: ['CMD-SHELL', 'wget -q -O - http://127.0.0.1:8080/ >/dev/null'], interval: i, timeout: Math.min(2, i), retries: 2, startPeriod: 0 },
    }],
  }));
  try {
    await register(1);
  } catch (err) {
    result.interval1Refused = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    interval = 5;
    await register(5);
  }
  result.healthCheck = { intervalSec: interval, timeoutSec: Math.min(2, interval), retries: 2, startPeriodSec: 0 };

  const describe1 = async (): Promise<Service> => (await ecs.send(new DescribeServicesCommand({ cluster, services: ['web'] }))).services![0]!;
  const tc = performance.now();
  await ecs.send(new CreateServiceCommand({
    cluster, serviceName: 'web', taskDefinition: 'svcbench-web', desiredCount: DOCKER_TASKS, launchType: 'EC2',
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
  }));
  let first: Service;
  for (;;) {
    first = await describe1();
    if (first.deployments!.length === 1 && first.deployments![0]!.rolloutState === 'COMPLETED' && first.runningCount === DOCKER_TASKS) break;
    if (performance.now() - tc > 180_000) throw new Error(`service not steady after 180 s: ${JSON.stringify(first.events?.slice(0, 3))}`);
    await sleep(200);
  }
  result.createToSteadyMs = Math.round(performance.now() - tc);
  log(`docker: steady after ${result.createToSteadyMs} ms`);

  const healthySamples: number[] = [];
  let maxTotal = 0;
  let newAllHealthyMs: number | undefined;
  const t0 = performance.now();
  await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', forceNewDeployment: true }));
  let last: Service | undefined;
  let done = false;
  while (performance.now() - t0 < 180_000) {
    const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web', desiredStatus: 'RUNNING' }))).taskArns ?? [];
    const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks! : [];
    const healthy = tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY');
    healthySamples.push(healthy.length);
    maxTotal = Math.max(maxTotal, tasks.length);
    last = await describe1();
    const primary = last.deployments!.find((d) => d.status === 'PRIMARY');
    if (newAllHealthyMs === undefined && primary && primary.id !== first.deployments![0]!.id
      && healthy.filter((t) => t.startedBy === primary.id).length >= DOCKER_TASKS) newAllHealthyMs = performance.now() - t0;
    if (last.deployments!.length === 1 && last.deployments![0]!.rolloutState === 'COMPLETED' && last.deployments![0]!.id !== first.deployments![0]!.id) {
      done = true;
      break;
    }
    await sleep(200);
  }
  const deployMs = performance.now() - t0;
  result.forcedDeployment = {
    completed: done, completedMs: done ? Math.round(deployMs) : null, goalMs: 30_000, withinGoal: done && deployMs <= 30_000,
    newTasksAllHealthyMs: newAllHealthyMs === undefined ? null : Math.round(newAllHealthyMs),
    healthyRunningMin: Math.min(...healthySamples), healthyRunningMinOk: Math.min(...healthySamples) >= DOCKER_TASKS,
    samples: healthySamples.length, maxTasksDesiredRunning: maxTotal,
    lastEvents: (last?.events ?? []).slice(0, 6).map((e) => `${e.createdAt?.toISOString().slice(11, 23)} ${e.message}`),
  };
  // The same service deployed again with the BLUE_GREEN strategy (no load balancer, bake 0):
  // green starts in full beside blue, then blue is stopped.
  if (done) {
    const blue = last!.deployments![0]!.id;
    const tb = performance.now();
    await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', forceNewDeployment: true, deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 } }));
    const bgHealthy: number[] = [];
    let bgMax = 0;
    let bgDone = false;
    let bg: Service | undefined;
    while (performance.now() - tb < 180_000) {
      const arns = (await ecs.send(new ListTasksCommand({ cluster, serviceName: 'web', desiredStatus: 'RUNNING' }))).taskArns ?? [];
      const tasks = arns.length ? (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks! : [];
      bgHealthy.push(tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY').length);
      bgMax = Math.max(bgMax, tasks.length);
      bg = await describe1();
      if (bg.deployments!.length === 1 && bg.deployments![0]!.id !== blue && bg.deployments![0]!.rolloutState === 'COMPLETED') { bgDone = true; break; }
      await sleep(200);
    }
    result.blueGreenDeployment = {
      completed: bgDone, completedMs: bgDone ? Math.round(performance.now() - tb) : null,
      healthyRunningMin: Math.min(...bgHealthy), maxTasksDesiredRunning: bgMax, samples: bgHealthy.length,
    };
  }
  result.loadavgAtEnd = loadavg().map(round1);
  await ecs.send(new UpdateServiceCommand({ cluster, service: 'web', desiredCount: 0 })).catch(() => undefined);
  return result;
}

// --- entry ----------------------------------------------------------------------------------

export async function servicesBench(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { machine: { cpus: cpus().length, node: process.version, loadavg: loadavg().map(round1) } };
  try {
    if (PARTS === 'all' || PARTS === 'hollow') {
      log('restartHollow');
      try {
        out.restartHollow = await restartHollow();
      } catch (err) {
        out.restartHollow = { error: err instanceof Error ? err.message : String(err) };
      }
      await runCleanups();
    }
    if (PARTS === 'all' || PARTS === 'docker') {
      log('forcedDeploymentDocker');
      try {
        out.forcedDeploymentDocker = await forcedDeploymentDocker();
      } catch (err) {
        out.forcedDeploymentDocker = { error: err instanceof Error ? err.message : String(err) };
      }
    }
  } finally {
    await runCleanups();
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`${sig}: cleaning up`);
      void runCleanups().finally(() => process.exit(130));
    });
  }
  const result = await servicesBench();
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.exit(0);
}
