import type { CompareOp, Condition, QueryExpr, Subject } from './ast.js';
import { compareVersions, readCount, readDate, readPattern, readVersion, versionPrefix, wildcard } from './values.js';

/** What a query sees of one container instance. */
export interface QueryTarget {
  ec2InstanceId?: string;
  /** attribute name → value (undefined for an attribute that exists with no value) */
  attributes: ReadonlyMap<string, string | undefined>;
  runningTasksCount: number;
  /** epoch milliseconds */
  registeredAt: number;
  agentConnected: boolean;
  agentVersion?: string;
  /** task groups of the tasks on the instance that are not STOPPED, e.g. 'service:web', 'family:x' */
  taskGroups: ReadonlySet<string>;
}

export type Predicate = (t: QueryTarget) => boolean;

/**
 * Turns a tree into a closure, once: values are read, wildcards and regular expressions compiled,
 * here, so evaluating it against thousands of instances only does lookups and comparisons.
 * The tree must come from parseQuery (values already checked); this function does not throw for one.
 *
 * Semantics where the docs are silent, chosen for what an ECS user expects:
 * - Every negative operator is the exact negation of its positive one: `!=`, `not_in`, `!~`,
 *   `!exists`. So on an instance without the attribute, `==`, `in`, `=~` are false and `!=`,
 *   `not_in`, `!~` are true; ordering operators (`<`, `>=`, …) are false.
 * - An attribute that exists with no value compares as the empty string.
 * - `task:group` is a set: `==`, `in`, `=~` hold when ANY task on the instance is in a matching
 *   group (`task:group == service:production` selects hosts of that service), and their negations
 *   hold when NO task is (so an empty instance satisfies `task:group != database`).
 * - Ordering on an attribute is numeric when both sides are decimal numbers, by code unit otherwise.
 */
export function compile(e: QueryExpr): Predicate {
  switch (e.kind) {
    case 'and': {
      const l = compile(e.left), r = compile(e.right);
      return (t) => l(t) && r(t);
    }
    case 'or': {
      const l = compile(e.left), r = compile(e.right);
      return (t) => l(t) || r(t);
    }
    case 'not': {
      const p = compile(e.operand);
      return (t) => !p(t);
    }
    default:
      return condition(e);
  }
}

const cache = new WeakMap<QueryExpr, Predicate>();

/** Evaluates a tree against one instance; the compiled form is cached per tree object. */
export function evaluateQuery(expr: QueryExpr, t: QueryTarget): boolean {
  let p = cache.get(expr);
  if (!p) cache.set(expr, (p = compile(expr)));
  return p(t);
}

const negate = (p: Predicate): Predicate => (t) => !p(t);

function condition(c: Condition): Predicate {
  if (c.kind === 'exists') {
    // The parser admits `exists` on attributes only.
    const name = c.subject.name;
    const has: Predicate = (t) => t.attributes.has(name);
    return c.negated ? negate(has) : has;
  }
  if (c.kind === 'compare' && c.op !== 'equals' && c.op !== 'not_equals') return ordered(c.subject, c.op, c.value);
  // Positive string test, then negated for !=, not_in, !~.
  let test: (s: string) => boolean;
  let negated: boolean;
  if (c.kind === 'matches') {
    const re = readPattern(c.pattern)!;
    test = (s) => re.test(s);
    negated = c.negated;
  } else {
    const values = c.kind === 'in' ? c.values : [c.value];
    negated = c.kind === 'in' ? c.negated : c.op === 'not_equals';
    const exact = exactEquality(c.subject, values);
    if (exact) {
      const p = exact;
      return negated ? negate(p) : p;
    }
    const tests = values.map((v) => wildcard(normalise(c.subject, v)));
    test = tests.length === 1 ? tests[0]! : (s) => tests.some((f) => f(s));
  }
  const p = stringPredicate(c.subject, test);
  return negated ? negate(p) : p;
}

/** agentConnected is a boolean; `true`/`false` arguments are accepted in any case. */
function normalise(s: Subject, v: string): string {
  return s.kind === 'field' && s.name === 'agentConnected' ? v.toLowerCase() : v;
}

