import type { ConditionContext } from './context.js';
import type { Version } from './document.js';
import { compile } from './wildcard.js';

/**
 * Policy variables (IAM User Guide, "IAM policy elements: Variables and tags"): `${aws:username}`
 * in a Resource or a condition value is replaced by the request context's value of that key.
 * `${key, 'default'}` falls back to the default; `${*}`, `${?}` and `${$}` stand for those
 * characters taken literally. Only policies of Version 2012-10-17 have variables; in 2008-10-17
 * the text is literal. A variable that cannot be resolved (key absent, or multi-valued) makes
 * the element it is in unresolved: `substitute` returns undefined and the element matches
 * nothing.
 */
const VARIABLE = /\$\{([^}]*)\}/g;
const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', '$': '$' };

/**
 * The text with its variables replaced. `pattern`: the result is a compiled wildcard pattern
 * (see wildcard.ts) in which the policy's own `*`/`?` are wildcards and inserted values are
 * literal; otherwise plain text.
 */
export function substitute(text: string, version: Version, ctx: ConditionContext, pattern: boolean): string | undefined {
  const literal = (s: string): string => (pattern ? compile(s) : s);
  if (version !== '2012-10-17' || !text.includes('${')) return literal(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    out += literal(text.slice(last, m.index));
    last = m.index + m[0].length;
    const value = resolve(m[1]!, ctx);
    if (value === undefined) return undefined;
    out += value;
  }
  return out + literal(text.slice(last));
}

function resolve(body: string, ctx: ConditionContext): string | undefined {
  const trimmed = body.trim();
  if (Object.hasOwn(SPECIAL, trimmed)) return SPECIAL[trimmed];
  const comma = trimmed.indexOf(',');
  const key = (comma < 0 ? trimmed : trimmed.slice(0, comma)).trim();
  const v = key === '' ? undefined : ctx.get(key);
  if (typeof v === 'string') return v;
  if (comma < 0) return undefined;
  const def = /^'((?:[^']|'')*)'$/.exec(trimmed.slice(comma + 1).trim());
  return def ? def[1]!.replace(/''/g, "'") : undefined;
}
