import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CandidateIndex } from '../../src/ecs/placement/candidates.js';
import { compileConstraints } from '../../src/ecs/placement/constraints.js';
import { firstRejection, placeTasks } from '../../src/ecs/placement/pipeline.js';
import type { InstanceView, PlacementConstraint, PlacementRequest, PlacementStrategy, TaskNeed } from '../../src/ecs/placement/types.js';
import { instance } from './placement-fixtures.js';

// Arbitrary clusters and requests: few distinct values, so collisions (ports, groups, ties) happen.
const port = fc.constantFrom(80, 443, 8080, 53);
const anInstance = (k: number): fc.Arbitrary<InstanceView> => fc.record({
  status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'DRAINING', 'INACTIVE'),
  connected: fc.boolean(),
  cpu: fc.integer({ min: 0, max: 2048 }), memory: fc.integer({ min: 0, max: 4096 }),
  ports: fc.uniqueArray(port, { maxLength: 2 }), portsUdp: fc.uniqueArray(port, { maxLength: 1 }),
  gpus: fc.integer({ min: 0, max: 4 }), web: fc.integer({ min: 0, max: 2 }),
  az: fc.constantFrom('a', 'b', undefined), cap: fc.boolean(),
}).map((s) => instance({
  id: `i${k}`, status: s.status as InstanceView['status'], connected: s.connected || s.status === 'ACTIVE', cpu: s.cpu, memory: s.memory,
  ports: s.ports, portsUdp: s.portsUdp, gpus: Array.from({ length: s.gpus }, (_, g) => `i${k}-g${g}`),
  groups: s.web ? { 'service:web': s.web } : {},
  attributes: { ...(s.az ? { 'ecs.availability-zone': s.az } : {}), ...(s.cap ? { 'ecs.capability.x': undefined } : {}) },
}));
const cluster = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => anInstance(k))));

const aNeed: fc.Arbitrary<TaskNeed> = fc.record({
  cpu: fc.integer({ min: 0, max: 1024 }), memory: fc.integer({ min: 0, max: 2048 }),
  ports: fc.uniqueArray(port, { maxLength: 2 }), portsUdp: fc.uniqueArray(port, { maxLength: 1 }), gpus: fc.integer({ min: 0, max: 2 }),
  requiresAttributes: fc.constantFrom([], [{ name: 'ecs.capability.x' }]), group: fc.constant('service:web'),
  networkMode: fc.constantFrom(undefined, 'bridge', 'awsvpc'),
}, { requiredKeys: ['cpu', 'memory', 'ports', 'portsUdp', 'gpus', 'requiresAttributes', 'group'] });

const aStrategy: fc.Arbitrary<PlacementStrategy> = fc.constantFrom<PlacementStrategy>(
  { type: 'random' }, { type: 'binpack', field: 'cpu' }, { type: 'binpack', field: 'memory' },
  { type: 'spread', field: 'instanceId' }, { type: 'spread', field: 'attribute:ecs.availability-zone' },
);
const aConstraint: fc.Arbitrary<PlacementConstraint> = fc.constantFrom<PlacementConstraint>(
  { type: 'distinctInstance' }, { type: 'memberOf', expression: 'attribute:ecs.availability-zone == a', test: (i) => i.attributes.get('ecs.availability-zone') === 'a' },
);
const aRequest: fc.Arbitrary<PlacementRequest> = fc.record({
  need: aNeed, count: fc.integer({ min: 0, max: 8 }), seed: fc.integer(),
  strategies: fc.array(aStrategy, { maxLength: 3 }), constraints: fc.array(aConstraint, { maxLength: 2 }),
});

describe('placement properties', () => {
  it('never over-commits CPU, memory, ports or GPUs, and places only where every check passes', () => {
    fc.assert(fc.property(cluster, aRequest, (instances, req) => {
      const r = placeTasks(instances, req);
      assert.equal(r.placements.length + r.failures.length, req.count);
      const byId = new Map(instances.map((i) => [i.id, i]));
      const per = new Map<string, number>();
      for (const p of r.placements) per.set(p.instanceId, (per.get(p.instanceId) ?? 0) + 1);
      const none = compileConstraints(req.constraints.filter((c) => c.type === 'memberOf'));
      for (const [id, n] of per) {
        const i = byId.get(id)!;
        assert.equal(firstRejection(req.need, i, none), undefined, `${id} was not feasible`);
        assert.ok(n * req.need.cpu <= i.remaining.cpu, 'cpu over-committed');
        assert.ok(n * req.need.memory <= i.remaining.memory, 'memory over-committed');
        const hostPorts = req.need.networkMode !== 'awsvpc' && req.need.ports.length + req.need.portsUdp.length > 0;
        if (hostPorts) assert.equal(n, 1, 'a fixed host port placed twice on one instance');
      }
      const gpuIds = r.placements.flatMap((p) => p.gpuIds);
      assert.equal(new Set(gpuIds).size, gpuIds.length, 'a GPU handed out twice');
      for (const p of r.placements) {
        assert.equal(p.gpuIds.length, req.need.gpus);
        for (const g of p.gpuIds) assert.ok(byId.get(p.instanceId)!.remaining.gpus.includes(g), `${g} is not free on ${p.instanceId}`);
      }
    }), { numRuns: 400 });
  });

  it('distinctInstance always holds: one task per instance, none where the group already runs', () => {
    fc.assert(fc.property(cluster, aRequest, (instances, req0) => {
      const req = { ...req0, constraints: [...req0.constraints, { type: 'distinctInstance' } as const] };
      const r = placeTasks(instances, req);
      const ids = r.placements.map((p) => p.instanceId);
      assert.equal(new Set(ids).size, ids.length);
      for (const id of ids) assert.equal(instances.find((i) => i.id === id)!.taskGroups.get('service:web') ?? 0, 0);
    }), { numRuns: 300 });
  });

  it('the candidate index and the pure checks agree, and the decision replays from its seed', () => {
    fc.assert(fc.property(cluster, aRequest, (instances, req) => {
      const a = placeTasks(instances, req);
      const b = placeTasks(new CandidateIndex(instances), req);
      assert.deepEqual(a, b);
    }), { numRuns: 300 });
  });
});
