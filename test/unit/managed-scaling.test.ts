import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  capacityProviderReservation, decideScaling, desiredSize, instancesFor, type GroupInstance, type ScalingConfig,
} from '../../src/ecs/cluster/managed-scaling.js';

const cfg = (over: Partial<ScalingConfig> = {}): ScalingConfig => ({
  targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, managedTerminationProtection: false, maxSize: 100, ...over,
});
const inst = (id: string, tasks: number, registeredAt = 0): GroupInstance => ({ id, tasks, registeredAt });

describe('CapacityProviderReservation', () => {
  const rows: [m: number, n: number, want: number][] = [
    [0, 0, 100], // no tasks, no instances: at target, nothing to do
    [3, 0, 200], // tasks waiting and no instance: scale out
    [0, 4, 0],
    [2, 4, 50],
    [4, 4, 100],
    [6, 4, 150],
  ];
  for (const [m, n, want] of rows) it(`M ${m}, N ${n} → ${want}`, () => assert.equal(capacityProviderReservation(m, n), want));
});

describe('instances needed for waiting tasks', () => {
  it('packs first-fit decreasing onto instances of the known size', () => {
    const size = { cpu: 1024, memory: 2048 };
    assert.equal(instancesFor([], size), 0);
    assert.equal(instancesFor(Array.from({ length: 4 }, () => ({ cpu: 512, memory: 512 })), size), 2);
    assert.equal(instancesFor([{ cpu: 256, memory: 1500 }, { cpu: 256, memory: 1500 }, { cpu: 256, memory: 500 }], size), 2);
  });
  it('one instance per task when the size is unknown, and for a task larger than an instance', () => {
    assert.equal(instancesFor([{ cpu: 1, memory: 1 }, { cpu: 1, memory: 1 }]), 2);
    assert.equal(instancesFor([{ cpu: 4096, memory: 1 }], { cpu: 1024, memory: 1024 }), 1);
  });
});

describe('desired group size', () => {
  const rows: { name: string; m: number; n: number; c?: Partial<ScalingConfig>; want: number }[] = [
    { name: 'target 100 sizes the group to M', m: 3, n: 0, want: 3 },
    { name: 'target 50 keeps as many spare as busy', m: 3, n: 2, c: { targetCapacity: 50 }, want: 6 },
    { name: 'target 80 rounds up', m: 5, n: 5, c: { targetCapacity: 80 }, want: 7 },
    { name: 'the minimum step launches more than needed', m: 1, n: 0, c: { minimumScalingStepSize: 3 }, want: 3 },
    { name: 'the maximum step bounds a scale-out', m: 10, n: 1, c: { maximumScalingStepSize: 2 }, want: 3 },
    { name: 'the maximum step bounds a scale-in', m: 0, n: 10, c: { maximumScalingStepSize: 4 }, want: 6 },
    { name: 'the minimum step does not bound a scale-in', m: 4, n: 5, c: { minimumScalingStepSize: 3 }, want: 4 },
    { name: 'the group maximum caps a scale-out', m: 50, n: 2, c: { maxSize: 5 }, want: 5 },
    { name: 'no tasks, no instances: nothing', m: 0, n: 0, c: { targetCapacity: 75 }, want: 0 },
    { name: 'no tasks: scale in to zero', m: 0, n: 3, want: 0 },
  ];
  for (const r of rows) it(r.name, () => assert.equal(desiredSize(r.m, r.n, cfg(r.c)), r.want));
});

describe('decideScaling', () => {
  it('launches for waiting tasks when the group is empty (reservation 200)', () => {
    const d = decideScaling({ instances: [], waiting: [{ cpu: 512, memory: 512 }, { cpu: 512, memory: 512 }, { cpu: 512, memory: 512 }], instanceSize: { cpu: 1024, memory: 4096 }, config: cfg() });
    assert.deepEqual({ r: d.reservation, m: d.m, n: d.n, launch: d.launch, terminate: d.terminate }, { r: 200, m: 2, n: 0, launch: 2, terminate: [] });
  });
  it('counts instances being launched in N', () => {
    const d = decideScaling({ instances: [], launching: 2, waiting: [{ cpu: 1, memory: 1 }, { cpu: 1, memory: 1 }], config: cfg() });
    assert.equal(d.launch, 0);
    assert.equal(d.reservation, 100);
  });
  it('scales in idle instances oldest first', () => {
    const d = decideScaling({ instances: [inst('c', 0, 3), inst('a', 1, 1), inst('b', 0, 2)], waiting: [], config: cfg() });
    assert.equal(d.m, 1);
    assert.equal(d.desired, 1);
    assert.deepEqual(d.terminate, ['b', 'c']);
  });
  it('without termination protection an instance running tasks goes when the group must shrink below them', () => {
    const d = decideScaling({ instances: [inst('a', 2, 1), inst('b', 0, 2), inst('c', 0, 3)], waiting: [], config: cfg({ maxSize: 0 }) });
    assert.deepEqual(d.terminate, ['b', 'c', 'a']);
  });
  it('with termination protection an instance running tasks never goes', () => {
    const d = decideScaling({ instances: [inst('a', 2, 1), inst('b', 0, 2), inst('c', 0, 3)], waiting: [], config: cfg({ maxSize: 0, managedTerminationProtection: true }) });
    assert.deepEqual(d.terminate, ['b', 'c']);
  });
});

describe('decideScaling properties', () => {
  const arb = fc.record({
    tasks: fc.array(fc.nat({ max: 3 }), { maxLength: 30 }),
    launching: fc.nat({ max: 5 }),
    waiting: fc.nat({ max: 40 }),
    targetCapacity: fc.integer({ min: 1, max: 100 }),
    minStep: fc.integer({ min: 1, max: 10 }),
    extra: fc.nat({ max: 20 }),
    maxSize: fc.nat({ max: 60 }),
    protection: fc.boolean(),
  });
  it('never terminates an instance with tasks under protection; steps stay within bounds', () => {
    fc.assert(fc.property(arb, (a) => {
      const config = cfg({ targetCapacity: a.targetCapacity, minimumScalingStepSize: a.minStep, maximumScalingStepSize: a.minStep + a.extra, maxSize: a.maxSize, managedTerminationProtection: a.protection });
      const instances = a.tasks.map((t, i) => inst(`i${i}`, t, i));
      const d = decideScaling({ instances, launching: a.launching, waiting: Array.from({ length: a.waiting }, () => ({ cpu: 256, memory: 256 })), instanceSize: { cpu: 1024, memory: 1024 }, config });
      const busy = new Set(instances.filter((i) => i.tasks > 0).map((i) => i.id));
      if (a.protection) assert.ok(d.terminate.every((id) => !busy.has(id)));
      assert.ok(!(d.launch > 0 && d.terminate.length > 0));
      assert.ok(d.launch <= config.maximumScalingStepSize);
      assert.ok(d.terminate.length <= config.maximumScalingStepSize);
      assert.ok(d.terminate.length <= Math.max(0, d.n - d.desired));
      if (d.launch > 0) {
        assert.ok(d.n + d.launch <= config.maxSize);
        // at least the minimum step, unless the group maximum stops it
        assert.ok(d.launch >= config.minimumScalingStepSize || d.n + d.launch === config.maxSize);
      }
      // never above the maximum after a scale-out, nor scaling in below what the tasks need
      if (d.desired < d.n) assert.ok(d.desired >= Math.min(d.n, Math.ceil((d.m * 100) / config.targetCapacity - 1e-9)) || d.n > config.maxSize);
    }), { numRuns: 500 });
  });
});
