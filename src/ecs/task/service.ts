import { randomBytes, randomUUID } from 'node:crypto';
import type { Failure, TaskOverride } from '@aws-sdk/client-ecs';
import type { ObservedTask, RoleCredentials, TaskPayload } from '../../protocol/messages.js';
import type { TaskIdentity } from '../agents/task-identity.js';
import { ecsArn, scopeKey, type Scope } from '../arn.js';
import type { ClusterRecord, EcsState, HostResources, TaskDefinitionRecord } from '../state.js';
import { placeTasks } from '../placement/pipeline.js';
import { placementDetail, summarizeReport } from '../placement/report.js';
import { seededRandom } from '../placement/random.js';
import type { Placement, PlacementConstraint, PlacementStrategy, TaskNeed } from '../placement/types.js';
import { ClusterCandidates } from './candidates.js';
import { applyObserved, stopUnreported } from './lifecycle.js';
import type { AllocatedEni, TaskNetworking } from './networking.js';
import { taskPayload } from './payload.js';
import { environmentFiles, placeSecrets, secretRefs, type ResolvedSecrets } from './secrets.js';
import type { ContainerRecord, TaskRecord } from './record.js';

/** How long STOPPED tasks stay describable, as in ECS (at least an hour). */
export const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;

export interface RunResult {
  tasks: TaskRecord[];
  failures: Failure[];
  /** When some could not be placed: ECS's words after `was unable to place a task` (service events). */
  unplaced?: string;
}

export interface RunRequest {
  scope: Scope;
  cluster: ClusterRecord;
  def: TaskDefinitionRecord;
  launchType: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderName?: string;
  count: number;
  overrides: TaskOverride;
  startedBy?: string;
  group: string;
  enableExecuteCommand: boolean;
  awsvpc?: { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean };
  /** StartTask: these container instances, one task each, instead of placement. */
  onInstances?: string[];
  /** RunTask's placement strategies, in order (none: random). */
  strategies?: PlacementStrategy[];
  /** RunTask's and the task definition's constraints, memberOf expressions compiled. */
  constraints?: PlacementConstraint[];
  now: number;
  seed: number;
}

/**
 * The single owner of task records: creates them (placing and allocating ENIs), stops them,
 * folds agent reports in, and says what each host should run. Everything it writes goes through
 * the store in a transaction; the host index is derived state rebuilt at start-up.
 */
export class TaskService {
  private readonly byHost = new Map<string, Set<string>>();
  /** Each host's reservations by its tasks that are not STOPPED: kept as tasks come and go. */
  private readonly reserved = new Map<string, HostResources>();
  /** Per host: non-STOPPED tasks by task group, RUNNING tasks, and a version bumped on every change. */
  private readonly groups = new Map<string, Map<string, number>>();
  private readonly running = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  /** Set by the agent hub: called after a host's desired tasks changed. */
  onDesiredChanged: (hostId: string) => void = () => {};
  /** Set by the service controller: called after a task was created or changed. */
  onTaskChanged: (task: TaskRecord) => void = () => {};
  /** Task keys by `account:region:cluster:group`, STOPPED ones included until swept. */
  private readonly byGroup = new Map<string, Set<string>>();
  /** Each cluster's instances as placement sees them. */
  readonly candidates: ClusterCandidates;

  constructor(private readonly state: EcsState, private readonly net: TaskNetworking | undefined) {
    this.candidates = new ClusterCandidates(state, this);
    for (const [key, t] of state.tasks.entries()) {
      this.group(key, t, true);
      if (t.lastStatus === 'STOPPED') continue;
      this.track(key, t, 1);
    }
  }

