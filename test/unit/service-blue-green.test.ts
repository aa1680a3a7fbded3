import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hookIdOf } from '../../src/ecs/service/blue-green.js';
import type { ServiceTask } from '../../src/ecs/service/health.js';
import {
  newService, primaryOf, productionShare, productionSide, startDeployment, testShare,
  type DeploymentStrategy, type LifecycleHookRecord, type ServiceRecord,
} from '../../src/ecs/service/model.js';
import { reconcile, type Action } from '../../src/ecs/service/reconcile.js';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const LB = {
  targetGroupArn: 'arn:tg/blue', containerName: 'web', containerPort: 80,
  advancedConfiguration: { alternateTargetGroupArn: 'arn:tg/green', productionListenerRule: 'arn:rule/prod', testListenerRule: 'arn:rule/test', roleArn: 'arn:role/ecs' },
};

function service(o: { desired?: number; bake?: number; hooks?: LifecycleHookRecord[]; breaker?: boolean; strategy?: DeploymentStrategy; linear?: { stepPercent: number; stepBakeTimeInMinutes: number }; canary?: { canaryPercent: number; canaryBakeTimeInMinutes: number } } = {}): ServiceRecord {
  // Hooks are given to the deployment under test (deployed()), not to the service's first one.
  return newService({
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/c/web', serviceName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
    taskDefinition: 'arn:td/web:1', desiredCount: o.desired ?? 3, now: T0, loadBalancers: [LB],
    deploymentConfiguration: {
      strategy: o.strategy ?? 'BLUE_GREEN', bakeTimeInMinutes: o.bake ?? 5,
      ...(o.linear ? { linearConfiguration: o.linear } : {}),
      ...(o.canary ? { canaryConfiguration: o.canary } : {}),
      ...(o.breaker ? { deploymentCircuitBreaker: { enable: true, rollback: true } } : {}),
    },
  });
}

/**
 * A small world: tasks start RUNNING and healthy at once (healthy in the target group) unless
 * the revision is `failing` (then they stop before RUNNING); stops happen at once; the load
 * balancer's rules follow what the controller would steer them to.
 */
class World {
  tasks: ServiceTask[] = [];
  svc: ServiceRecord;
  now = T0;
  /** The share (percent) of test and production traffic the rules give the alternate target group. */
  alternate = { test: 0, production: 0 };
  /** Where most of each kind of traffic goes. */
  get rules(): { test: 'primary' | 'alternate'; production: 'primary' | 'alternate' } {
    const side = (share: number): 'primary' | 'alternate' => (share > 50 ? 'alternate' : 'primary');
    return { test: side(this.alternate.test), production: side(this.alternate.production) };
  }
  failing = new Set<string>();
  maxTasks = 0;
  /** The alternate group's production share after each pass. */
  productionHistory: number[] = [];
  private n = 0;
  constructor(s: ServiceRecord) { this.svc = s; }

  pass(): ReturnType<typeof reconcile> {
    const side = primaryOf(this.svc)?.side ?? 'primary';
    const toPrimary = (alt: number): number => (side === 'alternate' ? alt : 100 - alt);
    const r = reconcile(this.svc, this.tasks, [], this.now, { test: toPrimary(this.alternate.test), production: toPrimary(this.alternate.production) });
    this.svc = r.service;
    this.tasks = this.tasks.filter((t) => t.lastStatus !== 'STOPPED');
    for (const a of r.actions) this.apply(a);
    // The controller steers the rules after storing the pass.
    const now = primaryOf(this.svc)?.side ?? 'primary';
    const toAlternate = (share: number): number => (now === 'alternate' ? share : 100 - share);
    this.alternate = { test: toAlternate(testShare(this.svc)), production: toAlternate(productionShare(this.svc)) };
    this.productionHistory.push(this.alternate.production);
    this.maxTasks = Math.max(this.maxTasks, this.tasks.filter((t) => t.lastStatus !== 'STOPPED').length);
    return r;
  }

