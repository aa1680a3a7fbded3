import type { Elbv2 } from './api/operation.js';
import { planDeregister, planRegister, rememberNames, targetHealth, type TargetHealthView } from './api/targets.js';
import { findTargetGroup, loadTargetGroup } from './api/operation.js';
import type { Scope } from './state.js';

/**
 * What the ECS room needs from ELBv2 for services with load balancers: register a task as a
 * target when it runs, deregister it (it then drains) before stopping it, and read its health.
 * Errors are the API's AwsErrors (TargetGroupNotFound, InvalidTarget, ValidationError).
 */
export interface TargetRegistry {
  register(scope: Scope, targetGroupArn: string, targets: readonly { id: string; port: number }[]): Promise<void>;
  deregister(scope: Scope, targetGroupArn: string, targets: readonly { id: string; port: number }[]): Promise<void>;
  /** Health per target, as DescribeTargetHealth reports it (`unused`/Target.NotRegistered once gone). */
  health(scope: Scope, targetGroupArn: string, targets: readonly { id: string; port: number }[]): TargetHealthView[];
  /** What CreateService checks of a group: its target type, whether a load balancer uses it, its deregistration delay. */
  describe(scope: Scope, targetGroupArn: string): { targetType: string; attached: boolean; deregistrationDelaySeconds: number } | undefined;
}

export function targetRegistry(elb: Elbv2): TargetRegistry {
  return {
    register: (s, arn, targets) => elb.applier.change(() => {
      const plan = planRegister(elb, s, arn, targets);
      return { ...plan, write: () => { plan.write(); rememberNames(elb, arn, loadTargetGroup(elb, s, arn).targets); } };
    }).then(() => undefined),
    // Deregistering a target that is already gone is not an error for the ECS room.
    deregister: (s, arn, targets) => elb.applier.change(() => {
      const tg = loadTargetGroup(elb, s, arn);
      const present = targets.filter((t) => tg.targets.some((x) => x.id === t.id && x.port === t.port));
      return present.length === 0 ? { write: () => undefined, result: '' } : planDeregister(elb, s, arn, present);
    }).then(() => undefined),
    health: (s, arn, targets) => targetHealth(elb, s, arn, targets),
    describe: (s, arn) => {
      const tg = findTargetGroup(elb, s, arn);
      if (!tg) return undefined;
      const delay = Number(tg.attributes['deregistration_delay.timeout_seconds'] ?? 300);
      return { targetType: tg.targetType, attached: elb.state.loadBalancersOfGroup(tg.arn, s).length > 0, deregistrationDelaySeconds: Number.isFinite(delay) ? delay : 300 };
    },
  };
}
