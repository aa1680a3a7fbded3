import type { KeyRing } from '../identity/key-ring.js';
import { principalKind, type Principal, type SessionFacts } from '../identity/principal.js';
import type { AssumeRoleRequest, AssumeRoleResult, CallFacts, Credentials } from '../identity/session-shapes.js';
import { assumedRoleArn, parseIamArn } from './arn.js';
import type { Authorizer } from './authorizer.js';
import { checkIdentityPolicy, policySize } from './documents.js';
import { accessDenied, memberInvalid, validationError } from './errors.js';
import { conditionContext, type ContextValue } from './policy/context.js';
import { denialMessage, type Decision } from './policy/evaluate.js';
import { principalEntries, requestEntries } from './request-context.js';
import type { PolicyResolver } from './resolver.js';
import type { RoleRecord } from './state.js';
import { evaluateTrust, type TrustCaller } from './trust.js';

/**
 * Issuing temporary credentials: STS AssumeRole and GetSessionToken for API callers, and
 * `assumeRoleForService` for Berth itself (task-role credentials, as ECS gets them from STS for
 * `ecs-tasks.amazonaws.com`).
 *
 * AssumeRole is allowed when the role's trust policy allows the caller and, unless the trust
 * policy names the caller itself within its own account, the caller's identity policies allow
 * `sts:AssumeRole` on the role (an explicit deny in either wins). Session tags need
 * `sts:TagSession` likewise. Berth lets the account root user assume roles its trust policy
 * allows (AWS refuses root; Berth's default credentials are root keys).
 */
export class RoleSessions {
  constructor(
    private readonly resolver: PolicyResolver,
    private readonly authorizer: Authorizer,
    private readonly keys: KeyRing,
    private readonly clock: () => Date,
  ) {}

  assumeRole(caller: Principal, req: AssumeRoleRequest, facts: CallFacts): AssumeRoleResult {
    const role = this.findRole(req.roleArn);
    const denied = (): Error => accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${req.roleArn}`);
    if (!role) throw denied();
    const extra: Record<string, ContextValue | undefined> = {
      'sts:ExternalId': req.externalId,
      'sts:RoleSessionName': req.roleSessionName,
      'sts:SourceIdentity': req.sourceIdentity,
      ...(req.tags.length ? { 'aws:TagKeys': req.tags.map((t) => t.Key) } : {}),
    };
    for (const t of req.tags) extra[`aws:RequestTag/${t.Key}`] = t.Value;
    const actions = req.tags.length ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
    for (const action of actions) this.checkAssume(caller, role, action, facts, extra, denied);

    const chained = principalKind(caller) === 'assumed-role';
    const duration = req.durationSeconds ?? 3600;
    if (chained && duration > 3600) {
      throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (duration > role.maxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    if (req.policy !== undefined) checkIdentityPolicy(req.policy, 'policy');
    for (const arn of req.policyArns) {
      const a = parseIamArn(arn);
      if (!a || a.type !== 'policy') throw memberInvalid(arn, 'policyArns.member.arn', 'Member must be a managed policy ARN');
    }
    const session: SessionFacts = {
      issuedBy: 'AssumeRole',
      issuedAt: facts.now.getTime(),
      expiresAt: facts.now.getTime() + duration * 1000,
      ...(req.policy !== undefined ? { policy: req.policy } : {}),
      ...(req.policyArns.length ? { policyArns: [...req.policyArns] } : {}),
      ...(req.tags.length ? { tags: [...req.tags] } : {}),
      ...(req.sourceIdentity !== undefined ? { sourceIdentity: req.sourceIdentity } : {}),
      ...(chained ? { chained } : {}),
    };
    const result = this.issue(role, req.roleSessionName, session);
    const packed = (req.policy === undefined ? 0 : policySize(req.policy)) + req.tags.reduce((n, t) => n + t.Key.length + t.Value.length, 0);
    return {
      ...result,
      ...(req.policy !== undefined || req.tags.length ? { packedPolicySize: Math.max(1, Math.ceil((100 * packed) / 2048)) } : {}),
      ...(req.sourceIdentity !== undefined ? { sourceIdentity: req.sourceIdentity } : {}),
    };
  }

  getSessionToken(caller: Principal, durationSeconds: number | undefined, facts: CallFacts): Credentials {
    if (caller.session) throw accessDenied('Cannot call GetSessionToken with session credentials');
    // The account root user's sessions last at most an hour (longer requests get an hour).
    const root = principalKind(caller) === 'root';
    const duration = root ? Math.min(durationSeconds ?? 3600, 3600) : durationSeconds ?? 43200;
    const now = facts.now.getTime();
    const { accessKeyId: _, ...identity } = caller;
    const key = this.keys.issueSession({ ...identity, session: { issuedBy: 'GetSessionToken', issuedAt: now, expiresAt: now + duration * 1000 } }, now + duration * 1000, now);
    return credentialsOf(key);
  }

  /**
   * Credentials for `roleArn` issued to an AWS service principal (ECS task roles:
   * `ecs-tasks.amazonaws.com`): the role must be in the account and its trust policy must allow
   * the service `sts:AssumeRole`. Throws AccessDenied otherwise. `aws:SourceAccount` is the
   * account; `aws:SourceArn` is `options.sourceArn` (the task's ARN, when known).
   */
  assumeRoleForService(
    scope: { readonly accountId: string },
    roleArn: string,
    service: string,
    sessionName: string,
    options: { durationSeconds?: number; now?: Date; sourceArn?: string } = {},
  ): AssumeRoleResult {
    const now = options.now ?? this.clock();
    const role = this.trustedByService(scope, roleArn, service, sessionName, now, options.sourceArn);
    const duration = Math.min(Math.max(options.durationSeconds ?? 3600, 900), 43200);
    return this.issue(role, sessionName, { issuedBy: 'AssumeRole', issuedAt: now.getTime(), expiresAt: now.getTime() + duration * 1000, service });
  }

  /**
   * The session principal `service` would act as after assuming `roleArn`, without issuing keys:
   * for Berth's own calls made with a role (the ECS agent reading secrets with a task's execution
   * role). Same trust check and errors as `assumeRoleForService`.
   */
  servicePrincipal(scope: { readonly accountId: string }, roleArn: string, service: string, sessionName: string, options: { now?: Date; sourceArn?: string } = {}): Principal {
    const now = options.now ?? this.clock();
    const role = this.trustedByService(scope, roleArn, service, sessionName, now, options.sourceArn);
    const at = now.getTime();
    // No key is issued, so the principal has no access key id.
    return { ...sessionPrincipal(role, sessionName, { issuedBy: 'AssumeRole', issuedAt: at, expiresAt: at + 3600_000, service }), accessKeyId: '' };
  }

  /** The role, when it is in the account and its trust policy lets `service` assume it; AccessDenied otherwise. */
  private trustedByService(scope: { readonly accountId: string }, roleArn: string, service: string, sessionName: string, now: Date, sourceArn?: string): RoleRecord {
    const role = this.findRole(roleArn);
    const denied = (): Error => accessDenied(`Service ${service} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    if (!role || role.accountId !== scope.accountId) throw denied();
    const trust = this.resolver.parse(role.trustPolicy, 'trust');
    const context = conditionContext({
      ...requestEntries({ now }),
      'aws:SourceAccount': scope.accountId,
      'aws:SourceArn': sourceArn,
      'sts:RoleSessionName': sessionName,
    });
    const verdict = trust ? evaluateTrust(trust, { service }, 'sts:AssumeRole', roleArn, context) : undefined;
    if (!verdict || verdict.explicitDeny || verdict.allow === 'none') throw denied();
    return role;
  }

