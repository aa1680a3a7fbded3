import { AwsError } from '../edge/errors.js';
import { queryMemberStructs } from '../edge/query-protocol.js';

/**
 * STS's Query parameters and member constraints, with AWS's ValidationError messages
 * (`1 validation error detected: …`).
 */
export type Params = ReadonlyMap<string, string>;

export const validation = (message: string): AwsError => new AwsError('ValidationError', message, 400);

function invalid(value: string | null, member: string, constraint: string): AwsError {
  return validation(`1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`);
}

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function text(p: Params, name: string, min: number, max: number, pattern?: RegExp, required = false): string | undefined {
  const v = p.get(name);
  if (v === undefined) {
    if (required) throw invalid(null, camel(name), 'Member must not be null');
    return undefined;
  }
  if (v.length < min) throw invalid(v, camel(name), `Member must have length greater than or equal to ${min}`);
  if (v.length > max) throw invalid(v, camel(name), `Member must have length less than or equal to ${max}`);
  if (pattern && !pattern.test(v)) throw invalid(v, camel(name), `Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`);
  return v;
}

export function int(p: Params, name: string, min: number, max: number): number | undefined {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw invalid(v, camel(name), 'Member must be an integer');
  const n = Number(v);
  if (n < min) throw invalid(v, camel(name), `Member must have value greater than or equal to ${min}`);
  if (n > max) throw invalid(v, camel(name), `Member must have value less than or equal to ${max}`);
  return n;
}

/** `prefix.member.N.Field` structures in index order. */
export const structs = queryMemberStructs;

export function tags(p: Params): { Key: string; Value: string }[] {
  const list = structs(p, 'Tags').map((t) => {
    const Key = t.get('Key');
    if (Key === undefined) throw invalid(null, 'tags.member.key', 'Member must not be null');
    return { Key, Value: t.get('Value') ?? '' };
  });
  if (list.length > 50) throw invalid(String(list.length), 'tags', 'Member must have length less than or equal to 50');
  return list;
}

export function policyArns(p: Params): string[] {
  const arns = structs(p, 'PolicyArns').map((s) => s.get('arn') ?? '');
  if (arns.length > 10) throw invalid(String(arns.length), 'policyArns', 'Member must have length less than or equal to 10');
  return arns;
}
