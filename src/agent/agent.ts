import { hostname as osHostname } from 'node:os';
import WebSocket from 'ws';
import {
  AGENT_PATH, PROTOCOL_VERSION, type ContainerPayload, type LogsBatch, type LogsPrepare, type ObservedTask, type Resources, type TaskPayload,
  type RoleCredentials, type TaskResourceRequest, type TaskResourceResult, type ToAgent, type ToServer,
} from '../protocol/messages.js';
import { IptablesCredentialsRoute } from './endpoints/credentials-route.js';
import type { RunnerContext } from './engine/task-runner.js';
import { MetadataServer } from './endpoints/metadata.js';
import { LABEL_AGENT } from './engine/container-spec.js';
import { TaskEngine } from './engine/engine.js';
import { LogShipper } from './logs/shipper.js';
import type { ContainerRuntime } from './runtime/port.js';
import type { AgentState, AgentStateStore } from './state-store.js';

export const AGENT_VERSION = '1.0.0-berth';

export interface AgentOptions {
  /** The server's base URL, e.g. http://127.0.0.1:4600. */
  serverUrl: string;
  joinToken: string;
  runtime: ContainerRuntime;
  stateStore: AgentStateStore;
  pauseImage: string;
  /** Overrides of what the runtime reports. */
  resources?: Partial<Resources>;
  attributes?: { name: string; value?: string }[];
  /** The Auto Scaling group name this host belongs to (its capacity provider's). */
  autoScalingGroup?: string;
  hostname?: string;
  /**
   * The task metadata endpoint: served on this port (0 = any) of every interface, reached from
   * bridge containers through the Docker bridge's gateway, from awsvpc ones through their
   * subnet's gateway. `false` turns it off.
   */
  metadata?: { port?: number; bridgeGateway?: string } | false;
  /**
   * How 169.254.170.2 reaches the credentials endpoint from task containers: iptables rules by
   * default (credentials-route.ts); `false` for none (hollow hosts, tests without root).
   */
  credentialsRoute?: RunnerContext['credentialsRoute'] | false;
  log?: (line: string) => void;
  now?: () => number;
}

/**
 * What this agent can do, as the ECS agent advertises it (placement matches a task definition's
 * `requiresAttributes` against these): only what Berth implements. Not advertised, so such tasks
 * are not placed here: env-files.s3 (no S3 yet), ECR pulls with the execution role, EFS, FireLens,
 * task-role credentials for host-network tasks, pidMode/ipcMode, log drivers other than awslogs
 * and json-file. GPUs need no attribute: the host's GPU ids go in the hello's `resources`.
 */
const CAPABILITIES = [
  ...['1.17', '1.18', '1.19', '1.21', '1.24', '1.25', '1.29'].map((v) => `com.amazonaws.ecs.capability.docker-remote-api.${v}`),
  ...['awslogs', 'json-file'].map((d) => `com.amazonaws.ecs.capability.logging-driver.${d}`),
  'com.amazonaws.ecs.capability.task-iam-role',
  'com.amazonaws.ecs.capability.privileged-container',
  'ecs.capability.task-eni',
  'ecs.capability.container-health-check',
  'ecs.capability.container-ordering',
  'ecs.capability.execution-role-awslogs',
  ...['asm', 'ssm'].flatMap((s) => [`ecs.capability.secrets.${s}.environment-variables`, `ecs.capability.secrets.${s}.bootstrap.log-driver`]),
];

/** Reserved host ports, as the ECS agent reserves them by default. */
const RESERVED_PORTS = [22, 2375, 2376, 51678, 51679];

/**
 * The berth agent: one WebSocket to the server (reconnecting with backoff), a task engine over
 * a container runtime, and the persisted state that makes it restart-safe. While disconnected,
 * containers keep running and reports queue up; on reconnect it says hello with its identity,
 * resends what was not acknowledged, and takes the server's desired state.
 */
