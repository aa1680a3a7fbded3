import { applyPlacement } from './apply.js';
import { CandidateIndex } from './candidates.js';
import { agentCheck, attributeCheck, cpuCheck, gpuCheck, holdsHostPorts, memoryCheck, portsCheck, shortfall } from './checks.js';
import { compileConstraints, constraintCheck, distinctInstanceCheck, memberOfCheck, type CompiledConstraints } from './constraints.js';
import { seededRandom } from './random.js';
import { emptyTally, ReportBuilder, type RejectionReport } from './report.js';
import { compileStrategies, type Ranker } from './strategies.js';
import type { InstanceView, Placement, PlacementFailure, PlacementRequest, Rejection, TaskNeed } from './types.js';

/**
 * The placement pipeline: feasibility → constraints → ranking → selection, for one request.
 *
 * Order, and why:
 * 1. AGENT first: a disconnected or non-ACTIVE (e.g. DRAINING) instance takes no task whatever it
 *    has free, and its figures may be stale.
 * 2. ATTRIBUTE next: a missing capability is a property of the instance, not of its load; ECS
 *    reports it before resources.
 * 3. RESOURCE:CPU, RESOURCE:MEMORY, RESOURCE:PORTS, RESOURCE:GPU — ECS's documented first step,
 *    "identify the instances that satisfy the CPU, memory, and port requirements", in the order
 *    ECS's failures list them.
 * 4. Constraints (memberOf, then distinctInstance) — ECS's second step. They are binding.
 * 5. Strategies rank what is left, chained lexicographically (strategies.ts); the seeded random
 *    picks among the candidates still tied — ECS's third and fourth steps.
 *
 * An instance is counted under the first check that rejects it. When nothing fits, the closest
 * matching instance is the one that passed the most checks (all are evaluated for rejected ones),
 * then the one with the smallest shortfall, then the first in input order.
 *
 * With count > 1 the tasks are placed one at a time on a working copy (applyPlacement), so the
 * resources, ports, GPUs and group counts taken by one are seen by the next: nothing is
 * over-committed and distinctInstance holds within the request. Once a task cannot be placed the
 * rest cannot either (nothing changed), so they fail with the same reason.
 *
 * Speed: the hot loop allocates nothing per candidate. It filters on typed-array columns
 * (candidates.ts: what needs a Map lookup per instance is cached per requirement set, group and
 * attribute, across requests), ranks from columns, and keeps ties in one preallocated buffer; only
 * rejected instances go through the pure checks, to name the reason.
 */

/** A task that could not be placed, the closest instance's reason; MISSING with no instances at all. */
export interface PlacementResult {
  placements: Placement[];
  failures: PlacementFailure[];
  /** The last decision: the one that failed, or the last task placed. */
  report: RejectionReport;
}

/** The first check or constraint `instance` fails, in pipeline order; undefined when it may take the task. */
export function firstRejection(need: TaskNeed, instance: InstanceView, constraints: CompiledConstraints): Rejection | undefined {
  return agentCheck(need, instance)
    ?? attributeCheck(need, instance)
    ?? cpuCheck(need, instance)
    ?? memoryCheck(need, instance)
    ?? portsCheck(need, instance)
    ?? gpuCheck(need, instance)
    ?? constraintCheck(constraints, need, instance);
}

let passed = 0;
let missing = 0;

function tally(r: Rejection | undefined, need: TaskNeed, i: InstanceView): void {
  if (r === undefined) passed++;
  else missing += shortfall(r, need, i);
}

/** How many checks and constraints a rejected instance passes; its summed shortfall in `missing`. */
function passedChecks(need: TaskNeed, i: InstanceView, cc: CompiledConstraints): number {
  passed = 0;
  missing = 0;
  tally(agentCheck(need, i), need, i);
  tally(attributeCheck(need, i), need, i);
  tally(cpuCheck(need, i), need, i);
  tally(memoryCheck(need, i), need, i);
  tally(portsCheck(need, i), need, i);
  tally(gpuCheck(need, i), need, i);
  for (let k = 0; k < cc.memberOf.length; k++) tally(memberOfCheck(cc.memberOf[k], i), need, i);
  if (cc.distinct) tally(distinctInstanceCheck(need, i), need, i);
  return passed;
}

/** A request's working state: columns copied from the index, updated after each placement. */
interface Working {
  views: InstanceView[];
  cpu: Float64Array;
  memory: Float64Array;
  gpus: Int32Array;
  groups: Int32Array;
  attributesOk: Uint8Array;
  agentOk: Uint8Array;
  keys: Float64Array;
  best: Float64Array;
  tied: Int32Array;
  random: () => number;
}

/**
 * One decision: the index of the chosen instance, or -1. The typed-array test is a fast filter
 * equivalent to firstRejection; an instance it turns away is then run through the pure checks, which
 * name the reason (and the property tests hold the two to agreeing).
 */
