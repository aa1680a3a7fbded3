import type { Scope } from '../arn.js';
import { otherSide, productionShare, targetGroupOn, testShare, type LoadBalancerRecord, type ServiceRecord, type TrafficSide } from '../service/model.js';
import { hasLoadBalancers, loadBalancersFor } from '../service/task-sets.js';
import type { EcsState } from '../state.js';
import type { TaskRecord } from '../task/record.js';

/**
 * What services need from Elastic Load Balancing (the ELBv2 room, wired by server.ts): register a
 * task as a target, deregister it (it drains), read its health, and check a target group.
 */
export interface TargetsPort {
  register(scope: Scope, targetGroupArn: string, targets: readonly Target[]): Promise<void>;
  deregister(scope: Scope, targetGroupArn: string, targets: readonly Target[]): Promise<void>;
  health(scope: Scope, targetGroupArn: string, targets: readonly Target[]): { state: string; reason?: string }[];
  describe(scope: Scope, targetGroupArn: string): { targetType: string; attached: boolean; deregistrationDelaySeconds: number } | undefined;
  /** Weights of a rule's (or an NLB listener's) forward action by target group; undefined when absent. */
  forwardWeights(scope: Scope, ruleOrListenerArn: string): Record<string, number> | undefined;
  setForwardWeights(scope: Scope, ruleOrListenerArn: string, weights: readonly { targetGroupArn: string; weight: number }[]): Promise<void>;
}

export interface Target { id: string; port: number }

type TargetHealth = 'initial' | 'healthy' | 'unhealthy' | 'unavailable' | 'draining' | 'unused';

/**
 * A service's tasks in its target groups: registered once RUNNING (the ENI's address and the
 * container port for awsvpc tasks; the instance and the host port otherwise), their health read
 * for the scheduler, and, when the scheduler stops one, deregistered first: the task's stop is
 * held back (`stopRequest.holdUntil`, ECS's DEACTIVATING) until it has drained or its
 * deregistration delay is over. That hold is in the task record, so it survives a restart; what
 * was asked of ELB is remembered in memory only, and asking again after a restart is harmless.
 */
export class ServiceTargets {
  private readonly registered = new Set<string>();
  /** Traffic shifts asked of ELB and not settled yet (rule and weights). */
  private readonly shifting = new Set<string>();

  constructor(
    private readonly port: TargetsPort,
    private readonly state: EcsState,
    private readonly log: (line: string) => void,
    /** Called when an asynchronous registration or deregistration settled. */
    private readonly changed: () => void,
  ) {}

  /**
   * The task's target in each of the service's target groups (none before its address is known):
   * per load balancer, the group of its deployment's side (blue/green deployments alternate
   * between `targetGroupArn` and the alternate group). A task whose deployment is gone is looked
   * for on both sides, so it is deregistered wherever it is.
   */
  targetsOf(s: ServiceRecord, t: TaskRecord): { targetGroupArn: string; target: Target }[] {
    const d = s.deployments.find((x) => x.id === t.startedBy);
    const sides: TrafficSide[] = d ? [d.side ?? 'primary'] : ['primary', 'alternate'];
    const out: { targetGroupArn: string; target: Target }[] = [];
    // An EXTERNAL service's task is in its task set's target groups.
    for (const lb of loadBalancersFor(s, t.startedBy)) {
      for (const g of new Set(sides.map((side) => targetGroupOn(lb, side)))) {
        const target = g ? this.targetIn(lb, g, t) : undefined;
        if (target) out.push({ targetGroupArn: g!, target });
      }
    }
    return out;
  }

  private targetIn(lb: LoadBalancerRecord, targetGroupArn: string, t: TaskRecord): Target | undefined {
    if (lb.containerPort === undefined) return undefined;
    if (t.eni) return { id: t.eni.privateIPv4Address, port: lb.containerPort };
    const binding = t.containers.find((c) => c.name === lb.containerName)?.networkBindings?.find((b) => b.containerPort === lb.containerPort && b.protocol !== 'udp');
    if (!binding?.hostPort) return undefined;
    const type = this.port.describe(scopeOf(t), targetGroupArn)?.targetType;
    const instance = t.containerInstanceArn ? this.state.containerInstances.get(t.containerInstanceArn)?.ec2InstanceId : undefined;
    return { id: type === 'instance' && instance ? instance : '127.0.0.1', port: binding.hostPort };
  }

