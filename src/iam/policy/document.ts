import { parseOperator, type ConditionOperator } from './operators.js';

/**
 * IAM policy documents: parsing and the validation IAM applies before it stores a policy. Pure.
 * A document is JSON text; what comes out is a normalised form (every list an array, every
 * condition value a string) that the evaluator reads. Problems throw `PolicyError` with the
 * message IAM puts in its MalformedPolicyDocument error.
 */

/** Identity policies (inline, managed, session policies) have no Principal; trust policies must. */
export type PolicyKind = 'identity' | 'trust';

export type Version = '2012-10-17' | '2008-10-17';

/** `*` (everyone) or principals by type: `AWS`, `Service`, `Federated`, `CanonicalUser`. */
export type PrincipalSet = '*' | Readonly<Record<string, readonly string[]>>;

export interface ConditionClause {
  readonly operator: ConditionOperator;
  /** The context key as written, e.g. `aws:SourceIp` (compared case-insensitively). */
  readonly key: string;
  /** Policy values as strings (JSON numbers and booleans are written out). */
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principals?: PrincipalSet;
  readonly notPrincipals?: PrincipalSet;
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  /** A document without Version is read as 2008-10-17, as IAM does (no policy variables then). */
  readonly version: Version;
  readonly id?: string;
  readonly statements: readonly Statement[];
}

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

const SYNTAX = 'Syntax errors in policy.';
const VENDOR = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
const TOP_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and validates `text` as a policy of the given kind; throws PolicyError. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PolicyError(SYNTAX);
  }
  if (!isObject(raw)) throw new PolicyError(SYNTAX);
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) throw new PolicyError(SYNTAX);
  const version = raw.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') throw new PolicyError('The policy failed legacy parsing');
  if (raw.Id !== undefined && typeof raw.Id !== 'string') throw new PolicyError(SYNTAX);
  if (raw.Statement === undefined) throw new PolicyError('Missing required field Statement');
  const list = Array.isArray(raw.Statement) ? raw.Statement : [raw.Statement];
  if (list.length === 0) throw new PolicyError('Missing required field Statement');
  const statements = list.map((s) => parseStatement(s, kind));
  const sids = statements.map((s) => s.sid).filter((s): s is string => s !== undefined && s !== '');
  if (new Set(sids).size !== sids.length) throw new PolicyError('Statement IDs (SID) in a single policy must be unique.');
  return { version, ...(typeof raw.Id === 'string' ? { id: raw.Id } : {}), statements };
}

function parseStatement(raw: unknown, kind: PolicyKind): Statement {
  if (!isObject(raw)) throw new PolicyError(SYNTAX);
  for (const k of Object.keys(raw)) if (!STATEMENT_KEYS.has(k)) throw new PolicyError(SYNTAX);
  const out: { -readonly [K in keyof Statement]: Statement[K] } = { effect: 'Allow', conditions: [] };

  if (raw.Sid !== undefined) {
    if (typeof raw.Sid !== 'string') throw new PolicyError(SYNTAX);
    if (kind === 'identity' && !/^[0-9A-Za-z]*$/.test(raw.Sid)) {
      throw new PolicyError('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    }
    out.sid = raw.Sid;
  }
  if (raw.Effect === undefined) throw new PolicyError('Missing required field Effect');
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw new PolicyError(`Invalid effect: ${String(raw.Effect)}`);
  out.effect = raw.Effect;

  if (raw.Action !== undefined && raw.NotAction !== undefined) throw new PolicyError(SYNTAX);
  if (raw.Action === undefined && raw.NotAction === undefined) throw new PolicyError('Policy statement must contain actions.');
  if (raw.Action !== undefined) out.actions = actions(raw.Action);
  else out.notActions = actions(raw.NotAction);

  const hasResource = raw.Resource !== undefined || raw.NotResource !== undefined;
  if (raw.Resource !== undefined && raw.NotResource !== undefined) throw new PolicyError(SYNTAX);
  if (kind === 'trust') {
    if (raw.Resource !== undefined) throw new PolicyError('Has prohibited field Resource');
    if (raw.NotResource !== undefined) throw new PolicyError('Has prohibited field NotResource');
  } else if (!hasResource) {
    throw new PolicyError('Policy statement must contain resources.');
  }
  if (raw.Resource !== undefined) out.resources = resources(raw.Resource);
  if (raw.NotResource !== undefined) out.notResources = resources(raw.NotResource);

  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (kind === 'identity' && hasPrincipal) throw new PolicyError('Policy document should not specify a principal.');
  if (kind === 'trust' && !hasPrincipal) throw new PolicyError('Missing required field Principal');
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined) throw new PolicyError(SYNTAX);
  if (raw.Principal !== undefined) out.principals = principals(raw.Principal);
  if (raw.NotPrincipal !== undefined) out.notPrincipals = principals(raw.NotPrincipal);

  if (raw.Condition !== undefined) out.conditions = conditions(raw.Condition);
  return out;
}

function strings(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.some((x) => typeof x !== 'string')) throw new PolicyError(SYNTAX);
  return list as string[];
}

function actions(v: unknown): string[] {
  const list = strings(v);
  for (const a of list) if (a !== '*' && !/^[A-Za-z0-9-]+:[^:]*$/.test(a)) throw new PolicyError(VENDOR);
  return list;
}

function resources(v: unknown): string[] {
  const list = strings(v);
  for (const r of list) if (r !== '*' && !r.startsWith('arn:')) throw new PolicyError(`Resource ${r} must be in ARN format or "*".`);
  return list;
}

function principals(v: unknown): PrincipalSet {
  if (v === '*') return '*';
  if (!isObject(v)) throw new PolicyError(`Invalid principal in policy: ${JSON.stringify(v)}`);
  const out: Record<string, string[]> = {};
  for (const [type, ids] of Object.entries(v)) {
    if (!PRINCIPAL_TYPES.has(type)) throw new PolicyError(`Invalid principal in policy: "${type}"`);
    out[type] = strings(ids);
  }
  return out;
}

function conditions(v: unknown): ConditionClause[] {
  if (!isObject(v)) throw new PolicyError(SYNTAX);
  const out: ConditionClause[] = [];
  for (const [name, block] of Object.entries(v)) {
    const operator = parseOperator(name);
    if (!operator) throw new PolicyError(`Invalid Condition type : ${name}`);
    if (!isObject(block)) throw new PolicyError(SYNTAX);
    for (const [key, value] of Object.entries(block)) {
      if (!/^[A-Za-z0-9-]+:.+$/.test(key)) throw new PolicyError(VENDOR);
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new PolicyError(SYNTAX);
      const values = list.map((x) => {
        if (typeof x === 'string') return x;
        if (typeof x === 'number' || typeof x === 'boolean') return String(x);
        throw new PolicyError(SYNTAX);
      });
      out.push({ operator, key, values });
    }
  }
  return out;
}