function decide(w: Working, need: TaskNeed, cc: CompiledConstraints, rankers: readonly Ranker[], report: ReportBuilder): number {
  const n = w.views.length;
  const k = rankers.length;
  const { cpu, memory, gpus, groups, attributesOk, agentOk, keys, best, tied, views } = w;
  const needCpu = need.cpu, needMemory = need.memory, needGpus = need.gpus;
  const ports = holdsHostPorts(need) && need.ports.length + need.portsUdp.length > 0;
  const memberOf = cc.memberOf;
  const nMemberOf = memberOf.length;
  const distinct = cc.distinct;
  let nTied = 0;
  for (let i = 0; i < n; i++) {
    let fits = (agentOk[i] & attributesOk[i]) === 1 && cpu[i] >= needCpu && memory[i] >= needMemory
      && gpus[i] >= needGpus && (!distinct || groups[i] === 0);
    if (fits && ports) fits = portsCheck(need, views[i]) === undefined;
    for (let m = 0; fits && m < nMemberOf; m++) fits = memberOf[m](views[i]);
    if (!fits) {
      const inst = views[i];
      const r = firstRejection(need, inst, cc);
      if (r === undefined) throw new Error(`placement: the candidate filter and the checks disagree on ${inst.id}`);
      report.reject(r);
      const p = passedChecks(need, inst, cc);
      if (report.closer(p, missing)) report.setClosest(i, r, p, missing);
      continue;
    }
    // Lexicographic comparison with the best so far: -1 better, 0 tied, 1 worse.
    let cmp = nTied === 0 ? -1 : 0;
    for (let j = 0; j < k; j++) {
      const key = rankers[j].key(i);
      keys[j] = key;
      if (cmp === 0) cmp = key < best[j] ? -1 : key > best[j] ? 1 : 0;
      else if (cmp > 0) break;
    }
    if (cmp < 0) {
      for (let j = 0; j < k; j++) best[j] = keys[j];
      nTied = 0;
      tied[nTied++] = i;
    } else if (cmp === 0) {
      tied[nTied++] = i;
    }
  }
  if (nTied === 0) return -1;
  return nTied === 1 ? tied[0] : tied[Math.floor(w.random() * nTied)];
}

/**
 * Places `req.count` tasks on the instances (a list, or a CandidateIndex kept by the caller), which
 * are not modified. Pure: the same instances, in the same order, and the same request give the same
 * result. Throws PlacementStrategyError for a strategy ECS would refuse.
 */
export function placeTasks(instances: readonly InstanceView[] | CandidateIndex, req: PlacementRequest): PlacementResult {
  const { need } = req;
  const count = Math.max(0, Math.floor(req.count));
  const placements: Placement[] = [];
  const failures: PlacementFailure[] = [];
  const index = instances instanceof CandidateIndex ? instances : new CandidateIndex(instances);
  const n = index.size;
  if (n === 0) {
    for (let t = 0; t < count; t++) failures.push({ reason: 'MISSING' });
    return { placements, failures, report: { instances: 0, rejected: emptyTally() } };
  }
  const cc = compileConstraints(req.constraints);
  const w: Working = {
    views: index.instances.slice(),
    cpu: index.cpu.slice(), memory: index.memory.slice(), gpus: index.gpus.slice(),
    groups: index.groupCounts(need.group).slice(),
    attributesOk: index.attributesOk(need), agentOk: index.agentOk,
    keys: new Float64Array(0), best: new Float64Array(0), tied: new Int32Array(n), random: seededRandom(req.seed),
  };
  const rankers = compileStrategies(req.strategies, { cpu: w.cpu, memory: w.memory, groups: w.groups, index });
  w.keys = new Float64Array(rankers.length);
  w.best = new Float64Array(rankers.length);
  let report = new ReportBuilder();
  for (let t = 0; t < count; t++) {
    report = new ReportBuilder();
    const chosen = decide(w, need, cc, rankers, report);
    if (chosen < 0) {
      const built = report.build(n, (i) => w.views[i].id);
      const c = built.closest!;
      for (let rest = t; rest < count; rest++) failures.push({ reason: c.reason, instanceId: c.instanceId });
      return { placements, failures, report: built };
    }
    const inst = w.views[chosen];
    const gpuIds = need.gpus > 0 ? inst.remaining.gpus.slice(0, need.gpus) : [];
    placements.push({ instanceId: inst.id, gpuIds });
    const next = applyPlacement(inst, need, gpuIds);
    w.views[chosen] = next;
    w.cpu[chosen] = next.remaining.cpu;
    w.memory[chosen] = next.remaining.memory;
    w.gpus[chosen] = next.remaining.gpus.length;
    w.groups[chosen]++;
    for (const r of rankers) r.placed(chosen);
  }
  return { placements, failures, report: report.build(n, (i) => w.views[i].id) };
}
