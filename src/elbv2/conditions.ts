import { isIPv4, isIPv6 } from 'node:net';
import { validation } from './errors.js';
import { node, nodes, required, str, strings, type Node } from './input.js';
import type { ConditionRecord } from './state.js';

/**
 * Rule conditions: `Field` with either the legacy `Values` (host-header, path-pattern) or the
 * field's *Config member. Stored as AWS shows them: for host-header and path-pattern given as
 * Values, both `Values` and the Config; otherwise the Config. ALB's limits apply: values up to
 * 128 characters, at most 5 condition values per rule in all.
 */
const CONFIG: Record<string, keyof ConditionRecord> = {
  'host-header': 'HostHeaderConfig', 'path-pattern': 'PathPatternConfig', 'http-header': 'HttpHeaderConfig',
  'http-request-method': 'HttpRequestMethodConfig', 'query-string': 'QueryStringConfig', 'source-ip': 'SourceIpConfig',
};

export function readConditions(n: Node): ConditionRecord[] {
  const list = nodes(n, 'Conditions') ?? [];
  if (list.length === 0) throw validation('A rule must have at least one condition');
  const out = list.map(readCondition);
  const fields = out.map((c) => c.Field).filter((f) => f !== 'http-header');
  if (new Set(fields).size !== fields.length) throw validation('A rule can only have one condition of each type, except http-header');
  const total = out.reduce((sum, c) => sum + valueCount(c), 0);
  if (total > 5) throw validation('A rule can only have \'5\' condition values');
  return out;
}

function valueCount(c: ConditionRecord): number {
  const cfg = c[CONFIG[c.Field]!] as { Values: unknown[] } | undefined;
  return Math.max(cfg?.Values.length ?? 0, c.Values?.length ?? 0);
}

function readCondition(c: Node, i: number): ConditionRecord {
  const field = required(c, 'Field', `conditions.member.${i + 1}.field`);
  const member = CONFIG[field];
  if (!member) throw validation(`Condition field '${field}' must be one of '[http-header, http-request-method, host-header, path-pattern, query-string, source-ip]'`);
  const legacy = strings(c, 'Values');
  const cfg = node(c, member);
  const check = (values: string[]): string[] => {
    if (values.length === 0) throw validation(`A condition of type '${field}' must have at least one value`);
    for (const v of values) if (v.length > 128) throw validation(`The value '${v}' is longer than 128 characters`);
    return values;
  };
  switch (field) {
    case 'host-header':
    case 'path-pattern': {
      if (legacy && legacy.length > 0 && cfg) throw validation(`You cannot specify both 'Values' and '${member}' for a condition of type '${field}'`);
      if (legacy && legacy.length > 0) { const values = check(legacy); return { Field: field, Values: values, [member]: { Values: values } }; }
      return { Field: field, [member]: { Values: check(strings(cfg ?? {}, 'Values') ?? []) } };
    }
    case 'http-header': {
      if (!cfg) throw validation("A condition of type 'http-header' needs an 'HttpHeaderConfig'");
      const name = required(cfg, 'HttpHeaderName', 'conditions.httpHeaderConfig.httpHeaderName');
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(name)) throw validation(`The HTTP header name '${name}' is not valid`);
      return { Field: field, HttpHeaderConfig: { HttpHeaderName: name, Values: check(strings(cfg, 'Values') ?? []) } };
    }
    case 'http-request-method': {
      const values = check(strings(cfg ?? {}, 'Values') ?? []);
      for (const v of values) if (!/^[A-Z_-]{1,40}$/.test(v)) throw validation(`The HTTP request method '${v}' is not valid`);
      return { Field: field, HttpRequestMethodConfig: { Values: values } };
    }
    case 'query-string': {
      const pairs = (nodes(cfg ?? {}, 'Values') ?? []).map((kv) => {
        const key = str(kv, 'Key');
        return { ...(key !== undefined ? { Key: key } : {}), Value: required(kv, 'Value', 'conditions.queryStringConfig.values.member.value') };
      });
      if (pairs.length === 0) throw validation("A condition of type 'query-string' must have at least one value");
      return { Field: field, QueryStringConfig: { Values: pairs } };
    }
    default: {
      const values = check(strings(cfg ?? {}, 'Values') ?? []);
      for (const v of values) {
        const [ip, bits] = v.split('/');
        const max = isIPv4(ip ?? '') ? 32 : isIPv6(ip ?? '') ? 128 : -1;
        if (max < 0 || bits === undefined || !/^\d+$/.test(bits) || Number(bits) > max) throw validation(`The source IP '${v}' is not a valid CIDR block`);
      }
      return { Field: field, SourceIpConfig: { Values: values } };
    }
  }
}
