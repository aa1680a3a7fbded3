import type { ContainerPayload, ObservedContainer, ObservedTask, TaskPayload, TaskResourceResult, TaskStatus } from '../../protocol/messages.js';
import { statusRank } from '../../protocol/messages.js';
import { RuntimeError, type ContainerRuntime, type ContainerState, type RuntimeEvent } from '../runtime/port.js';
import { PAUSE, containerName, containerSpec, pauseSpec, taskVolumeName, type SpecContext } from './container-spec.js';
import { readiness, stopOrder, type Known } from './dependencies.js';
import type { LogShipper } from '../logs/shipper.js';
import type { NetworkRefs } from './network-refs.js';

export interface RunnerContext {
  runtime: ContainerRuntime;
  agentId: string;
  pauseImage: string;
  /** Environment every container of a task gets (metadata URIs, region, execution env). */
  baseEnv: (task: TaskPayload, container: ContainerPayload) => Record<string, string>;
  /** Called with a fresh snapshot whenever the observed state changes. */
  report: (t: ObservedTask) => void;
  networks: NetworkRefs;
  /** The awslogs driver; absent when the agent ships no logs. */
  logs?: LogShipper;
  /**
   * A task's secrets, read by the server with its execution role (rejects with the reason the
   * task stops with, after `ResourceInitializationError: `). Absent: tasks with secrets fail.
   */
  secrets?: (taskArn: string) => Promise<TaskSecrets>;
  /**
   * Routes 169.254.170.2:80 from a task's address to the credentials endpoint (tasks with a task
   * role). Absent when the agent serves no credentials.
   */
  credentialsRoute?: { attach(sourceIp: string): Promise<void>; detach(sourceIp: string): Promise<void> };
  now: () => number;
}

/** Per container name: environment variables and log driver options that come from secrets. */
export type TaskSecrets = NonNullable<TaskResourceResult['secrets']>;

/** The reason ECS gives an OOM-killed container. */
export const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';
const DEFAULT_STOP_TIMEOUT_SEC = 30;
/** How long a task waits for an event before it checks its containers itself. */
const RESYNC_MS = 10_000;

const STATE_RANK: Record<Known['state'], number> = { absent: 0, created: 1, running: 2, exited: 3 };

class TaskFailure extends Error {
  constructor(readonly stopCode: string, message: string) { super(message); }
}

/**
 * Runs one task through the ECS lifecycle on a container runtime, and is its only owner:
 * PROVISIONING → PENDING (network, pause container) → pulls → ACTIVATING → RUNNING (essential
 * containers up, dependsOn honoured) → DEACTIVATING → STOPPING (containers stopped, dependents
 * first, with their stopTimeout) → DEPROVISIONING (pause container, task volumes) → STOPPED.
 *
 * Every step is idempotent so that an agent restart can run it again over what exists: a
 * container found by its deterministic name is adopted, and one that has already run is never
 * started again (nothing runs twice).
 */
export class TaskRunner {
  readonly observed: ObservedTask;
  private readonly ids = new Map<string, string>();
  private readonly known = new Map<string, Known>();
  private stopRequest: { stopCode: string; reason: string; graceSeconds?: number } | undefined;
  private holdsNetwork = false;
  /** Values from the task's secrets: held in memory only, for creating its containers. */
  private secretValues: TaskSecrets | undefined;
  /** Addresses of the task (awsvpc ENI, bridge containers): for the credentials endpoint. */
  private readonly ips = new Set<string>();
  private wake: (() => void) | undefined;
  private finished: Promise<void> | undefined;

  constructor(private payload: TaskPayload, private readonly ctx: RunnerContext, previous?: ObservedTask) {
    this.observed = previous ?? {
      taskArn: payload.taskArn,
      lastStatus: 'PROVISIONING',
      containers: payload.containers.map((c) => ({ name: c.name, lastStatus: 'PENDING' })),
    };
    if (payload.stopRequest) this.stopRequest = payload.stopRequest;
  }

  get done(): boolean { return this.observed.lastStatus === 'STOPPED'; }

  /** The task as the server last described it (read-only view for the metadata endpoint). */
  get task(): TaskPayload { return this.payload; }

  /** The task's own addresses: only requests from these get its role's credentials. */
  get addresses(): ReadonlySet<string> { return this.ips; }

