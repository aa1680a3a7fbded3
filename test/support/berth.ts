import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ECSClient } from '@aws-sdk/client-ecs';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const cliMain = join(repo, 'dist/src/cli/main.js');

export interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/**
 * A real `berth server` process on a free loopback port with its own data dir, for wire tests.
 * `kill('SIGKILL')` then `start()` again on the same data dir is how restart safety is tested.
 */
export class BerthProcess {
  readonly dataDir: string;
  port = 0;
  private child: ChildProcess | undefined;
  readonly region = 'us-east-1';

  /** `server` (API only) or `up` (with the embedded managed capacity on the local Docker). */
  command: 'server' | 'up' = 'server';

  constructor(dataDir?: string, private readonly extraEnv: NodeJS.ProcessEnv = {}) {
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'berth-test-'));
  }

  get endpoint(): string { return `http://127.0.0.1:${this.port}`; }

  get creds(): Creds & { accountId: string } {
    return JSON.parse(readFileSync(join(this.dataDir, 'root-credentials.json'), 'utf8')) as Creds & { accountId: string };
  }

  /** Starts the server; `samePort` brings it back where agents and clients know it (after a kill). */
  async start(samePort = false): Promise<this> {
    const child = spawn(process.execPath, [cliMain, this.command], {
      env: { ...process.env, BERTH_PORT: samePort ? String(this.port) : '0', BERTH_DATA_DIR: this.dataDir, ...this.extraEnv },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    this.port = await new Promise<number>((ok, fail) => {
      let err = '';
      const onData = (chunk: Buffer): void => {
        err += chunk.toString();
        const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(err);
        if (m) {
          child.stderr!.off('data', onData);
          child.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
          ok(Number(m[1]));
        }
      };
      child.stderr!.on('data', onData);
      child.once('exit', (code) => fail(new Error(`berth server exited with ${code}: ${err}`)));
    });
    return this;
  }

  /** Stops the process with the given signal and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill(signal);
    await gone;
  }

  async stop(removeData = true): Promise<void> {
    let account: string | undefined;
    try { account = this.creds.accountId; } catch { account = undefined; }
    await this.kill('SIGTERM');
    // Agents leave task containers running when they stop (as the ECS agent does); a test run
    // must not leave them behind for the next one.
    if (account) removeTaskContainers(account);
    if (removeData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  ecs(creds: Creds = this.creds): ECSClient {
    return this.client(ECSClient, creds);
  }

  /** Any `@aws-sdk/client-*` client pointed at this server, without retries. */
  client<C>(Client: new (config: { endpoint: string; region: string; credentials: Creds; maxAttempts: number }) => C, creds: Creds = this.creds): C {
    return new Client({ endpoint: this.endpoint, region: this.region, credentials: creds, maxAttempts: 1 });
  }

  /** Runs the real `aws` CLI against this server. */
  aws(args: string[], creds: Creds = this.creds): { status: number; stdout: string; stderr: string; json: any } {
    const r = spawnSync(process.env.BERTH_TEST_AWS_CLI ?? 'aws', this.awsArgs(args), { encoding: 'utf8', env: this.awsEnv(creds) });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: parseJson(r.stdout) };
  }

  /** `aws` that must succeed: its JSON output (the assertion names the command and its stderr). */
  awsJson(args: string[], creds: Creds = this.creds): any {
    const r = this.aws(args, creds);
    assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return r.json;
  }

  /** `awsJson` without blocking the event loop (see awsAsync). */
  async awsJsonAsync(args: string[], creds: Creds = this.creds): Promise<any> {
    const r = await this.awsAsync(args, creds);
    assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return r.json;
  }

  /**
   * `aws` without blocking the test's event loop: for calls made while the test also drives
   * traffic (a blocked loop would hold back that traffic's responses and time them out).
   */
  awsAsync(args: string[], creds: Creds = this.creds): Promise<{ status: number; stdout: string; stderr: string; json: any }> {
    return new Promise((ok) => {
      execFile(process.env.BERTH_TEST_AWS_CLI ?? 'aws', this.awsArgs(args), { encoding: 'utf8', env: this.awsEnv(creds), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        ok({ status, stdout, stderr, json: parseJson(stdout) });
      });
    });
  }

  // --endpoint-url explicitly, so the tests work with CLIs that predate AWS_ENDPOINT_URL.
  private awsArgs(args: string[]): string[] { return [...args, '--output', 'json', '--endpoint-url', this.endpoint]; }

  private awsEnv(creds: Creds): NodeJS.ProcessEnv {
    return {
      ...process.env,
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: '',
      AWS_DEFAULT_REGION: this.region,
      AWS_REGION: this.region,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
    };
  }
}

