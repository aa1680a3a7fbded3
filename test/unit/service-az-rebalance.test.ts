import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceInstance, ServiceTask } from '../../src/ecs/service/health.js';
import { newService, primaryOf, type ServiceRecord } from '../../src/ecs/service/model.js';
import { reconcile, recordStarted, type Action } from '../../src/ecs/service/reconcile.js';

const T0 = 1_700_000_000_000;
const ZONES = ['us-east-1a', 'us-east-1b'];
const instances: ServiceInstance[] = [
  { id: 'i-a', status: 'ACTIVE', connected: true, availabilityZone: 'us-east-1a' },
  { id: 'i-b', status: 'ACTIVE', connected: true, availabilityZone: 'us-east-1b' },
];

/** A steady service (first deployment COMPLETED) with AZ rebalancing as given. */
function steady(desired: number, o: { rebalancing?: 'ENABLED' | 'DISABLED'; min?: number; max?: number } = {}): ServiceRecord {
  const s = newService({
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/c/web', serviceName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
    taskDefinition: 'arn:td/web:1', desiredCount: desired, now: T0,
    deploymentConfiguration: { ...(o.min !== undefined ? { minimumHealthyPercent: o.min } : {}), ...(o.max !== undefined ? { maximumPercent: o.max } : {}) },
  });
  const d = { ...s.deployments[0]!, rolloutState: 'COMPLETED' as const };
  return { ...s, availabilityZoneRebalancing: o.rebalancing ?? 'ENABLED', deployments: [d], scheduler: { ...s.scheduler, lastCompleted: d } };
}

let n = 0;
function task(s: ServiceRecord, zone: string, o: Partial<ServiceTask> = {}): ServiceTask {
  n++;
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/t${n}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', createdAt: T0 + n,
    startedAt: T0 + n, startedBy: primaryOf(s)!.id, containerInstanceArn: zone === 'us-east-1a' ? 'i-a' : 'i-b', availabilityZone: zone,
    containerHealthCheck: true, healthStatus: 'HEALTHY', ...o,
  };
}
const inZones = (s: ServiceRecord, counts: number[]): ServiceTask[] => counts.flatMap((k, i) => Array.from({ length: k }, () => task(s, ZONES[i]!)));
const messages = (s: ServiceRecord): string[] => s.events.map((e) => e.message);
const starts = (a: Action[]) => a.filter((x): x is Extract<Action, { type: 'start' }> => x.type === 'start');
const stops = (a: Action[]) => a.filter((x): x is Extract<Action, { type: 'stop' }> => x.type === 'stop');

describe('AZ rebalancing (pure core)', () => {
  it('leaves a balanced service alone', () => {
    const s = steady(4);
    const r = reconcile(s, inZones(s, [2, 2]), instances, T0 + 1000);
    assert.deepEqual(r.actions, []);
    assert.equal(r.service.scheduler.rebalancing, undefined);
  });

  it('starts a task in the lightest zone first, waits for it, then stops one in the heaviest, and says when it is balanced', () => {
    const s = steady(4);
    let tasks = inZones(s, [4, 0]);
    const r1 = reconcile(s, tasks, instances, T0 + 1000);
    assert.deepEqual(starts(r1.actions).map((a) => [a.count, a.availabilityZone]), [[1, 'us-east-1b']]);
    assert.deepEqual(stops(r1.actions), []);
    assert.ok(messages(r1.service).includes('service (web) is not AZ balanced with 4 tasks in us-east-1a and 0 in us-east-1b. AZ Rebalancing in progress.'));
    const started = task(s, 'us-east-1b', { lastStatus: 'PENDING', startedAt: undefined, healthStatus: 'UNKNOWN' });
    const s1 = recordStarted(r1.service, [started.taskArn], T0 + 1000, 0, 'us-east-1b');
    assert.equal(s1.events[0]!.message, `web has started 1 tasks in us-east-1b to AZ Rebalance: (task ${started.taskArn.split('/').pop()}).`);

    // While the new task starts, nothing is stopped (the rolling plan would take it for excess).
    tasks = [...tasks, started];
    const r2 = reconcile(s1, tasks, instances, T0 + 2000);
    assert.deepEqual(r2.actions, []);

    // Healthy: one task too many, stopped in the heaviest zone.
    Object.assign(started, { lastStatus: 'RUNNING', startedAt: T0 + 2500, healthStatus: 'HEALTHY' });
    const r3 = reconcile(r2.service, tasks, instances, T0 + 3000);
    assert.deepEqual(starts(r3.actions), []);
    const [stop] = stops(r3.actions);
    assert.ok(stop && tasks.find((t) => t.taskArn === stop.taskArn)!.availabilityZone === 'us-east-1a');
    assert.match(r3.service.events[0]!.message, /^web has stopped 1 running tasks in us-east-1a due to AZ rebalancing: \(task t\d+\)\.$/);

    // 3 + 1 is not balanced yet: the next move starts again in us-east-1b.
    tasks = tasks.filter((t) => t.taskArn !== stop!.taskArn);
    const r4 = reconcile(r3.service, tasks, instances, T0 + 4000);
    assert.deepEqual(starts(r4.actions).map((a) => a.availabilityZone), ['us-east-1b']);
    const second = task(s, 'us-east-1b');
    tasks = [...tasks, second];
    const r5 = reconcile(r4.service, tasks, instances, T0 + 5000);
    const [stop2] = stops(r5.actions);
    tasks = tasks.filter((t) => t.taskArn !== stop2!.taskArn);
    const r6 = reconcile(r5.service, tasks, instances, T0 + 6000);
    assert.deepEqual(r6.actions, []);
    assert.ok(messages(r6.service).includes('service (web) is AZ balanced with 2 tasks in us-east-1a and 2 tasks in us-east-1b.'));
    assert.equal(r6.service.scheduler.rebalancing, undefined);
  });

  it('stops first when maximumPercent leaves no room, if minimumHealthyPercent allows', () => {
    const s = steady(4, { min: 50, max: 100 });
    const r = reconcile(s, inZones(s, [4, 0]), instances, T0 + 1000);
    assert.deepEqual(starts(r.actions), []);
    assert.equal(stops(r.actions).length, 1);
  });

  it('does nothing when neither bound allows a move, when DISABLED, or while a deployment is in progress', () => {
    const tight = steady(4, { min: 100, max: 100 });
    assert.deepEqual(reconcile(tight, inZones(tight, [4, 0]), instances, T0 + 1000).actions, []);
    const off = steady(4, { rebalancing: 'DISABLED' });
    assert.deepEqual(reconcile(off, inZones(off, [4, 0]), instances, T0 + 1000).actions, []);
    const s = steady(4);
    const deploying = { ...s, deployments: [{ ...s.deployments[0]!, rolloutState: 'IN_PROGRESS' as const }] };
    assert.deepEqual(reconcile(deploying, inZones(s, [4, 0]), instances, T0 + 1000).actions, []);
  });

  it('only counts zones with an instance that can take a task', () => {
    const s = steady(4);
    const oneZone = [instances[0]!, { ...instances[1]!, status: 'DRAINING' as const }];
    assert.deepEqual(reconcile(s, inZones(s, [4, 0]), oneZone, T0 + 1000).actions, []);
  });
});
