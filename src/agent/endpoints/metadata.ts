import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerPayload, RoleCredentials, TaskPayload } from '../../protocol/messages.js';
import type { TaskEngine } from '../engine/engine.js';
import type { TaskRunner } from '../engine/task-runner.js';
import type { ContainerRuntime } from '../runtime/port.js';

/**
 * The task metadata endpoint, versions 4 and 3 (ECS Developer Guide, "Task metadata endpoint
 * version 4"): `${ECS_CONTAINER_METADATA_URI_V4}` answers the container's metadata, `/task` the
 * task's, `/stats` and `/task/stats` Docker stats. Each container's URI carries a token derived
 * from the agent's id, the task and the container, so a container reads only its own task, and
 * the same URIs still resolve after the agent restarts.
 */
export class MetadataServer {
  private server: Server | undefined;
  private readonly tokens = new Map<string, { taskArn: string; name: string }>();
  port = 0;

  /**
   * Task-role credentials: `/v2/credentials/<id>` answers, to the task's own addresses only, what
   * this returns (the agent caches and renews them). Absent: no credentials endpoint.
   */
  credentials: ((taskArn: string) => Promise<RoleCredentials>) | undefined;

  /** The tasks it answers for; set once the agent has built its engine. */
  engine: TaskEngine | undefined;

  constructor(private readonly runtime: ContainerRuntime, private readonly agentId: string) {}

