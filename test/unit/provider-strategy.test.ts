import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { distributeTasks, tallyTasks, type StrategyItem } from '../../src/ecs/cluster/provider-strategy.js';
import { checkProviderName, groupNameOf, newGroupProvider } from '../../src/ecs/cluster/auto-scaling-provider.js';

const item = (capacityProvider: string, weight: number, base = 0): StrategyItem => ({ capacityProvider, weight, base });

describe('distributeTasks, the documented examples', () => {
  const rows: { name: string; strategy: StrategyItem[]; running?: Record<string, number>; count: number; want: Record<string, number>; order?: string[] }[] = [
    // CapacityProviderStrategyItem.weight: "both have a weight of 1 … the tasks will be split evenly".
    { name: 'two providers of weight 1 split tasks evenly', strategy: [item('A', 1), item('B', 1)], count: 10, want: { A: 5, B: 5 } },
    // "a weight of 1 for capacityProviderA and a weight of 4 for capacityProviderB, then for every
    // one task that's run using capacityProviderA, four tasks would use capacityProviderB".
    { name: 'weights 1 and 4 put four tasks on B for each one on A', strategy: [item('A', 1), item('B', 4)], count: 10, want: { A: 2, B: 8 } },
    // base: "how many tasks, at a minimum, to run on the specified capacity provider"; weight is
    // "taken into consideration after the base value … is satisfied".
    {
      name: 'the base goes first, then the rest splits by weight, ties to the provider listed first',
      strategy: [item('A', 1, 2), item('B', 1)], count: 6, want: { A: 4, B: 2 }, order: ['A', 'A', 'A', 'B', 'A', 'B'],
    },
    { name: 'a base larger than the task count takes every task', strategy: [item('FARGATE', 1, 5), item('FARGATE_SPOT', 3)], count: 3, want: { FARGATE: 3 } },
    { name: 'a provider of weight 0 gets its base and nothing more', strategy: [item('A', 0, 1), item('B', 1)], count: 4, want: { A: 1, B: 3 } },
    { name: 'tasks already running count toward the base', strategy: [item('A', 1, 2), item('B', 1)], running: { A: 2 }, count: 2, want: { A: 1, B: 1 } },
    { name: 'tasks already running count toward the weighted split', strategy: [item('A', 1), item('B', 1)], running: { A: 3 }, count: 3, want: { B: 3 } },
    { name: 'with no weight above zero nothing beyond the base is placed', strategy: [item('A', 0, 1)], count: 3, want: { A: 1 } },
    { name: 'no tasks asked, none placed', strategy: [item('A', 1)], count: 0, want: {} },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const placed = distributeTasks(r.strategy, r.running ?? {}, r.count);
      assert.deepEqual(tallyTasks(placed), r.want);
      if (r.order) assert.deepEqual(placed, r.order);
    });
  }
});

/** Strategies as ECS accepts them: distinct providers, at most one base, some weight above zero. */
const strategyArb = fc
  .record({
    weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }),
    base: fc.integer({ min: 0, max: 20 }),
    baseAt: fc.nat(),
  })
  .filter((r) => r.weights.some((w) => w > 0))
  .map((r) => r.weights.map((w, i) => item(`cp${i}`, w, i === r.baseAt % r.weights.length ? r.base : 0)));

