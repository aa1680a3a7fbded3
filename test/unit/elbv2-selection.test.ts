import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickTarget, pickWeighted, type Candidate, type PickContext } from '../../src/elbv2/dataplane/selection.js';
import type { TargetHealth, TargetState } from '../../src/elbv2/dataplane/target-health.js';

interface T extends Candidate { name: string }
const t = (name: string, state: TargetState, inflight = 0, healthySince?: number): T => ({ name, inflight, health: { state, passes: 0, failures: 0, healthySince } as TargetHealth });
const ctx = (p: Partial<PickContext> = {}): PickContext => ({ algorithm: 'round_robin', cursor: { next: 0 }, now: 0, random: () => 0.5, slowStartMs: 0, ...p });

function picks(targets: T[], c: PickContext, n: number): string[] {
  return Array.from({ length: n }, () => pickTarget(targets, c)?.name ?? '503');
}

interface Row { name: string; targets: T[]; ctx?: Partial<PickContext>; n: number; want: string[] }

// Each row: a target set and the sequence of picks the load balancer makes.
const rows: Row[] = [
  { name: 'round robin cycles through healthy targets', targets: [t('a', 'healthy'), t('b', 'healthy'), t('c', 'healthy')], n: 6, want: ['a', 'b', 'c', 'a', 'b', 'c'] },
  { name: 'unhealthy targets are skipped while one is healthy', targets: [t('a', 'unhealthy'), t('b', 'healthy'), t('c', 'initial')], n: 3, want: ['b', 'b', 'b'] },
  { name: 'all unhealthy: fail open to every registered target', targets: [t('a', 'unhealthy'), t('b', 'unhealthy')], n: 4, want: ['a', 'b', 'a', 'b'] },
  { name: 'fail open includes targets still initial', targets: [t('a', 'initial'), t('b', 'unhealthy')], n: 2, want: ['a', 'b'] },
  { name: 'draining targets never get new requests, even failing open', targets: [t('a', 'draining'), t('b', 'unhealthy')], n: 2, want: ['b', 'b'] },
  { name: 'only draining and unused targets: 503', targets: [t('a', 'draining'), t('b', 'unused')], n: 1, want: ['503'] },
  { name: 'no targets: 503', targets: [], n: 1, want: ['503'] },
  { name: 'least outstanding picks the least busy', targets: [t('a', 'healthy', 5), t('b', 'healthy', 1), t('c', 'healthy', 3)], ctx: { algorithm: 'least_outstanding_requests' }, n: 2, want: ['b', 'b'] },
  { name: 'least outstanding rotates among ties', targets: [t('a', 'healthy'), t('b', 'healthy'), t('c', 'healthy')], ctx: { algorithm: 'least_outstanding_requests' }, n: 3, want: ['a', 'b', 'c'] },
  { name: 'least outstanding skips unhealthy targets however idle', targets: [t('a', 'unhealthy', 0), t('b', 'healthy', 9)], ctx: { algorithm: 'least_outstanding_requests' }, n: 1, want: ['b'] },
  { name: 'slow start: a target just turned healthy is passed over early in its window', targets: [t('a', 'healthy'), t('b', 'healthy', 0, 0)], ctx: { slowStartMs: 10_000, now: 1000, random: () => 0.5 }, n: 4, want: ['a', 'a', 'a', 'a'] },
  { name: 'slow start: past the window it takes its full share', targets: [t('a', 'healthy'), t('b', 'healthy', 0, 0)], ctx: { slowStartMs: 10_000, now: 20_000 }, n: 4, want: ['a', 'b', 'a', 'b'] },
  { name: 'slow start: alone, it still gets the request', targets: [t('b', 'healthy', 0, 0)], ctx: { slowStartMs: 10_000, now: 1 }, n: 2, want: ['b', 'b'] },
];

describe('target selection', () => {
  for (const r of rows) it(r.name, () => assert.deepEqual(picks(r.targets, ctx(r.ctx), r.n), r.want));
});

describe('weighted target groups', () => {
  const groups = [{ targetGroupId: 'blue', weight: 80 }, { targetGroupId: 'green', weight: 20 }];
  const rows: Array<[string, number, number]> = [['r=0 goes to blue', 0, 0], ['r just under 0.8 goes to blue', 0.799, 0], ['r=0.8 goes to green', 0.8, 1], ['r near 1 goes to green', 0.999, 1]];
  for (const [name, r, want] of rows) it(name, () => assert.equal(pickWeighted(groups, () => r), want));
  it('weight 0 takes no traffic', () => assert.equal(pickWeighted([{ targetGroupId: 'a', weight: 0 }, { targetGroupId: 'b', weight: 1 }], () => 0), 1));
  it('a single group needs no randomness', () => assert.equal(pickWeighted([{ targetGroupId: 'a' }], () => { throw new Error('unused'); }), 0));
});