  async start(port = 0, host = '0.0.0.0'): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, ok);
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  close(): void {
    this.server?.close();
  }

  token(taskArn: string, name: string): string {
    const t = createHmac('sha256', this.agentId).update(`${taskArn}/${name}`).digest('base64url').slice(0, 32);
    this.tokens.set(t, { taskArn, name });
    return t;
  }

  /** Environment for a container: where its metadata lives, reached through `host`. */
  env(task: TaskPayload, c: ContainerPayload, host: string): Record<string, string> {
    const t = this.token(task.taskArn, c.name);
    const env: Record<string, string> = {
      ECS_CONTAINER_METADATA_URI_V4: `http://${host}:${this.port}/v4/${t}`,
      ECS_CONTAINER_METADATA_URI: `http://${host}:${this.port}/v3/${t}`,
    };
    // SDKs read it from http://169.254.170.2 (credentials-route.ts makes that reach this server).
    if (task.taskRoleArn && this.credentials) env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = `/v2/credentials/${this.token(task.taskArn, CREDENTIALS)}`;
    return env;
  }

  private resolve(token: string): { runner: TaskRunner; name: string } | undefined {
    let hit = this.tokens.get(token);
    if (!hit) {
      // After an agent restart, adopted containers carry tokens minted by the previous process.
      for (const r of this.engine?.allRunners() ?? []) for (const name of [...r.task.containers.map((c) => c.name), CREDENTIALS]) this.token(r.task.taskArn, name);
      hit = this.tokens.get(token);
    }
    const runner = hit ? this.engine?.runner(hit.taskArn) : undefined;
    return runner && hit ? { runner, name: hit.name } : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const creds = /^\/v2\/credentials\/([A-Za-z0-9_-]+)\/?$/.exec((req.url ?? '').split('?')[0]!);
    if (creds) return this.serveCredentials(req, res, creds[1]!);
    const m = /^\/v([34])\/([A-Za-z0-9_-]+)(\/task)?(\/stats)?\/?$/.exec((req.url ?? '').split('?')[0]!);
    const found = m && req.method === 'GET' ? this.resolve(m[2]!) : undefined;
    if (!m || !found || found.name === CREDENTIALS) return send(res, 404, { error: 'not found' });
    const v4 = m[1] === '4';
    const { runner, name } = found;
    try {
      if (m[3] && m[4]) {
        const out: Record<string, unknown> = {};
        for (const [, id] of runner.containerIds) out[id] = (await this.runtime.stats(id))?.raw ?? null;
        return send(res, 200, out);
      }
      if (m[4]) {
        const id = runner.containerIds.get(name);
        return send(res, 200, (id && (await this.runtime.stats(id))?.raw) ?? {});
      }
      if (m[3]) return send(res, 200, await this.taskJson(runner, v4));
      return send(res, 200, await this.containerJson(runner, name, v4));
    } catch (err) {
      return send(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * The ECS credentials endpoint's answer (what the SDKs' container credential providers parse).
   * Only the task's own addresses are answered; anyone else gets the same 404 as a wrong id.
   */
  private async serveCredentials(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const found = req.method === 'GET' ? this.resolve(token) : undefined;
    const from = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const mine = found && found.name === CREDENTIALS && (found.runner.addresses.has(from) || (found.runner.task.networkMode === 'host' && isLoopback(from)));
    if (!found || !mine || !this.credentials || !found.runner.task.taskRoleArn) {
      return send(res, 404, { code: 'NotFound', message: 'Credentials not found', HTTPErrorCode: 404 });
    }
    try {
      const c = await this.credentials(found.runner.task.taskArn);
      return send(res, 200, {
        RoleArn: c.roleArn, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken,
        Expiration: new Date(c.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    } catch (err) {
      return send(res, 500, { code: 'InternalError', message: err instanceof Error ? err.message : String(err), HTTPErrorCode: 500 });
    }
  }

  private async taskJson(r: TaskRunner, v4: boolean): Promise<Record<string, unknown>> {
    const t = r.task;
    const o = r.observed;
    const out: Record<string, unknown> = {
      Cluster: t.clusterArn,
      TaskARN: t.taskArn,
      Family: t.family,
      Revision: String(t.revision),
      DesiredStatus: t.desiredStatus,
      KnownStatus: o.lastStatus,
      Limits: { CPU: t.cpu ? Number(t.cpu) / 1024 : undefined, Memory: t.memory ? Number(t.memory) : undefined },
      PullStartedAt: iso(o.pullStartedAt),
      PullStoppedAt: iso(o.pullStoppedAt),
      AvailabilityZone: t.availabilityZone,
      Containers: await Promise.all(t.containers.map((c) => this.containerJson(r, c.name, v4))),
    };
    if (v4) {
      out.LaunchType = t.launchType;
      if (t.launchType === 'FARGATE') out.EphemeralStorageMetrics = { Utilized: 0, Reserved: 20496 };
    }
    return out;
  }

  private async containerJson(r: TaskRunner, name: string, v4: boolean): Promise<Record<string, unknown>> {
    const c = r.task.containers.find((x) => x.name === name)!;
    const id = r.containerIds.get(name);
    const state = id ? await this.runtime.inspect(id) : undefined;
    const obs = r.observed.containers.find((x) => x.name === name);
    const out: Record<string, unknown> = {
      DockerId: id ?? '',
      Name: name,
      DockerName: state?.name ?? '',
      Image: c.image,
      ImageID: state?.image ?? '',
      Labels: state?.labels ?? {},
      DesiredStatus: r.task.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
      KnownStatus: obs?.lastStatus ?? 'PENDING',
      Limits: { CPU: c.cpu, ...(c.memory !== undefined ? { Memory: c.memory } : {}) },
      CreatedAt: iso(r.observed.pullStoppedAt),
      StartedAt: state?.startedAt?.toISOString(),
      Type: 'NORMAL',
      Networks: this.networks(r),
    };
    if (obs?.exitCode !== undefined) out.ExitCode = obs.exitCode;
    if (v4) {
      out.ContainerARN = c.containerArn;
      if (obs?.healthStatus) out.Health = { status: obs.healthStatus };
    }
    return out;
  }

  private networks(r: TaskRunner): Record<string, unknown>[] {
    const t = r.task;
    if (t.networkMode === 'awsvpc' && t.network) {
      return [{
        NetworkMode: 'awsvpc', IPv4Addresses: [t.network.ipv4Address], AttachmentIndex: 0, MACAddress: t.network.macAddress,
        IPv4SubnetCIDRBlock: t.network.subnet, PrivateDNSName: t.network.privateDnsName, SubnetGatewayIpv4Address: `${t.network.gateway}/${t.network.subnet.split('/')[1]}`,
      }];
    }
    return [{ NetworkMode: t.networkMode, IPv4Addresses: [] }];
  }
}

/** The token name of a task's credentials URI (no container can have this name: `/` is not allowed in one). */
const CREDENTIALS = '/credentials';
const isLoopback = (ip: string): boolean => ip === '::1' || ip.startsWith('127.');

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
