/**
 * ALB data plane benchmark: `node dist/bench/alb.js` prints one JSON document.
 *
 * Four processes so no two share an event loop: the 1 KB target, the ALB (LoadBalancerRuntime),
 * nginx when installed, and the load generator — `wrk` when installed (cheaper per request than
 * a Node client, so the proxy gets more of the CPU), else a Node client with keep-alive loops.
 * Measured in one run on loopback:
 * - throughput and latency with `concurrency` keep-alive connections: direct to the target,
 *   through the ALB (HTTP, and HTTPS when wrk is there), through nginx (1 worker, upstream
 *   keep-alive) to the same target;
 * - latency at a fixed rate (default 5,000 req/s, open loop, the raw-socket Node client below):
 *   direct and through the ALB; "added" is ALB minus direct at p50 and p99.
 * The same file is its own child processes: `--target`, `--alb <targetPort>`, `--load <job>`.
 * Env: BENCH_SECONDS (5), BENCH_CONCURRENCY (32), BENCH_RATE (5000); for diagnosis only,
 * BENCH_ALB_NODE_ARGS (node options for the ALB child, e.g. "--trace-gc", split on spaces) and
 * BENCH_FIXED_ONLY=1 (skip the throughput runs: quicker, but the ALB is then less warmed up, so
 * do not compare its figures with full runs).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LoadBalancerRuntime } from '../src/elbv2/dataplane/runtime.js';

const self = fileURLToPath(import.meta.url);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const rate = Number(process.env.BENCH_RATE ?? 5000);

interface LoadJob { port: number; seconds: number; concurrency?: number; rate?: number }
interface LoadResult { client: string; requests: number; errors: number; reqPerSec: number; p50ms: number; p99ms: number; firstError?: string }

function which(cmd: string): string | undefined {
  try { return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined; } catch { return undefined; }
}

// ---- child: the 1 KB target -------------------------------------------------------------------
function runTarget(): void {
  const body = Buffer.alloc(1024, 'x');
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1024' });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

// ---- child: the ALB ---------------------------------------------------------------------------
async function runAlb(targetPort: number): Promise<void> {
  const rt = new LoadBalancerRuntime();
  await rt.apply({
    targetGroups: [{ id: 'tg', protocol: 'HTTP', targets: [{ id: '127.0.0.1', port: targetPort }], healthCheck: { intervalSeconds: 5 } }],
    loadBalancers: [{
      id: 'alb', type: 'application', listeners: [
        { id: 'l1', port: 0, protocol: 'HTTP', defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'tg' }] }] },
        // HTTPS with the generated self-signed certificate, for the TLS throughput run.
        { id: 'l2', port: 0, protocol: 'HTTPS', defaultActions: [{ type: 'forward', targetGroups: [{ targetGroupId: 'tg' }] }] },
      ],
    }],
  });
  process.send!({ port: rt.address('l1')!.port, httpsPort: rt.address('l2')!.port });
  // Event-loop delay of the ALB process (a 10 ms-resolution sampler, cheap next to the traffic),
  // reset when the parent asks for CPU time so it covers the fixed-rate run only.
  // A clean exit on kill, so diagnostics written at exit (--cpu-prof, --heap-prof) are written.
  process.once('SIGTERM', () => process.exit(0));
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  process.on('message', (m) => {
    if (m === 'metrics') process.send!({ metrics: rt.metrics() });
    else if (m === 'cpu') {
      const cpu = process.cpuUsage();
      // The histogram holds the time between samples, so the resolution itself is taken off.
      const ms = (ns: number): number => ns / 1e6 - 10;
      process.send!({ cpu: { userUs: cpu.user, systemUs: cpu.system, eldP50ms: ms(eld.percentile(50)), eldP99ms: ms(eld.percentile(99)), eldMaxms: ms(eld.max) } });
      eld.reset();
    }
  });
}

// ---- child: the Node load generator ----------------------------------------------------------
// Raw keep-alive sockets with one prepared request and a minimal response reader (status line,
// Content-Length): the client's own cost per request stays small and steady, so at a fixed rate
// the latency measured is the server's, not the client's (node:http with an Agent costs the
// client more than the proxy it measures, and its jitter swamped the p99). Every server in this
// benchmark answers with Content-Length, which is all the reader supports.
function pct(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(3));
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

/** One keep-alive connection carrying one request at a time. */
class LoadConnection {
  private buf: Buffer | undefined;
  private want = -1;
  private status = 0;
  private done: ((status: number | string) => void) | undefined;
  readonly socket: Socket;