  private reserve(hostId: string, r: HostResources, sign: 1 | -1): void {
    const cur = this.reserved.get(hostId) ?? { cpu: 0, memory: 0, ports: [], portsUdp: [], gpus: [] };
    const ports = <T>(have: T[], change: T[]): T[] => {
      if (sign === 1) return [...have, ...change];
      const left = [...have];
      for (const p of change) {
        const i = left.indexOf(p);
        if (i >= 0) left.splice(i, 1);
      }
      return left;
    };
    this.reserved.set(hostId, {
      cpu: cur.cpu + sign * r.cpu,
      memory: cur.memory + sign * r.memory,
      ports: ports(cur.ports, r.ports),
      portsUdp: ports(cur.portsUdp, r.portsUdp),
      gpus: ports(cur.gpus ?? [], r.gpus ?? []),
    });
  }

  static key(scope: Scope, clusterName: string, taskId: string): string {
    return `${scopeKey(scope)}:${clusterName}:${taskId}`;
  }

  /**
   * Adds (+1) or removes (-1) a task that is not STOPPED from its host's ledger: the index of its
   * tasks, their reservations, task-group and RUNNING counts, and the version placement reads to
   * know a host's snapshot is stale.
   */
  private track(key: string, t: TaskRecord, sign: 1 | -1): void {
    let set = this.byHost.get(t.hostId);
    if (!set) this.byHost.set(t.hostId, (set = new Set()));
    if (sign === 1) set.add(key);
    else set.delete(key);
    this.reserve(t.hostId, t.reserved, sign);
    let groups = this.groups.get(t.hostId);
    if (!groups) this.groups.set(t.hostId, (groups = new Map()));
    const n = (groups.get(t.group) ?? 0) + sign;
    if (n > 0) groups.set(t.group, n);
    else groups.delete(t.group);
    if (t.lastStatus === 'RUNNING') this.count(this.running, t.hostId, sign);
    this.bump(t.hostId);
  }

  private count(m: Map<string, number>, hostId: string, by: number): void {
    m.set(hostId, (m.get(hostId) ?? 0) + by);
  }

  private bump(hostId: string): void {
    this.count(this.versions, hostId, 1);
  }

  versionOf(hostId: string): number {
    return this.versions.get(hostId) ?? 0;
  }

  /** What placement needs of a host's tasks; `version` changes whenever any of it does. */
  ledgerOf(hostId: string): { reserved: HostResources; groups: ReadonlyMap<string, number>; running: number; version: number } {
    return { reserved: this.reservedOn(hostId), groups: this.groups.get(hostId) ?? new Map(), running: this.running.get(hostId) ?? 0, version: this.versions.get(hostId) ?? 0 };
  }

