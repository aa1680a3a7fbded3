import { scopeKey, type Scope } from '../arn.js';
import { serviceKey } from '../api/services.js';
import { groupNameOf } from '../cluster/auto-scaling-provider.js';
import { decideScaling, type GroupInstance, type ScalingDecision, type Size } from '../cluster/managed-scaling.js';
import { clusterOfProvider } from '../cluster/provider-registry.js';
import type { CapacityProviderRecord, EcsState } from '../state.js';
import type { ProviderLaunch } from '../task/launcher.js';
import type { TaskRecord } from '../task/record.js';
import type { TaskService } from '../task/service.js';

/** The group a scaling action is for. */
export interface ScalingTarget {
  scope: Scope;
  clusterName: string;
  providerName: string;
  /** The Auto Scaling group's name (from the provider's group ARN): new instances join with it. */
  groupName: string;
}

/**
 * The port to whatever makes and removes hosts of an Auto Scaling group. `launch` resolves once
 * the new instances are registered (or gave up); `terminate` once they are gone.
 */
export interface CapacityLauncher {
  launch(target: ScalingTarget, count: number): Promise<void>;
  terminate(target: ScalingTarget, containerInstanceArns: string[]): Promise<void>;
  /** What one new instance offers, when known before any exists. */
  instanceSize?(target: ScalingTarget): Size | undefined;
}

export interface CapacityScalerOptions {
  /** How often every provider is evaluated (ECS: every minute; default 5 s). */
  intervalMs?: number;
  /** How long the provider must want fewer instances before it scales in (ECS: 15 min; default 5 min). */
  scaleInAfterMs?: number;
  /** The group's maximum size: Berth's providers carry none (default 100). */
  maxSize?: number;
  /** How long tasks that could not be placed count as waiting (default 10 min). */
  waitingTtlMs?: number;
}

/** The last evaluation of a provider, as the metric would be published. */
export interface ReservationReading extends ScalingDecision { at: number }

interface Waiting { need: Size; count: number; at: number }

/**
 * Managed scaling of custom capacity providers: every `intervalMs`, for each ACTIVE provider with
 * managedScaling ENABLED that belongs to a cluster, the pure core (cluster/managed-scaling.ts)
 * computes CapacityProviderReservation and the group size, and the CapacityLauncher adds or
 * removes instances. One action per provider at a time: a provider is not evaluated while its
 * launch or termination is in flight (its new instances count once registered).
 *
 * Where tasks wait: Berth does not hold RunTask's tasks in PROVISIONING. A task that cannot be
 * placed fails as before (`failures`); the launcher tells this scaler (`taskLaunch`), which keeps
 * in memory, per provider and task group, how many of the latest launch could not be placed and
 * counts them into M until they are placed, a later launch of the group replaces the count, or
 * `waitingTtlMs` passes. Services retry by themselves; RunTask callers retry.
 */
export class CapacityScaler {
  private readonly waiting = new Map<string, Map<string, Waiting>>();
  private readonly readings = new Map<string, ReservationReading>();
  private readonly busy = new Set<string>();
  private readonly lowSince = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly scaleInAfterMs: number;
  private readonly maxSize: number;
  private readonly waitingTtlMs: number;

