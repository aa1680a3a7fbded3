/**
 * `npm run bench`: API throughput and latency of the berth server, measured from a separate
 * client process with signed requests, beside a baseline measured in the same run: a bare node
 * HTTP server that answers `{}` on the same loopback with the same client (the floor any Node
 * HTTP API can reach here). Prints one JSON document.
 */
import { fork, spawn } from 'node:child_process';
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

async function startBerth(dataDir: string): Promise<{ port: number; stop: () => void }> {
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
  return { port, stop: () => child.kill('SIGTERM') };
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

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const berth = await startBerth(dataDir);
const creds = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
const endpoint = `http://127.0.0.1:${berth.port}`;
const ecs = 'AmazonEC2ContainerServiceV20141113';
try {
  // Seed: a cluster to describe and a family to describe.
  await load(endpoint, `${ecs}.CreateCluster`, '{"clusterName":"bench"}', creds);
  const results = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    settings: { seconds, concurrency, clientProcess: 'separate', signed: true, store: 'sqlite (WAL, synchronous=NORMAL)' },
    baselineNodeHttpEcho: await baseline(),
    describeClusters: await load(endpoint, `${ecs}.DescribeClusters`, '{"clusters":["bench"]}', creds),
    listClusters: await load(endpoint, `${ecs}.ListClusters`, '{}', creds),
    registerTaskDefinition: await load(endpoint, `${ecs}.RegisterTaskDefinition`,
      '{"family":"bench-${i}","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","containerDefinitions":[{"name":"web","image":"busybox","portMappings":[{"containerPort":8080}]}]}', creds),
    describeTaskDefinition: await load(endpoint, `${ecs}.DescribeTaskDefinition`, '{"taskDefinition":"bench-1"}', creds),
  };
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
} finally {
  berth.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
