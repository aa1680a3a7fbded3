/**
 * The awslogs benchmark: how fast Berth ships container output into CloudWatch Logs, at what
 * cost, with what loss, and how fast the stored events can be queried back.
 *
 * 1. shipping: a `berth server` process (own temp data dir) and one `berth agent` process (EC2
 *    launch type) in a cluster; CONTAINERS tasks (RunTask calls of at most 10) of one container
 *    that writes numbered ~150-byte lines (`c=<hostname> seq=<n> <pad>`) as fast as a busybox sh
 *    loop can for SECONDS, then `END c=<hostname> last=<n>` and exits. The lines go through the
 *    agent's awslogs driver (awslogs-create-group true, a stream prefix). After every task is
 *    STOPPED (the agent flushes the tail before reporting STOPPED) each stream is read back with
 *    GetLogEvents: bytes and lines stored, every seq 1..last exactly once, ingestion rate, and the
 *    CPU share (utime+stime from /proc) and peak RSS of the agent, the server and dockerd.
 * 2. baselineJsonFile: the same containers started with `docker run` and the default json-file
 *    driver, nobody shipping; their output counted with `docker logs` — the raw production rate
 *    of the writers on this host.
 * 3. query: EVENTS events put through the real PutLogEvents API (batches of 10,000, 4 streams, one
 *    request in flight per stream) into a fresh server, then p50/p99 of GetLogEvents and
 *    FilterLogEvents shapes.
 *
 * `node dist/bench/logs.js` prints one JSON document on stdout (progress on stderr).
 * Settings from the environment: BENCH_LOG_CONTAINERS (20), BENCH_LOG_SECONDS (10),
 * BENCH_LOG_EVENTS (1000000), BENCH_LOG_QUERY_CALLS (30).
 * Everything created (containers, processes, data dirs) is removed on the way out, also on
 * failure or SIGINT/SIGTERM.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand,
  type FilterLogEventsCommandInput, type GetLogEventsCommandInput, type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { ensureTestImage, TEST_IMAGE } from '../test/support/test-image.js';
import { docker } from './tasks-docker.js';
import { round1, sleep, summarize } from './tasks-stats.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const cliMain = join(repo, 'dist/src/cli/main.js');
const REGION = 'us-east-1';
const RUN_LABEL = 'berth-logbench.run';
const CLK_TCK = clockTicks();
/** Goal of the issue: per host, into CloudWatch Logs, at most this share of one core. */
const GOAL_MBPS = 10;
const GOAL_CPU_PCT = 25;
/** Bounds: a whole shipping run, readback, and the whole benchmark. */
const SHIP_EXTRA_MS = 180_000;
const WATCHDOG_MS = 30 * 60_000;

const log = (line: string): void => void process.stderr.write(`bench:logs: ${line}\n`);
const mb = (bytes: number): number => Math.round(bytes / 1e4) / 100;

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

// --- processes and cleanup ---------------------------------------------------------------

interface Creds { accessKeyId: string; secretAccessKey: string }

/** Everything to undo: processes, data dirs, clusters (their containers), the baseline's label. */
const cleanups = { children: new Set<ChildProcess>(), dirs: new Set<string>(), clusterArns: new Set<string>(), runId: randomBytes(4).toString('hex') };

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
  cleanups.children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((ok) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      ok();
    });
    child.kill(signal);
  });
}

async function removeContainers(): Promise<void> {
  const filters = [...[...cleanups.clusterArns].map((a) => `label=com.amazonaws.ecs.cluster=${a}`), `label=${RUN_LABEL}=${cleanups.runId}`];
  for (const f of filters) {
    const ids = await docker(['ps', '-aq', '--filter', f]).catch(() => '');
    if (ids) await docker(['rm', '-f', ...ids.split('\n')]).catch(() => undefined);
  }
}

let cleaned: Promise<void> | undefined;
/** Idempotent: agents before servers, then containers, then data dirs. Never throws. */
function cleanupAll(): Promise<void> {
  cleaned ??= (async () => {
    const children = [...cleanups.children].reverse();
    for (const c of children) await stopChild(c).catch(() => undefined);
    await removeContainers();
    for (const d of cleanups.dirs) rmSync(d, { recursive: true, force: true });
    cleanups.dirs.clear();
  })();
  return cleaned;
}

