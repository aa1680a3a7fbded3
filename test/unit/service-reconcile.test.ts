import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServiceInstance, ServiceTask } from '../../src/ecs/service/health.js';
import { newService, primaryOf, startDeployment, type NewService, type ServiceRecord } from '../../src/ecs/service/model.js';
import { reconcile, recordLaunchFailures, recordStarted, STEADY_STATE_REPEAT_MS, type Action } from '../../src/ecs/service/reconcile.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;

function service(o: Partial<NewService> = {}): ServiceRecord {
  return newService({
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/c/web', serviceName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
    taskDefinition: 'arn:td/web:1', desiredCount: 3, now: T0, ...o,
  });
}

/** The same service with a second, PRIMARY deployment of revision 2; the first one is COMPLETED. */
function deploying(s: ServiceRecord): ServiceRecord {
  const first = { ...s.deployments[0]!, rolloutState: 'COMPLETED' as const, rolloutStateReason: `ECS deployment ${s.deployments[0]!.id} completed.` };
  const done = { ...s, deployments: [first], scheduler: { ...s.scheduler, lastCompleted: first } };
  return startDeployment(done, { id: 'ecs-svc/2000000000000000002', taskDefinition: 'arn:td/web:2', now: T0 + MIN });
}

let n = 0;
function task(s: ServiceRecord, o: Partial<ServiceTask> & { dep?: number } = {}): ServiceTask {
  const { dep, ...rest } = o;
  const d = dep === undefined ? primaryOf(s)! : s.deployments[dep]!;
  n++;
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/t${n}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING',
    createdAt: T0 - 10 * MIN + n, startedAt: T0 - 10 * MIN + n, startedBy: d.id, ...rest,
  };
}
const healthy = (s: ServiceRecord, k: number, o: Partial<ServiceTask> & { dep?: number } = {}): ServiceTask[] => Array.from({ length: k }, () => task(s, o));
const starts = (a: Action[]): number => a.reduce((x, y) => x + (y.type === 'start' ? y.count : 0), 0);
const stops = (a: Action[]): Extract<Action, { type: 'stop' }>[] => a.filter((x): x is Extract<Action, { type: 'stop' }> => x.type === 'stop');
const messages = (s: ServiceRecord): string[] => s.events.map((e) => e.message);
const inst = (id: string, o: Partial<ServiceInstance> = {}): ServiceInstance => ({ id, status: 'ACTIVE', connected: true, ...o });

