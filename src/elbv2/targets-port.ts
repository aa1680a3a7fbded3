import type { Elbv2 } from './api/operation.js';
import { planDeregister, planRegister, rememberNames, targetHealth, type TargetHealthView } from './api/targets.js';
import { findTargetGroup, loadListener, loadRule, loadTargetGroup } from './api/operation.js';
import { recordKey, type ActionRecord, type Scope } from './state.js';

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
  /**
   * The weights of the forward action of a listener rule (ALB) or of a listener's default
   * actions (NLB), by target group ARN; undefined when there is no such rule or listener, or
   * it does not forward.
   */
  forwardWeights(scope: Scope, ruleOrListenerArn: string): Record<string, number> | undefined;
  /** Sets the weights of that forward action (blue/green traffic shifts), keeping its stickiness. */
  setForwardWeights(scope: Scope, ruleOrListenerArn: string, weights: readonly { targetGroupArn: string; weight: number }[]): Promise<void>;
}

/** The actions a blue/green rule ARN names: a rule's (or a listener's default rule's), or a listener's default actions. */
function actionsAt(elb: Elbv2, s: Scope, arn: string): { actions: ActionRecord[]; write: (next: ActionRecord[]) => void } {
  if (arn.includes(':listener-rule/')) {
    const { rule, listener } = loadRule(elb, s, arn);
    if (rule) return { actions: rule.actions, write: (a) => elb.state.rules.put(recordKey(s, rule.id), { ...rule, actions: a }) };
    return { actions: listener.defaultActions, write: (a) => elb.state.listeners.put(recordKey(s, listener.id), { ...listener, defaultActions: a }) };
  }
  const listener = loadListener(elb, s, arn);
  return { actions: listener.defaultActions, write: (a) => elb.state.listeners.put(recordKey(s, listener.id), { ...listener, defaultActions: a }) };
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
    forwardWeights: (s, arn) => {
      let forward: ActionRecord | undefined;
      try {
        forward = actionsAt(elb, s, arn).actions.find((a) => a.Type === 'forward');
      } catch {
        return undefined;
      }
      if (!forward) return undefined;
      return Object.fromEntries((forward.ForwardConfig?.TargetGroups ?? []).map((g) => [g.TargetGroupArn, g.Weight]));
    },
    setForwardWeights: (s, arn, weights) => elb.applier.change(() => {
      const at = actionsAt(elb, s, arn);
      const next = at.actions.map((a): ActionRecord => {
        if (a.Type !== 'forward') return a;
        const { TargetGroupArn: _, ...rest } = a;
        return {
          ...rest,
          ForwardConfig: {
            TargetGroups: weights.map((w) => ({ TargetGroupArn: w.targetGroupArn, Weight: w.weight })),
            TargetGroupStickinessConfig: a.ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false },
          },
        };
      });
      return { write: () => at.write(next), result: undefined };
    }).then(() => undefined),
  };
}