interface Server { child: ChildProcess; dataDir: string; endpoint: string; creds: Creds }

async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-logs-'));
  cleanups.dirs.add(dataDir);
  const child = spawn(process.execPath, [cliMain, 'server'], {
    env: { ...process.env, BERTH_PORT: '0', BERTH_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanups.children.add(child);
  const port = await new Promise<number>((ok, fail) => {
    let err = '';
    const onData = (c: Buffer): void => {
      err += c.toString();
      const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(err);
      if (m) {
        child.stderr!.off('data', onData);
        child.stderr!.on('data', (x: Buffer) => process.stderr.write(x));
        ok(Number(m[1]));
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`berth server exited with ${code}: ${err}`)));
  });
  const creds = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as Creds;
  return { child, dataDir, endpoint: `http://127.0.0.1:${port}`, creds: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey } };
}

async function startAgent(server: Server, cluster: string): Promise<ChildProcess> {
  const token = spawnSync(process.execPath, [cliMain, 'agent', 'token', '--cluster', cluster], {
    encoding: 'utf8', env: { ...process.env, BERTH_DATA_DIR: server.dataDir },
  }).stdout.trim();
  if (!token) throw new Error('no join token');
  const stateDir = join(server.dataDir, 'agent-state');
  // BENCH_LOG_AGENT_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`): to see where the agent's time goes.
  const nodeArgs = (process.env.BENCH_LOG_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, cliMain, 'agent', '--server', server.endpoint, '--token', token, '--state-dir', stateDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanups.children.add(child);
  await new Promise<void>((ok, fail) => {
    let err = '';
    const onData = (c: Buffer): void => {
      err += c.toString();
      if (/agent registered as (\S+)/.test(err)) {
        child.stderr!.off('data', onData);
        child.stderr!.on('data', (x: Buffer) => process.stderr.write(x));
        ok();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`berth agent exited with ${code}: ${err}`)));
  });
  return child;
}

const client = <C>(Client: new (c: { endpoint: string; region: string; credentials: Creds; maxAttempts: number }) => C, s: Server): C =>
  new Client({ endpoint: s.endpoint, region: REGION, credentials: s.creds, maxAttempts: 1 });

// --- CPU and memory from /proc -----------------------------------------------------------

/** utime + stime of a process, in clock ticks; undefined once it is gone. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/** Peak and current resident set (MiB) of a process. */
function memory(pid: number | undefined): { peakRssMiB: number; rssMiB: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { peakRssMiB: round1(kb('VmHWM') / 1024), rssMiB: round1(kb('VmRSS') / 1024) };
  } catch {
    return undefined;
  }
}

