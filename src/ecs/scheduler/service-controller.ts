import { AwsError } from '../../edge/errors.js';
import type { ServiceScheduling } from '../api/services.js';
import { putService } from '../api/service-deployments.js';
import { serviceKey } from '../api/services.js';
import type { TaskRuntimeView } from '../api/tasks.js';
import { SERVICE_DEFAULT_STRATEGIES } from '../placement/strategies.js';
import type { ServiceInstance, ServiceTask } from '../service/health.js';
import type { ServiceRecord } from '../service/model.js';
import { reconcile, recordLaunchFailures, recordStarted, type Action } from '../service/reconcile.js';
import { hasLoadBalancers, reconcileTaskSets, recordTaskSetLaunchFailures, recordTaskSetStarted, taskSetOf } from '../service/task-sets.js';
import type { EcsState } from '../state.js';
import type { TaskLauncher } from '../task/launcher.js';
import type { TaskRecord } from '../task/record.js';
import { TaskService } from '../task/service.js';
import type { ServiceTargets } from './service-targets.js';

/** How often due wake-ups and instance changes are looked for. */
const TICK_MS = 1000;
/** How long an agent may be away before its tasks count as lost and are replaced. */
const LOST_AFTER_MS = Number(process.env.BERTH_AGENT_LOST_AFTER_SECONDS ?? 120) * 1000;

/**
 * The service scheduler's loop: keys of services to look at (changed by the API, by their tasks,
 * by their cluster's instances, or due by the pure core's `wakeAt`), one pass per key at a time —
 * `reconcile` over the service's tasks and instances, its actions applied and the new service
 * record stored in one transaction. Nothing is kept that the store does not have: after a server
 * restart every service is passed again and carries on where it was.
 */
