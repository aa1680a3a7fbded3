import type { CandidateIndex } from './candidates.js';
import type { PlacementStrategy } from './types.js';

/**
 * Placement strategies as rankers. ECS applies the strategies of a request in order: the first one
 * ranks the candidates, each next one only orders the candidates the earlier ones left tied, and
 * whatever is still tied at the end is picked at random (seeded, in pipeline.ts). A ranker turns a
 * candidate into one number, lower is better, so the chain is a lexicographic comparison.
 *
 * Strategies are best effort (ECS: "Amazon ECS still attempts to place tasks even when the most
 * optimal placement option is unavailable"): they only order candidates, never remove one.
 */
export interface Ranker {
  /** The rank of the candidate at `index`; lower is placed first. */
  key(index: number): number;
  /** Tells the ranker a task was placed on the instance at `index` (for counts it keeps itself). */
  placed(index: number): void;
}

/**
 * What rankers read: the request's working columns (remaining resources and this group's task
 * counts, already updated for the tasks placed earlier in the request) and the index.
 */
export interface RankContext {
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly groups: Int32Array;
  readonly index: CandidateIndex;
}

/** RunTask's default when no strategy is given: random among the instances that fit. */
export const RUN_TASK_DEFAULT_STRATEGIES: readonly PlacementStrategy[] = [{ type: 'random' }];

/**
 * A service's default: spread across Availability Zones, then across instances (what the console's
 * "AZ balanced spread" template and CreateService without strategies give).
 */
export const SERVICE_DEFAULT_STRATEGIES: readonly PlacementStrategy[] = [
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
];

/** A strategy ECS would refuse (unknown type or field); the API layer maps it to InvalidParameterException. */
export class PlacementStrategyError extends Error {
  constructor(readonly strategy: PlacementStrategy, message: string) {
    super(message);
    this.name = 'PlacementStrategyError';
  }
}

/** binpack: the least remaining of the resource first, "but still enough to run the task". */
class Binpack implements Ranker {
  constructor(private readonly column: Float64Array) {}
  key(index: number): number { return this.column[index]; }
  placed(): void {}
}

/**
 * spread on instanceId (or host): the fewest tasks of this task group on the instance first. ECS
 * spreads service tasks by the tasks of that service and standalone tasks by their task group; both
 * are `need.group`. The working counts already include this request's placements.
 */
class SpreadInstance implements Ranker {
  constructor(private readonly groups: Int32Array) {}
  key(index: number): number { return this.groups[index]; }
  placed(): void {}
}

/**
 * spread on `attribute:<name>`: the fewest tasks of this group across all instances sharing the
 * candidate's value first. Counts come from every instance of the snapshot (a task on a full or
 * draining instance still sits in its AZ), plus each placement of this request.
 *
 * ECS does not say what happens to instances without the attribute. As strategies never exclude,
 * they stay candidates and count as one more value ("no value"), so spread also balances between
 * instances that have the attribute and those that lack it.
 */
class SpreadAttribute implements Ranker {
  private readonly ids: Int32Array;
  private readonly counts: Float64Array;
  constructor(ctx: RankContext, name: string) {
    const { ids, distinct } = ctx.index.attributeValues(name);
    this.ids = ids;
    this.counts = new Float64Array(distinct);
    for (let k = 0; k < ids.length; k++) this.counts[ids[k]] += ctx.groups[k];
  }
  key(index: number): number { return this.counts[this.ids[index]]; }
  placed(index: number): void { this.counts[this.ids[index]]++; }
}

/**
 * The rankers of a request, in order. A `random` strategy ends the chain: it leaves no ties, so
 * anything after it could never matter (it is still validated), and the final seeded pick among
 * ties is that random. No strategies at all is random (RunTask's default; services pass
 * SERVICE_DEFAULT_STRATEGIES).
 */
export function compileStrategies(strategies: readonly PlacementStrategy[], ctx: RankContext): Ranker[] {
  const rankers: Ranker[] = [];
  let ranking = true;
  for (const s of strategies) {
    const field = s.field ?? '';
    const f = field.toLowerCase();
    if (s.type === 'random') {
      ranking = false;
    } else if (s.type === 'binpack') {
      if (f !== 'cpu' && f !== 'memory') {
        throw new PlacementStrategyError(s, `Invalid field for binpack placement strategy: ${field || '(none)'}; valid values are cpu and memory.`);
      }
      if (ranking) rankers.push(new Binpack(f === 'cpu' ? ctx.cpu : ctx.memory));
    } else if (s.type === 'spread') {
      if (f === 'instanceid' || f === 'host') {
        if (ranking) rankers.push(new SpreadInstance(ctx.groups));
      } else if (field.startsWith('attribute:') && field.length > 'attribute:'.length) {
        if (ranking) rankers.push(new SpreadAttribute(ctx, field.slice('attribute:'.length)));
      } else {
        throw new PlacementStrategyError(s, `Invalid field for spread placement strategy: ${field || '(none)'}; valid values are instanceId, host or attribute:<name>.`);
      }
    } else {
      throw new PlacementStrategyError(s, `Invalid placement strategy type: ${String((s as { type: unknown }).type)}.`);
    }
  }
  return rankers;
}