describe('reconcile: desired count (REPLICA)', () => {
  it('starts the desired count for a new service', () => {
    const r = reconcile(service(), [], [], T0);
    assert.deepEqual(r.actions, [{ type: 'start', deploymentId: primaryOf(r.service)!.id, taskDefinition: 'arn:td/web:1', count: 3 }]);
    assert.equal(primaryOf(r.service)!.rolloutState, 'IN_PROGRESS');
  });

  it('completes the deployment and reports a steady state when the desired tasks are healthy', () => {
    const s = service();
    const r = reconcile(s, healthy(s, 3), [], T0);
    assert.deepEqual(r.actions, []);
    const p = primaryOf(r.service)!;
    assert.equal(p.rolloutState, 'COMPLETED');
    assert.equal(p.rolloutStateReason, `ECS deployment ${p.id} completed.`);
    assert.deepEqual(messages(r.service), ['(service web) has reached a steady state.', `(service web) (deployment ${p.id}) deployment completed.`]);
    assert.deepEqual([r.service.runningCount, p.runningCount, p.pendingCount], [3, 3, 0]);
  });

  it('repeats the steady-state event only after six hours', () => {
    const s = service();
    const tasks = healthy(s, 3);
    const a = reconcile(s, tasks, [], T0).service;
    const b = reconcile(a, tasks, [], T0 + 60 * MIN).service;
    assert.equal(b.events.length, 2);
    const c = reconcile(b, tasks, [], T0 + STEADY_STATE_REPEAT_MS);
    assert.equal(c.service.events.length, 3);
    assert.equal(c.events[0]!.message, '(service web) has reached a steady state.');
  });

  it('does not count a task that is not yet 40 s RUNNING (no health check), and wakes up then', () => {
    const s = service({ desiredCount: 1 });
    const t = task(s, { startedAt: T0 - 10_000 });
    const r = reconcile(s, [t], [], T0);
    assert.equal(primaryOf(r.service)!.rolloutState, 'IN_PROGRESS');
    assert.equal(r.wakeAt, T0 + 30_000);
  });

  it('replaces a task that stopped after running, without counting a failure', () => {
    const s = service();
    const r = reconcile(s, [...healthy(s, 2), task(s, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' })], [], T0);
    assert.equal(starts(r.actions), 1);
    assert.equal(primaryOf(r.service)!.failedTasks, 0);
  });

  it('scales in by stopping the newest tasks', () => {
    const s = { ...service(), desiredCount: 2 };
    const tasks = healthy(s, 4);
    const r = reconcile(s, tasks, [], T0);
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [tasks[3]!.taskArn, tasks[2]!.taskArn]);
    assert.equal(stops(r.actions)[0]!.reason, `Scaling activity initiated by (deployment ${primaryOf(s)!.id})`);
    assert.equal(r.service.events[0]!.message, `(service web) has stopped 2 running tasks: (task ${tasks[3]!.taskArn.split('/').pop()}) (task ${tasks[2]!.taskArn.split('/').pop()}).`);
  });

  it('stops everything of a DRAINING (deleted) service', () => {
    const s = { ...service(), status: 'DRAINING' as const };
    const r = reconcile(s, healthy(s, 3), [], T0);
    assert.equal(stops(r.actions).length, 3);
    assert.equal(starts(r.actions), 0);
  });
});

describe('reconcile: replacing tasks', () => {
  it('throttles a task that keeps failing to start', () => {
    const s = service({ desiredCount: 1 });
    const fail = (): ServiceTask => task(s, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', startedAt: undefined, stopCode: 'TaskFailedToStart' });
    const a = reconcile(s, [fail()], [], T0);
    assert.equal(starts(a.actions), 1, 'the first failure is retried at once');
    const b = reconcile(a.service, [fail()], [], T0 + 1000);
    assert.equal(starts(b.actions), 0, 'the second waits');
    assert.equal(b.wakeAt, T0 + 1000 + 10_000);
    assert.equal(starts(reconcile(b.service, [], [], T0 + 11_000).actions), 1);
    const c = reconcile(b.service, [fail()], [], T0 + 11_000);
    assert.equal(c.events[0]?.message, '(service web) is unable to consistently start tasks successfully.');
    assert.equal(primaryOf(c.service)!.failedTasks, 3);
  });

  it('counts a stopped task once, however often it is observed', () => {
    const s = service({ desiredCount: 1 });
    const f = task(s, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', startedAt: undefined, stopCode: 'TaskFailedToStart' });
    const a = reconcile(s, [f], [], T0);
    const b = reconcile(a.service, [f], [], T0 + 1);
    assert.equal(primaryOf(b.service)!.failedTasks, 1);
  });

  it('does not count tasks the scheduler stopped before they ran', () => {
    const s = service({ desiredCount: 1 });
    const r = reconcile(s, [task(s, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', startedAt: undefined, stopCode: 'ServiceSchedulerInitiated' })], [], T0);
    assert.equal(primaryOf(r.service)!.failedTasks, 0);
  });

  it('replaces a task failing its container health check after the grace period', () => {
    const s = { ...service(), healthCheckGracePeriodSeconds: 60 };
    const bad = task(s, { containerHealthCheck: true, healthStatus: 'UNHEALTHY' });
    const r = reconcile(s, [...healthy(s, 2, { containerHealthCheck: true, healthStatus: 'HEALTHY' }), bad], [], T0);
    assert.deepEqual(stops(r.actions), [{ type: 'stop', taskArn: bad.taskArn, reason: 'Task failed container health checks', stopCode: 'ServiceSchedulerInitiated' }]);
    assert.equal(starts(r.actions), 1);
    assert.equal(r.actions.find((a) => a.type === 'start')!.type === 'start' && (r.actions.find((a) => a.type === 'start') as { replacesUnhealthy?: number }).replacesUnhealthy, 1);
    assert.ok(messages(r.service).includes(`(service web) (task ${bad.taskArn.split('/').pop()}) failed container health checks.`));
    assert.equal(primaryOf(r.service)!.failedTasks, 1);
  });

  it('leaves an unhealthy task alone within the grace period', () => {
    const s = { ...service({ desiredCount: 1 }), healthCheckGracePeriodSeconds: 60 };
    const r = reconcile(s, [task(s, { startedAt: T0 - 30_000, containerHealthCheck: true, healthStatus: 'UNHEALTHY' })], [], T0);
    assert.deepEqual(r.actions, []);
    assert.equal(r.wakeAt, T0 + 30_000);
  });

  it('replaces a task failing ELB health checks, naming the target group', () => {
    const s = service({ desiredCount: 1, loadBalancers: [{ targetGroupArn: 'arn:tg/web' }] });
    const r = reconcile(s, [task(s, { targetHealth: 'unhealthy' })], [], T0);
    assert.equal(stops(r.actions)[0]!.reason, 'Task failed ELB health checks in (target-group arn:tg/web)');
  });

  it('starts a replacement first for a task on a DRAINING instance, and stops it once the replacement is healthy', () => {
    const s = service({ desiredCount: 2 });
    const [a, b] = healthy(s, 2, { containerInstanceArn: 'i1' });
    const draining = { ...b!, containerInstanceArn: 'i2' };
    const instances = [inst('i1'), inst('i2', { status: 'DRAINING' })];
    const r1 = reconcile(s, [a!, draining], instances, T0);
    assert.deepEqual([starts(r1.actions), stops(r1.actions).length], [1, 0]);
    const fresh = task(s, { containerInstanceArn: 'i1' });
    const r2 = reconcile(r1.service, [a!, draining, fresh], instances, T0 + MIN);
    assert.deepEqual(stops(r2.actions).map((x) => [x.taskArn, x.reason]), [[draining.taskArn, 'Container instance is DRAINING']]);
  });

  it('stops a PENDING task on a DRAINING instance at once', () => {
    const s = service({ desiredCount: 1 });
    const p = task(s, { lastStatus: 'PENDING', startedAt: undefined, containerInstanceArn: 'i2' });
    const r = reconcile(s, [p], [inst('i2', { status: 'DRAINING' })], T0);
    assert.equal(stops(r.actions)[0]!.taskArn, p.taskArn);
  });

  it('replaces a task whose instance disconnected, and does not let it hold capacity', () => {
    const s = service({ desiredCount: 1, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 } });
    const t = task(s, { containerInstanceArn: 'i1' });
    const r = reconcile(s, [t], [inst('i1', { connected: false })], T0);
    assert.deepEqual([stops(r.actions)[0]!.taskArn, starts(r.actions)], [t.taskArn, 1]);
  });
});

describe('reconcile: rolling deployments', () => {
  it('at 100% / 200% starts the whole new set before stopping anything', () => {
    const s = deploying(service({ desiredCount: 4 }));
    const old = healthy(s, 4, { dep: 1 });
    const r1 = reconcile(s, old, [], T0 + MIN);
    assert.deepEqual([starts(r1.actions), stops(r1.actions).length], [4, 0]);
    const fresh = healthy(s, 4);
    const r2 = reconcile(r1.service, [...old, ...fresh], [], T0 + 2 * MIN);
    assert.equal(starts(r2.actions), 0);
    assert.deepEqual(stops(r2.actions).map((x) => x.taskArn).sort(), old.map((t) => t.taskArn).sort());
    assert.equal(stops(r2.actions)[0]!.reason, 'Scaling activity initiated by (deployment ecs-svc/2000000000000000002)');
    const r3 = reconcile(r2.service, fresh, [], T0 + 3 * MIN);
    assert.deepEqual(r3.service.deployments.map((d) => [d.id, d.rolloutState]), [['ecs-svc/2000000000000000002', 'COMPLETED']]);
  });

  it('at 50% / 100% stops half of the old tasks first and starts none', () => {
    const s = deploying(service({ desiredCount: 4, deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 } }));
    const r = reconcile(s, healthy(s, 4, { dep: 1 }), [], T0 + MIN);
    assert.deepEqual([starts(r.actions), stops(r.actions).length], [0, 2]);
  });

  it('at 100% / 125% of 4 rolls one task at a time', () => {
    const s = deploying(service({ desiredCount: 4, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 125 } }));
    const r = reconcile(s, healthy(s, 4, { dep: 1 }), [], T0 + MIN);
    assert.deepEqual([starts(r.actions), stops(r.actions).length], [1, 0]);
  });

  it('stalls at 100% / 150% of 1, as ECS does (the maximum rounds down to 1)', () => {
    const s = deploying(service({ desiredCount: 1, deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 } }));
    assert.deepEqual(reconcile(s, healthy(s, 1, { dep: 1 }), [], T0 + MIN).actions, []);
  });

  it('stops old tasks that are not healthy at once', () => {
    const s = deploying(service({ desiredCount: 2 }));
    const pending = task(s, { dep: 1, lastStatus: 'PENDING', startedAt: undefined });
    const r = reconcile(s, [...healthy(s, 2, { dep: 1 }), pending], [], T0 + MIN);
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [pending.taskArn]);
  });
});

describe('reconcile: circuit breaker', () => {
  const failing = (s: ServiceRecord, k: number): ServiceTask[] =>
    healthy(s, k, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', startedAt: undefined, stopCode: 'TaskFailedToStart' });

  it('fails the deployment at the threshold and rolls back to the last completed one', () => {
    const base = deploying(service({ desiredCount: 2, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    const old = healthy(base, 2, { dep: 1 });
    const stuck = task(base, { lastStatus: 'PENDING', startedAt: undefined });
    const r = reconcile(base, [...old, ...failing(base, 3), stuck], [], T0 + MIN);
    const [revived, failed] = r.service.deployments;
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [stuck.taskArn], 'the failed deployment is drained');
    assert.deepEqual([revived!.id, revived!.status, revived!.rolloutState, revived!.taskDefinition], [base.deployments[1]!.id, 'PRIMARY', 'IN_PROGRESS', 'arn:td/web:1']);
    assert.deepEqual([failed!.status, failed!.rolloutState, failed!.rolloutStateReason], ['ACTIVE', 'FAILED', 'ECS deployment circuit breaker: tasks failed to start.']);
    assert.equal(r.service.taskDefinition, 'arn:td/web:1');
    const said = r.events.map((e) => e.message);
    const at = said.indexOf(`(service web) rolling back to deployment ${base.deployments[1]!.id}.`);
    assert.deepEqual(said.slice(at, at + 2), [
      `(service web) rolling back to deployment ${base.deployments[1]!.id}.`,
      '(service web) (deployment ecs-svc/2000000000000000002) deployment failed: tasks failed to start.',
    ]);
    const done = reconcile(r.service, old, [], T0 + 2 * MIN);
    assert.deepEqual(done.service.deployments.map((d) => [d.id, d.rolloutState]), [[base.deployments[1]!.id, 'COMPLETED']]);
    assert.equal(done.events[0]!.message, `(service web) has reached a steady state.`);
    assert.equal(done.events[1]!.message, `(service web) (deployment ${base.deployments[1]!.id}) deployment completed.`);
  });

  it('without rollback, leaves the deployment FAILED and launches nothing', () => {
    const base = deploying(service({ desiredCount: 2, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } }));
    const old = healthy(base, 2, { dep: 1 });
    const r = reconcile(base, [...old, ...failing(base, 3)], [], T0 + MIN);
    assert.equal(primaryOf(r.service)!.rolloutState, 'FAILED');
    assert.deepEqual(r.actions, []);
    const again = reconcile(r.service, old, [], T0 + 60 * MIN);
    assert.deepEqual(again.actions, []);
  });

  it('keeps trying when the breaker is off', () => {
    const base = deploying(service({ desiredCount: 2 }));
    const r = reconcile(base, failing(base, 10), [], T0 + MIN);
    assert.equal(primaryOf(r.service)!.rolloutState, 'IN_PROGRESS');
    assert.equal(primaryOf(r.service)!.failedTasks, 10);
  });

  it('resets the failure count when a task of the deployment turns healthy', () => {
    const base = deploying(service({ desiredCount: 2, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    const a = reconcile(base, failing(base, 2), [], T0 + MIN);
    assert.equal(primaryOf(a.service)!.failedTasks, 2);
    const b = reconcile(a.service, healthy(base, 1), [], T0 + 2 * MIN);
    assert.equal(primaryOf(b.service)!.failedTasks, 0);
  });

  it('counts placement failures and trips on them', () => {
    const base = deploying(service({ desiredCount: 2, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }));
    const detail = 'because no container instance met all of its requirements. The closest matching (container-instance i1) has insufficient memory available.';
    // One launch that placed none of its 10 tasks is one failed attempt: no long throttle yet.
    const once = recordLaunchFailures(base, 'ecs-svc/2000000000000000002', 10, detail, T0 + MIN);
    assert.equal(once.deployments.find((d) => d.id === 'ecs-svc/2000000000000000002')!.scheduler.nextLaunchAt, T0 + MIN);
    let s = base;
    for (let i = 0; i < 3; i++) s = recordLaunchFailures(s, 'ecs-svc/2000000000000000002', 1, detail, T0 + MIN + i);
    assert.ok(messages(s).includes(`(service web) was unable to place a task ${detail}`));
    assert.ok(messages(s).includes('(service web) is unable to consistently start tasks successfully.'));
    assert.equal(s.deployments.find((d) => d.id === 'ecs-svc/2000000000000000002')!.rolloutState, 'FAILED');
  });

  it('records started tasks in ECS words', () => {
    const s = recordStarted(service(), ['arn:x/task/c/a', 'arn:x/task/c/b'], T0);
    assert.equal(s.events[0]!.message, '(service web) has started 2 tasks: (task a) (task b).');
  });
});

describe('reconcile: DAEMON', () => {
  const daemon = (o: Partial<NewService> = {}): ServiceRecord => service({ schedulingStrategy: 'DAEMON', ...o });

  it('starts one task on every ACTIVE connected instance, none on DRAINING or disconnected ones', () => {
    const r = reconcile(daemon(), [], [inst('i1'), inst('i2', { status: 'DRAINING' }), inst('i3', { connected: false }), inst('i4')], T0);
    assert.deepEqual(r.actions.map((a) => a.type === 'start' && a.instanceId), ['i1', 'i4']);
    assert.equal(r.service.desiredCount, 2);
  });

  it('follows an instance that joins, and stops the task of one that drains', () => {
    const s = daemon();
    const t1 = task(s, { containerInstanceArn: 'i1' });
    const t2 = task(s, { containerInstanceArn: 'i2' });
    const r = reconcile(s, [t1, t2], [inst('i1'), inst('i2', { status: 'DRAINING' }), inst('i3')], T0);
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [t2.taskArn]);
    assert.deepEqual(r.actions.filter((a) => a.type === 'start').map((a) => a.type === 'start' && a.instanceId), ['i3']);
  });

  it('a DRAINING (deleted) daemon service stops its task on every instance and starts none', () => {
    const s = { ...daemon(), status: 'DRAINING' as const };
    const t1 = task(s, { containerInstanceArn: 'i1' });
    const r = reconcile(s, [t1], [inst('i1'), inst('i2')], T0);
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [t1.taskArn]);
    assert.equal(r.actions.filter((a) => a.type === 'start').length, 0);
  });

  it('stops a second task on the same instance', () => {
    const s = daemon();
    const [a, b] = healthy(s, 2, { containerInstanceArn: 'i1' });
    const r = reconcile(s, [a!, b!], [inst('i1')], T0);
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [b!.taskArn]);
  });

  it('at 0% / 100% stops old tasks at once and starts new ones once they are STOPPED', () => {
    const s = deploying(daemon());
    const ids = ['i1', 'i2', 'i3'];
    const old = ids.map((id) => task(s, { dep: 1, containerInstanceArn: id }));
    const r1 = reconcile(s, old, ids.map((id) => inst(id)), T0 + MIN);
    assert.deepEqual([stops(r1.actions).length, starts(r1.actions)], [3, 0]);
    const gone = old.map((t) => ({ ...t, lastStatus: 'STOPPED' as const, desiredStatus: 'STOPPED' as const, stopCode: 'ServiceSchedulerInitiated' }));
    const r2 = reconcile(r1.service, gone, ids.map((id) => inst(id)), T0 + 2 * MIN);
    assert.deepEqual(r2.actions.map((a) => a.type === 'start' && a.instanceId), ids);
  });

  it('reaches a steady state with one healthy task per instance', () => {
    const s = daemon();
    const r = reconcile(s, [task(s, { containerInstanceArn: 'i1' }), task(s, { containerInstanceArn: 'i2' })], [inst('i1'), inst('i2')], T0);
    assert.deepEqual(r.actions, []);
    assert.equal(r.service.events[0]!.message, '(service web) has reached a steady state.');
  });
});
