import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { conditionOf, countsHealthy, type ServiceInstance, type ServiceTask } from '../../src/ecs/service/health.js';
import { newService, primaryOf, startDeployment, type ServiceRecord } from '../../src/ecs/service/model.js';
import { reconcile, recordStarted, type Action } from '../../src/ecs/service/reconcile.js';
import { rollingBounds } from '../../src/ecs/service/rolling.js';

const T0 = 1_700_000_000_000;
const OLD = 'ecs-svc/1000000000000000001';
const NEW = 'ecs-svc/2000000000000000002';
const INSTANCES: ServiceInstance[] = [
  { id: 'i1', status: 'ACTIVE', connected: true },
  { id: 'i2', status: 'ACTIVE', connected: true },
  { id: 'i3', status: 'DRAINING', connected: true },
  { id: 'i4', status: 'ACTIVE', connected: false },
];
const byId = new Map(INSTANCES.map((i) => [i.id, i]));

function rolling(desired: number, min: number, max: number, lb: boolean): ServiceRecord {
  const s = newService({
    serviceArn: 'arn:svc/web', serviceName: 'web', clusterArn: 'arn:c', taskDefinition: 'td:1', desiredCount: desired, now: T0,
    deploymentSeed: 'x', deploymentConfiguration: { minimumHealthyPercent: min, maximumPercent: max },
    ...(lb ? { loadBalancers: [{ targetGroupArn: 'arn:tg' }], healthCheckGracePeriodSeconds: 30 } : {}),
  });
  const first = { ...s.deployments[0]!, id: OLD, rolloutState: 'COMPLETED' as const };
  return startDeployment({ ...s, deployments: [first], scheduler: { seen: {}, lastCompleted: first } }, { id: NEW, taskDefinition: 'td:2', now: T0 });
}

// Any observed state: tasks of either deployment (or none), in any status, health and placement.
const aTask = (k: number): fc.Arbitrary<ServiceTask> => fc.record({
  dep: fc.constantFrom(OLD, NEW, NEW, undefined),
  lastStatus: fc.constantFrom('PROVISIONING', 'PENDING', 'RUNNING', 'RUNNING', 'RUNNING', 'STOPPING', 'STOPPED'),
  stopping: fc.boolean(),
  age: fc.integer({ min: 0, max: 120_000 }),
  hc: fc.boolean(),
  health: fc.constantFrom('HEALTHY', 'UNHEALTHY', 'UNKNOWN'),
  target: fc.constantFrom('healthy', 'unhealthy', 'initial'),
  instance: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i9', undefined),
}).map((r) => ({
  taskArn: `arn:task/c/t${k}`, lastStatus: r.lastStatus as ServiceTask['lastStatus'],
  desiredStatus: r.lastStatus === 'STOPPED' || r.stopping ? 'STOPPED' : 'RUNNING',
  createdAt: T0 - r.age - 1000, ...(r.lastStatus === 'RUNNING' || r.lastStatus === 'STOPPING' ? { startedAt: T0 - r.age } : {}),
  ...(r.dep ? { startedBy: r.dep } : {}), ...(r.instance ? { containerInstanceArn: r.instance } : {}),
  containerHealthCheck: r.hc, healthStatus: r.health as ServiceTask['healthStatus'], targetHealth: r.target as ServiceTask['targetHealth'],
}));
const aState = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => aTask(k))));

const held = (s: ServiceRecord, tasks: readonly ServiceTask[]): number =>
  tasks.filter((t) => t.lastStatus !== 'STOPPED' && conditionOf(s, t, byId, T0).kind !== 'lost').length;