  /**
   * Blue/green traffic: sets the production and test rules of the service's load balancers to
   * forward the share model.ts says (productionShare/testShare follow the PRIMARY deployment's
   * lifecycle stage and traffic steps) to the PRIMARY's side, where they do not already.
   * Level-triggered, so a shift lost to a crash is made on the next pass.
   */
  steerTraffic(s: ServiceRecord): void {
    const side = s.deployments.find((d) => d.status === 'PRIMARY')?.side ?? 'primary';
    const want = { production: productionShare(s), test: testShare(s) };
    for (const { rule, kind, lb } of this.rulesOf(s)) {
      const weights = weightsFor(lb, side, want[kind]);
      const scope = scopeOfService(s);
      if (!weights || this.routes(scope, rule, weights)) continue;
      const key = `${rule} ${JSON.stringify(weights)}`;
      if (this.shifting.has(key)) continue;
      this.shifting.add(key);
      this.port.setForwardWeights(scope, rule, weights)
        .catch((err: unknown) => this.log(`service targets: traffic shift on ${rule}: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => { this.shifting.delete(key); this.changed(); });
    }
  }

  /**
   * The share (percent) of test and production traffic the rules give the PRIMARY deployment's
   * side now, as the load balancers say (the least over its load balancers; 100 where there are none).
   */
  traffic(s: ServiceRecord): { test: number; production: number } {
    const side = s.deployments.find((d) => d.status === 'PRIMARY')?.side ?? 'primary';
    const out = { test: 100, production: 100 };
    for (const { rule, kind, lb } of this.rulesOf(s)) {
      const now = this.port.forwardWeights(scopeOfService(s), rule);
      const on = targetGroupOn(lb, side);
      if (!now || !on) continue;
      const total = Object.values(now).reduce((a, b) => a + b, 0);
      out[kind] = Math.min(out[kind], total > 0 ? ((now[on] ?? 0) * 100) / total : 0);
    }
    return out;
  }

  private rulesOf(s: ServiceRecord): { rule: string; kind: 'test' | 'production'; lb: LoadBalancerRecord }[] {
    const out: { rule: string; kind: 'test' | 'production'; lb: LoadBalancerRecord }[] = [];
    for (const lb of s.loadBalancers) {
      const a = lb.advancedConfiguration;
      if (!a?.alternateTargetGroupArn) continue;
      if (a.productionListenerRule) out.push({ rule: a.productionListenerRule, kind: 'production', lb });
      if (a.testListenerRule) out.push({ rule: a.testListenerRule, kind: 'test', lb });
    }
    return out;
  }

  /** Whether the rule forwards to exactly these groups with these weights (a missing rule counts as routed: nothing to wait for). */
  private routes(scope: Scope, rule: string, weights: readonly { targetGroupArn: string; weight: number }[]): boolean {
    const now = this.port.forwardWeights(scope, rule);
    if (!now) return true;
    return Object.keys(now).length === weights.length && weights.every((w) => now[w.targetGroupArn] === w.weight);
  }

  /** The task's health across the service's target groups, as the scheduler reads it. */
  healthOf(s: ServiceRecord, t: TaskRecord): { targetHealth?: TargetHealth; targetGroupArn?: string } {
    const targets = this.targetsOf(s, t);
    if (!targets.length) return loadBalancersFor(s, t.startedBy).length ? { targetHealth: 'initial' } : {};
    let all: TargetHealth = 'healthy';
    for (const { targetGroupArn, target } of targets) {
      const h = (this.port.health(scopeOf(t), targetGroupArn, [target])[0]?.state ?? 'unavailable') as TargetHealth;
      if (h === 'unhealthy') return { targetHealth: 'unhealthy', targetGroupArn };
      if (h !== 'healthy') all = h;
    }
    return { targetHealth: all };
  }

  /** Registers the RUNNING tasks not registered yet, and deregisters the STOPPED ones. */
  sync(s: ServiceRecord, tasks: readonly TaskRecord[]): void {
    if (!hasLoadBalancers(s)) return;
    for (const t of tasks) {
      const stopped = t.lastStatus === 'STOPPED';
      if (!stopped && (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING')) continue;
      for (const { targetGroupArn, target } of this.targetsOf(s, t)) {
        const key = `${t.taskArn} ${targetGroupArn}`;
        if (stopped) {
          if (this.registered.delete(key)) this.call('deregister', t, targetGroupArn, target);
        } else if (!this.registered.has(key)) {
          this.registered.add(key);
          this.call('register', t, targetGroupArn, target);
        }
      }
    }
  }

  /**
   * A task the scheduler stops: deregistered from its target groups. Answers until when its stop
   * is held back for draining (its groups' longest deregistration delay), or undefined when it is
   * in no target group and may stop at once.
   */
  beginDrain(s: ServiceRecord, t: TaskRecord, now: number): number | undefined {
    const targets = this.targetsOf(s, t);
    if (!targets.length) return undefined;
    for (const { targetGroupArn, target } of targets) {
      this.registered.delete(`${t.taskArn} ${targetGroupArn}`);
      this.call('deregister', t, targetGroupArn, target);
    }
    const delay = Math.max(...targets.map(({ targetGroupArn }) => this.port.describe(scopeOf(t), targetGroupArn)?.deregistrationDelaySeconds ?? 300));
    return now + delay * 1000 + 1000;
  }

  /** Whether a draining task is out of every target group (its deregistration finished). */
  drained(s: ServiceRecord, t: TaskRecord): boolean {
    return this.targetsOf(s, t).every(({ targetGroupArn, target }) => {
      const h = this.port.health(scopeOf(t), targetGroupArn, [target])[0]?.state;
      return h === undefined || h === 'unused';
    });
  }

  private call(op: 'register' | 'deregister', t: TaskRecord, targetGroupArn: string, target: Target): void {
    this.port[op](scopeOf(t), targetGroupArn, [target])
      .catch((err: unknown) => this.log(`service targets: ${op} ${target.id}:${target.port} in ${targetGroupArn}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.changed());
  }
}

const scopeOf = (t: TaskRecord): Scope => ({ accountId: t.accountId, region: t.region });

/**
 * A rule's weights giving `share` percent to `side`'s group and the rest to the other. ALB
 * weights are integers 0–999: a whole shift is 100/0, a partial one is in tenths of a percent
 * out of 1000 (ECS's steps are multiples of 0.1 %).
 */
function weightsFor(lb: LoadBalancerRecord, side: TrafficSide, share: number): { targetGroupArn: string; weight: number }[] | undefined {
  const on = targetGroupOn(lb, side);
  const off = targetGroupOn(lb, otherSide(side));
  if (!on || !off || on === off) return undefined;
  const [w, rest] = share >= 100 ? [100, 0] : share <= 0 ? [0, 100] : [Math.round(share * 10), 1000 - Math.round(share * 10)];
  return [{ targetGroupArn: on, weight: w }, { targetGroupArn: off, weight: rest }];
}
const scopeOfService = (s: ServiceRecord): Scope => ({ accountId: s.serviceArn.split(':')[4]!, region: s.serviceArn.split(':')[3]! });
