/**
 * Placement decision speed (pure, in this process): 5,000 container-instance snapshots built once
 * into a CandidateIndex, then many single-task placements one after the other, each applied to the
 * index (applyPlacement + set) before the next, as a scheduler would. Also the cost of a one-off
 * placeTasks on a plain instance list (the index built inside). For each strategy set it reports
 * placements per second over the whole loop (decision + applying it) and the latency of the decision
 * alone (placeTasks), in µs. Targets: ≥ 5,000 placements/s and p99 < 5 ms on 5,000 instances.
 *
 * Options (or env): instances (BENCH_PLACEMENT_INSTANCES, 5000), tasks per scenario
 * (BENCH_PLACEMENT_TASKS, 10000), warmup placements (BENCH_PLACEMENT_WARMUP, 1000).
 */
import { applyPlacement } from '../src/ecs/placement/apply.js';
import { CandidateIndex } from '../src/ecs/placement/candidates.js';
import { placeTasks } from '../src/ecs/placement/pipeline.js';
import { seededRandom } from '../src/ecs/placement/random.js';
import { SERVICE_DEFAULT_STRATEGIES } from '../src/ecs/placement/strategies.js';
import type { InstanceView, PlacementRequest, PlacementStrategy, TaskNeed } from '../src/ecs/placement/types.js';
import { summarize } from './tasks-stats.js';

export interface PlacementBenchOptions { instances?: number; tasks?: number; warmup?: number }

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** A cluster like a busy real one: three AZs, two instance sizes, the usual attributes, a few tasks. */
export function benchInstances(n: number, seed = 1): InstanceView[] {
  const random = seededRandom(seed);
  const out: InstanceView[] = [];
  for (let k = 0; k < n; k++) {
    const big = random() < 0.5;
    const attributes = new Map<string, string | undefined>([
      ['ecs.availability-zone', AZS[k % AZS.length]],
      ['ecs.instance-type', big ? 'm5.2xlarge' : 'm5.xlarge'],
      ['ecs.os-type', 'linux'],
      ['ecs.cpu-architecture', 'x86_64'],
      ['com.amazonaws.ecs.capability.docker-remote-api.1.30', undefined],
      ['com.amazonaws.ecs.capability.logging-driver.awslogs', undefined],
      ['ecs.capability.task-eni', undefined],
      ['team', k % 7 === 0 ? 'data' : 'web'],
    ]);
    const hex = (k + 0x10000).toString(16);
    out.push({
      id: `arn:aws:ecs:us-east-1:123456789012:container-instance/bench/${hex}`,
      ec2InstanceId: `i-0${hex}`,
      status: k % 97 === 0 ? 'DRAINING' : 'ACTIVE',
      connected: k % 211 !== 0,
      attributes,
      remaining: { cpu: big ? 8192 : 4096, memory: big ? 31000 : 15000, ports: new Set([22, 51678, 51679]), portsUdp: new Set(), gpus: [] },
      taskGroups: new Map([['service:other', 1 + (k % 3)]]),
      runningTasksCount: 1 + (k % 3),
    });
  }
  return out;
}

const NEED: TaskNeed = {
  cpu: 64, memory: 128, ports: [], portsUdp: [], gpus: 0, group: 'service:web',
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.30' }, { name: 'ecs.os-type', value: 'linux' }],
};

function scenario(base: readonly InstanceView[], strategies: readonly PlacementStrategy[], tasks: number, warmup: number): Record<string, unknown> {
  const index = new CandidateIndex(base);
  const latencies: number[] = [];
  let failed = 0;
  const run = (seed: number, measure: boolean): void => {
    const req: PlacementRequest = { need: NEED, count: 1, seed, strategies, constraints: [] };
    const t0 = performance.now();
    const res = placeTasks(index, req);
    if (measure) latencies.push((performance.now() - t0) * 1000);
    const p = res.placements[0];
    if (!p) { failed++; return; }
    index.set(applyPlacement(index.instances[index.indexOf(p.instanceId)], NEED, p.gpuIds));
  };
  for (let s = 0; s < warmup; s++) run(1_000_000 + s, false);
  const start = performance.now();
  for (let s = 0; s < tasks; s++) run(s, true);
  const seconds = (performance.now() - start) / 1000;
  const l = summarize(latencies);
  return { placements: tasks - failed, failed, placementsPerSec: Math.round(tasks / seconds), p50us: l.p50, p99us: l.p99, maxUs: l.max, meanUs: l.mean };
}

export async function placementBench(opts: PlacementBenchOptions = {}): Promise<Record<string, unknown>> {
  const n = opts.instances ?? Number(process.env.BENCH_PLACEMENT_INSTANCES ?? 5000);
  const tasks = opts.tasks ?? Number(process.env.BENCH_PLACEMENT_TASKS ?? 10000);
  const warmup = opts.warmup ?? Number(process.env.BENCH_PLACEMENT_WARMUP ?? 1000);
  const base = benchInstances(n);
  const scenarios: Record<string, readonly PlacementStrategy[]> = {
    random: [],
    binpackMemory: [{ type: 'binpack', field: 'memory' }],
    spreadAzBinpackMemory: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }],
    serviceDefault: SERVICE_DEFAULT_STRATEGIES,
  };
  const out: Record<string, unknown> = { instances: n, tasksPerScenario: tasks, need: { cpu: NEED.cpu, memory: NEED.memory, requiresAttributes: NEED.requiresAttributes.length } };
  for (const [name, strategies] of Object.entries(scenarios)) {
    process.stderr.write(`placement: ${name}\n`);
    out[name] = scenario(base, strategies, tasks, warmup);
  }
  const oneOff: number[] = [];
  for (let s = 0; s < 200; s++) {
    const t0 = performance.now();
    placeTasks(base, { need: NEED, count: 1, seed: s, strategies: SERVICE_DEFAULT_STRATEGIES, constraints: [] });
    oneOff.push((performance.now() - t0) * 1000);
  }
  const o = summarize(oneOff.slice(20));
  out.oneOffListServiceDefault = { p50us: o.p50, p99us: o.p99 };
  return out;
}