  /** Runtime ids of the task's containers by container name. */
  get containerIds(): ReadonlyMap<string, string> { return this.ids; }

  /** Starts the lifecycle once; later calls return the same promise. */
  start(): Promise<void> {
    this.finished ??= this.run();
    return this.finished;
  }

  update(payload: TaskPayload): void {
    this.payload = payload;
    if (payload.desiredStatus === 'STOPPED') {
      this.requestStop(payload.stopRequest?.stopCode ?? 'UserInitiated', payload.stopRequest?.reason ?? 'Task stopped by user', payload.stopRequest?.graceSeconds);
    }
  }

  requestStop(stopCode: string, reason: string, graceSeconds?: number): void {
    this.stopRequest ??= { stopCode, reason, ...(graceSeconds !== undefined ? { graceSeconds } : {}) };
    this.poke();
  }

  /** Runtime events for this task's containers. */
  onEvent(e: RuntimeEvent): void {
    const name = [...this.ids].find(([, id]) => id === e.id)?.[0];
    if (!name) return;
    const k = this.known.get(name) ?? { state: 'created' };
    if (e.type === 'start') { if (STATE_RANK[k.state] < STATE_RANK.running) k.state = 'running'; }
    else if (e.type === 'die') {
      k.state = 'exited';
      if (e.exitCode !== undefined) k.exitCode = e.exitCode;
    } else if (e.type === 'health') k.health = e.health;
    this.known.set(name, k);
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Resolves on the next event or stop request, or after `timeoutMs` (then `false`). */
  private changed(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /**
   * Events are the fast path; this is the safety net (the ECS agent reconciles the same way):
   * every so often, what the engine says about running containers is folded in, so a missed
   * event delays a transition instead of losing it.
   */
  private async resync(): Promise<void> {
    for (const [name, id] of this.ids) {
      if (name === PAUSE || this.knownOf(name).state !== 'running') continue;
      const s = await this.ctx.runtime.inspect(id);
      if (s) this.learn(name, s);
    }
  }

  private container(name: string): ObservedContainer {
    return this.observed.containers.find((c) => c.name === name)!;
  }

  private setStatus(status: TaskStatus, extra: Partial<ObservedTask> = {}): void {
    if (statusRank(status) < statusRank(this.observed.lastStatus)) return;
    Object.assign(this.observed, extra, { lastStatus: status });
    this.emit();
  }

  private emit(): void {
    this.ctx.report(structuredClone(this.observed));
  }

  private async run(): Promise<void> {
    if (this.done) return this.emit();
    let failure: TaskFailure | undefined;
    try {
      await this.adopt();
      if (!this.stopRequest) await this.provision();
      if (!this.stopRequest) await this.pull();
      if (!this.stopRequest) await this.createAll();
      if (!this.stopRequest) await this.runUntilStop();
    } catch (err) {
      failure = err instanceof TaskFailure ? err : new TaskFailure('TaskFailedToStart', describe(err));
    }
    await this.teardown(failure);
  }

  /** Learns what already exists (after an agent restart) by the containers' deterministic names. */
  private async adopt(): Promise<void> {
    for (const name of [PAUSE, ...this.payload.containers.map((c) => c.name)]) {
      const s = await this.ctx.runtime.inspect(containerName(this.payload.taskArn, name));
      if (s) this.learn(name, s);
      // After an agent restart, a running task keeps its credentials route (attach is idempotent).
      if (s?.status === 'running' && name !== PAUSE && this.payload.networkMode === 'bridge') await this.routeCredentials(Object.values(s.networks)[0]?.ipv4Address);
    }
    if (this.ids.has(PAUSE) && this.known.get(PAUSE)?.state === 'running') await this.routeCredentials(this.payload.network?.ipv4Address);
  }

  /**
   * Folds an inspect result in. An inspect can be older than an event already handled (a
   * container that exits right after starting), so a container's state only moves forward.
   */
  private learn(name: string, s: ContainerState): void {
    this.ids.set(name, s.id);
    const seen: Known['state'] = s.status === 'running' ? 'running' : s.status === 'exited' || s.status === 'dead' ? 'exited' : 'created';
    const prior = this.known.get(name);
    const k: Known = prior && STATE_RANK[prior.state] >= STATE_RANK[seen] ? { ...prior } : { ...prior, state: seen };
    if (s.exitCode !== undefined && seen === 'exited' && k.exitCode === undefined) k.exitCode = s.exitCode;
    if (s.health && !prior?.health) k.health = s.health;
    this.known.set(name, k);
    if (name === PAUSE) return;
    const c = this.container(name);
    c.runtimeId = s.id;
    if (s.oomKilled) c.reason = OOM_REASON;
    this.bindings(name, s);
  }

  private bindings(name: string, s: ContainerState): void {
    if (this.payload.networkMode !== 'bridge' && this.payload.networkMode !== 'host') return;
    const c = this.container(name);
    if (this.payload.networkMode === 'bridge') {
      c.networkBindings = s.ports.map((p) => ({ bindIP: p.hostIp || '0.0.0.0', containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol }));
    } else {
      const def = this.payload.containers.find((x) => x.name === name);
      c.networkBindings = (def?.portMappings ?? []).map((m) => ({ bindIP: '0.0.0.0', containerPort: m.containerPort, hostPort: m.containerPort, protocol: m.protocol }));
    }
  }

  private async provision(): Promise<void> {
    const rt = this.ctx.runtime;
    if (this.payload.networkMode === 'awsvpc' && this.payload.network) {
      const n = this.payload.network;
      await this.ctx.networks.acquire(n.name, () => rt.createNetwork({ name: n.name, subnet: n.subnet, gateway: n.gateway, labels: { 'berth.cidr': n.subnet } }));
      this.holdsNetwork = true;
      if (!this.ids.has(PAUSE)) {
        await rt.ensureImage(this.ctx.pauseImage);
        this.ids.set(PAUSE, await this.createOrAdopt(PAUSE, pauseSpec(this.payload, this.ctx.agentId, this.ctx.pauseImage)));
      }
      if (this.known.get(PAUSE)?.state !== 'running') {
        const pause = this.ids.get(PAUSE)!;
        await this.ctx.networks.exclusive(n.name, () => rt.start(pause));
        this.known.set(PAUSE, { state: 'running' });
      }
      await this.routeCredentials(n.ipv4Address);
    }
    for (const v of this.payload.volumes) {
      if (v.host?.sourcePath) continue;
      const name = v.docker?.scope === 'shared' ? v.name : taskVolumeName(this.payload.taskArn, v.name);
      if (v.docker?.scope === 'shared' && v.docker.autoprovision === false) continue;
      await rt.createVolume(name, { 'berth.task-arn': this.payload.taskArn }, v.docker?.driver, v.docker?.driverOpts);
    }
    this.setStatus('PENDING');
  }

  private async pull(): Promise<void> {
    this.setStatus('PENDING', { pullStartedAt: this.observed.pullStartedAt ?? this.ctx.now() });
    for (const c of this.payload.containers) {
      if (this.ids.has(c.name)) continue;
      try {
        await this.ctx.runtime.ensureImage(c.image);
      } catch (err) {
        if (err instanceof RuntimeError && err.kind === 'ImageNotFound') {
          const reason = `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${c.image}: not found`;
          this.container(c.name).reason = reason;
          throw new TaskFailure('TaskFailedToStart', reason);
        }
        throw err;
      }
    }
    this.setStatus('ACTIVATING', { pullStoppedAt: this.observed.pullStoppedAt ?? this.ctx.now() });
  }

  private async createOrAdopt(name: string, spec: Parameters<ContainerRuntime['create']>[0]): Promise<string> {
    try {
      return await this.ctx.runtime.create(spec);
    } catch (err) {
      if (err instanceof RuntimeError && err.kind === 'NameConflict') {
        const s = await this.ctx.runtime.inspect(spec.name);
        if (s) {
          this.learn(name, s);
          return s.id;
        }
      }
      throw err;
    }
  }

  private specContext(): SpecContext {
    return { agentId: this.ctx.agentId, idOf: (n) => this.ids.get(n), baseEnv: (c) => this.ctx.baseEnv(this.payload, c) };
  }

  /**
   * The container with what its secrets add: environment variables (over same-named plain ones)
   * and log driver options.
   */
  private withSecrets(c: ContainerPayload): ContainerPayload {
    const add = this.secretValues?.[c.name];
    if (!add) return c;
    const env = new Map(c.environment.map((e) => [e.name, e.value]));
    for (const [name, value] of Object.entries(add.environment)) env.set(name, value);
    const out: ContainerPayload = { ...c, environment: [...env].map(([name, value]) => ({ name, value })) };
    if (c.logConfiguration) out.logConfiguration = { ...c.logConfiguration, options: { ...c.logConfiguration.options, ...add.logOptions } };
    return out;
  }

  /** Fetches the task's secrets once, before the first container that needs creating. */
  private async loadSecrets(): Promise<void> {
    if (!this.payload.needsSecrets || this.secretValues || this.payload.containers.every((c) => this.ids.has(c.name))) return;
    try {
      if (!this.ctx.secrets) throw new Error('unable to pull secrets or registry auth: this agent cannot fetch secrets');
      this.secretValues = await this.ctx.secrets(this.payload.taskArn);
    } catch (err) {
      throw new TaskFailure('TaskFailedToStart', `ResourceInitializationError: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async routeCredentials(ip: string | undefined): Promise<void> {
    if (!ip || this.ips.has(ip)) return;
    this.ips.add(ip);
    if (this.payload.taskRoleArn) await this.ctx.credentialsRoute?.attach(ip);
  }

  private async createAll(): Promise<void> {
    await this.loadSecrets();
    for (const bare of this.payload.containers) {
      if (this.ids.has(bare.name)) continue;
      const c = this.withSecrets(bare);
      const id = await this.createOrAdopt(c.name, containerSpec(this.payload, c, this.specContext()));
      this.ids.set(c.name, id);
      try {
        await this.ctx.logs?.prepare(this.payload, c, id);
      } catch (err) {
        const reason = `ResourceInitializationError: ${err instanceof Error ? err.message : String(err)}`;
        this.container(c.name).reason = reason;
        throw new TaskFailure('TaskFailedToStart', reason);
      }
      if (!this.known.has(c.name)) this.known.set(c.name, { state: 'created' });
      this.container(c.name).runtimeId = id;
    }
  }

  private knownOf = (name: string): Known => this.known.get(name) ?? { state: 'absent' };

  /** Starts containers as their dependencies allow; returns when the task must stop. */
  private async runUntilStop(): Promise<void> {
    for (;;) {
      for (const c of this.payload.containers) await this.progress(c);
      const essentials = this.payload.containers.filter((c) => c.essential);
      if (essentials.every((c) => this.knownOf(c.name).state === 'running') && statusRank(this.observed.lastStatus) < statusRank('RUNNING')) {
        this.setStatus('RUNNING', { startedAt: this.ctx.now() });
      }
      this.refreshHealth();
      const exited = essentials.find((c) => this.knownOf(c.name).state === 'exited');
      if (exited) throw new TaskFailure('EssentialContainerExited', 'Essential container in task exited');
      if (this.stopRequest) return;
      if (!(await this.changed(RESYNC_MS))) await this.resync();
    }
  }

  /** One container's next step: start it when ready; record its exit when it has run. */
  private async progress(c: ContainerPayload): Promise<void> {
    const k = this.knownOf(c.name);
    const obs = this.container(c.name);
    if (k.state === 'created' && obs.lastStatus === 'PENDING') {
      const r = readiness(c, this.knownOf);
      if (!r.ready) {
        if (r.failed) {
          obs.reason = r.failed;
          throw new TaskFailure('TaskFailedToStart', r.failed);
        }
        return;
      }
      await this.ctx.runtime.start(this.ids.get(c.name)!);
      this.ctx.logs?.follow(this.payload, this.withSecrets(c), this.ids.get(c.name)!);
      const s = await this.ctx.runtime.inspect(this.ids.get(c.name)!);
      if (s) this.learn(c.name, s);
      if (s && this.payload.networkMode === 'bridge') await this.routeCredentials(Object.values(s.networks)[0]?.ipv4Address);
      if (this.knownOf(c.name).state === 'created') this.known.set(c.name, { ...this.knownOf(c.name), state: 'running' });
    }
    const now = this.knownOf(c.name);
    if (now.state === 'running' && obs.lastStatus === 'PENDING') {
      obs.lastStatus = 'RUNNING';
      this.emit();
    } else if (now.state === 'exited' && obs.lastStatus !== 'STOPPED') {
      await this.recordExit(c.name);
    }
  }

  private async recordExit(name: string): Promise<void> {
    const obs = this.container(name);
    const s = await this.ctx.runtime.inspect(this.ids.get(name)!);
    obs.lastStatus = 'STOPPED';
    obs.exitCode = s?.exitCode ?? this.knownOf(name).exitCode;
    if (s?.oomKilled) obs.reason = OOM_REASON;
    this.emit();
  }

  private refreshHealth(): void {
    let changed = false;
    for (const c of this.payload.containers) {
      if (!c.healthCheck) continue;
      const h = this.knownOf(c.name).health;
      const status = h === 'healthy' ? 'HEALTHY' : h === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
      const obs = this.container(c.name);
      if (obs.healthStatus !== status) {
        obs.healthStatus = status;
        changed = true;
      }
    }
    // The task is as healthy as its essential containers that have health checks.
    const checked = this.payload.containers.filter((c) => c.essential && c.healthCheck).map((c) => this.container(c.name).healthStatus);
    const task = checked.length === 0 ? 'UNKNOWN' : checked.includes('UNHEALTHY') ? 'UNHEALTHY' : checked.every((h) => h === 'HEALTHY') ? 'HEALTHY' : 'UNKNOWN';
    if (task !== this.observed.healthStatus) {
      this.observed.healthStatus = task;
      changed = true;
    }
    if (changed) this.emit();
  }

  private async teardown(failure: TaskFailure | undefined): Promise<void> {
    const rt = this.ctx.runtime;
    const stop = failure ? { stopCode: failure.stopCode, reason: failure.message } : (this.stopRequest ?? { stopCode: 'UserInitiated', reason: 'Task stopped by user' });
    this.observed.stopCode ??= stop.stopCode;
    this.observed.stoppedReason ??= stop.reason;
    this.setStatus('DEACTIVATING', { stoppingAt: this.observed.stoppingAt ?? this.ctx.now() });
    this.setStatus('STOPPING');
    for (const name of stopOrder(this.payload.containers)) {
      const id = this.ids.get(name);
      if (!id) continue;
      const def = this.payload.containers.find((c) => c.name === name)!;
      if (this.knownOf(name).state === 'running') await rt.stop(id, this.stopRequest?.graceSeconds ?? def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SEC);
      const obs = this.container(name);
      if (obs.lastStatus !== 'STOPPED' && this.knownOf(name).state !== 'created') await this.recordExit(name);
    }
    for (const c of this.observed.containers) c.lastStatus = 'STOPPED';
    if (this.payload.taskRoleArn) for (const ip of this.ips) await this.ctx.credentialsRoute?.detach(ip).catch(() => undefined);
    this.ips.clear();
    // The tail of every container's output is shipped before anything is removed.
    await this.ctx.logs?.flush(this.payload.taskArn);
    this.setStatus('DEPROVISIONING', { executionStoppedAt: this.observed.executionStoppedAt ?? this.ctx.now() });
    for (const name of this.payload.containers.map((c) => c.name)) {
      const id = this.ids.get(name);
      if (id) await rt.remove(id).catch(() => undefined);
    }
    const pause = this.ids.get(PAUSE);
    if (pause) {
      // Stopped before it is removed: force-removing a running container that owns a network
      // namespace can leave Docker with a stale endpoint that blocks removing the network. Its
      // endpoint leaves the subnet's network alone among that network's joins and leaves.
      const leave = async (): Promise<void> => {
        await rt.stop(pause, 2).catch(() => undefined);
        await rt.remove(pause).catch(() => undefined);
      };
      const n = this.payload.network;
      await (n ? this.ctx.networks.exclusive(n.name, leave) : leave());
    }
    for (const v of this.payload.volumes) {
      if (!v.host?.sourcePath && v.docker?.scope !== 'shared') await rt.removeVolume(taskVolumeName(this.payload.taskArn, v.name)).catch(() => undefined);
    }
    const n = this.payload.network;
    if (n && (this.holdsNetwork || this.ids.has(PAUSE))) {
      // An adopted task (agent restart) holds its network too, though this process did not create it.
      if (!this.holdsNetwork) await this.ctx.networks.acquire(n.name, async () => undefined);
      await this.ctx.networks.release(n.name, () => rt.removeNetwork(n.name));
    }
    this.setStatus('STOPPED', { stoppedAt: this.ctx.now() });
  }
}

function describe(err: unknown): string {
  if (err instanceof RuntimeError) return `ResourceInitializationError: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
