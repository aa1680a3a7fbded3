import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureThreshold } from '../../src/ecs/service/circuit-breaker.js';
import * as ev from '../../src/ecs/service/events.js';
import { conditionOf, type ServiceInstance, type ServiceTask } from '../../src/ecs/service/health.js';
import { defaultDeploymentConfiguration, deploymentIdFrom, MAX_SERVICE_EVENTS, type CircuitBreakerConfiguration } from '../../src/ecs/service/model.js';
import { rollingBounds } from '../../src/ecs/service/rolling.js';
import { afterFailures, backoffMs, THROTTLE } from '../../src/ecs/service/throttle.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task/c/0668979337dc48ebb791640cd1162053';

describe('service event messages, in ECS words', () => {
  const rows: { name: string; got: string; want: string }[] = [
    { name: 'started tasks list each task id', got: ev.startedTasks('web', [ARN, 'abc']), want: '(service web) has started 2 tasks: (task 0668979337dc48ebb791640cd1162053) (task abc).' },
    { name: 'started tasks replacing unhealthy ones say so', got: ev.startedTasks('web', ['abc'], 1), want: '(service web) has started 1 tasks: (task abc). Amazon ECS replaced 1 tasks due to an unhealthy status.' },
    { name: 'stopped tasks keep ECS plural', got: ev.stoppedTasks('web', ['a']), want: '(service web) has stopped 1 running tasks: (task a).' },
    { name: 'steady state', got: ev.steadyState('web'), want: '(service web) has reached a steady state.' },
    { name: 'deployment completed', got: ev.deploymentCompleted('web', 'ecs-svc/1675294001379389663'), want: '(service web) (deployment ecs-svc/1675294001379389663) deployment completed.' },
    { name: 'deployment failed', got: ev.deploymentFailed('web', 'ecs-svc/1571272475813219068'), want: '(service web) (deployment ecs-svc/1571272475813219068) deployment failed: tasks failed to start.' },
    { name: 'rolling back', got: ev.rollingBack('web', 'ecs-svc/1675294001379389663'), want: '(service web) rolling back to deployment ecs-svc/1675294001379389663.' },
    { name: 'failed container health checks', got: ev.failedContainerHealthChecks('web', ARN), want: '(service web) (task 0668979337dc48ebb791640cd1162053) failed container health checks.' },
    { name: 'throttled launches', got: ev.unableToConsistentlyStart('web'), want: '(service web) is unable to consistently start tasks successfully.' },
    {
      name: 'placement failure continues with the caller\'s text',
      got: ev.unableToPlaceTask('web', 'because no container instance met all of its requirements.'),
      want: '(service web) was unable to place a task because no container instance met all of its requirements.',
    },
    { name: 'Fargate placement failure', got: ev.unableToPlaceTask('web', '. Reason: ResourceInitializationError: x'), want: '(service web) was unable to place a task. Reason: ResourceInitializationError: x' },
    { name: 'scaling stop reason', got: ev.STOP_REASON.scaling('ecs-svc/1'), want: 'Scaling activity initiated by (deployment ecs-svc/1)' },
    { name: 'ELB stop reason', got: ev.STOP_REASON.elbHealth('arn:tg'), want: 'Task failed ELB health checks in (target-group arn:tg)' },
    { name: 'container health stop reason', got: ev.STOP_REASON.containerHealth, want: 'Task failed container health checks' },
  ];
  for (const r of rows) it(r.name, () => assert.equal(r.got, r.want));

  it('records newest first and keeps the 100 latest', () => {
    let events: ReturnType<typeof ev.recordEvents>['events'] = [];
    for (let i = 0; i < 130; i++) events = ev.recordEvents('s', events, [`m${i}a`, `m${i}b`], 1000 + i).events;
    assert.equal(events.length, MAX_SERVICE_EVENTS);
    assert.equal(events[0]!.message, 'm129b');
    assert.equal(events[1]!.message, 'm129a');
    assert.equal(events[99]!.message, 'm80a');
  });

  it('gives uuid-shaped ids, distinct within a pass and stable on replay', () => {
    const a = ev.recordEvents('s', [], ['x', 'x'], 5).added;
    const b = ev.recordEvents('s', [], ['x', 'x'], 5).added;
    assert.match(a[0]!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a[0]!.id, a[1]!.id);
    assert.deepEqual(a, b);
  });
});

