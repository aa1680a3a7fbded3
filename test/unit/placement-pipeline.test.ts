import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPlacement } from '../../src/ecs/placement/apply.js';
import { CandidateIndex } from '../../src/ecs/placement/candidates.js';
import { placeTasks } from '../../src/ecs/placement/pipeline.js';
import { PlacementStrategyError, SERVICE_DEFAULT_STRATEGIES } from '../../src/ecs/placement/strategies.js';
import type { InstanceView, PlacementConstraint, PlacementRequest, PlacementStrategy, TaskNeed } from '../../src/ecs/placement/types.js';
import { arn, instance, need } from './placement-fixtures.js';

function request(over: Partial<PlacementRequest> & { n?: Partial<TaskNeed> } = {}): PlacementRequest {
  const { n, ...rest } = over;
  return { need: need(n), count: 1, seed: 7, strategies: [], constraints: [], ...rest };
}
const ids = (r: ReturnType<typeof placeTasks>): string[] => r.placements.map((p) => p.instanceId.split('/').pop()!);

const az = (id: string, zone: string, extra: Parameters<typeof instance>[0] = {}): InstanceView =>
  instance({ id, ...extra, attributes: { 'ecs.availability-zone': zone, ...(extra.attributes ?? {}) } });

describe('strategies', () => {
  const rows: { name: string; instances: InstanceView[]; strategies: PlacementStrategy[]; count?: number; want: string[] }[] = [
    {
      name: 'binpack on memory picks the least remaining memory that still fits',
      instances: [instance({ id: 'a', memory: 4096 }), instance({ id: 'b', memory: 600 }), instance({ id: 'c', memory: 400 })],
      strategies: [{ type: 'binpack', field: 'memory' }], want: ['b'],
    },
    {
      name: 'binpack on cpu picks the least remaining CPU',
      instances: [instance({ id: 'a', cpu: 4096 }), instance({ id: 'b', cpu: 300 }), instance({ id: 'c', cpu: 2048 })],
      strategies: [{ type: 'binpack', field: 'cpu' }], want: ['b'],
    },
    {
      name: 'binpack keeps filling the same instance while it fits',
      instances: [instance({ id: 'a', memory: 1024 }), instance({ id: 'b', memory: 4096 })],
      strategies: [{ type: 'binpack', field: 'memory' }], count: 3, want: ['a', 'a', 'b'],
    },
    {
      name: 'spread on instanceId goes to the instance with the fewest tasks of the group',
      instances: [instance({ id: 'a', groups: { 'service:web': 2 } }), instance({ id: 'b', groups: { 'service:web': 1, 'service:db': 9 } }), instance({ id: 'c', groups: { 'service:web': 2 } })],
      strategies: [{ type: 'spread', field: 'instanceId' }], want: ['b'],
    },
    {
      name: 'spread on host is spread on instanceId',
      instances: [instance({ id: 'a', groups: { 'service:web': 1 } }), instance({ id: 'b' })],
      strategies: [{ type: 'spread', field: 'host' }], want: ['b'],
    },
    {
      name: 'spread on an attribute balances the values, counting tasks on every instance of a value',
      instances: [az('a1', 'a', { groups: { 'service:web': 1 } }), az('a2', 'a'), az('b1', 'b', { groups: { 'service:web': 1 } }), az('c1', 'c')],
      strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }], want: ['c1'],
    },
    {
      name: 'spread by AZ then binpack on memory binpacks within the emptiest AZ',
      instances: [az('a1', 'a', { memory: 600 }), az('b1', 'b', { memory: 4000 }), az('b2', 'b', { memory: 900 }), az('a2', 'a', { groups: { 'service:web': 1 } })],
      strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }], want: ['b2'],
    },
    {
      name: 'instances without the spread attribute stay candidates, counted as one more value',
      instances: [az('a1', 'a', { groups: { 'service:web': 1 } }), instance({ id: 'none' })],
      strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }], want: ['none'],
    },
    {
      name: 'the first strategy ranks; the next only breaks its ties',
      instances: [instance({ id: 'a', memory: 900, cpu: 4000 }), instance({ id: 'b', memory: 900, cpu: 300 }), instance({ id: 'c', memory: 800, cpu: 4000 })],
      strategies: [{ type: 'binpack', field: 'memory' }, { type: 'binpack', field: 'cpu' }], want: ['c'],
    },
    {
      name: 'ties of the first strategy go to the second',
      instances: [instance({ id: 'a', memory: 900, cpu: 4000 }), instance({ id: 'b', memory: 900, cpu: 300 })],
      strategies: [{ type: 'binpack', field: 'memory' }, { type: 'binpack', field: 'cpu' }], want: ['b'],
    },
    {
      name: 'a strategy after random never matters',
      instances: [instance({ id: 'a', memory: 600 }), instance({ id: 'b', memory: 4000 })],
      strategies: [{ type: 'binpack', field: 'cpu' }, { type: 'random' }, { type: 'binpack', field: 'memory' }],
      // cpu ties; random decides, not memory: with this seed it is b, which binpack memory would never pick
      want: ['b'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => assert.deepEqual(ids(placeTasks(r.instances, request({ strategies: r.strategies, count: r.count ?? 1, seed: 3 }))), r.want));
  }

  it('spread counts the placements of the same request', () => {
    const instances = ['a', 'b', 'c'].map((id) => instance({ id, memory: 8192 }));
    const got = ids(placeTasks(instances, request({ strategies: [{ type: 'spread', field: 'instanceId' }], count: 6 })));
    assert.deepEqual(new Set(got.slice(0, 3)), new Set(['a', 'b', 'c']));
    assert.deepEqual(new Set(got.slice(3)), new Set(['a', 'b', 'c']));
  });

  it('spread by AZ then binpack places round the AZs, packing within each', () => {
    const instances = [az('a1', 'a', { memory: 8192 }), az('a2', 'a', { memory: 1024 }), az('b1', 'b', { memory: 8192 }), az('c1', 'c', { memory: 8192 })];
    const got = ids(placeTasks(instances, request({ strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }], count: 6 })));
    assert.deepEqual(new Set(got.slice(0, 3).map((id) => id[0])), new Set(['a', 'b', 'c']));
    assert.ok(got.slice(0, 3).includes('a2'), 'binpack picks the fuller instance of AZ a');
    assert.deepEqual(new Set(got.slice(3).map((id) => id[0])), new Set(['a', 'b', 'c']));
  });

  it('random picks among the instances that fit, uniformly enough', () => {
    const instances = ['a', 'b', 'c', 'd'].map((id) => instance({ id }));
    const seen = new Map<string, number>();
    for (let seed = 0; seed < 400; seed++) {
      const [id] = ids(placeTasks(instances, request({ seed })));
      seen.set(id!, (seen.get(id!) ?? 0) + 1);
    }
    assert.equal(seen.size, 4);
    for (const n of seen.values()) assert.ok(n > 60 && n < 140, `skewed: ${[...seen]}`);
  });

  it('the same instances and request give the same placement; another seed may not', () => {
    const instances = Array.from({ length: 50 }, (_, k) => instance({ id: `i${k}` }));
    const a = placeTasks(instances, request({ count: 5, seed: 42 }));
    const b = placeTasks(instances, request({ count: 5, seed: 42 }));
    assert.deepEqual(a, b);
    const others = [1, 2, 3, 4].map((seed) => ids(placeTasks(instances, request({ count: 5, seed }))).join());
    assert.ok(others.some((o) => o !== ids(a).join()));
  });

  it('SERVICE_DEFAULT_STRATEGIES spreads over AZs then instances', () => {
    const instances = [az('a1', 'a'), az('a2', 'a'), az('b1', 'b'), az('b2', 'b')];
    const got = ids(placeTasks(instances, request({ strategies: SERVICE_DEFAULT_STRATEGIES, count: 4 })));
    assert.deepEqual(new Set(got), new Set(['a1', 'a2', 'b1', 'b2']));
    assert.notEqual(got[0]![0], got[1]![0], 'the second task goes to the other AZ');
  });

  const invalid: { name: string; s: PlacementStrategy }[] = [
    { name: 'binpack without a field', s: { type: 'binpack' } },
    { name: 'binpack on an attribute', s: { type: 'binpack', field: 'attribute:x' } },
    { name: 'spread on nothing', s: { type: 'spread', field: 'attribute:' } },
    { name: 'spread on a resource', s: { type: 'spread', field: 'memory' } },
    { name: 'an unknown type', s: { type: 'roundrobin' } as unknown as PlacementStrategy },
  ];
  for (const r of invalid) {
    it(`refuses ${r.name}, even after random`, () => {
      assert.throws(() => placeTasks([instance()], request({ strategies: [{ type: 'random' }, r.s] })), PlacementStrategyError);
    });
  }
});

