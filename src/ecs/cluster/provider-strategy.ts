/**
 * Which capacity provider each new task of a capacity provider strategy goes to — pure, no I/O.
 *
 * ECS documents the strategy as (CapacityProviderStrategyItem, "Capacity provider strategy base
 * and weight"):
 * - `base`: how many tasks, at a minimum, run on that provider; only one item may have a base.
 *   New tasks go to it first, until it runs `base` tasks.
 * - `weight`: once the base is satisfied, the relative share of the tasks that go to each
 *   provider (weights 1 and 1 split evenly; 1 and 4 put four tasks on the second for every one on
 *   the first). A provider of weight 0 places no tasks beyond its base.
 *
 * The split is sequential, by the quota method of apportionment (Balinski and Young): each task
 * beyond the base goes, among the providers still below their share of all tasks beyond the base
 * once this task counts (`share = total × weight / Σweight`), to the one with the lowest
 * `(tasks beyond base + 1) / weight`. Every provider then stays strictly within one task of its
 * share after every task, which a plain "largest deficit first" rule does not guarantee. The
 * choice depends only on the counts, so placing N tasks at once gives the same providers as
 * placing them one at a time with the counts fed back, which is how a service will call it.
 */
export interface StrategyItem {
  readonly capacityProvider: string;
  readonly base?: number;
  readonly weight?: number;
}

/**
 * The provider of each of `count` new tasks, in placement order. `running` counts the tasks the
 * strategy already governs, by provider name (missing means 0; providers outside the strategy are
 * ignored). When no provider has a weight above zero, tasks beyond the base cannot be placed and
 * the answer is shorter than `count` — the caller reports that, the function does not throw.
 */
export function distributeTasks(strategy: readonly StrategyItem[], running: Readonly<Record<string, number>>, count: number): string[] {
  const counts = strategy.map((i) => running[i.capacityProvider] ?? 0);
  const bases = strategy.map((i) => Math.max(0, i.base ?? 0));
  const weights = strategy.map((i) => Math.max(0, i.weight ?? 0));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const out: string[] = [];

  for (let n = 0; n < count; n++) {
    const short = counts.findIndex((c, i) => c < bases[i]!);
    if (short >= 0) {
      counts[short]!++;
      out.push(strategy[short]!.capacityProvider);
      continue;
    }
    if (totalWeight === 0) break;
    const beyond = counts.map((c, i) => Math.max(0, c - bases[i]!));
    const total = weights.reduce((sum, w, i) => (w > 0 ? sum + beyond[i]! : sum), 0) + 1;
    // Eligible: still below its share once this task counts (beyond < total × w / Σw), which keeps
    // every provider strictly within one task of its share; one always is, as the shares sum to
    // total and the counts to total − 1.
    // Among them the lowest (beyond + 1) / w (the D'Hondt rule), ties to the provider listed
    // first. Integer cross-multiplication, no rounding.
    let best = -1;
    for (let i = 0; i < strategy.length; i++) {
      const w = weights[i]!;
      if (w === 0 || beyond[i]! * totalWeight >= total * w) continue;
      if (best < 0 || (beyond[i]! + 1) * weights[best]! < (beyond[best]! + 1) * w) best = i;
    }
    counts[best]!++;
    out.push(strategy[best]!.capacityProvider);
  }
  return out;
}

/** `distributeTasks` tallied by provider: how many of the new tasks each provider gets. */
export function tallyTasks(placed: readonly string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const p of placed) t[p] = (t[p] ?? 0) + 1;
  return t;
}