function dockerdPid(): number | undefined {
  try {
    return Number(execFileSync('pidof', ['dockerd'], { encoding: 'utf8' }).trim().split(/\s+/)[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** Samples the CPU ticks of some processes every second, to cut any window out afterwards. */
class CpuSampler {
  readonly samples: { at: number; ticks: Record<string, number | undefined> }[] = [];
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly pids: Record<string, number | undefined>) {}
  sample(): void {
    const ticks: Record<string, number | undefined> = {};
    for (const [k, pid] of Object.entries(this.pids)) ticks[k] = cpuTicks(pid);
    this.samples.push({ at: Date.now(), ticks });
  }
  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
  /** Percent of one core per process between the samples bracketing [from, to]. */
  share(from: number, to: number): { seconds: number; pctOfOneCore: Record<string, number> } {
    const s = this.samples;
    const a = [...s].reverse().find((x) => x.at <= from) ?? s[0]!;
    const b = s.find((x) => x.at >= to) ?? s[s.length - 1]!;
    const secs = (b.at - a.at) / 1000;
    const pct: Record<string, number> = {};
    for (const k of Object.keys(this.pids)) {
      const t0 = a.ticks[k];
      const t1 = b.ticks[k];
      if (t0 !== undefined && t1 !== undefined && secs > 0) pct[k] = round1(((t1 - t0) / CLK_TCK / secs) * 100);
    }
    return { seconds: round1(secs), pctOfOneCore: pct };
  }
  /** Highest one-interval share of a process. */
  peak(k: string): number {
    let best = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      const t0 = a.ticks[k];
      const t1 = b.ticks[k];
      if (t0 !== undefined && t1 !== undefined && b.at > a.at) best = Math.max(best, ((t1 - t0) / CLK_TCK / ((b.at - a.at) / 1000)) * 100);
    }
    return round1(best);
  }
}

// --- the writer and its accounting -------------------------------------------------------

const PAD = 'x'.repeat(120);

/**
 * busybox sh: numbered lines as fast as the loop goes; a background sleep sends TERM after
 * `seconds`, the trap writes the END line with the last seq. `$((i+=1))` increments inside the
 * one echo command, and traps run only between commands, so END's `last` is exactly the last
 * seq written.
 */
const writerScript = (seconds: number): string =>
  `i=0; trap 'echo "END c=$HOSTNAME last=$i"; exit 0' TERM; (sleep ${seconds}; kill $$) & ` +
  `while :; do echo "c=$HOSTNAME seq=$((i+=1)) ${PAD}"; done`;

const LINE = /^c=(\S+) seq=(\d+) /;
const END = /^END c=(\S+) last=(\d+)$/;

/** Per-container accounting of the numbered lines: every seq 1..last exactly once. */
class SeqCheck {
  private seen = new Uint8Array(1 << 16);
  hosts = new Set<string>();
  lines = 0;
  bytes = 0;
  maxSeq = 0;
  last: number | undefined;
  other = 0;
  add(message: string): void {
    this.lines++;
    this.bytes += Buffer.byteLength(message);
    let m = LINE.exec(message);
    if (m) {
      this.hosts.add(m[1]!);
      const seq = Number(m[2]);
      while (seq >= this.seen.length) {
        const bigger = new Uint8Array(this.seen.length * 2);
        bigger.set(this.seen);
        this.seen = bigger;
      }
      if (this.seen[seq]! < 255) this.seen[seq]!++;
      if (seq > this.maxSeq) this.maxSeq = seq;
      return;
    }
    m = END.exec(message);
    if (m) {
      this.hosts.add(m[1]!);
      this.last = Number(m[2]);
      return;
    }
    this.other++;
  }
  result(): { lines: number; bytes: number; last: number | undefined; missing: number; duplicates: number; endLineSeen: boolean; unparsed: number; firstMissing?: number } {
    const upTo = this.last ?? this.maxSeq;
    let missing = 0;
    let duplicates = 0;
    let firstMissing: number | undefined;
    for (let s = 1; s <= upTo; s++) {
      const n = s < this.seen.length ? this.seen[s]! : 0;
      if (n === 0) {
        missing++;
        firstMissing ??= s;
      } else if (n > 1) duplicates += n - 1;
    }
    return { lines: this.lines, bytes: this.bytes, last: this.last, missing, duplicates, endLineSeen: this.last !== undefined, unparsed: this.other, ...(firstMissing !== undefined ? { firstMissing } : {}) };
  }
}

function totals(checks: ReturnType<SeqCheck['result']>[]): Record<string, unknown> {
  const sum = (k: 'lines' | 'bytes' | 'missing' | 'duplicates' | 'unparsed'): number => checks.reduce((a, c) => a + c[k], 0);
  return {
    containers: checks.length,
    lines: sum('lines'),
    bytes: sum('bytes'),
    missingSeqs: sum('missing'),
    duplicateSeqs: sum('duplicates'),
    unparsedLines: sum('unparsed'),
    containersWithoutEndLine: checks.filter((c) => !c.endLineSeen).length,
    zeroLoss: checks.every((c) => c.endLineSeen && c.missing === 0 && c.duplicates === 0),
  };
}

// --- 1. shipping throughput --------------------------------------------------------------

async function waitAll(ecs: ECSClient, cluster: string, arns: string[], done: (t: Task) => boolean, timeoutMs: number): Promise<Task[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      tasks.push(...((await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }))).tasks ?? []));
    }
    if (tasks.length === arns.length && tasks.every(done)) return tasks;
    if (Date.now() > until) {
      const by = new Map<string, number>();
      for (const t of tasks) by.set(t.lastStatus ?? '?', (by.get(t.lastStatus ?? '?') ?? 0) + 1);
      throw new Error(`tasks not done after ${timeoutMs} ms: ${JSON.stringify(Object.fromEntries(by))}`);
    }
    await sleep(250);
  }
}