  apply(a: Action): void {
    if (a.type === 'stop') {
      const t = this.tasks.find((x) => x.taskArn === a.taskArn)!;
      Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: a.stopCode, stoppedReason: a.reason });
      return;
    }
    for (let i = 0; i < a.count; i++) {
      this.n++;
      const fail = this.failing.has(a.taskDefinition);
      this.tasks.push({
        taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/${a.deploymentId.slice(-4)}-${this.n}`, startedBy: a.deploymentId,
        lastStatus: fail ? 'STOPPED' : 'RUNNING', desiredStatus: fail ? 'STOPPED' : 'RUNNING', createdAt: this.now,
        ...(fail ? { stopCode: 'TaskFailedToStart' as const, stoppedReason: 'CannotPullContainerError' } : { startedAt: this.now, targetHealth: 'healthy' as const }),
      });
    }
  }

  /** Passes until nothing changes (at most `max`), advancing the clock by `step` each time. */
  settle(step = 1000, max = 50): void {
    for (let i = 0; i < max; i++) {
      const before = JSON.stringify([this.svc.deployments, this.tasks]);
      this.pass();
      this.now += step;
      if (JSON.stringify([this.svc.deployments, this.tasks]) === before) return;
    }
  }

  of(deploymentId: string): ServiceTask[] { return this.tasks.filter((t) => t.startedBy === deploymentId && t.lastStatus !== 'STOPPED'); }
}

/** A world whose first deployment has completed with 3 blue tasks, and a second deployment (green) just started. */
function deployed(o: Parameters<typeof service>[0] = {}): { w: World; blue: string; green: string } {
  const w = new World(service(o));
  w.settle();
  const blue = primaryOf(w.svc)!;
  assert.equal(blue.rolloutState, 'COMPLETED');
  if (o.hooks) w.svc = { ...w.svc, deploymentConfiguration: { ...w.svc.deploymentConfiguration, lifecycleHooks: o.hooks } };
  w.svc = startDeployment(w.svc, { id: 'ecs-svc/2000000000000000002', taskDefinition: 'arn:td/web:2', now: w.now });
  return { w, blue: blue.id, green: 'ecs-svc/2000000000000000002' };
}

describe('blue/green deployments (pure core)', () => {
  it('runs a first deployment through its stages without a bake (there is no blue) and completes', () => {
    const w = new World(service());
    w.settle();
    const p = primaryOf(w.svc)!;
    assert.equal(p.rolloutState, 'COMPLETED');
    assert.equal(p.blueGreen?.stage, 'CLEAN_UP');
    assert.equal(w.of(p.id).length, 3);
    assert.equal(productionSide(w.svc), 'primary');
  });

  it('starts green in full on the other side, shifts test then production traffic, bakes, then stops blue', () => {
    const { w, blue, green } = deployed({ bake: 5 });
    const g = primaryOf(w.svc)!;
    assert.equal(g.side, 'alternate');
    assert.equal(g.blueGreen?.blueSide, 'primary');

    const r1 = w.pass();
    assert.equal(primaryOf(w.svc)!.blueGreen?.stage, 'SCALE_UP');
    assert.deepEqual(r1.actions.map((a) => a.type), ['start']);
    assert.equal(r1.actions[0]!.type === 'start' && r1.actions[0].count, 3, 'green starts in full, beside blue');
    assert.equal(w.rules.production, 'primary');

    w.now += 1000;
    w.settle(1000, 10);
    // Green is healthy and carries test and production traffic; blue still runs, baking.
    assert.equal(primaryOf(w.svc)!.blueGreen?.stage, 'BAKE_TIME');
    assert.deepEqual(w.rules, { test: 'alternate', production: 'alternate' });
    assert.equal(w.of(blue).length, 3);
    assert.equal(w.of(green).length, 3);
    const r = w.pass();
    assert.ok(r.wakeAt !== undefined && r.wakeAt > w.now, 'wakes up at the end of the bake');

    w.now = r.wakeAt!;
    w.settle();
    const done = primaryOf(w.svc)!;
    assert.equal(done.id, green);
    assert.equal(done.rolloutState, 'COMPLETED');
    assert.equal(done.blueGreen?.stage, 'CLEAN_UP');
    assert.equal(w.of(blue).length, 0);
    assert.equal(w.svc.deployments.length, 1);
    assert.equal(w.maxTasks, 6);
    assert.equal(productionSide(w.svc), 'alternate');
  });

  it('a second blue/green deployment goes back to the primary target groups', () => {
    const { w } = deployed({ bake: 0 });
    w.settle();
    assert.equal(productionSide(w.svc), 'alternate');
    w.svc = startDeployment(w.svc, { id: 'ecs-svc/3000000000000000003', taskDefinition: 'arn:td/web:3', now: w.now });
    assert.equal(primaryOf(w.svc)!.side ?? 'primary', 'primary');
    w.settle();
    assert.equal(primaryOf(w.svc)!.rolloutState, 'COMPLETED');
    assert.equal(productionSide(w.svc), 'primary');
    assert.deepEqual(w.rules, { test: 'primary', production: 'primary' });
  });

  it('holds a traffic shift until the load balancer routes to green', () => {
    const { w } = deployed();
    w.settle(1000, 10);
    const stuck = { ...w };
    // A controller that could not shift: the rule still routes to blue.
    const side = primaryOf(w.svc)!.side;
    const svc = { ...w.svc, deployments: w.svc.deployments.map((d) => (d.status === 'PRIMARY' ? { ...d, blueGreen: { ...d.blueGreen!, stage: 'TEST_TRAFFIC_SHIFT' as const } } : d)) };
    const r = reconcile(svc, stuck.tasks, [], w.now, { test: 0, production: 0 });
    assert.equal(primaryOf(r.service)!.blueGreen?.stage, 'TEST_TRAFFIC_SHIFT');
    assert.equal(side, 'alternate');
  });

  it('pauses at a PAUSE hook until continued, and a timed-out hook rolls back', () => {
    const hooks: LifecycleHookRecord[] = [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 10, action: 'ROLLBACK' } }];
    const { w, blue, green } = deployed({ hooks });
    w.settle(1000, 20);
    const g = primaryOf(w.svc)!;
    assert.equal(g.blueGreen?.stage, 'POST_SCALE_UP');
    assert.equal(g.blueGreen?.paused?.hookId, hookIdOf(green, 'POST_SCALE_UP', 0, g.blueGreen!.stageAt));
    assert.equal(w.rules.production, 'primary', 'no traffic moved while paused');

    w.now += 11 * MIN;
    w.settle();
    const p = primaryOf(w.svc)!;
    assert.equal(p.id, blue, 'rolled back to the blue deployment');
    assert.equal(p.rolloutState, 'COMPLETED');
    assert.equal(w.of(green).length, 0);
    assert.equal(w.of(blue).length, 3);
    assert.deepEqual(w.rules, { test: 'primary', production: 'primary' });
    assert.match(w.svc.events.map((e) => e.message).join('\n'), /rolling back to deployment/);
  });

  it('a hook continued by ContinueServiceDeployment (paused cleared) carries on', () => {
    const hooks: LifecycleHookRecord[] = [{ targetType: 'PAUSE', lifecycleStages: ['PRE_SCALE_UP'] }];
    const { w, green } = deployed({ hooks, bake: 0 });
    w.settle(1000, 5);
    assert.equal(primaryOf(w.svc)!.blueGreen?.stage, 'PRE_SCALE_UP');
    assert.equal(w.of(green).length, 0, 'green does not start while paused before scale-up');
    w.svc = { ...w.svc, deployments: w.svc.deployments.map((d) => (d.id === green ? { ...d, blueGreen: { stage: d.blueGreen!.stage, stageAt: d.blueGreen!.stageAt, blueSide: d.blueGreen!.blueSide } } : d)) };
    w.settle();
    assert.equal(primaryOf(w.svc)!.id, green);
    assert.equal(primaryOf(w.svc)!.rolloutState, 'COMPLETED');
  });

  it('a green revision that fails to start trips the circuit breaker and rolls back without touching blue', () => {
    const { w, blue, green } = deployed({ breaker: true });
    w.failing.add('arn:td/web:2');
    const blueTasks = w.of(blue).map((t) => t.taskArn);
    w.settle(1000, 30);
    const p = primaryOf(w.svc)!;
    assert.equal(p.id, blue);
    assert.equal(p.rolloutState, 'COMPLETED');
    assert.deepEqual(w.of(blue).map((t) => t.taskArn), blueTasks, 'blue kept running throughout');
    assert.equal(w.of(green).length, 0);
    assert.deepEqual(w.rules, { test: 'primary', production: 'primary' });
  });

  it('RECONCILE_SERVICE stops an interrupted green before a new deployment starts', () => {
    const { w, green } = deployed({ bake: 60 });
    w.pass(); // green is scaling up, blue still carries all traffic
    assert.ok(w.of(green).length > 0);
    w.svc = startDeployment(w.svc, { id: 'ecs-svc/4000000000000000004', taskDefinition: 'arn:td/web:4', now: w.now });
    const third = primaryOf(w.svc)!;
    assert.equal(third.blueGreen?.stage, 'RECONCILE_SERVICE');
    w.pass();
    assert.equal(w.of(green).length, 0, 'the interrupted green is stopped');
  });

  it('LINEAR shifts production traffic in equal steps, a step bake apart, then bakes and cleans up', () => {
    const { w, green } = deployed({ strategy: 'LINEAR', linear: { stepPercent: 30, stepBakeTimeInMinutes: 2 }, bake: 1 });
    // Each pass advances the clock a second; the step bakes are minutes: jump to each wake-up.
    for (let i = 0; i < 40 && primaryOf(w.svc)!.rolloutState !== 'COMPLETED'; i++) {
      const r = w.pass();
      w.now = Math.max(w.now + 1000, r.wakeAt ?? 0);
    }
    const p = primaryOf(w.svc)!;
    assert.equal(p.id, green);
    assert.equal(p.rolloutState, 'COMPLETED');
    const steps = [...new Set(w.productionHistory)];
    assert.deepEqual(steps, [0, 30, 60, 90, 100], `production shares seen: ${w.productionHistory.join(' ')}`);
  });

  it('CANARY shifts its percent first, then the rest after the canary bake', () => {
    const { w } = deployed({ strategy: 'CANARY', canary: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 3 }, bake: 0 });
    let canaryAt: number | undefined;
    let fullAt: number | undefined;
    for (let i = 0; i < 40 && primaryOf(w.svc)!.rolloutState !== 'COMPLETED'; i++) {
      const r = w.pass();
      if (w.alternate.production === 12.5 && canaryAt === undefined) canaryAt = w.now;
      if (w.alternate.production === 100 && fullAt === undefined) fullAt = w.now;
      w.now = Math.max(w.now + 1000, r.wakeAt ?? 0);
    }
    assert.equal(primaryOf(w.svc)!.rolloutState, 'COMPLETED');
    assert.deepEqual([...new Set(w.productionHistory)], [0, 12.5, 100]);
    assert.ok(canaryAt !== undefined && fullAt !== undefined && fullAt - canaryAt >= 3 * MIN, 'the rest waits for the canary bake');
  });
});
