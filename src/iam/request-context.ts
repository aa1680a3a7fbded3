import { principalKind, type Principal } from '../identity/principal.js';
import { rootArn } from './arn.js';
import type { ContextValue } from './policy/context.js';
import type { Tag } from './state.js';

/**
 * The global condition keys Berth supplies (IAM User Guide, "AWS global condition context
 * keys"): about the principal and about the request. Service-specific keys (`ecs:cluster`,
 * `aws:ResourceTag/…`, `aws:RequestTag/…`) are supplied by whoever knows the resource, through
 * the `extra` entries of the evaluation calls.
 */
export type ContextEntries = Record<string, ContextValue | undefined>;

/** The principal's keys: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username, aws:PrincipalTag/…, token facts. */
export function principalEntries(p: Principal, tags: readonly Tag[]): ContextEntries {
  const kind = principalKind(p);
  const out: ContextEntries = {
    'aws:PrincipalArn': kind === 'assumed-role' ? p.role?.arn : kind === 'root' ? rootArn(p.accountId) : p.arn,
    'aws:PrincipalAccount': p.accountId,
    'aws:PrincipalType': kind === 'assumed-role' ? 'AssumedRole' : kind === 'root' ? 'Account' : 'User',
    'aws:userid': p.userId,
    'aws:username': kind === 'user' ? p.userName : undefined,
  };
  for (const t of tags) out[`aws:PrincipalTag/${t.Key}`] = t.Value;
  if (p.session) {
    // Temporary credentials carry these; long-term keys do not (so `…IfExists` and Null tests work as documented).
    out['aws:TokenIssueTime'] = new Date(p.session.issuedAt).toISOString();
    out['aws:MultiFactorAuthPresent'] = 'false';
    if (p.session.sourceIdentity !== undefined) out['aws:SourceIdentity'] = p.session.sourceIdentity;
  }
  return out;
}

export interface RequestFacts {
  readonly now: Date;
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  readonly region?: string;
}

/** The request's keys: aws:CurrentTime, aws:EpochTime, aws:SourceIp, aws:SecureTransport, aws:RequestedRegion. */
export function requestEntries(r: RequestFacts): ContextEntries {
  const ip = r.sourceIp?.startsWith('::ffff:') ? r.sourceIp.slice(7) : r.sourceIp;
  return {
    'aws:CurrentTime': r.now.toISOString(),
    'aws:EpochTime': String(Math.floor(r.now.getTime() / 1000)),
    'aws:SourceIp': ip === '' ? undefined : ip,
    'aws:SecureTransport': r.secureTransport === undefined ? undefined : String(r.secureTransport),
    'aws:RequestedRegion': r.region,
  };
}
