import { invalidParameter } from '../errors.js';
import { compareNumbers, filterRegex, NUMBER, wildcard, type Comparison } from './wildcard.js';

/**
 * The JSON dialect of filter patterns, `{ … }` (CloudWatch Logs User Guide, "Filter pattern
 * syntax", JSON log events):
 *  - `{ $.eventType = "UpdateTrail" }`, `{ $.sourceIPAddress != 123.123.* }`: string equality,
 *    quoted or bare, with `*` wildcards; a selector names `$`, `.property` and `[index]` steps;
 *  - `{ $.latency >= 500 }`, `{ $.numbers[0] < 10e3 }`: numeric comparisons;
 *  - `{ $.message = %regex% }`: a regular expression searched in a string value;
 *  - `IS NULL`, `IS TRUE`, `IS FALSE`, `EXISTS`, `NOT EXISTS`;
 *  - `&&`, `||` and parentheses, `&&` binding tighter.
 * A comparison matches only when its selector reaches a value node (string, number, boolean):
 * `{ $.users = 1 }` and `{ $.users != 1 }` both fail when `users` is an array or absent. A
 * message that is not JSON matches no JSON pattern.
 */
export type JsonTest = (doc: unknown) => boolean;

type Token = { kind: 'op' | 'word' | 'string' | 'regex' | 'selector'; text: string; at: number };

const fail = (detail: string): never => {
  throw invalidParameter(`Invalid filter pattern: ${detail}`);
};

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('&&', i) || src.startsWith('||', i) || src.startsWith('!=', i) || src.startsWith('<=', i) || src.startsWith('>=', i)) {
      out.push({ kind: 'op', text: src.slice(i, i + 2), at: i });
      i += 2;
    } else if ('()=<>'.includes(c)) {
      out.push({ kind: 'op', text: c, at: i++ });
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j++];
      }
      if (j >= src.length) fail('unterminated string');
      out.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (c === '%') {
      const end = src.indexOf('%', i + 1);
      if (end < 0) fail('unterminated regular expression');
      out.push({ kind: 'regex', text: src.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      let j = i;
      while (j < src.length && !/[\s()=<>!&|"]/.test(src[j])) j++;
      if (j === i) fail(`unexpected '${c}'`);
      const text = src.slice(i, j);
      out.push({ kind: text.startsWith('$') ? 'selector' : 'word', text, at: i });
      i = j;
    }
  }
  return out;
}

/** `$.a.b[0][1].c` → ['a', 'b', 0, 1, 'c']. */
function parseSelector(text: string): (string | number)[] {
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z0-9_\-@]+)|\[(\d+)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (!m || m.index !== at) fail(`invalid selector ${text}`);
    steps.push(m![1] !== undefined ? m![1] : Number(m![2]));
  }
  if (text[0] !== '$') fail(`invalid selector ${text}`);
  return steps;
}

const MISSING = Symbol('missing');

function select(doc: unknown, steps: readonly (string | number)[]): unknown {
  let v: unknown = doc;
  for (const s of steps) {
    if (typeof s === 'number') {
      if (!Array.isArray(v) || s >= v.length) return MISSING;
      v = v[s];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, s)) return MISSING;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}

const isValueNode = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function parseJsonPattern(body: string): JsonTest {
  const tokens = tokenize(body);
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const isOp = (text: string): boolean => peek()?.kind === 'op' && peek()!.text === text;
  const word = (text: string): boolean => peek()?.kind === 'word' && peek()!.text.toUpperCase() === text;

  function or(): JsonTest {
    let left = and();
    while (isOp('||')) {
      p++;
      const a = left;
      const b = and();
      left = (d) => a(d) || b(d);
    }
    return left;
  }
  function and(): JsonTest {
    let left = unary();
    while (isOp('&&')) {
      p++;
      const a = left;
      const b = unary();
      left = (d) => a(d) && b(d);
    }
    return left;
  }
  function unary(): JsonTest {
    if (isOp('(')) {
      p++;
      const inner = or();
      if (!isOp(')')) fail("missing ')'");
      p++;
      return inner;
    }
    return comparison();
  }
  function comparison(): JsonTest {
    const t = tokens[p++];
    if (!t || t.kind !== 'selector') return fail(`expected a selector such as $.field${t ? ` at '${t.text}'` : ''}`);
    const steps = parseSelector(t.text);
    const at = (d: unknown): unknown => select(d, steps);
    if (word('IS')) {
      p++;
      const what = tokens[p++]?.text.toUpperCase();
      if (what === 'NULL') return (d) => at(d) === null;
      if (what === 'TRUE') return (d) => at(d) === true;
      if (what === 'FALSE') return (d) => at(d) === false;
      return fail('IS must be followed by NULL, TRUE or FALSE');
    }
    if (word('NOT')) {
      p++;
      if (!word('EXISTS')) fail('NOT must be followed by EXISTS');
      p++;
      return (d) => at(d) === MISSING;
    }
    if (word('EXISTS')) {
      p++;
      return (d) => at(d) !== MISSING;
    }
    const op = tokens[p++];
    if (!op || op.kind !== 'op' || !['=', '!=', '<', '>', '<=', '>='].includes(op.text)) return fail(`expected a comparison after ${t.text}`);
    const cmp = op.text as Comparison;
    const value = tokens[p++];
    if (!value || value.kind === 'op' || value.kind === 'selector') return fail(`expected a value after ${t.text} ${cmp}`);
    return valueTest(at, cmp, value);
  }

  const test = or();
  if (p < tokens.length) fail(`unexpected '${tokens[p].text}'`);
  return test;
}

function valueTest(at: (d: unknown) => unknown, cmp: Comparison, value: Token): JsonTest {
  const equality = cmp === '=' || cmp === '!=';
  const negate = cmp === '!=';
  if (value.kind === 'regex') {
    if (!equality) fail('a regular expression takes = or !=');
    const re = filterRegex(value.text, fail);
    return (d) => {
      const v = at(d);
      return isValueNode(v) && re.test(String(v)) !== negate;
    };
  }
  const numeric = value.kind === 'word' && NUMBER.test(value.text);
  if (!equality) {
    if (!numeric) fail(`${cmp} needs a number, got ${value.text}`);
    const n = Number(value.text);
    return (d) => {
      const v = at(d);
      return typeof v === 'number' && compareNumbers(cmp, v, n);
    };
  }
  const matches = wildcard(value.text);
  const n = numeric ? Number(value.text) : NaN;
  return (d) => {
    const v = at(d);
    if (!isValueNode(v)) return false;
    const equal = typeof v === 'number' && numeric ? v === n : matches(String(v));
    return equal !== negate;
  };
}
