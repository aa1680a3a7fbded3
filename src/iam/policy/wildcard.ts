/**
 * Wildcard matching as IAM does it: `*` matches any run of characters (including none), `?`
 * exactly one. Patterns reach the matcher "compiled": a wildcard written in the policy is the
 * private character STAR or ONE, so text a policy variable inserted (`${*}`, a user name that
 * contains `*`) stays literal. Pure; linear backtracking, no regular expressions.
 */
export const STAR = '\u0000';
export const ONE = '\u0001';

/** A policy's literal text as a compiled pattern: its `*` and `?` become wildcards. */
export const compile = (text: string): string => text.replace(/\*/g, STAR).replace(/\?/g, ONE);

/** Whether `value` matches the compiled `pattern`; case-insensitive when told (action names). */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === ONE || (p[pi] !== STAR && p[pi] === v[vi]))) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === STAR) {
      starAt = pi++;
      resumeAt = vi;
    } else if (starAt >= 0) {
      pi = starAt + 1;
      vi = ++resumeAt;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === STAR) pi++;
  return pi === p.length;
}

/**
 * ARN matching (the `Resource` element, ArnEquals/ArnLike), case-sensitive, as the IAM User Guide
 * describes wildcards in resource ARNs: they work within the colon-separated segments, and a `*`
 * that ends a segment (followed by `:` or ending the pattern) may extend past colon boundaries.
 * So `arn:aws:ecs:us-*` covers every ECS ARN in a `us-` region, while the `*` of `*1:` stays
 * within its segment. `?` matches one character other than a colon.
 */
export function arnMatch(pattern: string, value: string): boolean {
  if (pattern === STAR) return true;
  const n = value.length;
  // prev[j]: the pattern so far matches value[0, j).
  let prev = new Array<boolean>(n + 1).fill(false);
  prev[0] = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = new Array<boolean>(n + 1).fill(false);
    if (c === STAR) {
      const crosses = i + 1 === pattern.length || pattern[i + 1] === ':';
      for (let j = 0; j <= n; j++) {
        next[j] = prev[j]! || (j > 0 && next[j - 1]! && (crosses || value[j - 1] !== ':'));
      }
    } else {
      for (let j = 1; j <= n; j++) next[j] = prev[j - 1]! && (c === ONE ? value[j - 1] !== ':' : value[j - 1] === c);
    }
    prev = next;
  }
  return prev[n]!;
}
