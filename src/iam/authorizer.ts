import { AwsError } from '../edge/errors.js';
import type { Authorize } from '../edge/gateway.js';
import type { Principal } from '../identity/principal.js';
import { conditionContext } from './policy/context.js';
import { decideIdentity, denialMessage, type Decision } from './policy/evaluate.js';
import { principalEntries, requestEntries, type ContextEntries, type RequestFacts } from './request-context.js';
import type { PolicyResolver } from './resolver.js';

/**
 * Authorization of API calls by the caller's identity-based and session policies. The account
 * root user may do everything. Berth's own BerthAdmin API keeps its own root-only rule.
 */

/** SigV4 signing names whose IAM action prefix differs; every other maps 1:1. */
const IAM_PREFIX: Readonly<Record<string, string>> = { monitoring: 'cloudwatch', email: 'ses' };

/** The error each service answers a denial with; JSON services answer AccessDeniedException (400). */
const DENIAL: Readonly<Record<string, readonly [string, number]>> = {
  iam: ['AccessDenied', 403],
  sts: ['AccessDenied', 403],
  elasticloadbalancing: ['AccessDenied', 403],
  ec2: ['UnauthorizedOperation', 403],
};

/**
 * Actions their operation authorizes itself, or that need no permission: GetCallerIdentity and
 * GetSessionToken need none (IAM User Guide), AssumeRole is decided by STS against the role's
 * trust policy and the caller's policies on the role's ARN.
 */
const SELF_AUTHORIZED = new Set(['sts:getcalleridentity', 'sts:getsessiontoken', 'sts:assumerole']);

export const iamActionPrefix = (signingName: string): string => IAM_PREFIX[signingName] ?? signingName;

export function denialError(service: string, message: string): AwsError {
  const [code, status] = DENIAL[service] ?? ['AccessDeniedException', 400];
  return new AwsError(code, service === 'ec2' ? `You are not authorized to perform this operation. ${message}` : message, status);
}

export class Authorizer {
  constructor(private readonly resolver: PolicyResolver) {}

  /**
   * The decision for `principal` performing `action` on `resource`, by its identity-based and
   * session policies (root: always Allow). `extra` adds condition keys only the caller knows
   * (`ecs:cluster`, `aws:ResourceTag/…`, `aws:RequestTag/…`, `iam:PassedToService`).
   */
  decide(principal: Principal, action: string, resource: string, facts: RequestFacts, extra: ContextEntries = {}): Decision {
    if (principal.isRoot) return { effect: 'Allow' };
    const context = conditionContext({
      ...requestEntries(facts),
      ...principalEntries(principal, this.resolver.principalTags(principal)),
      ...extra,
    });
    const req = { action, resource, context };
    return decideIdentity(req, this.resolver.identityPolicies(principal), this.resolver.sessionPolicies(principal));
  }

  /** Throws the service's denial error unless `decide` allows. */
  check(service: string, principal: Principal, action: string, resource: string, facts: RequestFacts, extra?: ContextEntries): void {
    const d = this.decide(principal, action, resource, facts, extra);
    if (d.effect === 'Deny') throw denialError(service, denialMessage(principal.arn, action, resource, d));
  }

  /**
   * The gateway hook. The action is `<IAM prefix>:<Operation>`; the resource is the ARN the
   * surface names for the operation (Secrets Manager secrets, SSM parameters), else `*` — so for
   * the other services a policy that names specific resources allows nothing yet.
   */
  readonly authorize: Authorize = (principal, service, operation, ctx) => {
    if (service === 'berth') return;
    const action = `${iamActionPrefix(service)}:${operation}`;
    if (SELF_AUTHORIZED.has(action.toLowerCase())) return;
    // GetSessionToken credentials may not call IAM (without MFA, which Berth does not have) nor
    // STS other than AssumeRole and GetCallerIdentity.
    if (principal.session?.issuedBy === 'GetSessionToken' && (service === 'iam' || service === 'sts')) {
      throw denialError(service, `User: ${principal.arn} is not authorized to perform: ${action} on resource: * with temporary credentials from GetSessionToken without MFA`);
    }
    const resources = typeof ctx.resource === 'string' ? [ctx.resource] : ctx.resource?.length ? ctx.resource : ['*'];
    for (const resource of resources) this.check(service, principal, action, resource, { now: ctx.now, sourceIp: ctx.sourceIp, secureTransport: ctx.secureTransport, region: ctx.region });
  };
}
