import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceTargets } from '../../src/ecs/scheduler/service-targets.js';
import type { ServiceInstance, ServiceTask } from '../../src/ecs/service/health.js';
import type { TaskRecord } from '../../src/ecs/task/record.js';
import { newService, type ServiceRecord } from '../../src/ecs/service/model.js';
import type { Action } from '../../src/ecs/service/reconcile.js';
import {
  computedDesiredCount, drainTaskSet, hasLoadBalancers, loadBalancersFor, makePrimary, newTaskSet, reconcileTaskSets, recordTaskSetLaunchFailures,
  recordTaskSetStarted, rescaled, withTaskSet, type TaskSetRecord,
} from '../../src/ecs/service/task-sets.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const SVC = 'arn:aws:ecs:us-east-1:123456789012:service/c/web';
const A = 'ecs-svc/1000000000000000001';
const B = 'ecs-svc/2000000000000000002';

function set(id: string, scale: number, desired: number, o: Partial<TaskSetRecord> = {}): TaskSetRecord {
  return { ...newTaskSet({ id, serviceArn: SVC, serviceDesiredCount: desired, now: T0, taskDefinition: `arn:td/${id.slice(-1)}`, scale: { value: scale, unit: 'PERCENT' }, loadBalancers: [], serviceRegistries: [], launchType: 'EC2' }), ...o };
}

