import { STOP_REASON } from './events.js';
import { live, type Condition, type ServiceTask } from './health.js';

/**
 * The rolling-update maths, for REPLICA and DAEMON services: which tasks to stop and how many to
 * start in one pass, given each task's condition. Pure; reconcile.ts feeds it.
 *
 * The two bounds, as ECS documents them:
 * - minimum healthy = ceil(desired × minimumHealthyPercent / 100): tasks counted healthy are never
 *   stopped below it. Tasks that are not healthy (unhealthy after the grace period, still starting,
 *   on a lost instance) can always be stopped: that lowers no healthy count.
 * - maximum = floor(desired × maximumPercent / 100): tasks holding capacity (every task not yet
 *   STOPPED — a task being stopped keeps its resources until it is — except those on a lost
 *   instance) plus the tasks started in this pass never exceed it. A stop therefore frees room only
 *   on a later pass, once the task is STOPPED.
 * With minimumHealthyPercent 100 and a maximum that rounds down to the desired count, a rollout
 * cannot proceed: ECS stalls there too.
 */

export interface PlanTask {
  task: ServiceTask;
  /** Belongs to the PRIMARY deployment. */
  primary: boolean;
  condition: Condition;
  /** Counts towards the minimum healthy. */
  healthy: boolean;
}

export interface PlannedStop {
  taskArn: string;
  reason: string;
  /** Replaced for failing its health checks (counted by the circuit breaker). */
  unhealthy?: { container: boolean };
}

export interface PlanInput {
  tasks: readonly PlanTask[];
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** The PRIMARY deployment may launch now (not FAILED, not throttled, service not draining). */
  canLaunch: boolean;
  /** Tasks of other deployments are to be replaced (false while a FAILED deployment stalls the rollout). */
  retireOld: boolean;
  /** Stop reason for scale-in and replacement: `Scaling activity initiated by (deployment …)`. */
  scalingReason: string;
}

export interface Bounds { minHealthy: number; maxTotal: number }

export function rollingBounds(desired: number, minimumHealthyPercent: number, maximumPercent: number): Bounds {
  return {
    minHealthy: Math.ceil((desired * minimumHealthyPercent) / 100),
    maxTotal: Math.floor((desired * maximumPercent) / 100),
  };
}

/** Tasks holding capacity against maximumPercent. */
export function holdsCapacity(t: PlanTask): boolean {
  return t.task.lastStatus !== 'STOPPED' && t.condition.kind !== 'lost';
}

/** Stops that lower no healthy count: lost, unhealthy, not-yet-healthy on a draining instance. */
export function immediateStop(t: PlanTask): PlannedStop | undefined {
  const c = t.condition;
  if (c.kind === 'lost') return { taskArn: t.task.taskArn, reason: STOP_REASON.instanceLost };
  if (c.kind === 'unhealthy') return { taskArn: t.task.taskArn, reason: c.reason, unhealthy: { container: c.container } };
  if (c.kind === 'draining' && !t.healthy) return { taskArn: t.task.taskArn, reason: STOP_REASON.instanceDraining };
  return undefined;
}

export class StopList {
  readonly stops: PlannedStop[] = [];
  private readonly arns = new Set<string>();
  constructor(public healthy: number) {}
  has(t: PlanTask): boolean { return this.arns.has(t.task.taskArn); }
  add(t: PlanTask, s: PlannedStop): void {
    if (this.arns.has(s.taskArn)) return;
    this.arns.add(s.taskArn);
    this.stops.push(s);
    if (t.healthy) this.healthy--;
  }
  /** Stops healthy tasks in order while the healthy count stays at or above `minHealthy`. */
  retireHealthy(list: readonly PlanTask[], minHealthy: number, reason: (t: PlanTask) => string): void {
    for (const t of list) {
      if (this.healthy - 1 < minHealthy) return;
      this.add(t, { taskArn: t.task.taskArn, reason: reason(t) });
    }
  }
}

export const byAge = (a: PlanTask, b: PlanTask): number => a.task.createdAt - b.task.createdAt || (a.task.taskArn < b.task.taskArn ? -1 : 1);
const retireReason = (scaling: string) => (t: PlanTask): string => (t.condition.kind === 'draining' ? STOP_REASON.instanceDraining : scaling);