export class Agent {
  readonly engine: TaskEngine;
  readonly metadata: MetadataServer | undefined;
  private state: AgentState;
  private ws: WebSocket | undefined;
  private stopped = false;
  private backoffMs = 100;
  private timer: NodeJS.Timeout | undefined;
  private welcomed: (() => void) | undefined;
  readonly ready: Promise<void>;
  containerInstanceArn: string | undefined;
  readonly logs: LogShipper;
  /** awslogs requests awaiting their `logs-result`, by id; resent in order after a reconnect. */
  private readonly requests = new Map<number, { msg: LogsPrepare | LogsBatch; resolve: () => void; reject: (e: Error) => void }>();
  private readonly unsent: { msg: Omit<LogsPrepare, 'id'> | Omit<LogsBatch, 'id'>; resolve: () => void; reject: (e: Error) => void }[] = [];
  private logId: number | undefined;
  /** `task-resource` requests awaiting their result, by id; resent after a reconnect (reads only). */
  private readonly asks = new Map<number, { msg: TaskResourceRequest; resolve: (r: TaskResourceResult) => void }>();
  private askId = 0;
  /** The agent's own iptables route to the credentials endpoint (not one a caller passed in). */
  private ownRoute: IptablesCredentialsRoute | undefined;
  /** Task-role credentials by task ARN, renewed when less than a quarter of their life is left. */
  private readonly roleCredentials = new Map<string, { issued: number; c: RoleCredentials }>();

  constructor(private readonly opts: AgentOptions) {
    this.state = opts.stateStore.load();
    const previous = new Map(Object.entries(this.state.tasks));
    this.logs = new LogShipper(opts.runtime, {
      prepare: (p) => this.request({ type: 'logs-prepare', ...p }),
      send: (b) => this.request({ type: 'logs', ...b }),
    });
    if (opts.metadata !== false) this.metadata = new MetadataServer(opts.runtime, this.state.agentId);
    const route = opts.credentialsRoute ?? (this.metadata ? new IptablesCredentialsRoute(() => this.metadata!.port, this.state.agentId, (l) => this.log(l)) : false);
    if (route instanceof IptablesCredentialsRoute) this.ownRoute = route;
    this.engine = new TaskEngine(opts.runtime, {
      logs: this.logs,
      secrets: async (taskArn) => (await this.ask(taskArn, 'secrets')).secrets ?? {},
      ...(route ? { credentialsRoute: route } : {}),
      agentId: this.state.agentId,
      pauseImage: opts.pauseImage,
      baseEnv: (task, c) => this.baseEnv(task, c),
      report: (t) => this.report(t),
      now: opts.now ?? Date.now,
    }, previous);
    this.ready = new Promise((resolve) => (this.welcomed = resolve));
    if (this.metadata) {
      this.metadata.engine = this.engine;
      this.metadata.credentials = (taskArn) => this.credentialsFor(taskArn);
    }
  }

  get agentId(): string { return this.state.agentId; }
  get connected(): boolean { return this.ws?.readyState === WebSocket.OPEN && this.containerInstanceArn !== undefined; }

  async start(): Promise<void> {
    if (this.metadata) await this.metadata.start(this.opts.metadata ? this.opts.metadata.port : 0);
    await this.pruneRoutes();
    this.engine.start();
    this.connect();
  }