  /** Tasks a host holds that are not STOPPED. */
  activeOn(hostId: string): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const key of this.byHost.get(hostId) ?? []) {
      const t = this.state.tasks.get(key);
      if (t) out.push(t);
    }
    return out;
  }

  /** What a host's tasks hold of its resources. */
  reservedOn(hostId: string): HostResources {
    const r = this.reserved.get(hostId);
    return r ? { cpu: r.cpu, memory: r.memory, ports: [...r.ports], portsUdp: [...r.portsUdp], gpus: [...(r.gpus ?? [])] } : { cpu: 0, memory: 0, ports: [], portsUdp: [], gpus: [] };
  }

  desiredFor(hostId: string): TaskPayload[] {
    const out: TaskPayload[] = [];
    for (const t of this.activeOn(hostId)) {
      const def = this.definitionOf(t);
      if (def) out.push(taskPayload(t, def.definition, this.networkOf(t)));
    }
    return out;
  }

  /**
   * A task's secrets and environment files, read through `identity` with its execution role.
   * Throws with the message the task stops with (after `ResourceInitializationError: `).
   */
  secretsOf(t: TaskRecord, identity: TaskIdentity): ResolvedSecrets {
    const def = this.definitionOf(t)?.definition;
    if (!def) throw new Error(`task definition ${t.taskDefinitionArn} is not known`);
    const files = environmentFiles(def, t.overrides);
    // Environment files live in Amazon S3, which Berth does not have (yet): the task fails at
    // start, as it would on ECS when the file cannot be read, rather than start without them.
    if (files.length) throw new Error(`failed to download env files: Berth has no Amazon S3 to read ${files[0]} from`);
    const who = { scope: { accountId: t.accountId, region: t.region }, taskArn: t.taskArn, taskId: t.taskId };
    const exec = t.overrides.executionRoleArn ?? def.executionRoleArn;
    return placeSecrets(secretRefs(def), (valueFroms) => identity.readSecrets(who, exec, valueFroms));
  }

  /** Temporary credentials for a task's role; throws when it has none or the role refuses. */
  credentialsOf(t: TaskRecord, identity: TaskIdentity): RoleCredentials {
    const role = t.overrides.taskRoleArn ?? this.definitionOf(t)?.definition.taskRoleArn;
    if (!role) throw new Error(`task ${t.taskArn} has no task role`);
    return identity.roleCredentials({ scope: { accountId: t.accountId, region: t.region }, taskArn: t.taskArn, taskId: t.taskId }, role);
  }

  private definitionOf(t: TaskRecord): TaskDefinitionRecord | undefined {
    return this.definitionByArn(t.taskDefinitionArn);
  }

  /** A revision by its ARN (`arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`). */
  definitionByArn(arn: string): TaskDefinitionRecord | undefined {
    const parts = arn.split(':');
    const [family, revision] = arn.split('/').pop()!.split(':');
    return this.state.taskDefinitions.get(`${parts[4]}:${parts[3]}:${family}:${revision}`);
  }

  /** Whether an agent may still report on the task: its host is registered (a task no agent holds stops at once). */
  private hostKnown(t: TaskRecord): boolean {
    return t.launchType === 'FARGATE' ? this.state.managedHosts.has(t.hostId) : this.state.containerInstances.get(t.hostId)?.status !== 'INACTIVE';
  }

  private networkOf(t: TaskRecord): TaskPayload['network'] | undefined {
    if (!t.eni) return undefined;
    const n = t.network;
    if (!n) return undefined;
    return { ...n, ipv4Address: t.eni.privateIPv4Address, macAddress: t.eni.macAddress, eniId: t.eni.eniId, subnetId: t.eni.subnetId, privateDnsName: t.eni.privateDnsName };
  }

  /**
   * Creates and places `count` tasks (StartTask: one per named instance) through the placement
   * pipeline. Placement failures come back as ECS `failures`: the closest matching instance's
   * ARN and reason.
   */
  run(req: RunRequest, managedHosts: () => string[]): RunResult {
    const need = needOf(req);
    const random = seededRandom(req.seed);
    const tasks: TaskRecord[] = [];
    const failures: Failure[] = [];
    const touched = new Set<string>();
    const out: RunResult = { tasks, failures };
    transactionOr(this.state, () => {
      for (const p of this.chooseHosts(req, need, managedHosts, out)) {
        tasks.push(this.create(req, p.instanceId, need, random, p.gpuIds));
        touched.add(p.instanceId);
      }
    }, () => {
      // The store rolled the request back: so must the derived ledger.
      for (const t of tasks) {
        const key = TaskService.key(req.scope, req.cluster.clusterName, t.taskId);
        this.track(key, t, -1);
        this.group(key, t, false);
      }
      tasks.length = 0;
    });
    for (const h of touched) this.onDesiredChanged(h);
    for (const t of tasks) this.onTaskChanged(t);
    return out;
  }

  /** A host (and the GPUs it gives) per task to create; what cannot be placed goes to `failures`. */
  private chooseHosts(req: RunRequest, need: HostResources, managedHosts: () => string[], out: RunResult): Placement[] {
    const failures = out.failures;
    if (req.launchType === 'FARGATE') {
      const hosts = managedHosts();
      if (hosts.length === 0) {
        failures.push(...Array.from({ length: req.count }, () => ({ arn: req.cluster.clusterArn, reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone' })));
        out.unplaced = '. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.';
        return [];
      }
      // The least loaded managed host, task by task: the pool is one capacity, spread evenly.
      const load = new Map(hosts.map((h) => [h, this.byHost.get(h)?.size ?? 0]));
      return Array.from({ length: req.count }, () => {
        const [h, n] = [...load].sort((a, b) => a[1] - b[1])[0]!;
        load.set(h, n + 1);
        return { instanceId: h, gpuIds: [] };
      });
    }
    const index = this.candidates.of(req.cluster.clusterArn);
    const taskNeed: TaskNeed = {
      ...need, gpus: gpusOf(req), requiresAttributes: req.def.definition.requiresAttributes?.map((a) => ({ name: a.name!, ...(a.value !== undefined ? { value: a.value } : {}) })) ?? [],
      group: req.group, networkMode: req.def.definition.networkMode ?? 'bridge',
    };
    const hosts: Placement[] = [];
    const take = (r: ReturnType<typeof placeTasks>, arn: string): void => {
      hosts.push(...r.placements);
      // `detail`: how many instances each check turned away (`5000 instances; RESOURCE:MEMORY 4990, AGENT 10; closest …`).
      failures.push(...r.failures.map((f) => ({ arn: f.instanceId ?? arn, reason: f.reason, detail: summarizeReport(r.report) })));
      if (r.failures.length) out.unplaced = placementDetail(r.report);
    };
    if (req.onInstances) {
      // StartTask: the named instances, no strategies nor constraints; resources are still checked.
      for (const arn of req.onInstances) {
        const at = index.indexOf(arn);
        if (at < 0) failures.push({ arn, reason: 'MISSING' });
        else take(placeTasks([index.instances[at]!], { need: taskNeed, count: 1, seed: req.seed, strategies: [], constraints: [] }), arn);
      }
      return hosts;
    }
    // A custom capacity provider's tasks go only to the instances of its Auto Scaling group.
    const provider = req.capacityProviderName;
    const pool = provider ? index.instances.filter((v) => this.state.containerInstances.get(v.id)?.capacityProviderName === provider) : index;
    take(placeTasks(pool, { need: taskNeed, count: req.count, seed: req.seed, strategies: req.strategies ?? [], constraints: req.constraints ?? [] }), req.cluster.clusterArn);
    return hosts;
  }

  private create(req: RunRequest, hostId: string, need: HostResources, random: () => number, gpuIds: string[]): TaskRecord {
    const { scope, cluster } = req;
    const def = req.def.definition;
    const taskId = randomBytes(16).toString('hex');
    const taskArn = ecsArn(scope, `task/${cluster.clusterName}/${taskId}`);
    const overrides = new Map((req.overrides.containerOverrides ?? []).map((o) => [o.name, o]));
    const gpusByContainer = assignGpus(gpuCounts(req), gpuIds);
    const containers: ContainerRecord[] = (def.containerDefinitions ?? []).map((c) => {
      const o = overrides.get(c.name);
      const rec: ContainerRecord = {
        containerArn: ecsArn(scope, `container/${cluster.clusterName}/${taskId}/${randomUUID()}`),
        name: c.name!,
        image: c.image!,
        lastStatus: 'PENDING',
        cpu: o?.cpu ?? c.cpu ?? 0,
        essential: c.essential !== false,
      };
      const memory = o?.memory ?? c.memory;
      const reservation = o?.memoryReservation ?? c.memoryReservation;
      if (memory !== undefined) rec.memory = memory;
      if (reservation !== undefined) rec.memoryReservation = reservation;
      const gpus = gpusByContainer.get(c.name!);
      if (gpus?.length) rec.gpuIds = gpus;
      return rec;
    });
    let eni: TaskRecord['eni'];
    let network: AllocatedEni['network'] | undefined;
    let availabilityZone = `${scope.region}a`;
    if (req.awsvpc && this.net) {
      const subnetId = req.awsvpc.subnets[Math.floor(random() * req.awsvpc.subnets.length)]!;
      const attachmentId = randomUUID();
      const a = this.net.allocate(scope, {
        subnetId, securityGroupIds: req.awsvpc.securityGroups, assignPublicIp: req.awsvpc.assignPublicIp,
        description: ecsArn(scope, `attachment/${attachmentId}`),
      });
      eni = { attachmentId, eniId: a.eniId, subnetId: a.subnetId, privateIPv4Address: a.privateIPv4Address, macAddress: a.macAddress, privateDnsName: a.privateDnsName, status: 'PRECREATED' };
      network = a.network;
      availabilityZone = a.availabilityZone;
    } else if (req.launchType !== 'FARGATE') {
      const inst = this.state.containerInstances.get(hostId);
      availabilityZone = inst?.attributes.find((x) => x.name === 'ecs.availability-zone')?.value ?? availabilityZone;
    }
    const task: TaskRecord = {
      taskArn, taskId, clusterArn: cluster.clusterArn, accountId: scope.accountId, region: scope.region,
      taskDefinitionArn: def.taskDefinitionArn!, hostId, launchType: req.launchType, availabilityZone,
      lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', createdAt: req.now, group: req.group,
      reserved: gpuIds.length ? { ...need, gpus: [...gpuIds] } : need, overrides: { containerOverrides: [], ...req.overrides }, enableExecuteCommand: req.enableExecuteCommand,
      healthStatus: 'UNKNOWN', containers, version: 1,
    };
    if (req.launchType !== 'FARGATE') task.containerInstanceArn = hostId;
    if (req.capacityProviderName) task.capacityProviderName = req.capacityProviderName;
    if (req.startedBy) task.startedBy = req.startedBy;
    const cpu = req.overrides.cpu ?? def.cpu;
    const memory = req.overrides.memory ?? def.memory;
    if (cpu) task.cpu = cpu;
    if (memory) task.memory = memory;
    if (eni) task.eni = eni;
    if (network) task.network = network;
    const key = TaskService.key(scope, cluster.clusterName, taskId);
    this.state.tasks.put(key, task);
    this.track(key, task, 1);
    this.group(key, task, true);
    return task;
  }

  find(scope: Scope, clusterName: string, ref: string): [string, TaskRecord] | undefined {
    const id = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    const key = TaskService.key(scope, clusterName, id);
    const t = this.state.tasks.get(key);
    if (!t || (ref.startsWith('arn:') && t.taskArn !== ref)) return undefined;
    return [key, t];
  }

  /** Asks for a task to stop. The agent stops it; a task no agent holds stops at once. */
  stop(key: string, stopCode: string, reason: string, now: number, opts: { graceSeconds?: number; holdUntil?: number } = {}): TaskRecord {
    const t = this.state.tasks.get(key)!;
    if (t.lastStatus === 'STOPPED' || t.desiredStatus === 'STOPPED') return t;
    const stopRequest = { stopCode, reason, ...opts };
    let next: TaskRecord = { ...t, desiredStatus: 'STOPPED', stopRequest, version: t.version + 1 };
    if (!this.hostKnown(t)) next = stopUnreported(next, now, stopCode, reason);
    this.state.store.transaction(() => this.write(key, next));
    this.onDesiredChanged(t.hostId);
    this.onTaskChanged(next);
    return next;
  }

  /** Passes a held stop (`stopRequest.holdUntil`) on to the agent now. */
  release(key: string): void {
    const t = this.state.tasks.get(key);
    if (!t?.stopRequest?.holdUntil || t.lastStatus === 'STOPPED') return;
    const { holdUntil: _, ...stopRequest } = t.stopRequest;
    this.state.store.transaction(() => this.write(key, { ...t, stopRequest, version: t.version + 1 }));
    this.onDesiredChanged(t.hostId);
  }

  /**
   * A Fargate Spot interruption (Berth's stand-in for AWS reclaiming capacity): the cluster's
   * FARGATE_SPOT tasks that should be running (those named, or all) stop with stopCode
   * SpotInterruption; their containers get SIGTERM and `warningSeconds` before they are killed.
   */
  interruptSpot(scope: Scope, clusterName: string, refs: readonly string[] | undefined, warningSeconds: number, now: number): TaskRecord[] {
    const out: TaskRecord[] = [];
    const prefix = TaskService.key(scope, clusterName, '');
    const wanted = refs?.length ? new Set(refs.map((r) => r.split('/').pop()!)) : undefined;
    for (const [key, t] of [...this.state.tasks.entries()]) {
      if (!key.startsWith(prefix) || t.capacityProviderName !== 'FARGATE_SPOT' || t.desiredStatus !== 'RUNNING' || t.lastStatus === 'STOPPED') continue;
      if (wanted && !wanted.has(t.taskId)) continue;
      out.push(this.stop(key, 'SpotInterruption', 'Your Spot Task was interrupted.', now, { graceSeconds: warningSeconds }));
    }
    return out;
  }

  /** Applies an agent's report about a task it holds. Reports for tasks of other hosts are ignored. */
  applyReport(hostId: string, seen: ObservedTask): void {
    const key = this.keyOfArn(seen.taskArn);
    const t = key ? this.state.tasks.get(key) : undefined;
    if (!key || !t || t.hostId !== hostId) return;
    this.observe(key, seen);
  }

  /** Folds an observation into a task (agent report or the agent-facing Submit* calls). */
  observe(key: string, seen: ObservedTask): void {
    const t = this.state.tasks.get(key);
    if (!t || t.lastStatus === 'STOPPED') return;
    this.state.store.transaction(() => this.write(key, applyObserved(t, seen)));
    const now = this.state.tasks.get(key)!;
    if (now.lastStatus === 'STOPPED') this.onDesiredChanged(t.hostId);
    if (now !== t) this.onTaskChanged(now);
  }

  private write(key: string, next: TaskRecord): void {
    const prior = this.state.tasks.get(key);
    const wasActive = prior?.lastStatus !== 'STOPPED';
    this.state.tasks.put(key, next);
    if (prior && wasActive && next.lastStatus !== 'STOPPED' && (prior.lastStatus === 'RUNNING') !== (next.lastStatus === 'RUNNING')) {
      this.count(this.running, next.hostId, next.lastStatus === 'RUNNING' ? 1 : -1);
      this.bump(next.hostId);
    }
    if (next.lastStatus === 'STOPPED' && wasActive) {
      this.track(key, prior ?? next, -1);
      if (next.eni && this.net) this.net.release({ accountId: next.accountId, region: next.region }, next.eni.eniId);
    }
  }

  /** A task by its ARN, in any status. */
  byArn(arn: string): TaskRecord | undefined {
    const key = this.keyOfArn(arn);
    return key ? this.state.tasks.get(key) : undefined;
  }

  private keyOfArn(arn: string): string | undefined {
    // arn:aws:ecs:<region>:<account>:task/<cluster>/<id>
    const parts = arn.split(':');
    if (parts.length < 6) return undefined;
    const [, , , region, accountId] = parts;
    const [kind, cluster, id] = parts.slice(5).join(':').split('/');
    if (kind !== 'task' || !cluster || !id) return undefined;
    return `${accountId}:${region}:${cluster}:${id}`;
  }

  /** Drops STOPPED tasks past retention. Returns how many went. */
  sweep(now: number): number {
    const old: string[] = [];
    for (const [key, t] of this.state.tasks.entries()) if (t.lastStatus === 'STOPPED' && (t.stoppedAt ?? 0) < now - STOPPED_TASK_RETENTION_MS) old.push(key);
    if (old.length) {
      this.state.store.transaction(() => old.forEach((k) => this.state.tasks.delete(k)));
      for (const k of old) this.byGroup.forEach((set) => set.delete(k));
    }
    return old.length;
  }

  private group(key: string, t: TaskRecord, add: boolean): void {
    const g = `${t.accountId}:${t.region}:${t.clusterArn.split('/').pop()}:${t.group}`;
    let set = this.byGroup.get(g);
    if (!set) this.byGroup.set(g, (set = new Set()));
    if (add) set.add(key);
    else set.delete(key);
  }

  /** The tasks of a task group (e.g. `service:web`), STOPPED ones included until swept. */
  tasksInGroup(scope: Scope, clusterName: string, group: string): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const key of this.byGroup.get(`${scopeKey(scope)}:${clusterName}:${group}`) ?? []) {
      const t = this.state.tasks.get(key);
      if (t) out.push(t);
    }
    return out;
  }
}

/** Runs `fn` in a store transaction; when it throws, `undo` repairs derived state before the rethrow. */
function transactionOr(state: EcsState, fn: () => void, undo: () => void): void {
  try {
    state.store.transaction(fn);
  } catch (err) {
    undo();
    throw err;
  }
}

/**
 * Whole GPUs each container asks for (`resourceRequirements` of type GPU), in definition order; a
 * container override's `resourceRequirements` replace the definition's, as in ECS.
 */
export function gpuCounts(req: Pick<RunRequest, 'def' | 'overrides'>): { name: string; count: number }[] {
  const overrides = new Map((req.overrides.containerOverrides ?? []).map((o) => [o.name, o]));
  return (req.def.definition.containerDefinitions ?? []).map((c) => {
    const rr = overrides.get(c.name)?.resourceRequirements ?? c.resourceRequirements ?? [];
    let count = 0;
    for (const r of rr) if (r.type === 'GPU') count += Math.max(0, Math.floor(Number(r.value) || 0));
    return { name: c.name!, count };
  });
}

/** Whole GPUs the task needs: the sum of its containers'. */
function gpusOf(req: Pick<RunRequest, 'def' | 'overrides'>): number {
  return gpuCounts(req).reduce((s, c) => s + c.count, 0);
}

/** The task's GPU ids shared out: each container, in order, takes as many as it asked for. */
export function assignGpus(counts: readonly { name: string; count: number }[], gpuIds: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let next = 0;
  for (const c of counts) {
    if (c.count <= 0) continue;
    out.set(c.name, gpuIds.slice(next, next + c.count));
    next += c.count;
  }
  return out;
}

/** Resources a task holds on its host: task-level size when given, else the sum of its containers. */
export function needOf(req: Pick<RunRequest, 'def' | 'overrides' | 'awsvpc'>): HostResources {
  const def = req.def.definition;
  const containers = def.containerDefinitions ?? [];
  const overrides = new Map((req.overrides.containerOverrides ?? []).map((o) => [o.name, o]));
  const taskCpu = Number(req.overrides.cpu ?? def.cpu);
  const taskMemory = Number(req.overrides.memory ?? def.memory);
  const cpu = Number.isFinite(taskCpu) && taskCpu > 0 ? taskCpu : containers.reduce((s, c) => s + (overrides.get(c.name)?.cpu ?? c.cpu ?? 0), 0);
  const memory = Number.isFinite(taskMemory) && taskMemory > 0
    ? taskMemory
    : containers.reduce((s, c) => s + (overrides.get(c.name)?.memory ?? c.memory ?? overrides.get(c.name)?.memoryReservation ?? c.memoryReservation ?? 0), 0);
  const ports: number[] = [];
  const portsUdp: number[] = [];
  if (!req.awsvpc) {
    for (const c of containers) for (const m of c.portMappings ?? []) {
      const hp = def.networkMode === 'host' ? m.containerPort : m.hostPort;
      if (hp) (m.protocol === 'udp' ? portsUdp : ports).push(hp);
    }
  }
  return { cpu, memory, ports, portsUdp };
}
