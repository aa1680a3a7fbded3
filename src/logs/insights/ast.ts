/**
 * The parsed form of a Logs Insights query: a pipeline of commands over log records. Only the
 * common commands are supported (fields, display, filter, stats … by, sort, limit, parse, dedup);
 * anything else is a MalformedQueryException at parse time, never a silent no-op.
 */
export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'str'; readonly v: string }
  | { readonly k: 'regex'; readonly re: RegExp }
  /** A time span such as `5m` (in bin()/datefloor()), in milliseconds. */
  | { readonly k: 'dur'; readonly ms: number }
  | { readonly k: 'field'; readonly name: string }
  /** `*` as the argument of count(*). */
  | { readonly k: 'star' }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly k: 'op'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'and' | 'or'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'not'; readonly e: Expr }
  | { readonly k: 'neg'; readonly e: Expr }
  | { readonly k: 'like'; readonly e: Expr; readonly pattern: Expr; readonly negated: boolean }
  | { readonly k: 'in'; readonly e: Expr; readonly list: readonly Expr[]; readonly negated: boolean };

export interface Named {
  readonly expr: Expr;
  /** The output name: the alias, else the expression's text as written. */
  readonly name: string;
}

export type Command =
  | { readonly c: 'fields'; readonly items: readonly Named[] }
  | { readonly c: 'display'; readonly names: readonly string[] }
  | { readonly c: 'filter'; readonly expr: Expr }
  | { readonly c: 'stats'; readonly aggs: readonly Named[]; readonly by: readonly Named[] }
  | { readonly c: 'sort'; readonly keys: readonly { readonly name: string; readonly desc: boolean }[] }
  | { readonly c: 'limit'; readonly n: number }
  | { readonly c: 'parse'; readonly source: Expr; readonly re: RegExp; readonly names: readonly string[] }
  | { readonly c: 'dedup'; readonly names: readonly string[] };

export const AGGREGATES: ReadonlySet<string> = new Set(['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'earliest', 'latest']);

export const SCALARS: ReadonlySet<string> = new Set([
  'ispresent', 'isempty', 'isblank', 'strlen', 'tolower', 'toupper', 'concat', 'trim', 'ltrim', 'rtrim', 'substr', 'replace',
  'strcontains', 'abs', 'ceil', 'floor', 'greatest', 'least', 'coalesce', 'bin', 'datefloor', 'dateceil', 'frommillis', 'tomillis',
]);

/** Does the expression yield a timestamp (output as `YYYY-MM-DD HH:MM:SS.mmm`)? */
export function isTimeExpr(e: Expr): boolean {
  if (e.k === 'field') return e.name === '@timestamp' || e.name === '@ingestionTime';
  if (e.k !== 'call') return false;
  const fn = e.fn.toLowerCase();
  if (fn === 'bin' || fn === 'datefloor' || fn === 'dateceil' || fn === 'frommillis') return true;
  return ['min', 'max', 'earliest', 'latest'].includes(fn) && e.args.length === 1 && isTimeExpr(e.args[0]);
}
