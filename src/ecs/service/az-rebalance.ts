import { rollingBounds, type PlanTask } from './rolling.js';

/**
 * Availability Zone rebalancing (ECS "Balancing an Amazon ECS service across Availability
 * Zones"), pure. It acts only on a steady service: one deployment, COMPLETED, every task
 * healthy. A service is balanced when the task counts of the zones it can use (those with an
 * ACTIVE, connected instance) differ by at most one. Otherwise, one move at a time:
 * - start first: one task is started in the zone with the fewest tasks (when maximumPercent
 *   leaves room for one more); once it is healthy the service has one task too many, and one is
 *   stopped in the zone with the most;
 * - stop first (maximumPercent leaves no room, minimumHealthyPercent allows one fewer): one task
 *   is stopped in the zone with the most, and the ordinary replacement, spread by zone, starts
 *   its successor where there are fewest.
 * reconcile.ts calls it before the rolling plan and uses its decision instead when it has one.
 */

export interface RebalanceInput {
  /** The PRIMARY deployment's live tasks. */
  tasks: readonly PlanTask[];
  /** The zones with an instance that may take a task, sorted. */
  zones: readonly string[];
  desired: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
}

export type Rebalance =
  | { kind: 'balanced'; counts: Map<string, number> }
  | { kind: 'start'; zone: string; counts: Map<string, number> }
  | { kind: 'stop'; task: PlanTask; zone: string; counts: Map<string, number> };

/** The task counts per zone (every usable zone listed, tasks in other zones counted too). */
export function zoneCounts(tasks: readonly PlanTask[], zones: readonly string[]): Map<string, number> {
  const counts = new Map(zones.map((z) => [z, 0]));
  for (const t of tasks) {
    const z = t.task.availabilityZone;
    if (z !== undefined) counts.set(z, (counts.get(z) ?? 0) + 1);
  }
  return counts;
}

/** Undefined when rebalancing has nothing to say this pass (the service is not steady). */
export function planRebalance(input: RebalanceInput): Rebalance | undefined {
  const { tasks, zones, desired } = input;
  if (zones.length < 2 || desired === 0 || tasks.some((t) => !t.healthy || t.task.availabilityZone === undefined)) return undefined;
  const counts = zoneCounts(tasks, zones);
  const usable = zones.map((z) => counts.get(z)!);
  // Tasks in a zone with no usable instance left count as the heaviest: they are moved first.
  const heaviest = (): string => [...counts.entries()].sort((a, b) => weight(b[0]) - weight(a[0]) || (a[0] < b[0] ? -1 : 1))[0]![0];
  const weight = (z: string): number => (zones.includes(z) ? 0 : 1e9) + counts.get(z)!;
  const newestIn = (z: string): PlanTask => tasks.filter((t) => t.task.availabilityZone === z).sort((a, b) => b.task.createdAt - a.task.createdAt)[0]!;

  if (tasks.length === desired + 1) {
    const z = heaviest();
    return { kind: 'stop', task: newestIn(z), zone: z, counts };
  }
  if (tasks.length !== desired) return undefined;
  const stray = [...counts.keys()].some((z) => !zones.includes(z) && counts.get(z)! > 0);
  if (!stray && Math.max(...usable) - Math.min(...usable) <= 1) return { kind: 'balanced', counts };
  const { minHealthy, maxTotal } = rollingBounds(desired, input.minimumHealthyPercent, input.maximumPercent);
  if (desired + 1 <= maxTotal) {
    const lightest = zones.slice().sort((a, b) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : 1))[0]!;
    return { kind: 'start', zone: lightest, counts };
  }
  if (desired - 1 >= minHealthy) {
    const z = heaviest();
    return { kind: 'stop', task: newestIn(z), zone: z, counts };
  }
  return undefined;
}
