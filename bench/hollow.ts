/**
 * `npm run bench:hollow`: what one simulated container instance costs. For each N in
 * BENCH_HOLLOW_SIZES (200,1000,2000) a fresh process (`--expose-gc`, so every reading follows a
 * full GC) runs, in itself, a Berth server (memory store, temporary data dir, loopback) and N
 * agents, each with its own HollowRuntime and MemoryAgentState, no metadata endpoint, registered
 * into one cluster with a join token over its own WebSocket. It measures:
 *
 * - baseline: the process with the server only, no agents (after one API call, so the SDK and
 *   the request path are loaded);
 * - registration: wall time and CPU time until every agent is welcomed, and RSS / heap per
 *   instance after it (delta over the baseline / N; each instance is both its agent and its
 *   server-side session, as both live in this process);
 * - tasks: RunTask (count 10) calls, BENCH_HOLLOW_CONCURRENCY (4) at a time, for about
 *   BENCH_HOLLOW_TASKS_PER_INSTANCE (2) tasks per instance, through the SDK; tasks started per
 *   second until every task is RUNNING and that report is acknowledged by the server (read off
 *   the agents every 20 ms, then confirmed with DescribeTasks), and memory per running task;
 * - idle: CPU use over BENCH_HOLLOW_IDLE_SEC (10, one server heartbeat period) with everything
 *   running.
 *
 * The parent prints one JSON document with a section per size; sizes run one after the other.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { Agent } from '../src/agent/agent.js';
import { HollowRuntime } from '../src/agent/runtime/hollow.js';
import { MemoryAgentState } from '../src/agent/state-store.js';
import { loadConfig } from '../src/config.js';
import { clusterSubject } from '../src/ecs/agents/tokens.js';
import { startServer } from '../src/server.js';
import { round1, sleep, summarize } from './tasks-stats.js';

const SIZES = (process.env.BENCH_HOLLOW_SIZES ?? '200,1000,2000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const TASKS_PER_INSTANCE = Number(process.env.BENCH_HOLLOW_TASKS_PER_INSTANCE ?? 2);
const CONCURRENCY = Number(process.env.BENCH_HOLLOW_CONCURRENCY ?? 4);
const IDLE_SEC = Number(process.env.BENCH_HOLLOW_IDLE_SEC ?? 10);
/** Agents connecting at once: more only overflows the listen backlog and measures SYN retries. */
const REGISTER_CONCURRENCY = 64;
const CLUSTER = 'hollow';
const DEADLINE_MS = Number(process.env.BENCH_HOLLOW_DEADLINE_SEC ?? 240) * 1000;

const log = (line: string): void => void process.stderr.write(`bench:hollow: ${line}\n`);
const MiB = 2 ** 20;

interface Mem { rssMiB: number; heapUsedMiB: number; externalMiB: number }

/** Memory after a full GC (when exposed) and a moment for freed pages and timers to settle. */
async function memory(): Promise<Mem> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return { rssMiB: round1(m.rss / MiB), heapUsedMiB: round1(m.heapUsed / MiB), externalMiB: round1((m.external) / MiB) };
}