/** An EXTERNAL service with the given desired count and task sets. */
function service(desiredCount: number, sets: TaskSetRecord[], o: Partial<ServiceRecord> = {}): ServiceRecord {
  const s = newService({ serviceArn: SVC, serviceName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c', taskDefinition: '', desiredCount, now: T0 });
  return { ...s, deploymentController: { type: 'EXTERNAL' }, deployments: [], taskSets: sets, ...o };
}

let n = 0;
function task(startedBy: string, o: Partial<ServiceTask> = {}): ServiceTask {
  n++;
  return {
    taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/t${n}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING',
    createdAt: T0 - 10 * MIN + n, startedAt: T0 - 10 * MIN + n, startedBy, containerInstanceArn: 'i-1', ...o,
  };
}
const tasks = (startedBy: string, k: number, o: Partial<ServiceTask> = {}): ServiceTask[] => Array.from({ length: k }, () => task(startedBy, o));
const inst: ServiceInstance[] = [{ id: 'i-1', status: 'ACTIVE', connected: true }];
const starts = (a: Action[]): Extract<Action, { type: 'start' }>[] => a.filter((x): x is Extract<Action, { type: 'start' }> => x.type === 'start');
const stops = (a: Action[]): Extract<Action, { type: 'stop' }>[] => a.filter((x): x is Extract<Action, { type: 'stop' }> => x.type === 'stop');
const setOf = (s: ServiceRecord, id: string): TaskSetRecord => s.taskSets!.find((t) => t.id === id)!;

describe('task sets: computed desired count', () => {
  const rows: [string, number, number, number][] = [
    ['the whole service at 100 %', 4, 100, 4],
    ['half of an even count', 4, 50, 2],
    ['rounds 1.2 up to 2 (ECS\'s own example)', 12, 10, 2],
    ['a third of 3 is 1, not 2 through a floating-point residue', 3, 100 / 3, 1],
    ['0 % runs nothing', 5, 0, 0],
    ['a service scaled to 0 runs nothing whatever the scale', 0, 100, 0],
  ];
  for (const [name, desired, scale, want] of rows) it(name, () => assert.equal(computedDesiredCount(desired, scale), want));
});

describe('task sets: records', () => {
  it('a new set is ACTIVE and STABILIZING, named under the service\'s task-set ARN', () => {
    const t = set(A, 50, 4);
    assert.equal(t.status, 'ACTIVE');
    assert.equal(t.stabilityStatus, 'STABILIZING');
    assert.equal(t.computedDesiredCount, 2);
    assert.equal(t.taskSetArn, `arn:aws:ecs:us-east-1:123456789012:task-set/c/web/${A}`);
  });

  it('UpdateServicePrimaryTaskSet makes one set PRIMARY, demotes the former one, and gives the service its options', () => {
    const s0 = service(2, [set(A, 100, 2, { status: 'PRIMARY' }), set(B, 100, 2, { networkConfiguration: { awsvpcConfiguration: { subnets: ['s-1'] } } })]);
    const s = makePrimary(s0, B, T0 + MIN);
    assert.deepEqual(s.taskSets!.map((t) => t.status), ['ACTIVE', 'PRIMARY']);
    assert.equal(s.taskDefinition, 'arn:td/2');
    assert.deepEqual(s.networkConfiguration, { awsvpcConfiguration: { subnets: ['s-1'] } });
    assert.equal(setOf(s, B).updatedAt, T0 + MIN);
  });

  it('a new scale or desired count changes computedDesiredCount and makes the set STABILIZING', () => {
    const steady = set(A, 100, 2, { stabilityStatus: 'STEADY_STATE' });
    const t = rescaled({ desiredCount: 2 }, { ...steady, scale: { value: 50, unit: 'PERCENT' } }, T0 + MIN);
    assert.deepEqual([t.computedDesiredCount, t.stabilityStatus, t.stabilityStatusAt], [1, 'STABILIZING', T0 + MIN]);
  });

  it('a task\'s target groups are its task set\'s when the service is EXTERNAL', () => {
    const lb = { targetGroupArn: 'arn:tg/green', containerName: 'web', containerPort: 80 };
    const s = service(1, [set(A, 100, 1), set(B, 100, 1, { loadBalancers: [lb] })]);
    assert.deepEqual(loadBalancersFor(s, B), [lb]);
    assert.deepEqual(loadBalancersFor(s, A), []);
    assert.equal(hasLoadBalancers(s), true);
  });
});

describe('reconcileTaskSets', () => {
  it('starts each set\'s computed desired count, with the set id as the deployment id', () => {
    const r = reconcileTaskSets(service(4, [set(A, 100, 4), set(B, 50, 4)]), [], inst, T0);
    assert.deepEqual(starts(r.actions), [
      { type: 'start', deploymentId: A, taskDefinition: 'arn:td/1', count: 4 },
      { type: 'start', deploymentId: B, taskDefinition: 'arn:td/2', count: 2 },
    ]);
    assert.ok(r.service.taskSets!.every((t) => t.stabilityStatus === 'STABILIZING'));
  });

  it('runs nothing for a set at scale 0 (ECS\'s default) and calls it steady', () => {
    const r = reconcileTaskSets(service(3, [set(A, 0, 3)]), [], inst, T0);
    assert.deepEqual(r.actions, []);
    assert.equal(setOf(r.service, A).stabilityStatus, 'STEADY_STATE');
    assert.deepEqual(r.service.events.map((e) => e.message), ['(service web) has reached a steady state.']);
  });

  it('counts running and pending tasks per set and for the service, and reaches a steady state', () => {
    const s = service(2, [set(A, 100, 2)]);
    const ts = tasks(A, 2);
    const r = reconcileTaskSets(s, ts, inst, T0);
    assert.deepEqual(r.actions, []);
    const t = setOf(r.service, A);
    assert.deepEqual([t.runningCount, t.pendingCount, t.stabilityStatus, t.stabilityStatusAt], [2, 0, 'STEADY_STATE', T0]);
    assert.deepEqual([r.service.runningCount, r.service.pendingCount], [2, 0]);
    assert.equal(r.events[0]!.message, '(service web) has reached a steady state.');
    // The next pass says nothing new.
    assert.deepEqual(reconcileTaskSets(r.service, ts, inst, T0 + 1000).events, []);
  });

  it('is not steady while a task is pending or not yet healthy (40 s after RUNNING without checks), and wakes up then', () => {
    const s = service(2, [set(A, 100, 2)]);
    const r = reconcileTaskSets(s, [task(A), task(A, { startedAt: T0 - 10_000 })], inst, T0);
    assert.equal(setOf(r.service, A).stabilityStatus, 'STABILIZING');
    assert.equal(r.wakeAt, T0 + 30_000);
    const p = reconcileTaskSets(s, [task(A), task(A, { lastStatus: 'PENDING', startedAt: undefined })], inst, T0);
    assert.deepEqual([setOf(p.service, A).runningCount, setOf(p.service, A).pendingCount], [1, 1]);
  });

  it('replaces a task that stopped, one on a lost instance and one failing its container health check', () => {
    const s = service(3, [set(A, 100, 3)]);
    const lost = task(A, { containerInstanceArn: 'i-gone' });
    const sick = task(A, { containerHealthCheck: true, healthStatus: 'UNHEALTHY' });
    const r = reconcileTaskSets(s, [task(A), lost, sick, task(A, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' })], inst, T0);
    assert.deepEqual(stops(r.actions).map((x) => [x.taskArn, x.reason]), [
      [lost.taskArn, 'Container instance is no longer connected'],
      [sick.taskArn, 'Task failed container health checks'],
    ]);
    assert.equal(starts(r.actions)[0]!.count, 2);
    assert.match(r.service.events.find((e) => /stopped/.test(e.message))!.message, /^\(service web\) has stopped 2 running tasks: \(task t\d+\) \(task t\d+\)\.$/);
  });

  it('scales a set in by stopping its newest tasks first', () => {
    const s = service(4, [set(A, 50, 4)]);
    const ts = tasks(A, 4);
    const r = reconcileTaskSets(s, ts, inst, T0);
    assert.deepEqual(stops(r.actions).map((x) => x.taskArn), [ts[3]!.taskArn, ts[2]!.taskArn]);
    assert.equal(stops(r.actions)[0]!.reason, `Scaling activity initiated by (deployment ${A})`);
    assert.deepEqual(starts(r.actions), []);
  });

  it('replaces a task on a DRAINING instance first, then stops it', () => {
    const s = service(1, [set(A, 100, 1)]);
    const moving = task(A, { containerInstanceArn: 'i-2' });
    const both: ServiceInstance[] = [...inst, { id: 'i-2', status: 'DRAINING', connected: true }];
    const r1 = reconcileTaskSets(s, [moving], both, T0);
    assert.deepEqual([starts(r1.actions)[0]!.count, stops(r1.actions).length], [1, 0]);
    const r2 = reconcileTaskSets(r1.service, [moving, task(A)], both, T0 + MIN);
    assert.deepEqual(stops(r2.actions).map((x) => [x.taskArn, x.reason]), [[moving.taskArn, 'Container instance is DRAINING']]);
  });

  it('stops every task of a DRAINING set, and drops the set once none is left', () => {
    const s = service(2, [set(A, 100, 2, { status: 'PRIMARY' }), drainTaskSet(set(B, 100, 2), T0)]);
    const old = tasks(B, 2);
    const r1 = reconcileTaskSets(s, [...tasks(A, 2), ...old], inst, T0);
    assert.deepEqual(stops(r1.actions).map((x) => x.taskArn), old.map((t) => t.taskArn));
    assert.equal(setOf(r1.service, B).status, 'DRAINING');
    assert.equal(setOf(r1.service, B).computedDesiredCount, 0);
    const gone = old.map((t) => ({ ...t, desiredStatus: 'STOPPED' as const, lastStatus: 'STOPPED' as const, stopCode: 'ServiceSchedulerInitiated' as const }));
    const r2 = reconcileTaskSets(r1.service, [...tasks(A, 2), ...gone], inst, T0 + MIN);
    assert.deepEqual(r2.service.taskSets!.map((t) => t.id), [A]);
    assert.deepEqual(r2.actions, []);
  });

  it('a DRAINING service (DeleteService) stops the tasks of every set', () => {
    const s = service(0, [set(A, 100, 2), set(B, 100, 2)], { status: 'DRAINING' });
    const r = reconcileTaskSets(s, [...tasks(A, 1), ...tasks(B, 1)], inst, T0);
    assert.equal(stops(r.actions).length, 2);
    assert.ok(r.service.taskSets!.every((t) => t.status === 'DRAINING'));
  });

  it('throttles a set whose tasks keep stopping before they run, and records a placement failure', () => {
    const s = service(1, [set(A, 100, 1)]);
    const failed = (k: number): ServiceTask[] => tasks(A, k, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', startedAt: undefined, stopCode: 'TaskFailedToStart' });
    const r = reconcileTaskSets(s, failed(3), inst, T0);
    assert.deepEqual(starts(r.actions), []);
    assert.ok(r.wakeAt !== undefined && r.wakeAt > T0);
    assert.ok(r.service.events.some((e) => e.message === '(service web) is unable to consistently start tasks successfully.'));
    const p = recordTaskSetLaunchFailures(service(1, [set(A, 100, 1)]), A, 1, 'because no container instance met all of its requirements.', T0);
    assert.equal(p.events[0]!.message, '(service web) was unable to place a task because no container instance met all of its requirements.');
    assert.equal(setOf(p, A).scheduler.launchFailures, 1);
  });

  it('names the task set in the event of its started tasks, as ECS does', () => {
    const s = recordTaskSetStarted(service(1, [set(A, 100, 1)]), A, ['arn:aws:ecs:us-east-1:123456789012:task/c/abc'], T0);
    assert.equal(s.events[0]!.message, `(service web, taskSet ${A}) has started 1 tasks: (task abc).`);
  });

  it('leaves services of the ECS controller alone', () => {
    const s = { ...service(1, [set(A, 100, 1)]), deploymentController: { type: 'ECS' as const } };
    assert.deepEqual(reconcileTaskSets(s, [], inst, T0).actions, []);
  });

  it('follows the service\'s desired count: a scale of 50 % of 4 becomes 1 of 2', () => {
    const s = withTaskSet(service(2, [set(A, 50, 4)]), { ...set(A, 50, 4) });
    const r = reconcileTaskSets(s, tasks(A, 2), inst, T0);
    assert.equal(setOf(r.service, A).computedDesiredCount, 1);
    assert.equal(stops(r.actions).length, 1);
  });
});

describe('ServiceTargets with task sets', () => {
  it('registers a task of an EXTERNAL service in its own task set\'s target groups only', async () => {
    const calls: string[] = [];
    const port = {
      register: async (_s: unknown, tg: string, ts: readonly { id: string; port: number }[]) => { calls.push(`register ${tg} ${ts[0]!.id}:${ts[0]!.port}`); },
      deregister: async (_s: unknown, tg: string) => { calls.push(`deregister ${tg}`); },
      health: () => [{ state: 'healthy' }],
      describe: () => ({ targetType: 'ip', attached: true, deregistrationDelaySeconds: 0 }),
      forwardWeights: () => undefined,
      setForwardWeights: async () => {},
    };
    const targets = new ServiceTargets(port, {} as never, () => {}, () => {});
    const blue = { targetGroupArn: 'arn:tg/blue', containerName: 'web', containerPort: 80 };
    const green = { targetGroupArn: 'arn:tg/green', containerName: 'web', containerPort: 80 };
    const s = service(2, [set(A, 100, 2, { loadBalancers: [blue] }), set(B, 100, 2, { loadBalancers: [green] })]);
    const t = (startedBy: string, ip: string) => ({
      taskArn: `arn:task/${ip}`, accountId: '123456789012', region: 'us-east-1', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', startedBy,
      eni: { privateIPv4Address: ip }, containers: [],
    }) as unknown as TaskRecord;
    targets.sync(s, [t(A, '10.0.0.1'), t(B, '10.0.0.2')]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls.sort(), ['register arn:tg/blue 10.0.0.1:80', 'register arn:tg/green 10.0.0.2:80']);
    assert.deepEqual(targets.healthOf(s, t(B, '10.0.0.2')), { targetHealth: 'healthy' });
  });
});