async function shippingBench(containers: number, seconds: number): Promise<Record<string, unknown>> {
  const server = await startServer();
  const ecs = client(ECSClient, server);
  const logs = client(CloudWatchLogsClient, server);
  const cluster = 'logbench';
  cleanups.clusterArns.add((await ecs.send(new CreateClusterCommand({ clusterName: cluster }))).cluster!.clusterArn!);
  const agent = await startAgent(server, cluster);
  const group = '/bench/awslogs';
  const prefix = 'bench';
  await ecs.send(new RegisterTaskDefinitionCommand({
    family: 'logbench-writer',
    containerDefinitions: [{
      name: 'writer', image: TEST_IMAGE, memory: 32, essential: true, command: ['sh', '-c', writerScript(seconds)],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': group, 'awslogs-region': REGION, 'awslogs-stream-prefix': prefix, 'awslogs-create-group': 'true', mode: 'blocking' },
      },
    }],
  }));

  const sampler = new CpuSampler({ agent: agent.pid, server: server.child.pid, dockerd: dockerdPid() });
  sampler.start();
  const t0 = Date.now();
  const arns: string[] = [];
  const failures: unknown[] = [];
  for (let left = containers; left > 0; left -= 10) {
    const r = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: 'logbench-writer', launchType: 'EC2', count: Math.min(10, left) }));
    arns.push(...(r.tasks ?? []).map((t) => t.taskArn!));
    failures.push(...(r.failures ?? []));
  }
  if (!arns.length) throw new Error(`RunTask placed nothing: ${JSON.stringify(failures)}`);
  log(`${arns.length} writer tasks for ${seconds} s`);
  const running = await waitAll(ecs, cluster, arns, (t) => t.lastStatus === 'RUNNING' || t.lastStatus === 'STOPPED', 60_000);
  const tRunning = Date.now();
  const stopped = await waitAll(ecs, cluster, arns, (t) => t.lastStatus === 'STOPPED', seconds * 1000 + SHIP_EXTRA_MS);
  const tStopped = Date.now();
  sampler.stop();
  const agentMem = memory(agent.pid);
  const serverMem = memory(server.child.pid);
  log(`all STOPPED ${Math.round((tStopped - t0) / 1000)} s after the first RunTask; reading back`);

  // Read every stream back, oldest first.
  const checks: ReturnType<SeqCheck['result']>[] = [];
  let minTs = Infinity;
  let maxTs = -Infinity;
  let minIngest = Infinity;
  let maxIngest = -Infinity;
  /** Bytes by ingestion second (epoch s), for the per-second rate. */
  const perSecond = new Map<number, number>();
  let readCalls = 0;
  const readStart = performance.now();
  const queue = [...stopped];
  const reader = async (): Promise<void> => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      const stream = `${prefix}/writer/${t.taskArn!.split('/').pop()}`;
      const check = new SeqCheck();
      let token: string | undefined;
      for (;;) {
        const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, ...(token ? { nextToken: token } : {}) }));
        readCalls++;
        for (const e of page.events ?? []) {
          check.add(e.message!);
          const ts = e.timestamp!;
          const ing = e.ingestionTime!;
          if (ts < minTs) minTs = ts;
          if (ts > maxTs) maxTs = ts;
          if (ing < minIngest) minIngest = ing;
          if (ing > maxIngest) maxIngest = ing;
          const sec = Math.floor(ing / 1000);
          perSecond.set(sec, (perSecond.get(sec) ?? 0) + Buffer.byteLength(e.message!));
        }
        if (!page.events?.length || page.nextForwardToken === token) break;
        token = page.nextForwardToken;
      }
      checks.push(check.result());
    }
  };
  await Promise.all([reader(), reader(), reader(), reader()]);
  const readSeconds = (performance.now() - readStart) / 1000;

  const sum = totals(checks);
  const bytes = sum.bytes as number;
  const ingestSpan = (maxIngest - minIngest) / 1000;
  const produceSpan = (maxTs - minTs) / 1000;
  // Whole seconds strictly inside the ingestion span: the rate the shipper sustained.
  const inner = [...perSecond.entries()].filter(([s]) => s > Math.floor(minIngest / 1000) && s < Math.floor(maxIngest / 1000)).map(([, b]) => b / 1e6);
  const shippingCpu = sampler.share(minIngest, maxIngest);
  const wholeCpu = sampler.share(t0, tStopped);
  const agentSecs = (wholeCpu.pctOfOneCore.agent ?? NaN) / 100 * wholeCpu.seconds;
  const mbps = bytes / 1e6 / ingestSpan;
  const lagMs = maxIngest - maxTs;
  const stopLags = stopped.map((t) => (t.stoppedAt?.getTime() ?? NaN) - (t.startedAt?.getTime() ?? NaN) - seconds * 1000);

  await stopChild(agent);
  await stopChild(server.child);
  await removeContainers();
  rmSync(server.dataDir, { recursive: true, force: true });
  cleanups.dirs.delete(server.dataDir);

  return {
    tasks: arns.length,
    runTaskFailures: failures,
    exitCodes: [...new Set(stopped.map((t) => t.containers?.[0]?.exitCode))],
    stopCodes: [...new Set(stopped.map((t) => t.stopCode))],
    allRunningAfterMs: tRunning - t0,
    tasksNotRunningFirst: running.filter((t) => t.lastStatus === 'STOPPED').length,
    allStoppedAfterMs: tStopped - t0,
    /** STOPPED minus (startedAt + writing time): container end, the tail's flush, removal. */
    stoppedAfterWritingEndedMs: summarize(stopLags),
    stored: { ...sum, MB: mb(bytes) },
    /** Engine timestamps (when dockerd read the line): first to last line of any container. */
    productionSpanSec: round1(produceSpan),
    productionMBps: round1(bytes / 1e6 / produceSpan),
    /** Server ingestion times: first to last stored event. */
    ingestionSpanSec: round1(ingestSpan),
    sustainedMBps: round1(mbps),
    perSecondIngestMBps: summarize(inner),
    /** Last event's ingestion minus its engine timestamp: how far behind the shipper finished. */
    shipperLagAtEndMs: lagMs,
    shipperKeptUp: lagMs < 3000,
    cpuDuringIngestion: shippingCpu,
    cpuWholeRun: wholeCpu,
    peakOneSecondPctOfOneCore: { agent: sampler.peak('agent'), server: sampler.peak('server'), dockerd: sampler.peak('dockerd') },
    memoryAtEnd: { agent: agentMem, server: serverMem },
    agentCpuSecondsPerMB: round1(agentSecs / (bytes / 1e6) * 1000) / 1000,
    /** Agent share of one core it would take to ship GOAL_MBPS at the measured cost per MB. */
    agentPctOfOneCoreAt10MBps: round1(agentSecs / (bytes / 1e6) * GOAL_MBPS * 100),
    goal: { MBps: GOAL_MBPS, agentPctOfOneCore: GOAL_CPU_PCT, met: mbps >= GOAL_MBPS && (shippingCpu.pctOfOneCore.agent ?? Infinity) <= GOAL_CPU_PCT && sum.zeroLoss === true },
    readBack: { getLogEventsCalls: readCalls, seconds: round1(readSeconds) },
    perContainer: checks.map((c) => ({ lines: c.lines, last: c.last, missing: c.missing, duplicates: c.duplicates, ...(c.firstMissing !== undefined ? { firstMissing: c.firstMissing } : {}) })),
  };
}

