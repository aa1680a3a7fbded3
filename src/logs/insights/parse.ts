import { malformedQuery } from '../errors.js';
import { AGGREGATES, SCALARS, type Command, type Expr, type Named } from './ast.js';

/**
 * A recursive-descent parser of Logs Insights query text. Commands are separated by `|`; `#`
 * starts a comment to the end of the line; keywords are case-insensitive; strings take single or
 * double quotes; `/…/` is a regular expression where a pattern is expected (after `like`, `=~`,
 * in `parse`); field names may be back-quoted. Errors are MalformedQueryException naming the
 * position, as the service's "unexpected symbol" messages do.
 */
const DURATION_UNITS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, d: 86_400_000, w: 604_800_000,
};

class Scanner {
  i = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    const before = this.src.slice(0, this.i);
    const line = before.split('\n').length;
    const col = this.i - before.lastIndexOf('\n');
    throw malformedQuery(`${what} at line ${line} and position ${col}`);
  }

  ws(): void {
    for (;;) {
      while (this.i < this.src.length && /\s/.test(this.src[this.i])) this.i++;
      if (this.src[this.i] !== '#') return;
      while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
    }
  }

  peekChar(): string | undefined {
    this.ws();
    return this.src[this.i];
  }

  /** Consumes `s` (a symbol) if it comes next. */
  eat(s: string): boolean {
    this.ws();
    if (this.src.startsWith(s, this.i)) {
      this.i += s.length;
      return true;
    }
    return false;
  }

  /** Consumes the keyword `k` (whole word, any case) if it comes next. */
  keyword(k: string): boolean {
    this.ws();
    const word = /^\w+/.exec(this.src.slice(this.i, this.i + k.length + 1))?.[0];
    if (word?.toLowerCase() !== k) return false;
    this.i += k.length;
    return true;
  }

  expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected '${s}'`);
  }

  /** A field or function name: letters, digits, `_`, `@`, `.`, `$`, or back-quoted. */
  ident(): string | undefined {
    this.ws();
    if (this.src[this.i] === '`') {
      const end = this.src.indexOf('`', this.i + 1);
      if (end < 0) this.fail('unterminated back-quoted name');
      const name = this.src.slice(this.i + 1, end);
      this.i = end + 1;
      return name;
    }
    const m = /^[A-Za-z_@$][\w@$.]*/.exec(this.src.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  string(): string | undefined {
    this.ws();
    const q = this.src[this.i];
    if (q !== '"' && q !== "'") return undefined;
    let j = this.i + 1;
    let out = '';
    while (j < this.src.length && this.src[j] !== q) {
      if (this.src[j] === '\\' && j + 1 < this.src.length) j++;
      out += this.src[j++];
    }
    if (j >= this.src.length) this.fail('unterminated string');
    this.i = j + 1;
    return out;
  }

  regex(): RegExp | undefined {
    this.ws();
    if (this.src[this.i] !== '/') return undefined;
    let j = this.i + 1;
    while (j < this.src.length && this.src[j] !== '/') j += this.src[j] === '\\' ? 2 : 1;
    if (j >= this.src.length) this.fail('unterminated regular expression');
    const body = this.src.slice(this.i + 1, j);
    const flags = /^[a-z]*/.exec(this.src.slice(j + 1))![0];
    this.i = j + 1 + flags.length;
    try {
      // Insights' (?i) prefix means case-insensitive; JavaScript takes it as a flag.
      const insensitive = body.startsWith('(?i)');
      return new RegExp(insensitive ? body.slice(4) : body, insensitive && !flags.includes('i') ? `${flags}i` : flags);
    } catch {
      return this.fail(`invalid regular expression /${body}/`);
    }
  }
}

export function parseQuery(text: string): Command[] {
  const s = new Scanner(text);
  const commands: Command[] = [];
  do {
    commands.push(command(s));
  } while (s.eat('|'));
  if (s.peekChar() !== undefined) s.fail(`unexpected symbol found ${s.src[s.i]}`);
  return commands;
}

function command(s: Scanner): Command {
  const start = s.i;
  const name = s.ident()?.toLowerCase();
  switch (name) {
    case 'fields':
      return { c: 'fields', items: list(s, () => named(s)) };
    case 'display':
      return { c: 'display', names: list(s, () => s.ident() ?? s.fail('expected a field name')) };
    case 'filter':
      return { c: 'filter', expr: expr(s) };
    case 'stats': {
      const aggs = list(s, () => named(s));
      for (const a of aggs) if (a.expr.k !== 'call' || !AGGREGATES.has(a.expr.fn.toLowerCase())) s.fail(`stats needs an aggregate function, got ${a.name}`);
      const by = s.keyword('by') ? list(s, () => named(s)) : [];
      return { c: 'stats', aggs, by };
    }
    case 'sort':
      return {
        c: 'sort',
        keys: list(s, () => {
          const key = s.ident() ?? s.fail('expected a field to sort by');
          const desc = s.keyword('desc') ? true : (s.keyword('asc'), false);
          return { name: key, desc };
        }),
      };
    case 'limit': {
      s.ws();
      const m = /^\d+/.exec(s.src.slice(s.i));
      if (!m) return s.fail('limit needs a number');
      s.i += m[0].length;
      return { c: 'limit', n: Number(m[0]) };
    }
    case 'parse':
      return parseCommand(s);
    case 'dedup':
      return { c: 'dedup', names: list(s, () => s.ident() ?? s.fail('expected a field name')) };
    default:
      s.i = start;
      return s.fail(name ? `unsupported command ${name}` : 'expected a command');
  }
}

