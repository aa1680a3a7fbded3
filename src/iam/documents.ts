import type { AwsError } from '../edge/errors.js';
import { parseIamArn } from './arn.js';
import { limitExceeded, malformedPolicy, memberInvalid } from './errors.js';
import { parsePolicy, PolicyError, type PolicyDocument, type PolicyKind } from './policy/document.js';
import type { IamState } from './state.js';

/**
 * Policy documents as the IAM room accepts and reads them: validation before storing (the pure
 * checks of policy/document.ts, plus what needs the account: trust-policy principals that must
 * exist, and IAM's size quotas), and a parse cache for evaluation.
 */

/** Longest PolicyDocument / AssumeRolePolicyDocument parameter IAM accepts. */
const MAX_PARAM = 131072;

/** IAM counts policy size without whitespace. */
export const policySize = (text: string): number => text.replace(/\s/g, '').length;

function parse(text: string, kind: PolicyKind, member: string): PolicyDocument {
  if (text.length > MAX_PARAM) throw memberInvalid(text.slice(0, 32) + '…', member, `Member must have length less than or equal to ${MAX_PARAM}`);
  try {
    return parsePolicy(text, kind);
  } catch (err) {
    if (err instanceof PolicyError) throw malformedPolicy(err.message);
    throw err;
  }
}

/** An identity policy (inline, managed, session): valid, or MalformedPolicyDocument. */
export function checkIdentityPolicy(text: string, member = 'policyDocument'): PolicyDocument {
  return parse(text, 'identity', member);
}

/** A managed policy version: valid and within the 6,144-character quota. */
export function checkManagedPolicy(text: string): PolicyDocument {
  const doc = checkIdentityPolicy(text);
  if (policySize(text) > 6144) throw limitExceeded('Cannot exceed quota for PolicySize: 6144');
  return doc;
}

const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/**
 * A role trust policy: valid, within the 2,048-character quota, and naming only principals IAM
 * accepts. A user or role of the role's own account must exist (IAM resolves them to unique
 * ids); wildcards are allowed only as the whole `*`.
 */
export function checkTrustPolicy(text: string, accountId: string, state: IamState): PolicyDocument {
  const doc = parse(text, 'trust', 'assumeRolePolicyDocument');
  if (policySize(text) > 2048) throw limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
  for (const s of doc.statements) {
    for (const set of [s.principals, s.notPrincipals]) {
      if (set === undefined || set === '*') continue;
      for (const [type, ids] of Object.entries(set)) for (const id of ids) checkPrincipal(type, id, accountId, state);
    }
  }
  return doc;
}

function checkPrincipal(type: string, id: string, accountId: string, state: IamState): void {
  const invalid = (): AwsError => malformedPolicy(`Invalid principal in policy: "${type === 'Service' ? 'SERVICE' : type}":"${id}"`);
  if (type === 'Service') {
    if (!SERVICE_PRINCIPAL.test(id)) throw invalid();
    return;
  }
  if (type !== 'AWS') return;
  if (id === '*' || /^\d{12}$/.test(id) || /^arn:aws:iam::\d{12}:root$/.test(id)) return;
  if (/^arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/.test(id)) return;
  const arn = parseIamArn(id);
  if (!arn || arn.type === 'policy' || arn.accountId === 'aws') throw invalid();
  if (arn.accountId !== accountId) return;
  const record = arn.type === 'role' ? state.role(accountId, arn.name) : state.user(accountId, arn.name);
  if (!record || record.arn !== id) throw invalid();
}

/**
 * Parsed documents by their text, for evaluation. Stored documents were validated when stored;
 * one that no longer parses (it cannot happen, but a record could be edited by hand) counts as
 * granting nothing.
 */
export class DocumentCache {
  private readonly cache = new Map<string, PolicyDocument | null>();

  constructor(private readonly limit = 2000) {}

  get(text: string, kind: PolicyKind): PolicyDocument | undefined {
    const key = `${kind}\u0000${text}`;
    let doc = this.cache.get(key);
    if (doc === undefined) {
      try {
        doc = parsePolicy(text, kind);
      } catch {
        doc = null;
      }
      if (this.cache.size >= this.limit) this.cache.clear();
      this.cache.set(key, doc);
    }
    return doc ?? undefined;
  }
}