  constructor(
    private readonly state: EcsState,
    private readonly tasks: TaskService,
    private readonly launcher: CapacityLauncher,
    private readonly clock: () => Date,
    private readonly log: (line: string) => void = () => {},
    opts: CapacityScalerOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 5000;
    this.scaleInAfterMs = opts.scaleInAfterMs ?? 5 * 60_000;
    this.maxSize = opts.maxSize ?? 100;
    this.waitingTtlMs = opts.waitingTtlMs ?? 10 * 60_000;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The launcher's report of a launch of a custom provider's tasks. */
  taskLaunch(e: ProviderLaunch): void {
    const key = `${scopeKey(e.scope)}:${e.providerName}`;
    let groups = this.waiting.get(key);
    if (!groups) this.waiting.set(key, (groups = new Map()));
    const g = `${e.clusterArn}|${e.group}`;
    if (e.unplaced > 0) groups.set(g, { need: e.need, count: e.unplaced, at: this.clock().getTime() });
    else if (e.placed > 0) groups.delete(g);
  }

  /** The provider's last CapacityProviderReservation reading (undefined before its first evaluation). */
  reservation(scope: Scope, providerName: string): ReservationReading | undefined {
    return this.readings.get(`${scopeKey(scope)}:${providerName}`);
  }

  /** One evaluation of every provider (the timer's work; tests may call it). */
  tick(): void {
    const now = this.clock().getTime();
    for (const [key, p] of this.state.capacityProviders.entries()) {
      if (p.status !== 'ACTIVE' || p.autoScalingGroupProvider.managedScaling?.status !== 'ENABLED' || this.busy.has(key)) continue;
      try {
        this.evaluate(key, p, now);
      } catch (err) {
        this.log(`managed scaling of ${p.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private evaluate(key: string, p: CapacityProviderRecord, now: number): void {
    const [accountId, region] = key.split(':') as [string, string];
    const scope = { accountId, region };
    const cluster = clusterOfProvider(this.state, scope, p.name);
    const groupName = groupNameOf(p.autoScalingGroupProvider.autoScalingGroupArn ?? '');
    if (!cluster || !groupName) return;
    const target: ScalingTarget = { scope, clusterName: cluster.clusterName, providerName: p.name, groupName };
    const instances: GroupInstance[] = [];
    let size: Size | undefined;
    for (const i of this.state.containerInstances.values()) {
      if (i.clusterArn !== cluster.clusterArn || i.capacityProviderName !== p.name || i.status === 'INACTIVE') continue;
      const tasks = this.tasks.activeOn(i.containerInstanceArn).filter((t) => !this.isDaemon(t)).length;
      instances.push({ id: i.containerInstanceArn, tasks, registeredAt: i.registeredAt });
      const r = i.registeredResources;
      if (!size || r.cpu * r.memory > size.cpu * size.memory) size = { cpu: r.cpu, memory: r.memory };
    }
    size ??= this.launcher.instanceSize?.(target);
    const waiting: Size[] = [];
    const groups = this.waiting.get(key);
    for (const [g, w] of groups ?? []) {
      if (now - w.at > this.waitingTtlMs || !g.startsWith(`${cluster.clusterArn}|`)) { groups!.delete(g); continue; }
      for (let k = 0; k < w.count; k++) waiting.push(w.need);
    }
    const ms = p.autoScalingGroupProvider.managedScaling ?? {};
    const decision = decideScaling({
      instances, waiting, ...(size ? { instanceSize: size } : {}),
      config: {
        targetCapacity: ms.targetCapacity ?? 100,
        minimumScalingStepSize: ms.minimumScalingStepSize ?? 1,
        maximumScalingStepSize: ms.maximumScalingStepSize ?? 10000,
        managedTerminationProtection: p.autoScalingGroupProvider.managedTerminationProtection === 'ENABLED',
        maxSize: this.maxSize,
      },
    });
    const prior = this.readings.get(key);
    this.readings.set(key, { ...decision, at: now });
    if (!prior || prior.reservation !== decision.reservation || prior.desired !== decision.desired) {
      this.log(`capacity provider ${p.name}: CapacityProviderReservation ${round(decision.reservation)} (M ${decision.m}, N ${decision.n}), target ${ms.targetCapacity ?? 100}, desired ${decision.desired}`);
    }
    if (decision.desired >= decision.n) this.lowSince.delete(key);
    if (decision.launch > 0) {
      this.act(key, `launching ${decision.launch} instance(s) into group ${groupName}`, () => this.launcher.launch(target, decision.launch));
    } else if (decision.terminate.length > 0) {
      const since = this.lowSince.get(key) ?? now;
      this.lowSince.set(key, since);
      if (now - since < this.scaleInAfterMs) return;
      this.lowSince.delete(key);
      this.act(key, `terminating ${decision.terminate.length} instance(s) of group ${groupName}`, () => this.launcher.terminate(target, decision.terminate));
    }
  }

  private act(key: string, what: string, fn: () => Promise<void>): void {
    this.busy.add(key);
    this.log(`managed scaling: ${what}`);
    void fn()
      .catch((err: unknown) => this.log(`managed scaling: ${what} failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.busy.delete(key));
  }

  private isDaemon(t: TaskRecord): boolean {
    if (!t.group.startsWith('service:')) return false;
    const s = this.state.services.get(serviceKey({ accountId: t.accountId, region: t.region }, t.clusterArn.split('/').pop()!, t.group.slice('service:'.length)));
    return s?.schedulingStrategy === 'DAEMON';
  }
}

const round = (x: number): string => `${Math.round(x * 10) / 10}%`;