// --- 2. the json-file baseline ------------------------------------------------------------

/** Counts one container's `docker logs` output (stdout and stderr) line by line. */
function countDockerLogs(id: string): Promise<ReturnType<SeqCheck['result']> & { rawBytes: number }> {
  return new Promise((ok, fail) => {
    const check = new SeqCheck();
    let rawBytes = 0;
    const child = spawn('docker', ['logs', id], { stdio: ['ignore', 'pipe', 'pipe'] });
    const splitter = (): ((c: Buffer) => void) => {
      let rest = '';
      return (c: Buffer) => {
        rawBytes += c.length;
        const text = rest + c.toString('utf8');
        const lines = text.split('\n');
        rest = lines.pop()!;
        for (const l of lines) check.add(l);
      };
    };
    child.stdout.on('data', splitter());
    child.stderr.on('data', splitter());
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok({ ...check.result(), rawBytes }) : fail(new Error(`docker logs ${id} exited ${code}`))));
  });
}

async function jsonFileBaseline(containers: number, seconds: number): Promise<Record<string, unknown>> {
  const label = `${RUN_LABEL}=${cleanups.runId}`;
  const sampler = new CpuSampler({ dockerd: dockerdPid() });
  sampler.start();
  const t0 = Date.now();
  const ids = await Promise.all(Array.from({ length: containers }, () =>
    docker(['run', '-d', '--label', label, '--memory', '32m', TEST_IMAGE, 'sh', '-c', writerScript(seconds)])));
  const deadline = setTimeout(() => void docker(['rm', '-f', ...ids]).catch(() => undefined), seconds * 1000 + 60_000);
  await docker(['wait', ...ids]);
  clearTimeout(deadline);
  sampler.stop();
  const t1 = Date.now();
  const times = JSON.parse(await docker(['inspect', '--format', '{{json .State}}', ...ids]).then((o) => `[${o.split('\n').join(',')}]`)) as { StartedAt: string; FinishedAt: string }[];
  const started = Math.min(...times.map((t) => Date.parse(t.StartedAt)));
  const finished = Math.max(...times.map((t) => Date.parse(t.FinishedAt)));
  const checks: (ReturnType<SeqCheck['result']> & { rawBytes: number })[] = [];
  for (const id of ids) checks.push(await countDockerLogs(id));
  await docker(['rm', '-f', ...ids]).catch(() => undefined);
  const sum = totals(checks);
  const span = (finished - started) / 1000;
  return {
    command: `docker run -d --memory 32m ${TEST_IMAGE} sh -c '<writer>' ×${containers}, default json-file driver; counted with docker logs`,
    wallSec: round1((t1 - t0) / 1000),
    firstStartToLastFinishSec: round1(span),
    counted: { ...sum, MB: mb(sum.bytes as number), rawBytesWithNewlines: checks.reduce((a, c) => a + c.rawBytes, 0) },
    /** Message bytes (no newlines, as CloudWatch stores them) per second of writing. */
    productionMBps: round1((sum.bytes as number) / 1e6 / span),
    cpu: sampler.share(t0, t1),
  };
}