function parseJson(text: string): any {
  try { return text.trim() ? JSON.parse(text) : undefined; } catch { return undefined; }
}

/** Removes the Docker containers of every task of an account, and Berth networks left empty. */
export function removeTaskContainers(accountId: string): void {
  const docker = (args: string[]): string => spawnSync('docker', args, { encoding: 'utf8' }).stdout ?? '';
  const rows = docker(['ps', '-a', '--filter', 'label=com.amazonaws.ecs.task-arn', '--format', '{{.ID}} {{.Label "com.amazonaws.ecs.task-arn"}}']);
  const ids = rows.split('\n').filter((r) => r.includes(`:${accountId}:task/`)).map((r) => r.split(' ')[0]!);
  if (ids.length) docker(['rm', '-f', ...ids]);
  for (const net of docker(['network', 'ls', '--filter', 'name=berth-net-', '--format', '{{.Name}}']).split('\n').filter(Boolean)) docker(['network', 'rm', net]);
  removeStaleCredentialRoutes(docker);
}

/**
 * Agents leave their tasks' 169.254.170.2 routes when they are killed with the tasks still running
 * (as they leave the containers); once the test has removed those containers, the routes of
 * addresses no running container holds are dropped, so runs do not pile them up.
 */
function removeStaleCredentialRoutes(docker: (args: string[]) => string): void {
  const ids = docker(['ps', '-q']).split('\n').filter(Boolean);
  const live = new Set(ids.length ? docker(['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', ...ids]).split(/\s+/).filter(Boolean) : []);
  const rules = spawnSync('iptables', ['-w', '-t', 'nat', '-S', 'PREROUTING'], { encoding: 'utf8' }).stdout ?? '';
  for (const rule of rules.split('\n')) {
    const m = /^-A (PREROUTING -s (\S+)\/32 -d 169\.254\.170\.2\/32 .*--comment "?berth [^"]*"? .*)$/.exec(rule);
    if (!m || live.has(m[2]!)) continue;
    // The comment is one argument though it holds a space: split around the quoted part.
    const args = m[1]!.split(/"([^"]*)"/).flatMap((part, i) => (i % 2 ? [part] : part.split(' ').filter(Boolean)));
    spawnSync('iptables', ['-w', '-t', 'nat', '-D', ...args], { encoding: 'utf8' });
  }
}

/** Starts a server for a test file; call the returned stop in `after`. */
export async function startBerth(extraEnv: NodeJS.ProcessEnv = {}, command: 'server' | 'up' = 'server'): Promise<BerthProcess> {
  const b = new BerthProcess(undefined, extraEnv);
  b.command = command;
  return b.start();
}

/**
 * A `berth agent` process registered into a cluster of `berth`, with its own state dir; kill it
 * (any signal) and start it again to test restarts and disconnects.
 */
export class AgentProcess {
  private child: ChildProcess | undefined;
  readonly stateDir: string;
  containerInstanceArn = '';

  constructor(private readonly berth: BerthProcess, readonly cluster: string, private readonly args: string[] = []) {
    this.stateDir = join(berth.dataDir, `agent-${cluster}-${Math.random().toString(36).slice(2, 8)}`);
  }

  async start(): Promise<this> {
    const token = spawnSync(process.execPath, [cliMain, 'agent', 'token', '--cluster', this.cluster], {
      encoding: 'utf8', env: { ...process.env, BERTH_DATA_DIR: this.berth.dataDir },
    }).stdout.trim();
    const child = spawn(process.execPath, [cliMain, 'agent', '--server', this.berth.endpoint, '--token', token, '--state-dir', this.stateDir, ...this.args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    this.containerInstanceArn = await new Promise<string>((ok, fail) => {
      let err = '';
      child.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /agent registered as (\S+)/.exec(err);
        if (m) ok(m[1]!);
      });
      child.once('exit', (code) => fail(new Error(`berth agent exited with ${code}: ${err}`)));
    });
    return this;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
    child.kill(signal);
    await gone;
  }
}

/** Runs a promise expected to fail and returns the AWS error it failed with. */
export async function awsError(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