const kib = (deltaMiB: number, n: number): number => round1((deltaMiB * 1024) / n);
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Runs `fn` over 0..n-1 with at most `limit` in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** One size, in this process. */
async function runSize(n: number): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-hollow-'));
  // Everything else lives in this process and goes with it; the data dir must be removed.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const env = { BERTH_PORT: '0', BERTH_HOST: '127.0.0.1', BERTH_DATA_DIR: dataDir, BERTH_STORE: 'memory' };
  const config = loadConfig(env);
  const running = await startServer(config, env);
  const agents: Agent[] = [];
  const stores: MemoryAgentState[] = [];
  const ecs = new ECSClient({
    endpoint: `http://127.0.0.1:${running.port}`, region: config.region, maxAttempts: 1,
    credentials: { accessKeyId: running.root.accessKeyId, secretAccessKey: running.root.secretAccessKey },
  });
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'hollow', networkMode: 'bridge',
      containerDefinitions: [{ name: 'app', image: 'berth-test/busybox:latest', memory: 16, command: ['sleep', '3600'] }],
    }));
    const base = await memory();

    // --- registration ---
    const token = running.tokens.issue(clusterSubject(running.root.accountId, config.region, CLUSTER));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await pool(n, REGISTER_CONCURRENCY, async (i) => {
      const stateStore = new MemoryAgentState();
      const agent = new Agent({
        serverUrl: `http://127.0.0.1:${running.port}`, joinToken: token, runtime: new HollowRuntime(), stateStore,
        pauseImage: 'berth/pause:latest', metadata: false, hostname: `hollow-${i}`,
      });
      agents.push(agent);
      stores.push(stateStore);
      await agent.start();
      await agent.ready;
    });
    const registerMs = performance.now() - t0;
    const registerCpu = process.cpuUsage(cpu0);
    const serverSockets = await new Promise<number>((ok) => running.server.getConnections((_e, c) => ok(c)));
    const registered = await memory();

    // --- tasks ---
    const want = n * TASKS_PER_INSTANCE;
    const calls = Math.ceil(want / 10);
    const arns: string[] = [];
    const failures = new Map<string, number>();
    const callMs: number[] = [];
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    let submittedAt = 0;
    await pool(calls, CONCURRENCY, async (i) => {
      const count = Math.min(10, want - i * 10);
      const a = performance.now();
      const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'hollow', launchType: 'EC2', count }));
      callMs.push(performance.now() - a);
      for (const t of r.tasks ?? []) arns.push(t.taskArn!);
      for (const f of r.failures ?? []) failures.set(f.reason ?? '?', (failures.get(f.reason ?? '?') ?? 0) + 1);
    });
    submittedAt = performance.now();
    // Every task RUNNING on its agent and that report acknowledged by the server (the server
    // acknowledges a report once it is applied), read off the agents without API calls.
    const settled = (): number => {
      let done = 0;
      for (let i = 0; i < agents.length; i++) {
        const s = stores[i]!.load();
        for (const r of agents[i]!.engine.allRunners()) {
          if (r.observed.lastStatus === 'RUNNING' && !s.unacked[r.observed.taskArn]) done++;
        }
      }
      return done;
    };
    while (settled() < arns.length) {
      if (performance.now() - t1 > DEADLINE_MS) throw new Error(`only ${settled()} of ${arns.length} tasks RUNNING after ${DEADLINE_MS} ms`);
      await sleep(20);
    }
    const allRunningMs = performance.now() - t1;
    const tasksCpu = process.cpuUsage(cpu1);
    let confirmed = 0;
    for (let i = 0; i < arns.length; i += 100) {
      const r = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns.slice(i, i + 100) }));
      confirmed += (r.tasks ?? []).filter((t) => t.lastStatus === 'RUNNING').length;
    }
    const withTasks = await memory();
    const perAgent = agents.map((a) => a.engine.size);

    // --- idle ---
    const cpu2 = process.cpuUsage();
    const t2 = performance.now();
    await sleep(IDLE_SEC * 1000);
    const idleCpuMs = cpuMs(process.cpuUsage(cpu2));
    const idleWallMs = performance.now() - t2;

    return {
      instances: n,
      // One WebSocket per agent; the server's count has the SDK client's keep-alive socket too.
      webSockets: { agentsConnected: agents.filter((a) => a.connected).length, serverConnections: serverSockets },
      memory: {
        baselineServerOnly: base,
        afterRegistration: registered,
        afterTasksRunning: withTasks,
        perInstanceKiB: { rss: kib(registered.rssMiB - base.rssMiB, n), heapUsed: kib(registered.heapUsedMiB - base.heapUsedMiB, n) },
        perRunningTaskKiB: { rss: kib(withTasks.rssMiB - registered.rssMiB, arns.length), heapUsed: kib(withTasks.heapUsedMiB - registered.heapUsedMiB, arns.length) },
      },
      registration: {
        wallMs: Math.round(registerMs),
        perSecond: Math.round(n / (registerMs / 1000)),
        cpuMs: Math.round(cpuMs(registerCpu)),
        cpuMsPerInstance: round1(cpuMs(registerCpu) / n),
        concurrentConnects: REGISTER_CONCURRENCY,
      },
      tasks: {
        requested: want,
        started: arns.length,
        placementFailures: Object.fromEntries(failures),
        runTaskCalls: calls,
        runTaskCallMs: summarize(callMs),
        submitMs: Math.round(submittedAt - t1),
        allRunningMs: Math.round(allRunningMs),
        startedPerSecond: Math.round(arns.length / (allRunningMs / 1000)),
        cpuMsPerTask: round1(cpuMs(tasksCpu) / Math.max(1, arns.length)),
        confirmedRunningByDescribeTasks: confirmed,
        tasksPerInstance: { min: Math.min(...perAgent), max: Math.max(...perAgent), mean: round1(arns.length / n) },
      },
      idle: {
        seconds: IDLE_SEC,
        cpuPercentOfOneCore: round1((idleCpuMs / idleWallMs) * 100),
        cpuUsPerInstancePerSecond: round1((idleCpuMs * 1000) / n / (idleWallMs / 1000)),
      },
    };
  } finally {
    for (const a of agents) a.stop();
    ecs.destroy();
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs one size in a fresh child process of this file and returns its JSON; signals are passed on to it. */
function child(n: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--size', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const pass = (sig: NodeJS.Signals): void => void p.kill(sig);
    process.on('SIGINT', pass);
    process.on('SIGTERM', pass);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      process.off('SIGINT', pass);
      process.off('SIGTERM', pass);
      if (code === 0) resolve(JSON.parse(out) as Record<string, unknown>);
      else reject(new Error(`hollow bench for ${n} instances exited with ${code ?? signal}`));
    });
  });
}

const sizeArg = process.argv.indexOf('--size');
if (sizeArg >= 0) {
  const n = Number(process.argv[sizeArg + 1]);
  if (!(globalThis as { gc?: unknown }).gc) log('no --expose-gc: memory readings include garbage');
  const result = await runSize(n);
  process.stdout.write(JSON.stringify(result) + '\n');
  // Closed agents' timers and the SDK's sockets must not hold the process open.
  process.exit(0);
} else {
  const started = performance.now();
  const sizes: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    log(`${n} instances`);
    sizes.push(await child(n));
  }
  process.stdout.write(JSON.stringify({
    settings: {
      sizes: SIZES, tasksPerInstance: TASKS_PER_INSTANCE, runTaskConcurrency: CONCURRENCY, idleSeconds: IDLE_SEC,
      process: 'one per size, node --expose-gc; server (memory store) and all agents in it, loopback WebSockets',
      machine: { cpus: cpus().length, node: process.version },
      totalSeconds: Math.round((performance.now() - started) / 1000),
    },
    sizes,
  }, null, 2) + '\n');
}
