import { isTimeExpr, type Command, type Expr, type Named } from './ast.js';
import { asNumber, evaluate, formatTimestamp, Row, truthy, type LogRecord, type Value } from './eval.js';

export interface ResultField { field: string; value: string }

export interface QueryStatistics { recordsMatched: number; recordsScanned: number; bytesScanned: number }

/** Rows a buffering stage (sort without a following limit, dedup) may hold before the query fails. */
const MAX_BUFFERED = 200_000;

const DEFAULT_COLUMNS = ['@timestamp', '@message', '@logStream', '@log'];

/**
 * Runs a parsed query over records fed in any order, with memory bounded by the result size:
 *  - the leading streaming commands (fields, parse, filter, display) run per record;
 *  - the first other command gathers: stats aggregates per group, `sort` followed by `limit`
 *    keeps only the top rows, anything else buffers (up to MAX_BUFFERED rows);
 *  - the commands after it run on the gathered rows at the end.
 * Without stats or sort, results are the newest events first (an implicit `sort @timestamp
 * desc`), as the Insights console shows them. `limit` is the StartQuery limit (default 10,000).
 */
export class QueryRun {
  readonly stats: QueryStatistics = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
  private readonly commands: Command[];
  private readonly split: number;
  private readonly timeColumns = new Set(['@timestamp', '@ingestionTime']);
  private columns: string[] | undefined;
  private rows: Row[] = [];
  private readonly groups = new Map<string, { row: Row; accs: Accumulator[] }>();
  /** Top-K bound when the gathering command is a sort directly followed by a limit. */
  private readonly topK: number | undefined;

  constructor(commands: readonly Command[], private readonly limit = 10_000) {
    const cmds = [...commands];
    if (!cmds.some((c) => c.c === 'stats' || c.c === 'sort')) {
      const firstLimit = cmds.findIndex((c) => c.c === 'limit');
      cmds.splice(firstLimit < 0 ? cmds.length : firstLimit, 0, { c: 'sort', keys: [{ name: '@timestamp', desc: true }] });
    }
    this.commands = cmds;
    const streaming = new Set(['fields', 'parse', 'filter', 'display']);
    let split = cmds.findIndex((c) => !streaming.has(c.c));
    if (split < 0) split = cmds.length;
    this.split = split;
    const gather = cmds[split];
    const next = cmds[split + 1];
    if (gather?.c === 'sort') this.topK = next?.c === 'limit' ? Math.min(next.n, limit) : split + 1 === cmds.length ? limit : undefined;
    for (const c of cmds.slice(0, split)) this.project(c);
  }

  feed(record: LogRecord): void {
    this.stats.recordsScanned++;
    this.stats.bytesScanned += Buffer.byteLength(record.message);
    let row = new Row(record);
    for (let i = 0; i < this.split; i++) {
      const r = apply(this.commands[i], row);
      if (!r) return;
      row = r;
    }
    this.stats.recordsMatched++;
    const gather = this.commands[this.split];
    if (gather?.c === 'stats') {
      this.aggregate(gather, row);
      return;
    }
    this.rows.push(row);
    if (gather?.c === 'sort' && this.topK !== undefined) {
      if (this.rows.length >= 2 * this.topK + 1000) this.rows = sortRows(this.rows, gather.keys).slice(0, this.topK);
    } else if (this.rows.length > MAX_BUFFERED) {
      throw new RangeError(`the query needs more than ${MAX_BUFFERED} rows in memory; add a limit`);
    }
  }

  /** The results so far (complete once every record has been fed). */
  results(): ResultField[][] {
    let rows = this.rows;
    let rest = this.commands.slice(this.split);
    const gather = rest[0];
    if (gather?.c === 'stats') {
      this.project(gather);
      rows = [...this.groups.values()].map(({ row, accs }) => {
        gather.aggs.forEach((a, i) => row.put(a.name, accs[i].value()));
        return row;
      });
      rest = rest.slice(1);
    }
    const isStats = gather?.c === 'stats';
    for (const c of rest) {
      if (c.c === 'sort') rows = sortRows(rows, c.keys);
      else if (c.c === 'limit') rows = rows.slice(0, c.n);
      else if (c.c === 'dedup') rows = dedup(rows, c.names);
      else {
        this.project(c);
        rows = rows.map((r) => apply(c, r)).filter((r): r is Row => r !== undefined);
      }
    }
    const columns = this.columns ?? DEFAULT_COLUMNS;
    return rows.slice(0, this.limit).map((row) => {
      const out: ResultField[] = [];
      for (const field of columns) {
        const v = row.get(field);
        if (v !== undefined) out.push({ field, value: this.format(field, v) });
      }
      if (!isStats) out.push({ field: '@ptr', value: String(row.get('@ptr')) });
      return out;
    });
  }