/**
 * `==` / `in` on subjects whose values are not plain strings (counts, dates, versions), or a fast
 * path (a set lookup) for task groups without wildcards. Undefined when string matching applies.
 */
function exactEquality(s: Subject, values: readonly string[]): Predicate | undefined {
  if (s.kind !== 'field') return undefined;
  switch (s.name) {
    case 'runningTasksCount': {
      const ns = new Set(values.map((v) => readCount(v)!));
      return (t) => ns.has(t.runningTasksCount);
    }
    case 'registeredAt': {
      const spans = values.map((v) => readDate(v)!);
      return (t) => spans.some((d) => t.registeredAt >= d.start && t.registeredAt < d.end);
    }
    case 'agentVersion': {
      if (values.some((v) => v.includes('*'))) return undefined;
      const vs = values.map((v) => readVersion(v)!);
      return (t) => {
        const have = t.agentVersion === undefined ? undefined : versionPrefix(t.agentVersion);
        return have !== undefined && vs.some((v) => compareVersions(have, v) === 0);
      };
    }
    case 'task:group': {
      if (values.some((v) => v.includes('*'))) return undefined;
      return (t) => values.some((v) => t.taskGroups.has(v));
    }
    default:
      return undefined;
  }
}

/** Applies a test to the subject's string value(s): false when absent, any-of for task groups. */
function stringPredicate(s: Subject, test: (v: string) => boolean): Predicate {
  if (s.kind === 'attribute') {
    const name = s.name;
    return (t) => {
      const v = t.attributes.get(name);
      return v !== undefined ? test(v) : t.attributes.has(name) && test('');
    };
  }
  switch (s.name) {
    case 'agentConnected':
      return (t) => test(t.agentConnected ? 'true' : 'false');
    case 'agentVersion':
      return (t) => t.agentVersion !== undefined && test(t.agentVersion);
    case 'ec2InstanceId':
      return (t) => t.ec2InstanceId !== undefined && test(t.ec2InstanceId);
    case 'task:group':
      return (t) => {
        for (const g of t.taskGroups) if (test(g)) return true;
        return false;
      };
    case 'registeredAt':
      return (t) => test(new Date(t.registeredAt).toISOString());
    case 'runningTasksCount':
      return (t) => test(String(t.runningTasksCount));
  }
}

type Order = Exclude<CompareOp, 'equals' | 'not_equals'>;

/** `a OP b` from the sign of a three-way comparison. */
function bySign(op: Order): (d: number) => boolean {
  switch (op) {
    case 'greater_than': return (d) => d > 0;
    case 'greater_than_equal': return (d) => d >= 0;
    case 'less_than': return (d) => d < 0;
    case 'less_than_equal': return (d) => d <= 0;
  }
}

function ordered(s: Subject, op: Order, value: string): Predicate {
  const ok = bySign(op);
  if (s.kind === 'attribute') {
    const name = s.name;
    const num = asNumber(value);
    return (t) => {
      if (!t.attributes.has(name)) return false;
      const v = t.attributes.get(name) ?? '';
      const n = num === undefined ? undefined : asNumber(v);
      return ok(n !== undefined ? n - num! : v < value ? -1 : v > value ? 1 : 0);
    };
  }
  switch (s.name) {
    case 'runningTasksCount': {
      const n = readCount(value)!;
      return (t) => ok(t.runningTasksCount - n);
    }
    case 'registeredAt': {
      // Against a span: before its start is "less", at or after its end is "greater", inside is equal.
      const d = readDate(value)!;
      return (t) => ok(t.registeredAt < d.start ? -1 : t.registeredAt >= d.end ? 1 : 0);
    }
    case 'agentVersion': {
      const want = readVersion(value)!;
      return (t) => {
        const have = t.agentVersion === undefined ? undefined : versionPrefix(t.agentVersion);
        return have !== undefined && ok(compareVersions(have, want));
      };
    }
    default:
      // The parser admits ordering operators only on the subjects above.
      return () => false;
  }
}

function asNumber(s: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}