describe('constraints in the pipeline', () => {
  it('distinctInstance puts each task of the request on a different instance', () => {
    const instances = ['a', 'b', 'c'].map((id) => instance({ id, memory: 8192 }));
    const r = placeTasks(instances, request({ count: 3, constraints: [{ type: 'distinctInstance' }], strategies: [{ type: 'binpack', field: 'memory' }] }));
    assert.deepEqual(new Set(ids(r)).size, 3);
  });
  it('distinctInstance avoids instances already running the group and fails the rest', () => {
    const instances = [instance({ id: 'a', groups: { 'service:web': 1 } }), instance({ id: 'b' })];
    const r = placeTasks(instances, request({ count: 2, constraints: [{ type: 'distinctInstance' }] }));
    assert.deepEqual(ids(r), ['b']);
    assert.deepEqual(r.failures, [{ reason: 'DistinctInstance placement constraint unsatisfied.', instanceId: arn('a') }]);
  });
  it('memberOf keeps tasks on the instances its expression accepts', () => {
    const onlyB: PlacementConstraint = { type: 'memberOf', expression: 'attribute:team == b', test: (i) => i.attributes.get('team') === 'b' };
    const instances = [instance({ id: 'a', attributes: { team: 'a' } }), instance({ id: 'b', attributes: { team: 'b' } })];
    for (let seed = 0; seed < 10; seed++) assert.deepEqual(ids(placeTasks(instances, request({ seed, constraints: [onlyB] }))), ['b']);
  });
  it('memberOf with no match fails with ECS\'s sentence', () => {
    const r = placeTasks([instance()], request({ constraints: [{ type: 'memberOf', expression: 'false', test: () => false }] }));
    assert.deepEqual(r.failures, [{ reason: 'MemberOf placement constraint unsatisfied.', instanceId: arn('a') }]);
  });
});