  constructor(port: number, private readonly onGone: (c: LoadConnection) => void) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (c: Buffer) => this.onData(c));
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => { this.finish('connection closed'); this.onGone(this); });
  }

  send(request: Buffer, done: (status: number | string) => void): void {
    this.done = done;
    this.socket.write(request);
  }

  private onData(c: Buffer): void {
    this.buf = this.buf ? Buffer.concat([this.buf, c]) : c;
    if (this.want < 0) {
      const at = this.buf.indexOf(HEAD_END);
      if (at < 0) return;
      const head = this.buf.toString('latin1', 0, at + 2);
      this.status = Number(head.slice(9, 12));
      const m = CONTENT_LENGTH.exec(head);
      if (!m) { this.finish('response without Content-Length'); this.socket.destroy(); return; }
      this.want = at + 4 + Number(m[1]);
    }
    if (this.buf.length < this.want) return;
    this.buf = undefined;
    this.want = -1;
    this.finish(this.status);
  }

  private finish(result: number | string): void {
    const done = this.done;
    this.done = undefined;
    done?.(result);
  }
}

async function runLoad(job: LoadJob): Promise<void> {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\nUser-Agent: berth-bench\r\n\r\n`);
  // At most this many connections, as a browser or a real client pool would hold; requests due
  // while all are busy wait in a queue, and that wait counts in their latency (no coordinated
  // omission). Unbounded connections turn any short stall into a SYN storm that overflows the
  // listen backlog and measures TCP's 1 s SYN retransmission instead of the server.
  const maxConnections = job.concurrency ?? 64;
  let open = 0;
  const idle: LoadConnection[] = [];
  const queue: Array<{ since: number; resolve: () => void }> = [];
  const lat: number[] = [];
  let errors = 0;
  let firstError = '';
  let measuring = false;
  const connect = (): LoadConnection => { open++; return new LoadConnection(job.port, gone); };
  const gone = (c: LoadConnection): void => {
    open--;
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
    const q = queue.shift();
    if (q) run(connect(), q.since, q.resolve);
  };
  const run = (c: LoadConnection, since: number, resolve: () => void): void => {
    c.send(request, (status) => {
      if (measuring) lat.push(performance.now() - since);
      if (status !== 200) { errors++; firstError ||= String(status); c.socket.destroy(); resolve(); return; }
      const q = queue.shift();
      if (q) run(c, q.since, q.resolve);
      else idle.push(c);
      resolve();
    });
  };
  const once = (): Promise<void> => new Promise((resolve) => {
    const since = performance.now();
    const c = idle.pop();
    if (c) run(c, since, resolve);
    else if (open < maxConnections) run(connect(), since, resolve);
    else queue.push({ since, resolve });
  });
  // Warm up the connections, then measure.
  await Promise.all(Array.from({ length: Math.min(job.concurrency ?? 32, 64) }, once));
  errors = 0;
  firstError = '';
  measuring = true;
  const start = performance.now();
  const deadline = start + job.seconds * 1000;
  if (job.rate) {
    // Open loop: requests fall due on schedule whether or not earlier ones came back (each on an
    // idle connection, a new one up to the limit, else queued with its clock running).
    let sent = 0;
    const inflight: Promise<void>[] = [];
    await new Promise<void>((done) => {
      const tick = (): void => {
        const now = performance.now();
        if (now >= deadline) { done(); return; }
        const due = Math.floor(((now - start) * job.rate!) / 1000);
        for (; sent < due; sent++) inflight.push(once());
        setTimeout(tick, 1); // ~1 ms ticks: a burst of rate/1000 requests each, without spinning a core
      };
      tick();
    });
    await Promise.all(inflight);
  } else {
    const worker = async (): Promise<void> => { while (performance.now() < deadline) await once(); };
    await Promise.all(Array.from({ length: job.concurrency ?? 32 }, worker));
  }
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(lat).sort();
  const out: LoadResult = { client: 'node-raw', requests: lat.length, errors, reqPerSec: Math.round(lat.length / elapsed), p50ms: pct(sorted, 0.5), p99ms: pct(sorted, 0.99), ...(firstError ? { firstError } : {}) };
  process.stdout.write(JSON.stringify(out) + '\n');
  for (const c of idle) c.socket.destroy();
  process.exit(0);
}

// ---- parent -----------------------------------------------------------------------------------
function child(args: string[], execArgv?: string[]): Promise<{ proc: ChildProcess; port: number; httpsPort?: number }> {
  return new Promise((ok, fail) => {
    const proc = fork(self, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...(execArgv ? { execArgv } : {}) });
    proc.once('message', (m) => ok({ proc, ...(m as { port: number; httpsPort?: number }) }));
    proc.once('exit', (code) => fail(new Error(`child ${args[0]} exited ${code}`)));
  });
}

function nodeLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((ok, fail) => {
    const proc = fork(self, ['--load', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('exit', (code) => (code === 0 ? ok(JSON.parse(out) as LoadResult) : fail(new Error(`load exited ${code}`))));
  });
}

function wrkMs(v: string, unit: string): number {
  const n = Number(v);
  return Number((unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n).toFixed(3));
}

function wrkLoad(wrk: string, port: number, scheme: 'http' | 'https' = 'http'): Promise<LoadResult> {
  return new Promise((ok, fail) => {
    const proc = spawn(wrk, ['-t1', `-c${concurrency}`, `-d${seconds}s`, '--latency', `${scheme}://127.0.0.1:${port}/`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('exit', (code) => {
      if (code !== 0) { fail(new Error(`wrk exited ${code}`)); return; }
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(out);
      const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
      const total = /(\d+) requests in/.exec(out);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
      const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const errors = Number(non2xx?.[1] ?? 0) + (sockErr ? sockErr.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
      ok({ client: 'wrk', requests: Number(total?.[1] ?? 0), errors, reqPerSec: Math.round(Number(rps?.[1] ?? 0)), p50ms: p50 ? wrkMs(p50[1]!, p50[2]!) : NaN, p99ms: p99 ? wrkMs(p99[1]!, p99[2]!) : NaN });
    });
  });
}

