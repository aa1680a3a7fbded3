/**
 * The load generator, run as its own process so the server's CPU is not shared with it in one
 * event loop. Sends SigV4-signed AWS JSON requests over keep-alive connections, `concurrency`
 * at a time, for `seconds`, and prints one JSON line: count, errors, req/s, p50/p99 latency.
 * Each request is signed afresh (the signing key is cached, as SDKs do).
 */
import { Agent, request } from 'node:http';
import { signRequest } from '../src/edge/sigv4/sign.js';

interface Job {
  endpoint: string;
  region: string;
  target: string;
  /** A body per request; `${i}` in it is replaced by a running number so writes do not collide. */
  body: string;
  concurrency: number;
  seconds: number;
  creds: { accessKeyId: string; secretAccessKey: string };
  signed: boolean;
}

const job = JSON.parse(process.argv[2]!) as Job;
const url = new URL(job.endpoint);
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const latencies: number[] = [];
let errors = 0;
let n = 0;
let firstError = '';
const deadline = performance.now() + job.seconds * 1000;

function once(): Promise<void> {
  const body = Buffer.from(job.body.replaceAll('${i}', String(n++)));
  const base = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': job.target };
  const headers = job.signed
    ? signRequest({ method: 'POST', host: url.host, path: '/', query: '', body, region: job.region, service: 'ecs', creds: job.creds, now: new Date(), headers: base })
    : { ...base, host: url.host, 'content-length': String(body.length) };
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        latencies.push(performance.now() - t0);
        if (res.statusCode !== 200) {
          errors++;
          firstError ||= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`;
        }
        resolve();
      });
    });
    req.on('error', (e) => { errors++; firstError ||= e.message; resolve(); });
    req.end(body);
  });
}

async function worker(): Promise<void> {
  while (performance.now() < deadline) await once();
}

const start = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, worker));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(JSON.stringify({
  requests: latencies.length,
  errors,
  firstError: firstError || undefined,
  reqPerSec: Math.round(latencies.length / elapsed),
  p50ms: Number(pct(0.5).toFixed(3)),
  p99ms: Number(pct(0.99).toFixed(3)),
}) + '\n');
agent.destroy();