describe('placing several tasks', () => {
  it('never over-commits: takes CPU and memory as it goes and fails what does not fit', () => {
    const r = placeTasks([instance({ id: 'a', cpu: 1024, memory: 1024 })], request({ count: 3 }));
    assert.equal(r.placements.length, 2);
    assert.deepEqual(r.failures, [{ reason: 'RESOURCE:MEMORY', instanceId: arn('a') }]);
  });
  it('a fixed host port goes once per instance', () => {
    const r = placeTasks(['a', 'b'].map((id) => instance({ id })), request({ count: 3, n: { ports: [80] } }));
    assert.deepEqual(new Set(ids(r)), new Set(['a', 'b']));
    assert.equal(r.failures[0]!.reason, 'RESOURCE:PORTS');
  });
  it('awsvpc tasks with the same container port share an instance', () => {
    const r = placeTasks([instance({ id: 'a' })], request({ count: 2, n: { ports: [80], networkMode: 'awsvpc' } }));
    assert.deepEqual(ids(r), ['a', 'a']);
  });
  it('assigns GPU ids in order, never twice', () => {
    const r = placeTasks([instance({ id: 'a', gpus: ['g0', 'g1', 'g2'], cpu: 8192, memory: 8192 })], request({ count: 2, n: { gpus: 2 } }));
    assert.deepEqual(r.placements.map((p) => p.gpuIds), [['g0', 'g1']]);
    assert.deepEqual(r.failures, [{ reason: 'RESOURCE:GPU', instanceId: arn('a') }]);
    const one = placeTasks([instance({ id: 'a', gpus: ['g0', 'g1', 'g2'], cpu: 8192, memory: 8192 })], request({ count: 3, n: { gpus: 1 } }));
    assert.deepEqual(one.placements.map((p) => p.gpuIds), [['g0'], ['g1'], ['g2']]);
  });
  it('tasks without GPUs get no GPU ids', () => {
    assert.deepEqual(placeTasks([instance({ gpus: ['g0'] })], request()).placements, [{ instanceId: arn('a'), gpuIds: [] }]);
  });
  it('DRAINING and disconnected instances take nothing', () => {
    const instances = [instance({ id: 'd', status: 'DRAINING' }), instance({ id: 'x', connected: false }), instance({ id: 'ok' })];
    for (let seed = 0; seed < 10; seed++) assert.deepEqual(ids(placeTasks(instances, request({ seed }))), ['ok']);
  });
  it('with no instances every task is MISSING', () => {
    const r = placeTasks([], request({ count: 2 }));
    assert.deepEqual(r.failures, [{ reason: 'MISSING' }, { reason: 'MISSING' }]);
    assert.equal(r.report.instances, 0);
  });
  it('count 0 places nothing', () => assert.deepEqual(placeTasks([instance()], request({ count: 0 })).placements, []));
  it('does not modify the instances it is given', () => {
    const a = instance({ id: 'a', ports: [22], gpus: ['g0'] });
    placeTasks([a], request({ count: 1, n: { ports: [80], gpus: 1 } }));
    assert.deepEqual([a.remaining.cpu, a.remaining.memory, [...a.remaining.ports], a.remaining.gpus, a.taskGroups.size], [1024, 2048, [22], ['g0'], 0]);
  });
});

describe('CandidateIndex', () => {
  it('decides as a plain list does, and follows set()', () => {
    const list = [instance({ id: 'a', memory: 4096 }), instance({ id: 'b', memory: 1024 })];
    const index = new CandidateIndex(list);
    const req = request({ strategies: [{ type: 'binpack', field: 'memory' }], n: { requiresAttributes: [{ name: 'x' }] } });
    assert.equal(placeTasks(index, req).failures[0]!.reason, 'ATTRIBUTE');
    index.set(instance({ id: 'b', memory: 1024, attributes: { x: undefined } }));
    assert.deepEqual(ids(placeTasks(index, req)), ['b']);
    index.set(applyPlacement(index.instances[1]!, req.need, []));
    index.set(applyPlacement(index.instances[1]!, req.need, []));
    const full = placeTasks(index, req);
    assert.equal(full.report.rejected['RESOURCE:MEMORY'], 1);
    assert.equal(full.report.rejected.ATTRIBUTE, 1);
  });
  it('refuses an unknown instance and a duplicate id', () => {
    assert.throws(() => new CandidateIndex([instance(), instance()]));
    assert.throws(() => new CandidateIndex([instance()]).set(instance({ id: 'zz' })));
  });
});
