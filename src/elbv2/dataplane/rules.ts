/**
 * Listener rule evaluation (pure). Rules are tried in ascending priority; the first whose every
 * condition holds gives the action, otherwise the listener's default action does. Within one
 * condition the values are alternatives (OR). Semantics, as AWS documents them:
 * - `path-pattern`: the path only (not the query), case-sensitive, wildcards.
 * - `host-header`: case-insensitive, wildcards; compared without the `:port` suffix.
 * - `http-header`: the name is case-insensitive, the values too, wildcards; any occurrence of a
 *   repeated header may match.
 * - `http-request-method`: case-sensitive, exact, no wildcards.
 * - `query-string`: key/value pairs, key optional, case-insensitive, wildcards, compared after
 *   percent-decoding; matches when any pair of the query matches one of the values.
 * - `source-ip`: CIDR blocks against the connection's peer address (not X-Forwarded-For).
 */
import { BlockList, isIPv4 } from 'node:net';
import type { Action, Condition, RuleConfig } from './config.js';
import { anyOf, compileWildcard, type Matcher } from './wildcard.js';

/** What rule conditions look at. Header names are lower-case, as node:http gives them. */
export interface RequestView {
  method: string;
  /** The request target as received: path and optional `?query`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  sourceIp: string;
}

type Test = (r: RequestView) => boolean;

export interface CompiledRule { priority: number; id?: string; test: Test; action: Action }
export interface RuleTable { rules: CompiledRule[]; defaultAction: Action }

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** The Host header (or HTTP/2 :authority) without its port. */
export function hostOf(headers: RequestView['headers']): string {
  const raw = headers.host ?? headers[':authority'];
  const h = Array.isArray(raw) ? raw[0] ?? '' : raw ?? '';
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const c = h.indexOf(':');
  return c < 0 ? h : h.slice(0, c);
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) compares as `10.0.0.1`. */
export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

function compileCondition(c: Condition): Test {
  switch (c.field) {
    case 'path-pattern': {
      const m = anyOf(c.values, false);
      return (r) => m(pathOf(r.url));
    }
    case 'host-header': {
      const m = anyOf(c.values, true);
      return (r) => m(hostOf(r.headers));
    }
    case 'http-header': {
      const name = c.headerName.toLowerCase();
      const m = anyOf(c.values, true);
      return (r) => {
        const v = r.headers[name];
        if (v === undefined) return false;
        if (Array.isArray(v)) return v.some(m);
        return m(v);
      };
    }
    case 'http-request-method': {
      const set = new Set(c.values);
      return (r) => set.has(r.method);
    }
    case 'query-string': {
      const pairs = c.values.map((p) => ({
        key: p.key === undefined ? undefined : compileWildcard(decode(p.key), true),
        value: compileWildcard(decode(p.value), true),
      }));
      return (r) => {
        const q = queryOf(r.url);
        if (q === '') return false;
        for (const part of q.split('&')) {
          const eq = part.indexOf('=');
          const k = decode(eq < 0 ? part : part.slice(0, eq));
          const v = decode(eq < 0 ? '' : part.slice(eq + 1));
          for (const p of pairs) if ((p.key === undefined || p.key(k)) && p.value(v)) return true;
        }
        return false;
      };
    }
    case 'source-ip': {
      const list = new BlockList();
      for (const cidr of c.values) {
        const [net, bits] = cidr.split('/');
        const type = isIPv4(net!) ? 'ipv4' : 'ipv6';
        list.addSubnet(net!, Number(bits ?? (type === 'ipv4' ? 32 : 128)), type);
      }
      return (r) => {
        const ip = plainIp(r.sourceIp);
        return list.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
      };
    }
  }
}

function terminal(actions: Action[]): Action {
  const a = actions[0];
  if (!a) throw new Error('a rule needs an action');
  return a;
}

export function compileRules(rules: readonly RuleConfig[] | undefined, defaultActions: Action[]): RuleTable {
  const compiled = [...(rules ?? [])]
    .sort((a, b) => a.priority - b.priority)
    .map((r): CompiledRule => {
      const tests = r.conditions.map(compileCondition);
      const test: Test = tests.length === 1 ? tests[0]! : (req) => tests.every((t) => t(req));
      return { priority: r.priority, id: r.id, test, action: terminal(r.actions) };
    });
  return { rules: compiled, defaultAction: terminal(defaultActions) };
}

/** The action for a request: the first matching rule's, else the default. */
export function matchRule(request: RequestView, table: RuleTable): Action {
  for (const r of table.rules) if (r.test(request)) return r.action;
  return table.defaultAction;
}

export type { Matcher };