describe('service records', () => {
  it('a REPLICA service defaults to 100 / 200 and no circuit breaker', () => {
    const c = defaultDeploymentConfiguration('REPLICA');
    assert.deepEqual([c.minimumHealthyPercent, c.maximumPercent, c.deploymentCircuitBreaker.enable, c.strategy], [100, 200, false, 'ROLLING']);
  });
  it('a DAEMON service defaults to 0 / 100', () => {
    const c = defaultDeploymentConfiguration('DAEMON');
    assert.deepEqual([c.minimumHealthyPercent, c.maximumPercent], [0, 100]);
  });
  it('given values win over defaults, 0 included', () => {
    assert.equal(defaultDeploymentConfiguration('REPLICA', { minimumHealthyPercent: 0 }).minimumHealthyPercent, 0);
  });
  it('deployment ids are ecs-svc/ and 19 digits, one per seed', () => {
    for (let i = 0; i < 200; i++) assert.match(deploymentIdFrom(`s${i}`), /^ecs-svc\/[1-9]\d{18}$/);
    assert.equal(deploymentIdFrom('a'), deploymentIdFrom('a'));
    assert.notEqual(deploymentIdFrom('a'), deploymentIdFrom('b'));
  });
});

describe('rolling bounds (min rounds up, max rounds down)', () => {
  const rows = [
    { desired: 4, min: 50, max: 200, want: { minHealthy: 2, maxTotal: 8 } },
    { desired: 3, min: 50, max: 150, want: { minHealthy: 2, maxTotal: 4 } }, // 1.5 → 2, 4.5 → 4
    { desired: 1, min: 100, max: 150, want: { minHealthy: 1, maxTotal: 1 } }, // a stalled rollout, as in ECS
    { desired: 7, min: 33, max: 110, want: { minHealthy: 3, maxTotal: 7 } }, // 2.31 → 3, 7.7 → 7
    { desired: 10, min: 100, max: 110, want: { minHealthy: 10, maxTotal: 11 } },
    { desired: 0, min: 100, max: 200, want: { minHealthy: 0, maxTotal: 0 } },
  ];
  for (const r of rows) {
    it(`desired ${r.desired} at ${r.min}% / ${r.max}%`, () => assert.deepEqual(rollingBounds(r.desired, r.min, r.max), r.want));
  }
});

describe('circuit breaker threshold', () => {
  const on: CircuitBreakerConfiguration = { enable: true, rollback: true };
  const rows = [
    { name: 'a single task still allows 3 failures', cb: on, desired: 1, want: 3 },
    { name: 'half of 10 is 5', cb: on, desired: 10, want: 5 },
    { name: 'half of 5 rounds up to 3', cb: on, desired: 5, want: 3 },
    { name: 'half of 9 rounds up to 5', cb: on, desired: 9, want: 5 },
    { name: 'capped at 200', cb: on, desired: 1000, want: 200 },
    { name: 'UNBOUNDED_PERCENT is not capped', cb: { ...on, thresholdConfiguration: { type: 'UNBOUNDED_PERCENT' as const, value: 50 } }, desired: 1000, want: 500 },
    { name: 'COUNT is the value', cb: { ...on, thresholdConfiguration: { type: 'COUNT' as const, value: 7 } }, desired: 1000, want: 7 },
    { name: 'BOUNDED_PERCENT with another value', cb: { ...on, thresholdConfiguration: { type: 'BOUNDED_PERCENT' as const, value: 100 } }, desired: 20, want: 20 },
  ];
  for (const r of rows) it(r.name, () => assert.equal(failureThreshold(r.cb, r.desired), r.want));
});

