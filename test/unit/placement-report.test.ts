import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeTasks } from '../../src/ecs/placement/pipeline.js';
import { summarizeReport, unableToPlaceMessage } from '../../src/ecs/placement/report.js';
import type { InstanceView, PlacementConstraint, PlacementRequest, Rejection, TaskNeed } from '../../src/ecs/placement/types.js';
import { arn, instance, need } from './placement-fixtures.js';

const req = (n: Partial<TaskNeed> = {}, constraints: PlacementConstraint[] = [], count = 1): PlacementRequest =>
  ({ need: need(n), count, seed: 1, strategies: [], constraints });

const HEAD = '(service web) was unable to place a task because no container instance met all of its requirements.';
const TAIL = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

describe('the rejection tally', () => {
  it('counts each instance under the first check that rejected it', () => {
    const instances = [
      instance({ id: 'd', status: 'DRAINING', memory: 0 }), instance({ id: 'm1', memory: 100 }), instance({ id: 'm2', memory: 100 }),
      instance({ id: 'c', cpu: 10 }), instance({ id: 'p', ports: [80] }),
    ];
    const r = placeTasks(instances, req({ ports: [80] }));
    assert.deepEqual(Object.fromEntries(Object.entries(r.report.rejected).filter(([, n]) => n > 0)), {
      AGENT: 1, 'RESOURCE:MEMORY': 2, 'RESOURCE:CPU': 1, 'RESOURCE:PORTS': 1,
    });
    assert.equal(r.report.instances, 5);
    assert.equal(summarizeReport(r.report), '5 instances; RESOURCE:MEMORY 2, AGENT 1, RESOURCE:CPU 1, RESOURCE:PORTS 1; closest m1 (RESOURCE:MEMORY)');
  });
  it('describes the last placement when all tasks were placed', () => {
    const r = placeTasks([instance({ id: 'a' }), instance({ id: 'x', connected: false })], req());
    assert.equal(r.report.rejected.AGENT, 1);
    assert.equal(r.failures.length, 0);
  });
});

describe('the closest matching instance', () => {
  const rows: { name: string; instances: InstanceView[]; n?: Partial<TaskNeed>; want: [string, Rejection] }[] = [
    {
      name: 'is the one that passed the most checks',
      instances: [instance({ id: 'two', cpu: 0, memory: 0 }), instance({ id: 'one', memory: 0 })],
      want: ['one', 'RESOURCE:MEMORY'],
    },
    {
      name: 'then the one missing the least',
      instances: [instance({ id: 'far', memory: 100 }), instance({ id: 'near', memory: 500 })],
      want: ['near', 'RESOURCE:MEMORY'],
    },
    {
      name: 'then the first in order',
      instances: [instance({ id: 'first', memory: 100 }), instance({ id: 'second', memory: 100 })],
      want: ['first', 'RESOURCE:MEMORY'],
    },
    {
      name: 'can be a disconnected instance with room, as in ECS\'s AGENT event',
      instances: [instance({ id: 'full', cpu: 0, memory: 0 }), instance({ id: 'off', connected: false })],
      want: ['off', 'AGENT'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const res = placeTasks(r.instances, req(r.n));
      assert.deepEqual([res.report.closest?.instanceId, res.report.closest?.reason], [arn(r.want[0]), r.want[1]]);
      assert.deepEqual(res.failures, [{ reason: r.want[1], instanceId: arn(r.want[0]) }]);
    });
  }
});

describe('the service event sentence', () => {
  const cases: { reason: string; instances: InstanceView[]; n?: Partial<TaskNeed>; c?: PlacementConstraint[]; tail: string }[] = [
    { reason: 'AGENT', instances: [instance({ id: 'abc', connected: false })], tail: 'encountered error "AGENT".' },
    { reason: 'ATTRIBUTE', instances: [instance({ id: 'abc' })], n: { requiresAttributes: [{ name: 'x' }] }, tail: 'is missing an attribute required by your task.' },
    { reason: 'RESOURCE:CPU', instances: [instance({ id: 'abc', cpu: 1 })], tail: 'has insufficient CPU units available.' },
    { reason: 'RESOURCE:MEMORY', instances: [instance({ id: 'abc', memory: 1 })], tail: 'has insufficient memory available.' },
    { reason: 'RESOURCE:PORTS', instances: [instance({ id: 'abc', ports: [80] })], n: { ports: [80] }, tail: 'is already using a port required by your task.' },
    { reason: 'RESOURCE:GPU', instances: [instance({ id: 'abc' })], n: { gpus: 1 }, tail: 'has insufficient GPU resource available.' },
    { reason: 'memberOf', instances: [instance({ id: 'abc' })], c: [{ type: 'memberOf', expression: 'x', test: () => false }], tail: 'encountered error "MemberOf placement constraint unsatisfied.".' },
    { reason: 'distinctInstance', instances: [instance({ id: 'abc', groups: { 'service:web': 1 } })], c: [{ type: 'distinctInstance' }], tail: 'encountered error "DistinctInstance placement constraint unsatisfied.".' },
  ];
  for (const c of cases) {
    it(`names the closest instance by its id for ${c.reason}`, () => {
      const r = placeTasks(c.instances, req(c.n, c.c));
      assert.equal(unableToPlaceMessage('web', r.report), `${HEAD} The closest matching (container-instance abc) ${c.tail} ${TAIL}`);
    });
  }
  it('says no container instances were found when the cluster has none', () => {
    assert.equal(unableToPlaceMessage('web', placeTasks([], req()).report), `${HEAD} Reason: No Container Instances were found in your cluster. ${TAIL}`);
  });
});