  /**
   * Drops credential routes a previous run of this agent left for containers that are gone. Only
   * this agent's own containers keep a route alive: an address freed by a gone container may be
   * held by now by any other container on the host, which the stale route must not capture.
   */
  private async pruneRoutes(): Promise<void> {
    if (!this.ownRoute) return;
    try {
      const dropped = await this.ownRoute.prune(await ownContainerAddresses(this.opts.runtime, this.state.agentId));
      if (dropped) this.log(`dropped ${dropped} credential route(s) of containers that are gone`);
    } catch (err) {
      this.log(`could not prune credential routes: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Closes the connection; containers keep running (the ECS agent's behaviour on shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.engine.stop();
    this.metadata?.close();
    this.ws?.terminate();
  }

  /** Drops the connection without stopping: for tests of disconnects. */
  disconnect(): void {
    this.ws?.terminate();
  }

  private baseEnv(task: TaskPayload, c: ContainerPayload): Record<string, string> {
    const exec = task.launchType === 'FARGATE' ? 'AWS_ECS_FARGATE' : task.launchType === 'EXTERNAL' ? 'AWS_ECS_EXTERNAL' : 'AWS_ECS_EC2';
    const env: Record<string, string> = { AWS_REGION: task.region, AWS_DEFAULT_REGION: task.region, AWS_EXECUTION_ENV: exec };
    const host = task.networkMode === 'awsvpc' ? task.network?.gateway
      : task.networkMode === 'bridge' ? ((this.opts.metadata && this.opts.metadata.bridgeGateway) || '172.17.0.1')
      : task.networkMode === 'host' ? '127.0.0.1' : undefined;
    if (this.metadata && host) Object.assign(env, this.metadata.env(task, c, host));
    return env;
  }

  private log(line: string): void {
    this.opts.log?.(`agent ${this.state.agentId}: ${line}`);
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.opts.serverUrl.replace(/^http/, 'ws').replace(/\/$/, '') + AGENT_PATH;
    // Frames from this client go to Berth's own server, not through a browser's proxies, so the
    // RFC 6455 masking that guards those proxies is set to a zero key, which `ws` skips: masking
    // every awslogs byte was a tenth of the agent's shipping CPU.
    const ws = new WebSocket(url, { generateMask: (mask) => void mask.fill(0) });
    this.ws = ws;
    ws.on('open', () => void this.hello(ws));
    ws.on('message', (data) => this.onMessage(ws, JSON.parse(String(data)) as ToAgent));
    ws.on('close', () => {
      if (this.ws === ws) this.containerInstanceArn = undefined;
      if (this.stopped || this.ws !== ws) return;
      this.timer = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 5000);
    });
    ws.on('error', (err) => this.log(`connection: ${err.message}`));
  }

  private async hello(ws: WebSocket): Promise<void> {
    const info = await this.opts.runtime.info();
    const resources: Resources = {
      cpu: this.opts.resources?.cpu ?? info.cpus * 1024,
      memory: this.opts.resources?.memory ?? Math.floor(info.memoryBytes / (1024 * 1024)),
      ports: this.opts.resources?.ports ?? RESERVED_PORTS,
      portsUdp: this.opts.resources?.portsUdp ?? [],
    };
    const gpus = this.opts.resources?.gpus ?? info.gpus ?? [];
    if (gpus.length) resources.gpus = gpus;
    const attributes = [
      { name: 'ecs.os-type', value: info.os },
      { name: 'ecs.cpu-architecture', value: info.arch },
      { name: 'ecs.instance-type', value: 'berth.host' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.17' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.19' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.21' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.24' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.25' },
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.29' },
      ...CAPABILITIES.map((name) => ({ name })),
      ...(this.opts.attributes ?? []),
    ];
    const msg: ToServer = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      auth: this.state.identity ?? { joinToken: this.opts.joinToken },
      agentVersion: AGENT_VERSION,
      hostname: this.opts.hostname ?? osHostname(),
      resources,
      attributes,
      ...(this.opts.autoScalingGroup ? { autoScalingGroup: this.opts.autoScalingGroup } : {}),
      lastAckedSeq: this.state.seq,
    };
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  private onMessage(ws: WebSocket, msg: ToAgent): void {
    switch (msg.type) {
      case 'welcome': {
        this.backoffMs = 100;
        this.containerInstanceArn = msg.containerInstanceArn;
        if (msg.instanceSecret) this.state.identity = { instanceArn: msg.containerInstanceArn, instanceSecret: msg.instanceSecret };
        for (const [arn, r] of Object.entries(this.state.unacked)) if (r.seq <= msg.lastAppliedSeq) delete this.state.unacked[arn];
        // The server may have a newer seq than ours (a state file restored from backup): never go below it.
        this.state.seq = Math.max(this.state.seq, msg.lastAppliedSeq);
        this.save();
        for (const r of Object.values(this.state.unacked).sort((a, b) => a.seq - b.seq)) ws.send(JSON.stringify(r));
        this.logId ??= msg.lastLogSeq;
        for (const [, r] of [...this.requests].sort((a, b) => a[0] - b[0])) ws.send(JSON.stringify(r.msg));
        this.drainUnsent();
        for (const a of this.asks.values()) ws.send(JSON.stringify(a.msg));
        this.welcomed?.();
        this.log(`connected as ${msg.containerInstanceArn}`);
        return;
      }
      case 'desired':
        this.engine.setDesired(msg.tasks);
        this.forgetFinished(msg.tasks);
        return;
      case 'ack':
        for (const [arn, r] of Object.entries(this.state.unacked)) if (r.seq <= msg.seq) delete this.state.unacked[arn];
        this.save();
        return;
      case 'logs-result': {
        const r = this.requests.get(msg.id);
        this.requests.delete(msg.id);
        if (msg.error) r?.reject(new Error(msg.error));
        else r?.resolve();
        return;
      }
      case 'task-resource-result': {
        const a = this.asks.get(msg.id);
        this.asks.delete(msg.id);
        a?.resolve(msg);
        return;
      }
      case 'refused':
        this.log(`refused by the server: ${msg.reason}`);
        return;
      case 'heartbeat':
        return;
    }
  }

  /** Observations of tasks the server no longer lists and that are finished need not be kept. */
  private forgetFinished(tasks: readonly TaskPayload[]): void {
    const listed = new Set(tasks.map((t) => t.taskArn));
    for (const arn of this.roleCredentials.keys()) if (!listed.has(arn)) this.roleCredentials.delete(arn);
    let changed = false;
    for (const [arn, t] of Object.entries(this.state.tasks)) {
      if (!listed.has(arn) && t.lastStatus === 'STOPPED' && !this.state.unacked[arn]) {
        delete this.state.tasks[arn];
        changed = true;
      }
    }
    if (changed) this.save();
  }

  /**
   * Sends an awslogs request and resolves on its result. Ids are given at first transmission,
   * above the server's last applied one, and kept for resends: a batch is applied once.
   */
  private request(msg: Omit<LogsPrepare, 'id'> | Omit<LogsBatch, 'id'>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.unsent.push({ msg, resolve, reject });
      this.drainUnsent();
    });
  }

  private drainUnsent(): void {
    if (!this.connected || this.logId === undefined) return;
    for (const u of this.unsent.splice(0)) {
      const id = ++this.logId;
      const msg = { ...u.msg, id } as LogsPrepare | LogsBatch;
      this.requests.set(id, { msg, resolve: u.resolve, reject: u.reject });
      this.ws!.send(JSON.stringify(msg));
    }
  }

  /**
   * Asks the server for a task's secrets or role credentials; rejects with the server's reason.
   * Waits across reconnects (the request is resent on welcome).
   */
  private async ask(taskArn: string, what: TaskResourceRequest['what']): Promise<TaskResourceResult> {
    const msg: TaskResourceRequest = { type: 'task-resource', id: ++this.askId, taskArn, what };
    const r = await new Promise<TaskResourceResult>((resolve) => {
      this.asks.set(msg.id, { msg, resolve });
      if (this.connected) this.ws!.send(JSON.stringify(msg));
    });
    if (r.error) throw new Error(r.error);
    return r;
  }

  private async credentialsFor(taskArn: string): Promise<RoleCredentials> {
    const now = Date.now();
    const held = this.roleCredentials.get(taskArn);
    if (held && now < held.c.expiration - (held.c.expiration - held.issued) / 4) return held.c;
    const c = (await this.ask(taskArn, 'credentials')).credentials!;
    this.roleCredentials.set(taskArn, { issued: now, c });
    return c;
  }

  private report(t: ObservedTask): void {
    const seq = ++this.state.seq;
    const msg = { type: 'state' as const, seq, task: t };
    this.state.tasks[t.taskArn] = t;
    this.state.unacked[t.taskArn] = msg;
    this.save();
    if (this.connected) this.ws!.send(JSON.stringify(msg));
  }

  private save(): void {
    this.opts.stateStore.save(this.state);
  }
}

/** The addresses of an agent's own running containers (the label it puts on every container). */
export async function ownContainerAddresses(runtime: ContainerRuntime, agentId: string): Promise<Set<string>> {
  const live = new Set<string>();
  for (const c of await runtime.list({ [LABEL_AGENT]: agentId })) {
    if (c.status === 'running') for (const n of Object.values(c.networks)) if (n.ipv4Address) live.add(n.ipv4Address);
  }
  return live;
}