// --- 3. query latency --------------------------------------------------------------------

const STREAMS = 4;
const BATCH = 10_000;
/** One JSON event in JSON_EVERY, of which one in ERROR_EVERY_JSON is level ERROR; a rare word in one event of RARE_EVERY. */
const JSON_EVERY = 100;
const ERROR_EVERY_JSON = 10;
const RARE_EVERY = 100_000;
const RARE = 'ZEBRAFISH';
const RARE_AT = 7_777;

/** Event i: plain text (~70 bytes, so 10,000 fit in PutLogEvents' 1 MiB), or JSON. */
function message(i: number): string {
  if (i % RARE_EVERY === RARE_AT) return `WARN ${RARE} seen req=${i} user=u${i % 997}`;
  if (i % JSON_EVERY === 0) {
    const level = (i / JSON_EVERY) % ERROR_EVERY_JSON === 0 ? 'ERROR' : 'WARN';
    return `{"level":"${level}","req":${i},"msg":"upstream","ms":${i % 913}}`;
  }
  return `INFO GET /api/items/${i % 5003} status=200 ms=${i % 97} req=${i} user=u${i % 997}`;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const a = performance.now();
  const value = await fn();
  return { ms: performance.now() - a, value };
}

async function queryBench(total: number, calls: number): Promise<Record<string, unknown>> {
  const server = await startServer();
  const logs = client(CloudWatchLogsClient, server);
  const group = '/bench/query';
  const streams = Array.from({ length: STREAMS }, (_, i) => `app/s${i}`);
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const s of streams) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));

  // Timestamps spread over the last hour, increasing with i; batch b goes to stream b % STREAMS.
  const base = Date.now() - 3_600_000;
  const span = 3_500_000;
  const ts = (i: number): number => base + Math.floor((i * span) / total);
  const batches = Math.ceil(total / BATCH);
  let bytes = 0;
  const putMs: number[] = [];
  const t0 = performance.now();
  await Promise.all(streams.map(async (stream, si) => {
    for (let b = si; b < batches; b += STREAMS) {
      const events: InputLogEvent[] = [];
      for (let i = b * BATCH; i < Math.min(total, (b + 1) * BATCH); i++) {
        const m = message(i);
        bytes += Buffer.byteLength(m);
        events.push({ timestamp: ts(i), message: m });
      }
      const r = await timed(() => logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events })));
      if (r.value.rejectedLogEventsInfo) throw new Error(`events rejected: ${JSON.stringify(r.value.rejectedLogEventsInfo)}`);
      putMs.push(r.ms);
    }
  }));
  const ingestSec = (performance.now() - t0) / 1000;
  log(`${total} events put in ${round1(ingestSec)} s`);
  // The middle of the stream read below (streams[1]: batches 1, 1 + STREAMS, …).
  const ownBatches = Array.from({ length: batches }, (_, b) => b).filter((b) => b % STREAMS === 1);
  const midTs = ts((ownBatches[Math.floor(ownBatches.length / 2)] ?? 0) * BATCH + BATCH / 2);

  /** `calls` timed runs after 2 untimed ones, at most 60 s of timed runs per shape. */
  const measure = async (name: string, fn: () => Promise<number>): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 2; i++) await fn();
    const lat: number[] = [];
    let returned = 0;
    const until = performance.now() + 60_000;
    while (lat.length < calls && performance.now() < until) {
      const r = await timed(fn);
      lat.push(r.ms);
      returned = r.value;
    }
    log(`${name}: p50 ${summarize(lat).p50} ms`);
    return { ...summarize(lat), eventsReturned: returned };
  };
  const get = (input: Omit<GetLogEventsCommandInput, 'logGroupName' | 'logStreamName'>) => async (): Promise<number> =>
    (await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: streams[1], ...input }))).events?.length ?? 0;
  const filterFirst = (input: Omit<FilterLogEventsCommandInput, 'logGroupName'>) => async (): Promise<number> =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }))).events?.length ?? 0;
  /** Pages through FilterLogEvents until no nextToken: the whole search. */
  let pagesSeen = 0;
  const filterAll = (input: Omit<FilterLogEventsCommandInput, 'logGroupName'>) => async (): Promise<number> => {
    let token: string | undefined;
    let n = 0;
    let pages = 0;
    do {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input, ...(token ? { nextToken: token } : {}) }));
      n += r.events?.length ?? 0;
      pages++;
      token = r.nextToken;
    } while (token);
    pagesSeen = pages;
    return n;
  };

  const jsonPattern = '{ $.level = "ERROR" }';
  const result: Record<string, unknown> = {
    settings: {
      events: total, streams: STREAMS, batchEvents: BATCH, timedCallsPerShape: calls, warmupCalls: 2, perShapeTimeCapSec: 60,
      eventMix: `plain text ~70 B; 1/${JSON_EVERY} JSON (1/${ERROR_EVERY_JSON} of those level ERROR); '${RARE}' in 1/${RARE_EVERY}`,
      timestampSpanSec: span / 1000,
    },
    ingestion: {
      seconds: round1(ingestSec),
      eventsPerSec: Math.round(total / ingestSec),
      MB: mb(bytes),
      MBps: round1(bytes / 1e6 / ingestSec),
      putLogEventsMs: summarize(putMs),
      concurrency: `${STREAMS} streams, one PutLogEvents in flight per stream`,
    },
  };
  const getMs: Record<string, unknown> = {};
  getMs.headDefaultLimit = await measure('get head', get({ startFromHead: true }));
  getMs.headLimit100 = await measure('get head 100', get({ startFromHead: true, limit: 100 }));
  getMs.tailDefaultLimit = await measure('get tail', get({ startFromHead: false }));
  getMs.tailLimit100 = await measure('get tail 100', get({ startFromHead: false, limit: 100 }));
  getMs.middleByStartTimeLimit100 = await measure('get middle', get({ startFromHead: true, startTime: midTs, limit: 100 }));
  getMs.middleByStartTimeDefaultLimit = await measure('get middle full', get({ startFromHead: true, startTime: midTs }));
  result.getLogEventsMs = getMs;
  const filterMs: Record<string, unknown> = {};
  filterMs.rareTermWholeSearch = { pattern: RARE, ...(await measure('filter rare', filterAll({ filterPattern: RARE }))), pagesPerSearch: pagesSeen };
  filterMs.rareTermFirstCall = { pattern: RARE, ...(await measure('filter rare first', filterFirst({ filterPattern: RARE }))) };
  filterMs.commonTermLimit100 = { pattern: 'INFO', ...(await measure('filter common', filterFirst({ filterPattern: 'INFO', limit: 100 }))) };
  filterMs.jsonPatternWholeSearch = { pattern: jsonPattern, ...(await measure('filter json', filterAll({ filterPattern: jsonPattern }))), pagesPerSearch: pagesSeen };
  filterMs.jsonPatternLimit100 = { pattern: jsonPattern, ...(await measure('filter json 100', filterFirst({ filterPattern: jsonPattern, limit: 100 }))) };
  result.filterLogEventsMs = filterMs;
  const expected = { rare: 0, jsonError: 0 };
  for (let i = 0; i < total; i++) {
    const m = message(i);
    if (m.includes(RARE)) expected.rare++;
    else if (m.startsWith('{"level":"ERROR"')) expected.jsonError++;
  }
  result.expectedMatches = expected;
  result.wholeSearchesFoundAll = (filterMs.rareTermWholeSearch as { eventsReturned: number }).eventsReturned === expected.rare
    && (filterMs.jsonPatternWholeSearch as { eventsReturned: number }).eventsReturned === expected.jsonError;
  result.serverMemory = memory(server.child.pid);

  await stopChild(server.child);
  rmSync(server.dataDir, { recursive: true, force: true });
  cleanups.dirs.delete(server.dataDir);
  return result;
}