describe('distributeTasks, properties', () => {
  it('places every task, only on providers of the strategy, and satisfies the base first', () => {
    fc.assert(fc.property(strategyArb, fc.integer({ min: 0, max: 200 }), (strategy, n) => {
      const placed = distributeTasks(strategy, {}, n);
      assert.equal(placed.length, n);
      const names = new Set(strategy.map((i) => i.capacityProvider));
      assert.ok(placed.every((p) => names.has(p)));
      const based = strategy.find((i) => (i.base ?? 0) > 0);
      if (based) {
        const first = Math.min(n, based.base!);
        assert.deepEqual(placed.slice(0, first), Array(first).fill(based.capacityProvider));
      }
    }));
  });

  it('keeps each provider within one task of its weighted share of the tasks beyond the base, after every task', () => {
    fc.assert(fc.property(strategyArb, fc.integer({ min: 0, max: 300 }), (strategy, n) => {
      const placed = distributeTasks(strategy, {}, n);
      const weightSum = strategy.reduce((a, i) => a + (i.weight ?? 0), 0);
      const counts = new Map<string, number>();
      for (const p of placed) {
        counts.set(p, (counts.get(p) ?? 0) + 1);
        const beyond = strategy.map((i) => Math.max(0, (counts.get(i.capacityProvider) ?? 0) - (i.base ?? 0)));
        const total = beyond.reduce((a, b) => a + b, 0);
        strategy.forEach((i, k) => {
          const ideal = (total * (i.weight ?? 0)) / weightSum;
          assert.ok(Math.abs(beyond[k]! - ideal) < 1, `${i.capacityProvider}: ${beyond[k]} beyond base, ideal ${ideal}`);
        });
      }
    }), { numRuns: 300 });
  });

  it('gives the same providers whether tasks are placed at once or one at a time', () => {
    fc.assert(fc.property(strategyArb, fc.integer({ min: 0, max: 100 }), (strategy, n) => {
      const running: Record<string, number> = {};
      const oneByOne: string[] = [];
      for (let k = 0; k < n; k++) {
        const [p] = distributeTasks(strategy, running, 1);
        oneByOne.push(p!);
        running[p!] = (running[p!] ?? 0) + 1;
      }
      assert.deepEqual(oneByOne, distributeTasks(strategy, {}, n));
    }));
  });

  it('gives a new task beyond the base only to a provider still below its share, whatever runs already', () => {
    const runningArb = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 6, maxLength: 6 });
    fc.assert(fc.property(strategyArb, runningArb, (strategy, counts) => {
      const running = Object.fromEntries(strategy.map((i, k) => [i.capacityProvider, counts[k]!]));
      const [p] = distributeTasks(strategy, running, 1);
      assert.ok(p !== undefined);
      const k = strategy.findIndex((i) => i.capacityProvider === p);
      const base = (i: StrategyItem): number => i.base ?? 0;
      if (running[p]! < base(strategy[k]!)) return;
      assert.ok(strategy.every((i) => running[i.capacityProvider]! >= base(i)), 'the base was satisfied first');
      const beyond = strategy.map((i) => (i.weight ? running[i.capacityProvider]! - base(i) : 0));
      const total = beyond.reduce((a, b) => a + b, 0) + 1;
      const weightSum = strategy.reduce((a, i) => a + (i.weight ?? 0), 0);
      assert.ok(beyond[k]! < (total * strategy[k]!.weight!) / weightSum);
    }));
  });
});

describe('Auto Scaling group provider rules', () => {
  it('rejects names ECS reserves or cannot hold, whatever their letter case', () => {
    for (const bad of ['aws-x', 'ECS_x', 'Fargate1', 'FARGATE', 'has space', '', 'a'.repeat(256)]) {
      assert.throws(() => checkProviderName(bad), { name: 'ClientException' }, bad);
    }
    for (const good of ['my-provider', 'x_1', 'myecs', 'a'.repeat(255)]) checkProviderName(good);
  });

  it('reads the group name out of an Auto Scaling group ARN', () => {
    const arn = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5098c24f-d26e-4e9c-9bd8-8d88de1ec613:autoScalingGroupName/web-fleet';
    assert.equal(groupNameOf(arn), 'web-fleet');
    assert.equal(groupNameOf('arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid'), undefined);
    assert.equal(groupNameOf('web-fleet'), undefined);
  });

  it('fills in the documented defaults of a new provider', () => {
    const arn = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:u:autoScalingGroupName/g';
    assert.deepEqual(newGroupProvider({ autoScalingGroupArn: arn }), {
      autoScalingGroupArn: arn,
      managedScaling: { status: 'DISABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 300 },
      managedTerminationProtection: 'DISABLED',
      managedDraining: 'ENABLED',
    });
    assert.throws(() => newGroupProvider({ autoScalingGroupArn: 'arn:aws:ec2:us-east-1:1:instance/i-1' }), { name: 'ClientException' });
  });
});
