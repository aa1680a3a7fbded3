/**
 * Shared pieces of the filter pattern dialects: `*` wildcards in string values and the numeric
 * literals comparisons take.
 */

const escape = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A whole-value matcher where `*` stands for any run of characters (CloudWatch Logs' wildcard). */
export function wildcard(value: string): (s: string) => boolean {
  if (!value.includes('*')) return (s) => s === value;
  if (value === '*') return () => true;
  const re = new RegExp(`^${value.split('*').map(escape).join('.*')}$`, 's');
  return (s) => re.test(s);
}

/** An integer or decimal with optional sign, or either in scientific notation (`10e-3`). */
export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=';

export function compareNumbers(op: Comparison, a: number, b: number): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
  }
}

/**
 * A `%…%` regular expression of a filter pattern. CloudWatch Logs documents a subset (no `(` `)`
 * groups); Berth rejects groups as it does and otherwise uses JavaScript's RegExp, unanchored.
 */
export function filterRegex(source: string, fail: (detail: string) => never): RegExp {
  if (/(^|[^\\])[()]/.test(source)) fail('the () operator is not supported in regular expressions');
  try {
    return new RegExp(source);
  } catch {
    return fail(`invalid regular expression %${source}%`);
  }
}
