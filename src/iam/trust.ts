import { principalKind, type Principal } from '../identity/principal.js';
import { rootArn } from './arn.js';
import type { ConditionContext } from './policy/context.js';
import type { PolicyDocument, PrincipalSet } from './policy/document.js';
import { evaluateSet, type PrincipalMatch, type SetResult } from './policy/evaluate.js';

/**
 * Role trust policies: who may assume a role. The caller is either an AWS principal (a user, a
 * role session, an account's root user) or an AWS service (`ecs-tasks.amazonaws.com` when Berth
 * issues task-role credentials).
 *
 * A Principal element names the caller itself ("principal" match: its user ARN, its role's ARN or
 * its session ARN, the service, or `*`) or names its account (`123456789012` or
 * `arn:aws:iam::123456789012:root`: "account" match). The difference matters: within one account
 * a principal match is enough on its own, while an account match hands the decision to the
 * caller's identity policies (IAM User Guide, "Policy evaluation logic": role trust policies are an
 * exception that must allow the caller explicitly).
 */
export type TrustCaller = { readonly principal: Principal } | { readonly service: string };

export function principalMatcher(caller: TrustCaller): (set: PrincipalSet) => PrincipalMatch {
  return (set) => {
    if (set === '*') return 'principal';
    let best: PrincipalMatch = 'none';
    if ('service' in caller) {
      return (set.Service ?? []).includes(caller.service) ? 'principal' : 'none';
    }
    const p = caller.principal;
    const own = new Set<string>();
    const kind = principalKind(p);
    if (kind === 'user') own.add(p.arn);
    if (kind === 'assumed-role') {
      own.add(p.arn);
      if (p.role) own.add(p.role.arn);
    }
    for (const id of set.AWS ?? []) {
      if (id === '*' || own.has(id)) return 'principal';
      if (id === p.accountId || id === rootArn(p.accountId)) best = 'account';
    }
    return best;
  };
}

/** The trust policy's verdict on `action` (`sts:AssumeRole`, `sts:TagSession`) by `caller`. */
export function evaluateTrust(trust: PolicyDocument, caller: TrustCaller, action: string, roleArn: string, context: ConditionContext): SetResult {
  return evaluateSet([trust], { action, resource: roleArn, context, principal: principalMatcher(caller) });
}
