import { conditionsHold } from './conditions.js';
import type { ConditionContext } from './context.js';
import type { PolicyDocument, PrincipalSet, Statement } from './document.js';
import { substitute } from './variables.js';
import { arnMatch, compile, globMatch } from './wildcard.js';

/**
 * Policy evaluation as the IAM User Guide's "Policy evaluation logic" describes it, for the
 * policy types Berth has: identity-based policies, session policies, and role trust policies
 * (resource-based). Pure functions of the documents and the request.
 *
 * Within one set of policies: a matching Deny statement is an explicit deny and wins; otherwise a
 * matching Allow allows; otherwise the set is silent (implicit deny).
 */

export interface EvaluationRequest {
  /** `service:Operation`, e.g. `ecs:RunTask` (matched case-insensitively). */
  readonly action: string;
  /** The resource ARN, or `*` for actions evaluated without a resource (case-sensitive). */
  readonly resource: string;
  readonly context: ConditionContext;
  /**
   * For resource-based policies: how a statement's Principal (or NotPrincipal) element matches the
   * caller. Identity policies have no Principal element and do not need it.
   */
  readonly principal?: (set: PrincipalSet) => PrincipalMatch;
}

/**
 * How a Principal element matched: `principal` names the caller itself (its user, role or
 * session ARN, a service, or `*`); `account` names the caller's account (`…:root` or the id), which
 * hands the decision to the account's own identity policies.
 */
export type PrincipalMatch = 'none' | 'account' | 'principal';

export interface SetResult {
  readonly explicitDeny: boolean;
  /** The strongest principal match of any allowing statement; `none` when nothing allows. */
  readonly allow: PrincipalMatch;
}

export type PolicyType = 'identity-based' | 'session' | 'resource-based';
export type Decision =
  | { readonly effect: 'Allow' }
  | { readonly effect: 'Deny'; readonly explicit: boolean; readonly policyType: PolicyType };

const rank = (m: PrincipalMatch): number => (m === 'principal' ? 2 : m === 'account' ? 1 : 0);

/** How `statement` applies to the request: `none` when it does not. */
export function statementMatch(s: Statement, version: PolicyDocument['version'], req: EvaluationRequest): PrincipalMatch {
  let who: PrincipalMatch = 'principal';
  if (s.principals !== undefined) who = req.principal ? req.principal(s.principals) : 'none';
  else if (s.notPrincipals !== undefined) who = req.principal && req.principal(s.notPrincipals) !== 'none' ? 'none' : 'principal';
  if (who === 'none') return 'none';

  // Action names are case-insensitive and have no variables.
  const actionHit = (list: readonly string[]): boolean => list.some((a) => globMatch(compile(a), req.action, true));
  if (s.actions && !actionHit(s.actions)) return 'none';
  if (s.notActions && actionHit(s.notActions)) return 'none';

  const resourceHit = (list: readonly string[]): boolean =>
    list.some((r) => {
      const pattern = substitute(r, version, req.context, true);
      return pattern !== undefined && arnMatch(pattern, req.resource);
    });
  if (s.resources && !resourceHit(s.resources)) return 'none';
  if (s.notResources && resourceHit(s.notResources)) return 'none';

  return conditionsHold(s.conditions, version, req.context) ? who : 'none';
}

/** One set of policies (e.g. all identity policies of a user) against the request. */
export function evaluateSet(policies: readonly PolicyDocument[], req: EvaluationRequest): SetResult {
  let explicitDeny = false;
  let allow: PrincipalMatch = 'none';
  for (const doc of policies) {
    for (const s of doc.statements) {
      const m = statementMatch(s, doc.version, req);
      if (m === 'none') continue;
      if (s.effect === 'Deny') explicitDeny = true;
      else if (rank(m) > rank(allow)) allow = m;
    }
  }
  return { explicitDeny, allow };
}

/**
 * The decision for a principal's own request within its account: its identity-based policies
 * must allow, and when the session has session policies, those must allow too (the effective
 * permissions are the intersection). An explicit deny in either wins over everything.
 */
export function decideIdentity(
  req: EvaluationRequest,
  identity: readonly PolicyDocument[],
  session?: readonly PolicyDocument[],
): Decision {
  const id = evaluateSet(identity, req);
  const se = session ? evaluateSet(session, req) : undefined;
  if (id.explicitDeny) return { effect: 'Deny', explicit: true, policyType: 'identity-based' };
  if (se?.explicitDeny) return { effect: 'Deny', explicit: true, policyType: 'session' };
  if (id.allow === 'none') return { effect: 'Deny', explicit: false, policyType: 'identity-based' };
  if (se && se.allow === 'none') return { effect: 'Deny', explicit: false, policyType: 'session' };
  return { effect: 'Allow' };
}

/** AWS's AccessDenied message for a denial. */
export function denialMessage(principalArn: string, action: string, resource: string, d: Exclude<Decision, { effect: 'Allow' }>): string {
  const article = d.policyType === 'identity-based' ? 'an' : 'a';
  const why = d.explicit
    ? `with an explicit deny in ${article} ${d.policyType} policy`
    : `because no ${d.policyType} policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
