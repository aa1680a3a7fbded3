import type { HostResources } from '../state.js';

/**
 * First placement: feasibility checks with ECS's reason codes, then a seeded random choice among
 * the hosts that fit. The placement issue replaces the choice with strategies and constraints;
 * the checks and their reasons stay.
 */
export interface Candidate { id: string; connected: boolean; active: boolean; remaining: HostResources }
export interface Need { cpu: number; memory: number; ports: number[]; portsUdp: number[] }
export type Rejection = 'AGENT' | 'RESOURCE:CPU' | 'RESOURCE:MEMORY' | 'RESOURCE:PORTS';

export function check(c: Candidate, need: Need): Rejection | undefined {
  if (!c.connected || !c.active) return 'AGENT';
  if (c.remaining.cpu < need.cpu) return 'RESOURCE:CPU';
  if (c.remaining.memory < need.memory) return 'RESOURCE:MEMORY';
  if (need.ports.some((p) => c.remaining.ports.includes(p)) || need.portsUdp.some((p) => c.remaining.portsUdp.includes(p))) return 'RESOURCE:PORTS';
  return undefined;
}

/** The seeded generator now lives in random.ts; re-exported for the callers of this first placement. */
export { seededRandom } from './random.js';

/** Picks a host for one task, or the rejection that turned most hosts away. */
export function place(candidates: readonly Candidate[], need: Need, random: () => number): { id: string } | { reason: Rejection | 'MISSING' } {
  if (candidates.length === 0) return { reason: 'MISSING' };
  const fits: Candidate[] = [];
  const tally = new Map<Rejection, number>();
  for (const c of candidates) {
    const r = check(c, need);
    if (r) tally.set(r, (tally.get(r) ?? 0) + 1);
    else fits.push(c);
  }
  if (fits.length === 0) return { reason: [...tally].sort((a, b) => b[1] - a[1])[0]![0] };
  return { id: fits[Math.floor(random() * fits.length)]!.id };
}