const healthyOf = (s: ServiceRecord, tasks: readonly ServiceTask[]): ServiceTask[] =>
  tasks.filter((t) => t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING' && countsHealthy(s, t, conditionOf(s, t, byId, T0), T0));
const startCount = (a: Action[]): number => a.reduce((x, y) => x + (y.type === 'start' ? y.count : 0), 0);

describe('rolling deployment properties', () => {
  const config = fc.record({
    desired: fc.integer({ min: 0, max: 100 }), min: fc.integer({ min: 0, max: 100 }), max: fc.integer({ min: 100, max: 200 }), lb: fc.boolean(),
  });

  it('never starts tasks beyond floor(desired × maximumPercent), counting every task still holding capacity', () => {
    fc.assert(fc.property(config, aState, (c, tasks) => {
      const s = rolling(c.desired, c.min, c.max, c.lb);
      const r = reconcile(s, tasks, INSTANCES, T0);
      const starts = startCount(r.actions);
      if (starts > 0) assert.ok(held(s, tasks) + starts <= rollingBounds(c.desired, c.min, c.max).maxTotal, `${held(s, tasks)} + ${starts}`);
    }), { numRuns: 500 });
  });

  it('never stops healthy tasks below ceil(desired × minimumHealthyPercent) when they were at or above it', () => {
    fc.assert(fc.property(config, aState, (c, tasks) => {
      const s = rolling(c.desired, c.min, c.max, c.lb);
      const r = reconcile(s, tasks, INSTANCES, T0);
      const stopped = new Set(r.actions.flatMap((a) => (a.type === 'stop' ? [a.taskArn] : [])));
      const before = healthyOf(s, tasks);
      const after = before.filter((t) => !stopped.has(t.taskArn)).length;
      const { minHealthy } = rollingBounds(c.desired, c.min, c.max);
      if (before.length >= minHealthy) assert.ok(after >= minHealthy, `${before.length} → ${after} < ${minHealthy}`);
    }), { numRuns: 500 });
  });

  it('stops only tasks the scheduler still wants running, each once', () => {
    fc.assert(fc.property(config, aState, (c, tasks) => {
      const r = reconcile(rolling(c.desired, c.min, c.max, c.lb), tasks, INSTANCES, T0);
      const arns = r.actions.flatMap((a) => (a.type === 'stop' ? [a.taskArn] : []));
      assert.equal(new Set(arns).size, arns.length);
      for (const a of arns) {
        const t = tasks.find((x) => x.taskArn === a)!;
        assert.ok(t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING');
      }
    }), { numRuns: 300 });
  });
});

/** A tiny deterministic generator for the simulation's coin flips. */
function lcg(seed: number): () => number {
  let x = (seed >>> 0) || 1;
  return () => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x / 2 ** 32; };
}

describe('rollout simulation: reconcile → apply → reconcile', () => {
  const scenario = fc.record({
    desired: fc.integer({ min: 1, max: 12 }), min: fc.integer({ min: 0, max: 100 }), max: fc.integer({ min: 100, max: 200 }),
    quality: fc.constantFrom('good', 'bad', 'flaky'), breaker: fc.boolean(), rollback: fc.boolean(), seed: fc.integer(),
  }).filter((s) => {
    const b = rollingBounds(s.desired, s.min, s.max);
    return b.maxTotal > s.desired || b.minHealthy < s.desired; // otherwise ECS stalls too (see the rolling tests)
  }).map((s) => ({ ...s, breaker: s.breaker || s.quality !== 'good' }));

  it('always completes the rollout, or trips the circuit breaker, within a bounded number of steps', () => {
    fc.assert(fc.property(scenario, (sc) => simulate(sc)), { numRuns: 300 });
  });
});

interface Scenario { desired: number; min: number; max: number; quality: string; breaker: boolean; rollback: boolean; seed: number }

/**
 * Drives one rollout from revision 1 (COMPLETED, all tasks healthy) to revision 2: each step
 * reconciles, applies the actions (stops land one step later; a started task is RUNNING and
 * healthy one step later, or fails to start when revision 2 is bad or flaky), and moves the clock.
 */
function simulate(sc: Scenario): void {
  const random = lcg(sc.seed);
  let svc = rolling(sc.desired, sc.min, sc.max, false);
  svc = { ...svc, deploymentConfiguration: { ...svc.deploymentConfiguration, deploymentCircuitBreaker: { enable: sc.breaker, rollback: sc.rollback } } };
  let now = T0;
  let k = 0;
  let tasks: (ServiceTask & { td: string; seenStopped?: boolean })[] = Array.from({ length: sc.desired }, () => ({
    taskArn: `arn:task/c/old${k++}`, td: 'td:1', lastStatus: 'RUNNING' as const, desiredStatus: 'RUNNING' as const,
    createdAt: T0 - 3_600_000, startedAt: T0 - 3_600_000, startedBy: OLD,
  }));
  const fails = (td: string): boolean => td === 'td:2' && (sc.quality === 'bad' || (sc.quality === 'flaky' && random() < 0.3));
  let tripped = false;
  for (let step = 0; step < 400; step++) {
    const r = reconcile(svc, tasks, [], now);
    svc = r.service;
    tripped ||= r.events.some((e) => e.message.endsWith('deployment failed: tasks failed to start.'));
    const p = primaryOf(svc)!;
    const live = tasks.filter((t) => t.lastStatus !== 'STOPPED').length;
    const starts = startCount(r.actions);
    if (starts > 0) assert.ok(live + starts <= rollingBounds(sc.desired, sc.min, sc.max).maxTotal, 'maximumPercent exceeded');
    if (r.actions.length === 0 && svc.deployments.length === 1 && p.rolloutState === 'COMPLETED') {
      assert.equal(tasks.filter((t) => t.lastStatus === 'RUNNING').length, sc.desired);
      if (sc.quality === 'bad') assert.ok(tripped && sc.rollback, 'a bad revision can only end by rolling back');
      if (tripped && sc.rollback) assert.equal(p.taskDefinition, 'td:1', 'rolled back to the last completed revision');
      return;
    }
    if (tripped && !sc.rollback && r.actions.length === 0) {
      assert.equal(p.rolloutState, 'FAILED');
      return; // stalled, as ECS leaves it; the old tasks keep running
    }
    // Apply: stops take one step, starts run (or fail) one step later.
    tasks = tasks.filter((t) => !(t.lastStatus === 'STOPPED' && t.seenStopped)).map((t) => {
      if (t.lastStatus === 'STOPPED') return { ...t, seenStopped: true };
      if (t.desiredStatus === 'STOPPED') return { ...t, lastStatus: 'STOPPED' as const, stoppedAt: now, stopCode: t.stopCode ?? 'ServiceSchedulerInitiated' };
      if (t.lastStatus === 'PROVISIONING') {
        return fails(t.td)
          ? { ...t, lastStatus: 'STOPPED' as const, desiredStatus: 'STOPPED' as const, stoppedAt: now, stopCode: 'TaskFailedToStart' }
          : { ...t, lastStatus: 'RUNNING' as const, startedAt: now };
      }
      return t;
    });
    for (const a of r.actions) {
      if (a.type === 'stop') tasks = tasks.map((t) => (t.taskArn === a.taskArn ? { ...t, desiredStatus: 'STOPPED' as const } : t));
      else {
        const made = Array.from({ length: a.count }, () => ({
          taskArn: `arn:task/c/n${k++}`, td: a.taskDefinition, lastStatus: 'PROVISIONING' as const, desiredStatus: 'RUNNING' as const,
          createdAt: now, startedBy: a.deploymentId,
        }));
        tasks.push(...made);
        svc = recordStarted(svc, made.map((t) => t.taskArn), now);
      }
    }
    now = Math.max(now + 45_000, r.actions.length === 0 && r.wakeAt !== undefined ? r.wakeAt : 0);
  }
  assert.fail(`no outcome after 400 steps: ${JSON.stringify(svc.deployments.map((d) => [d.id, d.status, d.rolloutState, d.failedTasks]))}`);
}
