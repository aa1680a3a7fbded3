import { memberInvalid } from './errors.js';
import type { Tag } from './state.js';
import { queryMembers, queryMemberStructs } from '../edge/query-protocol.js';

/**
 * Reading IAM's Query parameters and checking them against the IAM API's member constraints
 * (names, paths, lengths, ranges), with AWS's ValidationError messages. Lists are
 * `Name.member.N`, structures in lists `Name.member.N.Field`.
 */
export type Params = ReadonlyMap<string, string>;

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export const NAME_PATTERN = /^[\w+=,.@-]+$/;

export function optional(p: Params, name: string): string | undefined {
  return p.get(name);
}

export function required(p: Params, name: string): string {
  const v = p.get(name);
  if (v === undefined) throw memberInvalid(null, camel(name), 'Member must not be null');
  return v;
}

/** A name member (RoleName, UserName, PolicyName …): IAM's name pattern and a length range. */
export function name(p: Params, member: string, max = 64, must = true): string | undefined {
  const v = must ? required(p, member) : p.get(member);
  if (v === undefined) return undefined;
  checkLength(v, member, 1, max);
  if (!NAME_PATTERN.test(v)) throw memberInvalid(v, camel(member), 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return v;
}

export function checkLength(v: string, member: string, min: number, max: number): void {
  if (v.length < min) throw memberInvalid(v, camel(member), `Member must have length greater than or equal to ${min}`);
  if (v.length > max) throw memberInvalid(v, camel(member), `Member must have length less than or equal to ${max}`);
}

/** A Path member: `/` or `/segments/`, printable ASCII, at most 512 characters. */
export function path(p: Params, member = 'Path'): string {
  const v = p.get(member);
  if (v === undefined) return '/';
  checkLength(v, member, 1, 512);
  if (!/^(\/|\/[\u0021-\u007E]+\/)$/.test(v)) {
    throw memberInvalid(v, camel(member), 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  }
  return v;
}

/** A PathPrefix member (ListRoles …): starts with `/`. */
export function pathPrefix(p: Params): string {
  const v = p.get('PathPrefix');
  if (v === undefined) return '/';
  checkLength(v, 'PathPrefix', 1, 512);
  if (!/^\/[\u0021-\u007F]*$/.test(v)) throw memberInvalid(v, 'pathPrefix', 'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*');
  return v;
}

export function int(p: Params, member: string, min: number, max: number): number | undefined {
  const v = p.get(member);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw memberInvalid(v, camel(member), 'Member must be an integer');
  const n = Number(v);
  if (n < min) throw memberInvalid(v, camel(member), `Member must have value greater than or equal to ${min}`);
  if (n > max) throw memberInvalid(v, camel(member), `Member must have value less than or equal to ${max}`);
  return n;
}

export function bool(p: Params, member: string): boolean | undefined {
  const v = p.get(member);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw memberInvalid(v, camel(member), 'Member must be a boolean');
  return v === 'true';
}

/** `prefix.member.N` scalars in index order. */
export const members = queryMembers;

/** `prefix.member.N.Field` structures in index order, each as a map of its fields. */
export const memberStructs = queryMemberStructs;

const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** `Tags.member.N.Key` / `.Value`, checked as IAM checks tags. */
export function tags(p: Params, prefix = 'Tags'): Tag[] {
  return memberStructs(p, prefix).map((t) => {
    const Key = t.get('Key');
    const Value = t.get('Value') ?? '';
    if (Key === undefined) throw memberInvalid(null, 'tags.member.key', 'Member must not be null');
    checkLength(Key, 'tags.member.key', 1, 128);
    checkLength(Value, 'tags.member.value', 0, 256);
    if (!TAG_PATTERN.test(Key)) throw memberInvalid(Key, 'tags.member.key', 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    return { Key, Value };
  });
}