/** `parse <field> "glob * with * stars" as a, b` or `parse <field> /(?<a>…)…/`. */
function parseCommand(s: Scanner): Command {
  const source = primary(s);
  const re = s.regex();
  if (re) {
    const names = [...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]);
    if (names.length === 0) s.fail('a parse regular expression needs named groups (?<name>…)');
    return { c: 'parse', source, re, names };
  }
  const glob = s.string() ?? s.fail('parse needs a pattern string or regular expression');
  if (!s.keyword('as')) s.fail("expected 'as'");
  const names = list(s, () => s.ident() ?? s.fail('expected a field name'));
  const pieces = glob.split('*');
  if (pieces.length - 1 !== names.length) s.fail(`the pattern has ${pieces.length - 1} wildcards but ${names.length} names`);
  const esc = (t: string): string => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  // Each `*` captures lazily; a trailing `*` takes the rest of the value.
  let src = esc(pieces[0]);
  for (let k = 1; k < pieces.length; k++) src += (k === pieces.length - 1 && pieces[k] === '' ? '(.*)' : '(.*?)') + esc(pieces[k]);
  return { c: 'parse', source, re: new RegExp(src, 's'), names };
}

function list<T>(s: Scanner, item: () => T): T[] {
  const out = [item()];
  while (s.eat(',')) out.push(item());
  return out;
}

/** An expression with its output name: the alias after `as`, else its text as written. */
function named(s: Scanner): Named {
  s.ws();
  const start = s.i;
  const e = expr(s);
  const text = s.src.slice(start, s.i).trim();
  if (s.keyword('as')) return { expr: e, name: s.ident() ?? s.fail('expected a name after as') };
  return { expr: e, name: text };
}

function expr(s: Scanner): Expr {
  let l = and(s);
  while (s.keyword('or') || s.eat('||')) l = { k: 'or', l, r: and(s) };
  return l;
}

function and(s: Scanner): Expr {
  let l = not(s);
  while (s.keyword('and') || s.eat('&&')) l = { k: 'and', l, r: not(s) };
  return l;
}

function not(s: Scanner): Expr {
  if (s.keyword('not') || (s.peekChar() === '!' && s.src[s.i + 1] !== '=' && s.eat('!'))) return { k: 'not', e: not(s) };
  return comparison(s);
}

function comparison(s: Scanner): Expr {
  const l = additive(s);
  for (const op of ['!=', '<=', '>=', '=~', '=', '<', '>']) {
    if (!s.eat(op)) continue;
    if (op === '=~') return { k: 'like', e: l, pattern: { k: 'regex', re: s.regex() ?? s.fail('expected a regular expression') }, negated: false };
    return { k: 'op', op, l, r: additive(s) };
  }
  const save = s.i;
  const negated = s.keyword('not');
  if (s.keyword('like')) {
    const re = s.regex();
    const pattern: Expr = re ? { k: 'regex', re } : { k: 'str', v: s.string() ?? s.fail('like needs a string or a regular expression') };
    return { k: 'like', e: l, pattern, negated };
  }
  if (s.keyword('in')) {
    s.expect('[');
    const items = s.peekChar() === ']' ? [] : list(s, () => additive(s));
    s.expect(']');
    return { k: 'in', e: l, list: items, negated };
  }
  s.i = save;
  return l;
}

function additive(s: Scanner): Expr {
  let l = multiplicative(s);
  for (;;) {
    const op = s.eat('+') ? '+' : s.peekChar() === '-' && s.eat('-') ? '-' : undefined;
    if (!op) return l;
    l = { k: 'op', op, l, r: multiplicative(s) };
  }
}

function multiplicative(s: Scanner): Expr {
  let l = unary(s);
  for (;;) {
    const op = s.eat('*') ? '*' : s.peekChar() === '/' && s.eat('/') ? '/' : s.eat('%') ? '%' : undefined;
    if (!op) return l;
    l = { k: 'op', op, l, r: unary(s) };
  }
}

function unary(s: Scanner): Expr {
  if (s.eat('-')) return { k: 'neg', e: unary(s) };
  return primary(s);
}

function primary(s: Scanner): Expr {
  s.ws();
  if (s.eat('(')) {
    const e = expr(s);
    s.expect(')');
    return e;
  }
  const str = s.string();
  if (str !== undefined) return { k: 'str', v: str };
  const re = s.regex();
  if (re) return { k: 'regex', re };
  const num = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([A-Za-z]+)?/.exec(s.src.slice(s.i));
  if (num) {
    s.i += num[0].length;
    if (num[2] === undefined) return { k: 'num', v: Number(num[1]) };
    const unit = DURATION_UNITS[num[2].toLowerCase()];
    if (unit === undefined) return s.fail(`unknown time unit ${num[2]}`);
    return { k: 'dur', ms: Number(num[1]) * unit };
  }
  const name = s.ident();
  if (name === undefined) return s.fail(s.i < s.src.length ? `unexpected symbol found ${s.src[s.i]}` : 'unexpected end of query');
  if (s.src[s.i] !== '(') return { k: 'field', name };
  s.i++;
  const fn = name.toLowerCase();
  if (!AGGREGATES.has(fn) && !SCALARS.has(fn)) s.fail(`unknown function ${name}`);
  let args: Expr[] = [];
  if (fn === 'count' && s.eat('*')) args = [{ k: 'star' }];
  else if (s.peekChar() !== ')') args = list(s, () => expr(s));
  s.expect(')');
  return { k: 'call', fn, args };
}
