/**
 * `npm run bench [api|tasks|hollow|all]` (default all): runs the benchmarks one after the other
 * and prints one JSON document with a section per benchmark; progress goes to stderr. A
 * benchmark that fails leaves `{ "error": … }` in its section and the exit code 1.
 *
 * - api: API throughput and latency of the berth server, measured from a separate client process
 *   with signed requests, beside a baseline measured in the same run: a bare node HTTP server
 *   that answers `{}` on the same loopback with the same client (the floor any Node HTTP API can
 *   reach here). Runs here.
 * - tasks: RunTask → RUNNING latency on the real Docker engine against docker CLI / Engine API
 *   baselines (bench/tasks.ts, its own process).
 * - hollow: cost per simulated container instance and task on the hollow runtime
 *   (bench/hollow.ts, its own processes); with BENCH_HOLLOW_SIZES=5000 and
 *   BENCH_HOLLOW_TASKS_PER_INSTANCE=30, the end-to-end placement of 150,000 tasks.
 * - alb: requests per second and latency through the ALB data plane beside the same target hit
 *   directly, and beside nginx as a reverse proxy when it is installed (bench/alb.ts).
 * - logs: the awslogs driver shipping from 20 containers of one agent (MB/s, loss, the agent's
 *   CPU share) and GetLogEvents/FilterLogEvents latency over 1,000,000 events (bench/logs.ts).
 * - services: 1,000 services × 10 tasks on hollow agents brought back after a server SIGKILL,
 *   and a forced deployment of a 10-task service on Docker (bench/services.ts).
 * - placement: the pure placement pipeline's decisions per second and latency over 5,000
 *   instances (bench/placement.ts, in this process).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

interface LoadResult { requests: number; errors: number; reqPerSec: number; p50ms: number; p99ms: number; firstError?: string }

function load(endpoint: string, target: string, body: string, creds: { accessKeyId: string; secretAccessKey: string }, signed = true): Promise<LoadResult> {
  const job = { endpoint, region: 'us-east-1', target, body, concurrency, seconds, creds, signed };
  return new Promise((ok, fail) => {
    const child = fork(join(here, 'load-client.js'), [JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out) as LoadResult) : fail(new Error(`load client exited ${code}`))));
  });
}

async function startBerth(dataDir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(repo, 'dist/src/cli/main.js'), 'server'], {
    env: { ...process.env, BERTH_PORT: '0', BERTH_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await new Promise<number>((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(err);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', (code) => fail(new Error(`berth exited ${code}: ${err}`)));
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill('SIGTERM');
    await gone;
  };
  return { port, stop };
}

async function baseline(): Promise<LoadResult> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  // The baseline server must not share this process's event loop with anything else.
  const port = (server.address() as AddressInfo).port;
  try {
    return await load(`http://127.0.0.1:${port}`, 'Baseline.Echo', '{}', { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' }, false);
  } finally {
    server.close();
  }
}

async function apiBench(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  try {
    const berth = await startBerth(dataDir);
    try {
      const creds = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
      const endpoint = `http://127.0.0.1:${berth.port}`;
      const ecs = 'AmazonEC2ContainerServiceV20141113';
      // Seed: a cluster to describe and a family to describe.
      await load(endpoint, `${ecs}.CreateCluster`, '{"clusterName":"bench"}', creds);
      return {
        settings: { seconds, concurrency, clientProcess: 'separate', signed: true, store: 'sqlite (WAL, synchronous=NORMAL)' },
        baselineNodeHttpEcho: await baseline(),
        describeClusters: await load(endpoint, `${ecs}.DescribeClusters`, '{"clusters":["bench"]}', creds),
        listClusters: await load(endpoint, `${ecs}.ListClusters`, '{}', creds),
        registerTaskDefinition: await load(endpoint, `${ecs}.RegisterTaskDefinition`,
          '{"family":"bench-${i}","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","containerDefinitions":[{"name":"web","image":"busybox","portMappings":[{"containerPort":8080}]}]}', creds),
        describeTaskDefinition: await load(endpoint, `${ecs}.DescribeTaskDefinition`, '{"taskDefinition":"bench-1"}', creds),
      };
    } finally {
      await berth.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The benchmark process running now, if any: a signal to this one is passed on so it can clean up. */
let current: ChildProcess | undefined;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (current && current.exitCode === null) current.kill(sig);
    else process.exit(130);
  });
}

/** Runs a benchmark script of this folder in its own process; its stdout is one JSON document. */
function script(file: string): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) => {
    const child = current = spawn(process.execPath, [join(here, file)], {
      // The SDK's notice about future Node versions is noise in a benchmark's output.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (code !== 0) return fail(new Error(`${file} exited with ${code ?? signal}`));
      try {
        ok(JSON.parse(out) as Record<string, unknown>);
      } catch (err) {
        fail(new Error(`${file} printed no JSON: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  });
}

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  api: apiBench,
  tasks: () => script('tasks.js'),
  hollow: () => script('hollow.js'),
  placement: async () => (await import('./placement.js')).placementBench(),
  alb: async () => (await import('./alb.js')).albBench(),
  logs: async () => (await import('./logs.js')).logsBench(),
  services: async () => (await import('./services.js')).servicesBench(),
};

const which = process.argv[2] ?? 'all';
if (which !== 'all' && !(which in BENCHES)) {
  process.stderr.write(`usage: npm run bench [-- ${Object.keys(BENCHES).join('|')}|all]\n`);
  process.exit(2);
}
const results: Record<string, unknown> = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version } };
for (const [name, run] of Object.entries(BENCHES)) {
  if (which !== 'all' && which !== name) continue;
  process.stderr.write(`bench: ${name}\n`);
  const t0 = performance.now();
  try {
    results[name] = await run();
  } catch (err) {
    results[name] = { error: err instanceof Error ? err.message : String(err) };
    process.exitCode = 1;
  }
  process.stderr.write(`bench: ${name} took ${Math.round((performance.now() - t0) / 1000)} s\n`);
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
