import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { arnMatch, globMatch } from './wildcard.js';

/**
 * The condition operators of the IAM User Guide ("IAM JSON policy elements: Condition
 * operators"), each as the positive test of one request value against one policy value. The
 * negated operators (StringNotEquals, NotIpAddress, ArnNotLike …) are their positive twin with the
 * result over all policy values inverted (NOR); conditions.ts applies that, `…IfExists` and the
 * `ForAllValues:`/`ForAnyValue:` set qualifiers.
 */
export interface ConditionOperator {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly name: string;
  /** The positive operator family, e.g. `StringLike` for StringNotLike. */
  readonly base: string;
  readonly negated: boolean;
  readonly ifExists: boolean;
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  /** Whether policy values are wildcard patterns (so variables insert literal text). */
  readonly pattern: boolean;
}

/** One request value against one policy value (already substituted; compiled when `pattern`). */
export type ValueTest = (requestValue: string, policyValue: string) => boolean;

const num = (s: string): number => (/^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : NaN);

/** ISO 8601 or epoch seconds, as the Date operators accept. */
function date(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  return Date.parse(s);
}

const ipLists = new Map<string, BlockList | null>();

/** Whether `ip` lies in `cidr` (an address alone is a /32 or /128). IPv4-mapped IPv6 counts as IPv4. */
function inCidr(ip: string, cidr: string): boolean {
  let list = ipLists.get(cidr);
  if (list === undefined) {
    const [addr = '', bitsText] = cidr.split('/');
    const type = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : undefined;
    const bits = bitsText === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bitsText);
    list = null;
    if (type && Number.isInteger(bits) && bits >= 0 && bits <= (type === 'ipv4' ? 32 : 128)) {
      list = new BlockList();
      list.addSubnet(addr, bits, type);
    }
    if (ipLists.size > 1000) ipLists.clear();
    ipLists.set(cidr, list);
  }
  if (!list) return false;
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(v4)) return list.check(v4, 'ipv4');
  return isIPv6(v4) && list.check(v4, 'ipv6');
}

const cmp = (f: (a: number, b: number) => boolean, parse: (s: string) => number): ValueTest => (r, p) => {
  const a = parse(r);
  const b = parse(p);
  return !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
};

/** The positive operators by name, with whether their policy values are patterns. */
const POSITIVE: Readonly<Record<string, { test: ValueTest; pattern: boolean }>> = {
  StringEquals: { test: (r, p) => r === p, pattern: false },
  StringEqualsIgnoreCase: { test: (r, p) => r.toLowerCase() === p.toLowerCase(), pattern: false },
  StringLike: { test: (r, p) => globMatch(p, r), pattern: true },
  NumericEquals: { test: cmp((a, b) => a === b, num), pattern: false },
  NumericLessThan: { test: cmp((a, b) => a < b, num), pattern: false },
  NumericLessThanEquals: { test: cmp((a, b) => a <= b, num), pattern: false },
  NumericGreaterThan: { test: cmp((a, b) => a > b, num), pattern: false },
  NumericGreaterThanEquals: { test: cmp((a, b) => a >= b, num), pattern: false },
  DateEquals: { test: cmp((a, b) => a === b, date), pattern: false },
  DateLessThan: { test: cmp((a, b) => a < b, date), pattern: false },
  DateLessThanEquals: { test: cmp((a, b) => a <= b, date), pattern: false },
  DateGreaterThan: { test: cmp((a, b) => a > b, date), pattern: false },
  DateGreaterThanEquals: { test: cmp((a, b) => a >= b, date), pattern: false },
  Bool: { test: (r, p) => r.toLowerCase() === p.toLowerCase(), pattern: false },
  BinaryEquals: { test: (r, p) => r === p, pattern: false },
  IpAddress: { test: (r, p) => inCidr(r, p), pattern: false },
  // Both ARN operators match part by part with wildcards (the guide documents them alike).
  ArnEquals: { test: (r, p) => arnMatch(p, r), pattern: true },
  ArnLike: { test: (r, p) => arnMatch(p, r), pattern: true },
  // Null is evaluated on the key's presence, not by value (conditions.ts).
  Null: { test: () => false, pattern: false },
};

/** Negated operator name → its positive twin. */
const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** Reads an operator name; undefined when IAM does not know it. */
export function parseOperator(name: string): ConditionOperator | undefined {
  let rest = name;
  let set: ConditionOperator['set'];
  for (const q of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${q}:`)) {
      set = q;
      rest = rest.slice(q.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (rest === 'Null' && (ifExists || set)) return undefined;
  const negated = Object.hasOwn(NEGATED, rest);
  const base = negated ? NEGATED[rest]! : rest;
  if (!Object.hasOwn(POSITIVE, base)) return undefined;
  return { name, base, negated, ifExists, ...(set ? { set } : {}), pattern: POSITIVE[base]!.pattern };
}

export function valueTest(op: ConditionOperator): ValueTest {
  return POSITIVE[op.base]!.test;
}