  private findRole(arn: string): RoleRecord | undefined {
    const a = parseIamArn(arn);
    if (!a || a.type !== 'role' || a.accountId === 'aws') return undefined;
    const role = this.resolver.state.role(a.accountId, a.name);
    return role && role.arn === arn ? role : undefined;
  }

  /** The trust policy and the caller's identity policies on one action; throws when denied. */
  private checkAssume(
    caller: Principal,
    role: RoleRecord,
    action: string,
    facts: CallFacts,
    extra: Record<string, ContextValue | undefined>,
    denied: () => Error,
  ): void {
    const context = conditionContext({
      ...requestEntries(facts),
      ...principalEntries(caller, this.resolver.principalTags(caller)),
      ...extra,
    });
    const trust = this.resolver.parse(role.trustPolicy, 'trust');
    const verdict = trust ? evaluateTrust(trust, { principal: caller } satisfies TrustCaller, action, role.arn, context) : undefined;
    if (!verdict) throw denied();
    const identity: Decision = this.authorizer.decide(caller, action, role.arn, facts, extra);
    if (verdict.explicitDeny) throw accessDenied(denialMessage(caller.arn, action, role.arn, { effect: 'Deny', explicit: true, policyType: 'resource-based' }));
    if (identity.effect === 'Deny' && identity.explicit) throw accessDenied(denialMessage(caller.arn, action, role.arn, identity));
    const sameAccount = caller.accountId === role.accountId;
    if (verdict.allow === 'principal' && sameAccount) return;
    if (verdict.allow !== 'none' && identity.effect === 'Allow') return;
    throw denied();
  }

  private issue(role: RoleRecord, sessionName: string, session: SessionFacts): AssumeRoleResult {
    const principal = sessionPrincipal(role, sessionName, session);
    const key = this.keys.issueSession(principal, session.expiresAt, session.issuedAt);
    return { credentials: credentialsOf(key), assumedRoleUser: { arn: principal.arn, assumedRoleId: principal.userId } };
  }
}

/** The assumed-role session principal of `role` named `sessionName`. */
function sessionPrincipal(role: RoleRecord, sessionName: string, session: SessionFacts): Omit<Principal, 'accessKeyId'> & { arn: string; userId: string } {
  return {
    accountId: role.accountId,
    arn: assumedRoleArn(role.accountId, role.name, sessionName),
    userId: `${role.roleId}:${sessionName}`,
    isRoot: false,
    kind: 'assumed-role',
    role: { arn: role.arn, name: role.name, roleId: role.roleId },
    sessionName,
    session,
  };
}

function credentialsOf(key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiresAt?: number }): Credentials {
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken!, expiration: new Date(key.expiresAt!) };
}