export class ServiceController implements ServiceScheduling {
  private readonly dirty = new Set<string>();
  private readonly wakeAt = new Map<string, number>();
  private readonly signatures = new Map<string, string>();
  /** Hosts whose agent is away, and since when this process has seen them away. */
  private readonly awaySince = new Map<string, number>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: EcsState,
    private readonly tasks: TaskService,
    private readonly launcher: TaskLauncher,
    private readonly view: TaskRuntimeView,
    private readonly clock: () => Date,
    private readonly log: (line: string) => void = () => {},
    /** Load balancing for services with `loadBalancers` (absent: such services get no targets). */
    private readonly targets?: ServiceTargets,
  ) {}

  start(): void {
    for (const [key, s] of this.state.services.entries()) if (s.status !== 'INACTIVE') this.dirty.add(key);
    this.schedule();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  touch(key: string): void {
    this.dirty.add(key);
    this.schedule();
  }

  /** A task changed: its service, if it has one, gets a pass. */
  taskChanged(t: TaskRecord): void {
    if (!t.group.startsWith('service:')) return;
    this.touch(serviceKey({ accountId: t.accountId, region: t.region }, t.clusterArn.split('/').pop()!, t.group.slice('service:'.length)));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  /** Due wake-ups, and services whose cluster's instances changed (joined, drained, disconnected). */
  private tick(): void {
    const now = this.clock().getTime();
    const clusters = new Map<string, string>();
    for (const i of this.state.containerInstances.values()) {
      clusters.set(i.clusterArn, `${clusters.get(i.clusterArn) ?? ''}${i.containerInstanceArn}:${i.status}:${i.agentConnected};`);
    }
    for (const [key, s] of this.state.services.entries()) {
      if (s.status === 'INACTIVE') continue;
      const sig = clusters.get(s.clusterArn) ?? '';
      if (this.signatures.get(key) !== sig) {
        this.signatures.set(key, sig);
        this.dirty.add(key);
      }
      const at = this.wakeAt.get(key);
      if (at !== undefined && at <= now) this.dirty.add(key);
      // Target health changes on the load balancer's own schedule: look every tick.
      if (hasLoadBalancers(s) && this.targets) this.dirty.add(key);
    }
    if (this.dirty.size) this.drain();
  }

  private drain(): void {
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      try {
        this.pass(key);
      } catch (err) {
        this.log(`service scheduler: ${key}: ${err instanceof Error ? err.stack : String(err)}`);
        this.wakeAt.set(key, this.clock().getTime() + 5000);
      }
    }
  }

  private pass(key: string): void {
    const service = this.state.services.get(key);
    if (!service || service.status === 'INACTIVE') {
      this.wakeAt.delete(key);
      return;
    }
    const now = this.clock().getTime();
    const [accountId, region, clusterName] = key.split(':') as [string, string, string];
    const scope = { accountId, region };
    const records = this.tasks.tasksInGroup(scope, clusterName, `service:${service.serviceName}`);
    this.targets?.sync(service, records);
    const draining = this.releaseDrained(service, records, scope, clusterName, now);
    const observed = records.map((t) => this.serviceTask(service, t));
    // EXTERNAL services run task sets (service/task-sets.ts), not deployments.
    const result = service.deploymentController.type === 'EXTERNAL'
      ? reconcileTaskSets(service, observed, this.instancesFor(service, records, now), now)
      : reconcile(service, observed, this.instancesFor(service, records, now), now, this.targets?.traffic(service));
    const stored = this.state.store.transaction(() => {
      let s = result.service;
      for (const a of result.actions) s = this.apply(s, a, scope, clusterName, now);
      if (s.status === 'DRAINING' && !this.tasks.tasksInGroup(scope, clusterName, `service:${s.serviceName}`).some((t) => t.lastStatus !== 'STOPPED')) {
        s = { ...s, status: 'INACTIVE', deployments: [], ...(s.taskSets ? { taskSets: [] } : {}) };
      }
      // A task set that has drained away takes its tags with it.
      for (const t of service.taskSets ?? []) if (!(s.taskSets ?? []).some((x) => x.id === t.id)) this.state.tags.delete(t.taskSetArn);
      return putService(this.state, key, s, now);
    });
    // Traffic follows the stored record: a stage that shifts it is acted on at once, and a shift
    // that failed or was lost to a crash is asked for again by the next pass.
    this.targets?.steerTraffic(stored);
    const wake = Math.min(result.wakeAt ?? Infinity, draining ?? Infinity);
    if (wake !== Infinity) this.wakeAt.set(key, wake);
    else this.wakeAt.delete(key);
  }

  /**
   * Stops held back while their tasks drain from target groups: passed on to the agent once the
   * task is out of every group or its hold is over. Answers when to look again, if any is left.
   */
  private releaseDrained(s: ServiceRecord, records: readonly TaskRecord[], scope: { accountId: string; region: string }, clusterName: string, now: number): number | undefined {
    let next: number | undefined;
    for (const t of records) {
      const hold = t.stopRequest?.holdUntil;
      if (hold === undefined || t.desiredStatus !== 'STOPPED' || t.lastStatus === 'STOPPED') continue;
      if (now >= hold || (this.targets?.drained(s, t) ?? true)) this.tasks.release(TaskService.key(scope, clusterName, t.taskId));
      else next = Math.min(next ?? Infinity, now + 1000, hold);
    }
    return next;
  }

  private apply(s: ServiceRecord, a: Action, scope: { accountId: string; region: string }, clusterName: string, now: number): ServiceRecord {
    if (a.type === 'stop') {
      const found = this.tasks.find(scope, clusterName, a.taskArn);
      if (found) {
        // A task in a target group is deregistered first; its stop reaches the agent once it has drained.
        const holdUntil = this.targets?.beginDrain(s, found[1], now);
        this.tasks.stop(found[0], a.stopCode, a.reason, now, holdUntil !== undefined ? { holdUntil } : {});
      }
      return s;
    }
    const cluster = this.state.clusters.get(`${scope.accountId}:${scope.region}:${clusterName}`);
    const def = this.tasks.definitionByArn(a.taskDefinition);
    // A task set launches with its own options and network; its failures are its own (task-sets.ts).
    const taskSet = taskSetOf(s, a.deploymentId);
    const recordLaunchFailuresOf = taskSet ? recordTaskSetLaunchFailures : recordLaunchFailures;
    if (!cluster || cluster.status !== 'ACTIVE' || !def) {
      return recordLaunchFailuresOf(s, a.deploymentId, a.count, `. Reason: ${!def ? `the task definition ${a.taskDefinition} is gone` : 'the cluster is not ACTIVE'}.`, now);
    }
    const d = s.deployments.find((x) => x.id === a.deploymentId);
    const base = taskSet ?? s;
    try {
      const plan = this.launcher.plan({
        scope, cluster, def, count: a.count, group: `service:${s.serviceName}`, startedBy: a.deploymentId, overrides: {},
        enableExecuteCommand: s.enableExecuteCommand, now, seed: hashSeed(`${s.serviceArn}:${now}:${a.deploymentId}`),
        ...(d?.launchType ?? base.launchType ? { launchType: (d?.launchType ?? base.launchType)! } : {}),
        ...(d?.capacityProviderStrategy ?? base.capacityProviderStrategy ? { capacityProviderStrategy: (d?.capacityProviderStrategy ?? base.capacityProviderStrategy)! } : {}),
        ...(base.networkConfiguration ? { networkConfiguration: base.networkConfiguration as never } : {}),
        // AZ rebalancing names the zone the task must go to.
        placementConstraints: (a.type === 'start' && a.availabilityZone
          ? [...s.placementConstraints, { type: 'memberOf', expression: `attribute:ecs.availability-zone == ${a.availabilityZone}` }]
          : s.placementConstraints) as never,
        // Services spread across availability zones, then instances, unless told otherwise.
        placementStrategy: (s.placementStrategy.length ? s.placementStrategy : s.schedulingStrategy === 'DAEMON' ? [] : SERVICE_DEFAULT_STRATEGIES) as never,
        ...(a.instanceId ? { onInstances: [a.instanceId] } : {}),
        runningByProvider: this.liveByProvider(scope, clusterName, s),
      }, { service: true });
      const r = this.launcher.launch(plan);
      const tags = s.propagateTags === 'SERVICE' ? this.state.tags.get(s.serviceArn) : s.propagateTags === 'TASK_DEFINITION' ? this.state.tags.get(def.definition.taskDefinitionArn!) : undefined;
      if (tags?.length) for (const t of r.tasks) this.state.tags.put(t.taskArn, tags);
      let next = taskSet ? recordTaskSetStarted(s, taskSet.id, r.tasks.map((t) => t.taskArn), now)
        : recordStarted(s, r.tasks.map((t) => t.taskArn), now, Math.min(a.replacesUnhealthy ?? 0, r.tasks.length), a.availabilityZone);
      const failed = a.count - r.tasks.length;
      if (failed > 0) next = recordLaunchFailuresOf(next, a.deploymentId, failed, r.unplaced ?? '.', now);
      return next;
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      return recordLaunchFailuresOf(s, a.deploymentId, a.count, `. Reason: ${err.message}`, now);
    }
  }

  /** The service's tasks that should run, by capacity provider: base and weight count them too. */
  private liveByProvider(scope: { accountId: string; region: string }, clusterName: string, s: ServiceRecord): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.tasks.tasksInGroup(scope, clusterName, `service:${s.serviceName}`)) {
      if (t.desiredStatus === 'RUNNING' && t.capacityProviderName) out[t.capacityProviderName] = (out[t.capacityProviderName] ?? 0) + 1;
    }
    return out;
  }



  /**
   * The instances the service's tasks are judged against: the cluster's, and the managed hosts its
   * Fargate tasks run on. A host counts as disconnected (its tasks lost, to be replaced) only once
   * its agent has been away for LOST_AFTER_MS: agents reconnect after a network blip or a server
   * restart (when every agent is away at first), and their tasks kept running meanwhile.
   */
  private instancesFor(s: ServiceRecord, tasks: readonly TaskRecord[], now: number): ServiceInstance[] {
    const out: ServiceInstance[] = [];
    for (const i of this.state.containerInstances.values()) {
      if (i.clusterArn !== s.clusterArn || i.status === 'INACTIVE') continue;
      const zone = i.attributes.find((x) => x.name === 'ecs.availability-zone')?.value;
      out.push({ id: i.containerInstanceArn, status: i.status, connected: this.present(i.containerInstanceArn, i.agentConnected, now), ...(zone ? { availabilityZone: zone } : {}) });
    }
    const managed = new Set(tasks.filter((t) => t.launchType === 'FARGATE').map((t) => t.hostId));
    for (const h of managed) out.push({ id: h, status: 'ACTIVE', connected: this.present(h, this.view.isConnected(h), now) });
    return out;
  }

  /** Whether a host counts as connected: it is, or it went away less than LOST_AFTER_MS ago (as far as this process saw). */
  private present(hostId: string, connected: boolean, now: number): boolean {
    if (connected) {
      this.awaySince.delete(hostId);
      return true;
    }
    const since = this.awaySince.get(hostId) ?? now;
    this.awaySince.set(hostId, since);
    return now - since < LOST_AFTER_MS;
  }

  private serviceTask(s: ServiceRecord, t: TaskRecord): ServiceTask {
    const def = this.tasks.definitionByArn(t.taskDefinitionArn);
    const checked = (def?.definition.containerDefinitions ?? []).some((c) => c.essential !== false && c.healthCheck?.command?.length);
    return {
      taskArn: t.taskArn, lastStatus: t.lastStatus, desiredStatus: t.desiredStatus, createdAt: t.createdAt, availabilityZone: t.availabilityZone,
      // Fargate tasks are judged on their managed host: it stands in for the instance.
      containerInstanceArn: t.containerInstanceArn ?? t.hostId,
      ...(t.startedBy !== undefined ? { startedBy: t.startedBy } : {}),
      ...(t.healthStatus !== undefined ? { healthStatus: t.healthStatus } : {}),
      ...(t.startedAt !== undefined ? { startedAt: t.startedAt } : {}),
      ...(t.stoppedAt !== undefined ? { stoppedAt: t.stoppedAt } : {}),
      ...(t.stopCode !== undefined ? { stopCode: t.stopCode } : {}),
      ...(t.stoppedReason !== undefined ? { stoppedReason: t.stoppedReason } : {}),
      containerHealthCheck: checked,
      ...(this.targets && t.lastStatus !== 'STOPPED' ? this.targets.healthOf(s, t) : {}),
    };
  }
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