/** REPLICA: keep `desired` tasks of the PRIMARY deployment, replacing the rest within the bounds. */
export function planReplica(input: PlanInput & { desired: number }): { stops: PlannedStop[]; starts: number } {
  const { minHealthy, maxTotal } = rollingBounds(input.desired, input.minimumHealthyPercent, input.maximumPercent);
  const lives = input.tasks.filter((t) => live(t.task));
  const s = new StopList(lives.filter((t) => t.healthy).length);

  for (const t of lives) {
    const now = immediateStop(t);
    if (now) s.add(t, now);
    else if (!t.primary && input.retireOld && !t.healthy) s.add(t, { taskArn: t.task.taskArn, reason: input.scalingReason });
  }

  // Keepers: PRIMARY tasks that are healthy or on their way. Excess ones go, those not serving first,
  // then the newest (ECS scales in without regard to age; newest-first keeps proven tasks).
  const keepers = lives.filter((t) => t.primary && !s.has(t) && (t.condition.kind === 'starting' || t.condition.kind === 'healthy'));
  const excess = keepers
    .slice()
    .sort((a, b) => Number(a.healthy) - Number(b.healthy) || byAge(b, a))
    .slice(0, Math.max(0, keepers.length - input.desired));
  for (const t of excess) if (!t.healthy) s.add(t, { taskArn: t.task.taskArn, reason: input.scalingReason });

  const retiring = [
    ...excess.filter((t) => t.healthy),
    ...(input.retireOld ? lives.filter((t) => !t.primary && t.healthy && t.condition.kind !== 'draining').sort(byAge) : []),
    ...lives.filter((t) => t.condition.kind === 'draining' && t.healthy && (t.primary || input.retireOld)).sort(byAge),
  ];
  s.retireHealthy(retiring, minHealthy, retireReason(input.scalingReason));

  const need = input.desired - (keepers.length - excess.length);
  const room = maxTotal - input.tasks.filter(holdsCapacity).length;
  const starts = input.canLaunch ? Math.max(0, Math.min(need, room)) : 0;
  return { stops: s.stops, starts };
}

/**
 * DAEMON: one PRIMARY task on every eligible instance (ACTIVE, agent connected). Tasks on a DRAINING
 * instance are stopped at once (ECS); an old-deployment task is replaced on its own instance: it is
 * stopped within minimumHealthyPercent and the new one starts once it is STOPPED (with
 * maximumPercent 100 an instance never holds two).
 */
export function planDaemon(input: PlanInput & { eligible: readonly string[] }): { stops: PlannedStop[]; startOn: string[] } {
  const desired = input.eligible.length;
  const { minHealthy, maxTotal } = rollingBounds(desired, input.minimumHealthyPercent, input.maximumPercent);
  const eligible = new Set(input.eligible);
  const lives = input.tasks.filter((t) => live(t.task));
  const s = new StopList(lives.filter((t) => t.healthy).length);

  for (const t of lives) {
    const now = immediateStop(t);
    if (now) s.add(t, now);
    else if (t.condition.kind === 'draining') s.add(t, { taskArn: t.task.taskArn, reason: STOP_REASON.instanceDraining });
    else if (t.task.containerInstanceArn === undefined || !eligible.has(t.task.containerInstanceArn)) {
      s.add(t, { taskArn: t.task.taskArn, reason: STOP_REASON.instanceLost });
    }
  }

  const rank = (t: PlanTask): number => (t.primary ? 0 : 2) + (t.healthy ? 0 : 1);
  const retiring: PlanTask[] = [];
  for (const id of input.eligible) {
    const here = lives.filter((t) => t.task.containerInstanceArn === id && !s.has(t)).sort((a, b) => rank(a) - rank(b) || byAge(a, b));
    const [keeper, ...dupes] = here;
    for (const d of dupes) {
      if (d.healthy) retiring.push(d);
      else s.add(d, { taskArn: d.task.taskArn, reason: input.scalingReason });
    }
    if (keeper && !keeper.primary && input.retireOld) {
      if (keeper.healthy) retiring.push(keeper);
      else s.add(keeper, { taskArn: keeper.task.taskArn, reason: input.scalingReason });
    }
  }
  s.retireHealthy(retiring.sort(byAge), minHealthy, () => input.scalingReason);

  const startOn: string[] = [];
  if (input.canLaunch) {
    // Capacity of a daemon is per instance: tasks still stopping on an instance that left the
    // eligible set do not hold back a newcomer.
    let held = input.tasks.filter((t) => holdsCapacity(t) && eligible.has(t.task.containerInstanceArn ?? '')).length;
    for (const id of input.eligible) {
      if (held >= maxTotal) break;
      if (input.tasks.some((t) => t.task.containerInstanceArn === id && holdsCapacity(t))) continue;
      startOn.push(id);
      held++;
    }
  }
  return { stops: s.stops, startOn };
}