// --- the benchmark -----------------------------------------------------------------------

async function section(name: string, fn: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  log(name);
  const t0 = performance.now();
  try {
    return await fn();
  } catch (err) {
    log(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    log(`${name} took ${Math.round((performance.now() - t0) / 1000)} s`);
  }
}

export async function logsBench(opts: { containers?: number; seconds?: number; events?: number } = {}): Promise<Record<string, unknown>> {
  const containers = opts.containers ?? Number(process.env.BENCH_LOG_CONTAINERS ?? 20);
  const seconds = opts.seconds ?? Number(process.env.BENCH_LOG_SECONDS ?? 10);
  const events = opts.events ?? Number(process.env.BENCH_LOG_EVENTS ?? 1_000_000);
  const calls = Number(process.env.BENCH_LOG_QUERY_CALLS ?? 30);
  try {
    await ensureTestImage();
    const result: Record<string, unknown> = {
      settings: {
        containers, writingSeconds: seconds, queryEvents: events, cpus: cpus().length, clockTicks: CLK_TCK,
        writer: `${TEST_IMAGE}: busybox sh loop, echo "c=$HOSTNAME seq=$((i+=1)) <120 x>" (~150 B), END line with the last seq on TERM after ${seconds} s`,
        units: 'MB = 10^6 bytes of message text (no newline, as stored); CPU in percent of one core from /proc/<pid>/stat utime+stime',
        server: '`berth server` process, own temp data dir; one `berth agent` process, EC2 launch type, awslogs in blocking mode (every line kept: the figures are what the shipper sustains with zero loss)',
      },
    };
    result.shipping = await section('shipping', () => shippingBench(containers, seconds));
    result.baselineJsonFile = await section('json-file baseline', () => jsonFileBaseline(containers, seconds));
    result.query = await section('query', () => queryBench(events, calls));
    return result;
  } finally {
    await cleanupAll();
    cleaned = undefined;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      log(`${sig}: cleaning up`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
  const watchdog = setTimeout(() => {
    log(`still running after ${WATCHDOG_MS / 60_000} min: giving up`);
    void cleanupAll().finally(() => process.exit(1));
  }, WATCHDOG_MS);
  watchdog.unref();
  const result = await logsBench();
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (['shipping', 'baselineJsonFile', 'query'].some((k) => (result[k] as { error?: unknown } | undefined)?.error !== undefined)) process.exitCode = 1;
}
