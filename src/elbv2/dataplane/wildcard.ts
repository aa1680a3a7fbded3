/**
 * ELB's wildcard patterns: `*` matches zero or more characters, `?` exactly one; everything else
 * is literal. Host names, header values and query strings compare case-insensitively, paths and
 * methods case-sensitively (the caller says which). Patterns compile once, at apply time.
 */
export type Matcher = (s: string) => boolean;

export function compileWildcard(pattern: string, caseInsensitive: boolean): Matcher {
  const hasWild = pattern.includes('*') || pattern.includes('?');
  if (!hasWild) {
    if (!caseInsensitive) return (s) => s === pattern;
    const lower = pattern.toLowerCase();
    return (s) => s.length === lower.length && s.toLowerCase() === lower;
  }
  let src = '^';
  for (const ch of pattern) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[\\^$.|+()[\]{}\/-]/g, '\\$&');
  }
  const re = new RegExp(src + '$', caseInsensitive ? 'is' : 's');
  return (s) => re.test(s);
}

/** True when any of `patterns` matches `s`. */
export function anyOf(patterns: readonly string[], caseInsensitive: boolean): Matcher {
  const ms = patterns.map((p) => compileWildcard(p, caseInsensitive));
  if (ms.length === 1) return ms[0]!;
  return (s) => {
    for (const m of ms) if (m(s)) return true;
    return false;
  };
}
