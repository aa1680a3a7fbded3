import type { Scope } from '../arn.js';
import type { ServiceRecord } from '../service/model.js';
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

  constructor(
    private readonly port: TargetsPort,
    private readonly state: EcsState,
    private readonly log: (line: string) => void,
    /** Called when an asynchronous registration or deregistration settled. */
    private readonly changed: () => void,
  ) {}

  /** The task's target in each of the service's target groups (none before its address is known). */
  targetsOf(s: ServiceRecord, t: TaskRecord): { targetGroupArn: string; target: Target }[] {
    const scope = scopeOf(t);
    const out: { targetGroupArn: string; target: Target }[] = [];
    for (const lb of s.loadBalancers) {
      if (!lb.targetGroupArn || lb.containerPort === undefined) continue;
      if (t.eni) {
        out.push({ targetGroupArn: lb.targetGroupArn, target: { id: t.eni.privateIPv4Address, port: lb.containerPort } });
        continue;
      }
      const binding = t.containers.find((c) => c.name === lb.containerName)?.networkBindings?.find((b) => b.containerPort === lb.containerPort && b.protocol !== 'udp');
      if (!binding?.hostPort) continue;
      const type = this.port.describe(scope, lb.targetGroupArn)?.targetType;
      const instance = t.containerInstanceArn ? this.state.containerInstances.get(t.containerInstanceArn)?.ec2InstanceId : undefined;
      const id = type === 'instance' && instance ? instance : '127.0.0.1';
      out.push({ targetGroupArn: lb.targetGroupArn, target: { id, port: binding.hostPort } });
    }
    return out;
  }

  /** The task's health across the service's target groups, as the scheduler reads it. */
  healthOf(s: ServiceRecord, t: TaskRecord): { targetHealth?: TargetHealth; targetGroupArn?: string } {
    const targets = this.targetsOf(s, t);
    if (!targets.length) return s.loadBalancers.length ? { targetHealth: 'initial' } : {};
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
    if (!s.loadBalancers.length) return;
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
