/**
 * What a value means for the subject it is compared with: dates for `registeredAt`, counts for
 * `runningTasksCount`, versions for `agentVersion`, wildcards and regular expressions for strings.
 * Each reader returns undefined for text it does not accept; the parser turns that into a
 * QuerySyntaxError, so the compiler can rely on every value being readable.
 */

/**
 * A date argument, read as the span of time its precision names: `2018-02-13` is that whole UTC
 * day, `2018-06-18T22:28:28Z` that second. So `registeredAt < 2018-02-13` means "before that day",
 * `registeredAt == 2018-02-13` "during that day" and `registeredAt <= 2018-02-13` "up to the end of
 * that day". The docs list the formats (`2018-06-18T22:28:28+00:00`, `…Z`, `2018-06-18T22:28:28`,
 * `2018-06-18`) but not this; it is what a reader of those examples expects. A time without an
 * offset is taken as UTC (ECS reports registeredAt in UTC). Fractional seconds are accepted.
 */
export interface DateSpan {
  /** epoch milliseconds, inclusive */
  readonly start: number;
  /** epoch milliseconds, exclusive */
  readonly end: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export function readDate(text: string): DateSpan | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const day0 = Date.UTC(year, month - 1, day);
  const check = new Date(day0);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (h === undefined) return { start: day0, end: day0 + 86_400_000 };
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3)), om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const start = day0 + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
  return { start, end: start + (frac ? 1 : 1000) };
}

/** A count: a non-negative decimal integer. */
export function readCount(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** A version such as `1.14.5` (digits and dots, an optional leading `v`). */
export function readVersion(text: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)$/i.exec(text);
  return m ? m[1]!.split('.').map(Number) : undefined;
}

/**
 * Orders versions part by part, numerically; a missing part counts as 0 (`1.14` == `1.14.0`).
 * An agent version with a suffix (`1.14.5-beta`) is compared on its numeric prefix.
 */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function versionPrefix(text: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)/i.exec(text);
  return m ? m[1]!.split('.').map(Number) : undefined;
}

/**
 * A test for one `==` / `in` value: `*` matches any run of characters (ECS attribute values cannot
 * contain `*`, so it needs no escape); without `*` it is plain, case-sensitive string equality.
 */
export function wildcard(value: string): (s: string) => boolean {
  if (!value.includes('*')) return (s) => s === value;
  if (/^\*+$/.test(value)) return () => true;
  const re = new RegExp('^' + value.split('*').map(escapeRegExp).join('.*') + '$', 's');
  return (s) => re.test(s);
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}/-]/g, '\\$&');
}

/**
 * The argument of `=~` / `!~`. ECS takes a java.util.regex.Pattern; we compile it as a JavaScript
 * RegExp matched against the whole value (Java's `Pattern.matches` semantics, so `g2.*` means
 * "starts with g2"). A leading Java inline flag group such as `(?i)` or `(?is)` becomes
 * RegExp flags. Java-only syntax (possessive quantifiers, `\A`, `\Z`) is not
 * translated and is rejected when JavaScript cannot compile it. Returns undefined when invalid.
 */
export function readPattern(text: string): RegExp | undefined {
  let flags = '';
  let body = text;
  const inline = /^\(\?([ism]+)\)/.exec(body);
  if (inline) {
    flags = [...new Set(inline[1]!)].join('');
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(`^(?:${body})$`, flags);
  } catch {
    return undefined;
  }
}
