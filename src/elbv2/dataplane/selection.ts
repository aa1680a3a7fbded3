/**
 * Choosing where a request goes (pure; randomness and time are passed in).
 *
 * Eligibility follows ALB: healthy targets get traffic; when a group has registered targets but
 * none is healthy, the load balancer fails open and routes to all of them (initial and unhealthy
 * alike) with the group's algorithm; draining and unused targets never get new requests. No
 * eligible target at all is the 503 case.
 */
import type { Algorithm, WeightedTargetGroup } from './config.js';
import { isRegistered, type TargetHealth } from './target-health.js';

export interface Candidate {
  health: TargetHealth;
  /** Requests (and upgraded connections) in flight to this target now. */
  inflight: number;
}

export interface PickContext {
  algorithm: Algorithm;
  /** Round-robin position, advanced by each pick; owned by the caller (one per target group). */
  cursor: { next: number };
  now: number;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Slow start window in ms (0 = off): a target that just turned healthy takes a linearly growing share. */
  slowStartMs: number;
}

const healthy = (h: TargetHealth): boolean => h.state === 'healthy';

/** The target a new request goes to, or undefined when none is eligible (ALB answers 503). */
export function pickTarget<T extends Candidate>(targets: readonly T[], ctx: PickContext): T | undefined {
  const n = targets.length;
  if (n === 0) return undefined;
  let anyHealthy = false;
  for (let i = 0; i < n; i++) if (healthy(targets[i]!.health)) { anyHealthy = true; break; }
  const eligible = anyHealthy ? healthy : isRegistered;
  return ctx.algorithm === 'least_outstanding_requests' ? leastOutstanding(targets, eligible, ctx) : roundRobin(targets, eligible, ctx);
}

function roundRobin<T extends Candidate>(targets: readonly T[], eligible: (h: TargetHealth) => boolean, ctx: PickContext): T | undefined {
  const n = targets.length;
  const start = ctx.cursor.next % n;
  let deferred: T | undefined;
  let deferredAt = -1;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    const t = targets[i]!;
    if (!eligible(t.health)) continue;
    const since = t.health.healthySince;
    if (ctx.slowStartMs > 0 && since !== undefined && ctx.now - since < ctx.slowStartMs) {
      // In slow start: take it with a probability growing linearly over the window.
      if (ctx.random() >= (ctx.now - since) / ctx.slowStartMs) {
        if (!deferred) { deferred = t; deferredAt = i; }
        continue;
      }
    }
    ctx.cursor.next = i + 1;
    return t;
  }
  if (deferred) ctx.cursor.next = deferredAt + 1;
  return deferred;
}

function leastOutstanding<T extends Candidate>(targets: readonly T[], eligible: (h: TargetHealth) => boolean, ctx: PickContext): T | undefined {
  const n = targets.length;
  const start = ctx.cursor.next % n;
  let best: T | undefined;
  let bestAt = -1;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    const t = targets[i]!;
    if (!eligible(t.health)) continue;
    if (!best || t.inflight < best.inflight) { best = t; bestAt = i; }
  }
  // Rotating the start spreads ties instead of always favouring the first target.
  if (best) ctx.cursor.next = bestAt + 1;
  return best;
}

/** Index of the target group a weighted forward picks; weights default to 1, 0 takes nothing. */
export function pickWeighted(groups: readonly WeightedTargetGroup[], random: () => number): number {
  if (groups.length === 1) return 0;
  let total = 0;
  for (const g of groups) total += g.weight ?? 1;
  if (total <= 0) return 0;
  let r = random() * total;
  for (let i = 0; i < groups.length; i++) {
    r -= groups[i]!.weight ?? 1;
    if (r < 0) return i;
  }
  return groups.length - 1;
}
