import type { Expr } from './ast.js';

/**
 * Log records as Insights sees them, and scalar expression evaluation.
 *
 * A record has the system fields (`@timestamp`, `@message`, `@logStream`, `@log`,
 * `@ingestionTime`), the fields discovered in a JSON message (nested keys joined with `.`, array
 * elements as `.0`, `.1` …, parsed only when a query asks for a non-system field), and the
 * fields commands set (`parse`, `fields … as`). A missing field is `undefined`: comparisons with
 * it are false and it is left out of results.
 */
export type Value = string | number | boolean | undefined;

export interface LogRecord {
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  readonly logStream: string;
  /** `<account>:<group>`, as Insights reports `@log`. */
  readonly log: string;
  /** `@ptr`: an opaque handle of the event. */
  readonly ptr: string;
}

export class Row {
  private readonly set = new Map<string, Value>();
  private json: Map<string, Value> | undefined;

  /** `record` undefined: a derived row (a stats group), which has only the values put in it. */
  constructor(readonly record?: LogRecord) {}

  get(name: string): Value {
    if (this.set.has(name)) return this.set.get(name);
    if (!this.record) return undefined;
    switch (name) {
      case '@timestamp': return this.record.timestamp;
      case '@message': return this.record.message;
      case '@logStream': return this.record.logStream;
      case '@log': return this.record.log;
      case '@ingestionTime': return this.record.ingestionTime;
      case '@ptr': return this.record.ptr;
    }
    return this.discovered().get(name);
  }

  put(name: string, value: Value): void {
    this.set.set(name, value);
  }

  private discovered(): Map<string, Value> {
    if (this.json) return this.json;
    this.json = new Map();
    const m = this.record!.message;
    if (m.trimStart().startsWith('{')) {
      try {
        flatten(JSON.parse(m), '', this.json);
      } catch {
        // not JSON: no discovered fields
      }
    }
    return this.json;
  }
}

function flatten(v: unknown, prefix: string, out: Map<string, Value>): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => flatten(x, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, v as string | number | boolean);
  }
}

/** A number when the value reads as one (Insights compares numerically where it can). */
export function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

const asString = (v: Value): string | undefined => (v === undefined ? undefined : String(v));

export function truthy(v: Value): boolean {
  return v !== undefined && v !== false && v !== 0 && v !== '';
}

function compare(op: string, a: Value, b: Value): boolean {
  if (a === undefined || b === undefined) return false;
  const x = asNumber(a);
  const y = asNumber(b);
  const numeric = x !== undefined && y !== undefined;
  const l: number | string = numeric ? x : String(a);
  const r: number | string = numeric ? y : String(b);
  switch (op) {
    case '=': return l === r;
    case '!=': return l !== r;
    case '<': return l < r;
    case '>': return l > r;
    case '<=': return l <= r;
    default: return l >= r;
  }
}

function arithmetic(op: string, a: Value, b: Value): Value {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y === 0 ? undefined : x / y;
    default: return y === 0 ? undefined : x % y;
  }
}

export function evaluate(e: Expr, row: Row): Value {
  switch (e.k) {
    case 'num': return e.v;
    case 'str': return e.v;
    case 'dur': return e.ms;
    case 'regex': return e.re.source;
    case 'star': return 1;
    case 'field': return row.get(e.name);
    case 'neg': {
      const n = asNumber(evaluate(e.e, row));
      return n === undefined ? undefined : -n;
    }
    case 'not': return !truthy(evaluate(e.e, row));
    case 'and': return truthy(evaluate(e.l, row)) && truthy(evaluate(e.r, row));
    case 'or': return truthy(evaluate(e.l, row)) || truthy(evaluate(e.r, row));
    case 'op':
      if (['+', '-', '*', '/', '%'].includes(e.op)) return arithmetic(e.op, evaluate(e.l, row), evaluate(e.r, row));
      return compare(e.op, evaluate(e.l, row), evaluate(e.r, row));
    case 'like': {
      const v = asString(evaluate(e.e, row));
      if (v === undefined) return false;
      const hit = e.pattern.k === 'regex' ? e.pattern.re.test(v) : v.includes(String(evaluate(e.pattern, row)));
      return hit !== e.negated;
    }
    case 'in': {
      const v = evaluate(e.e, row);
      if (v === undefined) return false;
      return e.list.some((x) => compare('=', v, evaluate(x, row))) !== e.negated;
    }
    case 'call': return call(e.fn, e.args, row);
  }
}

function call(fn: string, args: readonly Expr[], row: Row): Value {
  const v = (i: number): Value => (args[i] === undefined ? undefined : evaluate(args[i], row));
  const str = (i: number): string | undefined => asString(v(i));
  const num = (i: number): number | undefined => asNumber(v(i));
  switch (fn) {
    case 'ispresent': return v(0) !== undefined;
    case 'isempty': return v(0) === undefined || v(0) === '';
    case 'isblank': return v(0) === undefined || String(v(0)).trim() === '';
    case 'strlen': return str(0)?.length;
    case 'tolower': return str(0)?.toLowerCase();
    case 'toupper': return str(0)?.toUpperCase();
    case 'trim': return str(0)?.trim();
    case 'ltrim': return str(0)?.trimStart();
    case 'rtrim': return str(0)?.trimEnd();
    case 'concat': return args.map((_, i) => str(i) ?? '').join('');
    case 'substr': {
      const s = str(0);
      const start = num(1) ?? 0;
      return s === undefined ? undefined : args.length > 2 ? s.substr(start, num(2) ?? 0) : s.slice(start);
    }
    case 'replace': return str(0)?.split(str(1) ?? '').join(str(2) ?? '');
    case 'strcontains': return (str(0) ?? '').includes(str(1) ?? '\u0000') ? 1 : 0;
    case 'abs': return num(0) === undefined ? undefined : Math.abs(num(0)!);
    case 'ceil': return num(0) === undefined ? undefined : Math.ceil(num(0)!);
    case 'floor': return num(0) === undefined ? undefined : Math.floor(num(0)!);
    case 'greatest': return Math.max(...args.map((_, i) => num(i) ?? -Infinity));
    case 'least': return Math.min(...args.map((_, i) => num(i) ?? Infinity));
    case 'coalesce': return args.map((_, i) => v(i)).find((x) => x !== undefined);
    case 'bin': {
      const span = num(0);
      const t = row.get('@timestamp');
      return span && typeof t === 'number' ? Math.floor(t / span) * span : undefined;
    }
    case 'datefloor':
    case 'dateceil': {
      const t = num(0);
      const span = num(1);
      if (t === undefined || !span) return undefined;
      return fn === 'datefloor' ? Math.floor(t / span) * span : Math.ceil(t / span) * span;
    }
    case 'frommillis':
    case 'tomillis': return num(0);
    default: return undefined; // aggregates are evaluated by the engine, never here
  }
}

/** `YYYY-MM-DD HH:MM:SS.mmm` (UTC), the form Insights gives timestamps in results. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