  private format(field: string, v: Value): string {
    return this.timeColumns.has(field) && typeof v === 'number' ? formatTimestamp(v) : String(v);
  }

  /** Tracks which columns a command shows and which of them hold timestamps. */
  private project(c: Command): void {
    const mark = (n: Named): string => {
      if (isTimeExpr(n.expr)) this.timeColumns.add(n.name);
      return n.name;
    };
    if (c.c === 'fields') {
      const names = c.items.map(mark);
      this.columns = [...new Set([...(this.columns ?? []), ...names])];
    } else if (c.c === 'display') {
      this.columns = [...c.names];
    } else if (c.c === 'stats') {
      this.columns = [...c.by.map(mark), ...c.aggs.map(mark)];
    } else if (c.c === 'parse') {
      // parsed fields are available, not shown unless a fields/display names them
    }
  }

  private aggregate(c: Extract<Command, { c: 'stats' }>, row: Row): void {
    const byValues = c.by.map((b) => evaluate(b.expr, row));
    const key = JSON.stringify(byValues);
    let g = this.groups.get(key);
    if (!g) {
      const out = new Row();
      c.by.forEach((b, i) => out.put(b.name, byValues[i]));
      g = { row: out, accs: c.aggs.map((a) => accumulator(a.expr)) };
      this.groups.set(key, g);
    }
    for (const acc of g.accs) acc.add(row);
  }
}

/** Applies a streaming command; undefined when the row is filtered out. */
function apply(c: Command, row: Row): Row | undefined {
  switch (c.c) {
    case 'filter':
      return truthy(evaluate(c.expr, row)) ? row : undefined;
    case 'fields':
      for (const item of c.items) if (item.expr.k !== 'field' || item.expr.name !== item.name) row.put(item.name, evaluate(item.expr, row));
      return row;
    case 'parse': {
      const source = evaluate(c.source, row);
      const m = typeof source === 'string' ? c.re.exec(source) : null;
      c.names.forEach((name, i) => row.put(name, m ? (m.groups?.[name] ?? m[i + 1]) : undefined));
      return row;
    }
    default:
      return row;
  }
}

function compareValues(a: Value, b: Value): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function sortRows(rows: Row[], keys: readonly { name: string; desc: boolean }[]): Row[] {
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const va = a.get(k.name);
      const vb = b.get(k.name);
      // Missing values sort last in either direction.
      if (va === undefined || vb === undefined) {
        if (va !== vb) return va === undefined ? 1 : -1;
        continue;
      }
      const d = compareValues(va, vb);
      if (d !== 0) return k.desc ? -d : d;
    }
    return 0;
  });
}

function dedup(rows: Row[], names: readonly string[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify(names.map((n) => r.get(n) ?? null));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Accumulator { add(row: Row): void; value(): Value }

function accumulator(e: Expr): Accumulator {
  if (e.k !== 'call') throw new TypeError('not an aggregate');
  const arg = e.args[0];
  const valueOf = (row: Row): Value => (arg === undefined || arg.k === 'star' ? 1 : evaluate(arg, row));
  switch (e.fn) {
    case 'count': {
      let n = 0;
      return { add: (r) => void (valueOf(r) !== undefined && n++), value: () => n };
    }
    case 'count_distinct': {
      const seen = new Set<string>();
      return { add: (r) => { const v = valueOf(r); if (v !== undefined) seen.add(String(v)); }, value: () => seen.size };
    }
    case 'sum':
    case 'avg': {
      let sum = 0;
      let n = 0;
      return {
        add: (r) => { const v = asNumber(valueOf(r)); if (v !== undefined) { sum += v; n++; } },
        value: () => (n === 0 ? undefined : e.fn === 'sum' ? sum : sum / n),
      };
    }
    case 'min':
    case 'max': {
      let best: number | undefined;
      const better = e.fn === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
      return { add: (r) => { const v = asNumber(valueOf(r)); if (v !== undefined && (best === undefined || better(v, best))) best = v; }, value: () => best };
    }
    default: {
      // earliest / latest: the value at the smallest / largest @timestamp.
      let at: number | undefined;
      let held: Value;
      const later = e.fn === 'latest';
      return {
        add: (r) => {
          const v = valueOf(r);
          const t = asNumber(r.get('@timestamp')) ?? 0;
          if (v !== undefined && (at === undefined || (later ? t >= at : t < at))) { at = t; held = v; }
        },
        value: () => held,
      };
    }
  }
}