describe('launch throttling', () => {
  it('retries the first failure at once, then doubles up to 27 minutes', () => {
    assert.deepEqual([1, 2, 3, 4].map(backoffMs), [0, 10_000, 20_000, 40_000]);
    assert.equal(backoffMs(50), 27 * 60_000);
  });
  it('calls the service impaired on the third consecutive failure, then at most hourly', () => {
    let s = { launchFailures: 0, nextLaunchAt: 0 } as Parameters<typeof afterFailures>[0];
    const said: boolean[] = [];
    for (let i = 0; i < 5; i++) { const r = afterFailures(s, 1, 1000 * i); s = r.next; said.push(r.impaired); }
    assert.deepEqual(said, [false, false, true, false, false]);
    assert.equal(afterFailures(s, 1, 2000 + THROTTLE.impairedEventEveryMs).impaired, true);
  });
});

describe('task condition', () => {
  const inst = (o: Partial<ServiceInstance> = {}): ServiceInstance => ({ id: 'i1', status: 'ACTIVE', connected: true, ...o });
  const task = (o: Partial<ServiceTask> = {}): ServiceTask => ({
    taskArn: 't', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', createdAt: 0, startedAt: 0, containerInstanceArn: 'i1', ...o,
  });
  const plain = { loadBalancers: [], healthCheckGracePeriodSeconds: undefined };
  const lb = { loadBalancers: [{ targetGroupArn: 'arn:tg' }], healthCheckGracePeriodSeconds: 30 };
  const rows: { name: string; svc: typeof plain | typeof lb; t: ServiceTask; i?: ServiceInstance[]; now: number; want: string }[] = [
    { name: 'without checks a task counts 40 s after RUNNING', svc: plain, t: task(), now: 40_000, want: 'healthy' },
    { name: 'without checks a task is still starting at 39 s', svc: plain, t: task(), now: 39_999, want: 'starting' },
    { name: 'PENDING is starting', svc: plain, t: task({ lastStatus: 'PENDING', startedAt: undefined }), now: 99_999, want: 'starting' },
    { name: 'a container health check must say HEALTHY', svc: plain, t: task({ containerHealthCheck: true, healthStatus: 'UNKNOWN' }), now: 99_999, want: 'starting' },
    { name: 'HEALTHY counts at once', svc: plain, t: task({ containerHealthCheck: true, healthStatus: 'HEALTHY' }), now: 1, want: 'healthy' },
    { name: 'UNHEALTHY without a grace period is replaced', svc: plain, t: task({ containerHealthCheck: true, healthStatus: 'UNHEALTHY' }), now: 1, want: 'unhealthy' },
    { name: 'an unhealthy target within the grace period is ignored', svc: lb, t: task({ targetHealth: 'unhealthy' }), now: 29_999, want: 'starting' },
    { name: 'an unhealthy target after the grace period is replaced', svc: lb, t: task({ targetHealth: 'unhealthy' }), now: 30_000, want: 'unhealthy' },
    { name: 'with a load balancer the target must be healthy', svc: lb, t: task({ targetHealth: 'initial' }), now: 99_999, want: 'starting' },
    { name: 'a healthy target counts', svc: lb, t: task({ targetHealth: 'healthy' }), now: 1, want: 'healthy' },
    { name: 'a task on a DRAINING instance is draining', svc: plain, t: task(), i: [inst({ status: 'DRAINING' })], now: 99_999, want: 'draining' },
    { name: 'a task on a disconnected instance is lost', svc: plain, t: task(), i: [inst({ connected: false })], now: 99_999, want: 'lost' },
    { name: 'a task on an instance that left is lost', svc: plain, t: task(), i: [], now: 99_999, want: 'lost' },
    { name: 'a Fargate task has no instance to lose', svc: plain, t: task({ containerInstanceArn: undefined }), i: [], now: 99_999, want: 'healthy' },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const m = new Map((r.i ?? [inst()]).map((x) => [x.id, x]));
      assert.equal(conditionOf(r.svc, r.t, m, r.now).kind, r.want);
    });
  }
  it('names the target group in the ELB stop reason', () => {
    const c = conditionOf(lb, task({ targetHealth: 'unhealthy', targetGroupArn: 'arn:tg2' }), new Map([['i1', inst()]]), 30_000);
    assert.deepEqual(c, { kind: 'unhealthy', reason: 'Task failed ELB health checks in (target-group arn:tg2)', container: false });
  });
});
