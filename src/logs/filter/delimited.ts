import { invalidParameter } from '../errors.js';
import { compareNumbers, NUMBER, wildcard, type Comparison } from './wildcard.js';

/**
 * The space-delimited dialect, `[ip, user, ..., status_code = 4*, bytes > 1000]` (CloudWatch
 * Logs User Guide, "Filter pattern syntax", space-delimited log events):
 *  - the message splits on spaces into fields; text inside `[…]` or `"…"` is one field (without
 *    the brackets or quotes);
 *  - each comma-separated slot names a field; `...` stands for any number of fields; without an
 *    ellipsis the field counts must be equal;
 *  - an empty slot is an unnamed field (known as `$<position>`, as every field also is);
 *  - a slot may carry conditions: `= value` / `!= value` (with `*` wildcards) and `< > <= >=`
 *    numbers, chained with `&&` / `||`, where a later condition may name another field
 *    (`status_code = 4* && bytes > 1000`).
 */
export type DelimitedTest = (message: string) => boolean;

const fail = (detail: string): never => {
  throw invalidParameter(`Invalid filter pattern: ${detail}`);
};

interface Condition { field: string; op: Comparison; value: string }
/** Conditions of one slot: OR of AND-groups. */
type Slot = { ellipsis: true } | { ellipsis: false; name: string; anyOf: Condition[][] };

const COND = /^\s*([A-Za-z0-9_$]+)\s*(!=|<=|>=|=|<|>)\s*(.+?)\s*$/;

function parseSlot(text: string, index: number): Slot {
  const t = text.trim();
  if (t === '...') return { ellipsis: true };
  if (t === '') return { ellipsis: false, name: `$${index + 1}`, anyOf: [] };
  const name = /^[A-Za-z0-9_$]+/.exec(t)?.[0];
  if (!name) return fail(`invalid field '${t}'`);
  if (t.length === name.length) return { ellipsis: false, name, anyOf: [] };
  const anyOf = t.split('||').map((alt) =>
    alt.split('&&').map((c): Condition => {
      const m = COND.exec(c);
      if (!m) return fail(`invalid condition '${c.trim()}'`);
      let value = m[3];
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      const op = m[2] as Comparison;
      if (op !== '=' && op !== '!=' && !NUMBER.test(value)) fail(`${op} needs a number, got ${value}`);
      return { field: m[1], op, value };
    }),
  );
  return { ellipsis: false, name, anyOf };
}

/** Splits a message into fields: spaces separate, `[…]` and `"…"` group. */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = message.length;
  while (i < n) {
    while (i < n && message[i] === ' ') i++;
    if (i >= n) break;
    const open = message[i];
    const close = open === '[' ? ']' : open === '"' ? '"' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        out.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < n && message[j] !== ' ') j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}

function holds(c: Condition, fields: ReadonlyMap<string, string>): boolean {
  const v = fields.get(c.field);
  if (v === undefined) return false;
  if (c.op !== '=' && c.op !== '!=') return NUMBER.test(v) && compareNumbers(c.op, Number(v), Number(c.value));
  const equal = NUMBER.test(c.value) && NUMBER.test(v) ? Number(v) === Number(c.value) : wildcard(c.value)(v);
  return equal === (c.op === '=');
}

export function parseDelimitedPattern(body: string): DelimitedTest {
  // An empty slot is an unnamed field: the User Guide's `[..., request=*.html*, status_code=4*,]`
  // ends with one, which its extracted fields show as `$7`.
  const slots = body.split(',').map(parseSlot);
  return (message) => {
    const fields = splitFields(message);
    const bound = new Map<string, string>();
    const conditionsHold = (): boolean =>
      slots.every((s) => s.ellipsis || s.anyOf.length === 0 || s.anyOf.some((all) => all.every((c) => holds(c, bound))));
    // Assigns fields to slots left to right; an ellipsis tries every length (backtracking).
    const assign = (slot: number, field: number): boolean => {
      if (slot === slots.length) return field === fields.length && conditionsHold();
      const s = slots[slot];
      if (s.ellipsis) {
        for (let k = field; k <= fields.length; k++) if (assign(slot + 1, k)) return true;
        return false;
      }
      if (field >= fields.length) return false;
      bound.set(s.name, fields[field]);
      bound.set(`$${slot + 1}`, fields[field]);
      return assign(slot + 1, field + 1);
    };
    return assign(0, 0);
  };
}