/** CPU time (user + system, µs) of a process and its children's threads, from /proc (Linux); NaN elsewhere. */
function procCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch { return NaN; }
}

/** The pids of nginx's workers (children of the master), for their CPU time. */
function childPids(pid: number): number[] {
  try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; }
}

async function startNginx(nginx: string, targetPort: number): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-alb-nginx-'));
  // A free port, found by binding 0 and releasing it.
  const port = await new Promise<number>((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => ok(p)); }); });
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream target { server 127.0.0.1:${targetPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://target;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`);
  const proc = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const end = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((ok) => { const r = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => { res.resume(); ok(res.statusCode === 200); }); r.on('error', () => ok(false)); r.end(); });
    if (up) break;
    if (Date.now() > end || proc.exitCode !== null) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pid: proc.pid!,
    stop: async () => {
      const gone = new Promise<void>((ok) => proc.once('exit', () => ok()));
      proc.kill('SIGQUIT');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function albBench(): Promise<Record<string, unknown>> {
  const wrk = which('wrk');
  const nginx = which('nginx') ?? (which('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined);
  const throughput = (port: number): Promise<LoadResult> => (wrk ? wrkLoad(wrk, port) : nodeLoad({ port, seconds, concurrency }));
  const target = await child(['--target']);
  const albArgs = process.env.BENCH_ALB_NODE_ARGS?.split(' ').filter(Boolean);
  const alb = await child(['--alb', String(target.port)], albArgs);
  interface CpuSample { userUs: number; systemUs: number; eldP50ms: number; eldP99ms: number; eldMaxms: number }
  const albCpu = (): Promise<CpuSample> => new Promise((ok) => {
    const on = (m: unknown): void => { const c = (m as { cpu?: CpuSample }).cpu; if (c) { alb.proc.off('message', on); ok(c); } };
    alb.proc.on('message', on);
    alb.proc.send('cpu');
  });
  const result: Record<string, unknown> = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    settings: { seconds, concurrency, rate, responseBytes: 1024, loadClient: wrk ? 'wrk -t1' : 'node raw keep-alive loops', fixedRateClient: 'node raw keep-alive sockets, open loop' },
  };
  try {
    const fixedOnly = process.env.BENCH_FIXED_ONLY === '1';
    if (!fixedOnly) {
      process.stderr.write('alb bench: throughput direct / alb\n');
      result.direct = await throughput(target.port);
      result.alb = await throughput(alb.port);
      // The same through an HTTPS listener (TLS terminated by the ALB; wrk keeps its connections,
      // so this is the per-request cost, not the handshake's). Needs wrk: the Node client is plain.
      if (wrk) {
        process.stderr.write('alb bench: throughput alb https\n');
        result.albHttps = await wrkLoad(wrk, alb.httpsPort!, 'https');
      }
    }
    process.stderr.write(`alb bench: fixed rate ${rate} req/s direct / alb\n`);
    const fixedDirect = await nodeLoad({ port: target.port, seconds, rate });
    const cpu0 = await albCpu();
    const fixedAlb = await nodeLoad({ port: alb.port, seconds, rate });
    const cpu1 = await albCpu();
    // The ALB process's CPU time over the fixed-rate run, per request (user + system, µs), and
    // its event-loop delay over that run.
    const perReq = (us: number): number => Number((us / Math.max(1, fixedAlb.requests)).toFixed(1));
    const albCpuPerRequest = {
      userUs: perReq(cpu1.userUs - cpu0.userUs), systemUs: perReq(cpu1.systemUs - cpu0.systemUs),
      totalUs: perReq(cpu1.userUs - cpu0.userUs + cpu1.systemUs - cpu0.systemUs),
      eventLoopDelayP50ms: Number(cpu1.eldP50ms.toFixed(2)), eventLoopDelayP99ms: Number(cpu1.eldP99ms.toFixed(2)), eventLoopDelayMaxms: Number(cpu1.eldMaxms.toFixed(2)),
    };
    const fixed: Record<string, unknown> = {
      rate, direct: fixedDirect, alb: fixedAlb,
      addedP50ms: Number((fixedAlb.p50ms - fixedDirect.p50ms).toFixed(3)),
      addedP99ms: Number((fixedAlb.p99ms - fixedDirect.p99ms).toFixed(3)),
      albCpuPerRequest,
    };
    if (nginx) {
      // nginx beside the ALB, both ways: its throughput, and what it adds at the same fixed rate
      // (the machine's own share of the tail: the same hop through another process).
      process.stderr.write('alb bench: throughput and fixed rate nginx\n');
      const ng = await startNginx(nginx, target.port);
      try {
        if (!fixedOnly) result.nginx = { ...(await throughput(ng.port)), workers: 1 };
        const workers = childPids(ng.pid);
        const ngCpu = (): number => workers.reduce((a, p) => a + procCpuUs(p), 0);
        const ng0 = ngCpu();
        const fixedNginx = await nodeLoad({ port: ng.port, seconds, rate });
        // Its worker's CPU time per request over the fixed-rate run (10 ms ticks, so ±0.2 µs here).
        fixed.nginxCpuPerRequestUs = Number(((ngCpu() - ng0) / Math.max(1, fixedNginx.requests)).toFixed(1));
        fixed.nginx = fixedNginx;
        fixed.nginxAddedP50ms = Number((fixedNginx.p50ms - fixedDirect.p50ms).toFixed(3));
        fixed.nginxAddedP99ms = Number((fixedNginx.p99ms - fixedDirect.p99ms).toFixed(3));
      } finally { await ng.stop(); }
    } else {
      result.nginx = { skipped: 'nginx is not installed' };
    }
    result.fixedRate = fixed;
    const a = (result.alb ?? { reqPerSec: NaN }) as LoadResult;
    const f = result.fixedRate as { addedP50ms: number; addedP99ms: number };
    result.goals = {
      reqPerSecAtLeast15000: a.reqPerSec >= 15000,
      addedP50AtMost0_5ms: f.addedP50ms <= 0.5,
      addedP99AtMost2ms: f.addedP99ms <= 2,
    };
    result.albMetrics = await new Promise((ok) => {
      alb.proc.once('message', (m) => ok((m as { metrics: { loadBalancers: unknown } }).metrics.loadBalancers));
      alb.proc.send('metrics');
    });
  } finally {
    alb.proc.kill();
    target.proc.kill();
  }
  return result;
}

const mode = process.argv[2];
if (mode === '--target') runTarget();
else if (mode === '--alb') void runAlb(Number(process.argv[3]));
else if (mode === '--load') void runLoad(JSON.parse(process.argv[3]!) as LoadJob);
else if (process.argv[1] === self) {
  albBench().then(
    (r) => { process.stdout.write(JSON.stringify(r, null, 2) + '\n'); process.exit(0); },
    (e: unknown) => { process.stderr.write(`${(e as Error).stack ?? String(e)}\n`); process.exit(1); },
  );
}
