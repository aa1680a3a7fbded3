import { invalidFilter } from './errors.js';
import type { Filter } from './params.js';
import type { Tag } from './state.js';

/**
 * EC2's Describe filters. A resource matches when every filter matches (AND), and a filter
 * matches when any of its values matches any of the resource's values for that name (OR).
 * Values may use `*` (any run) and `?` (one character); matching is case-sensitive.
 * `tag:<key>`, `tag-key` and `tag-value` work on every tagged resource. Unknown names are
 * rejected with InvalidParameterValue, as EC2 does.
 */
export type FieldValue = string | number | boolean | undefined | readonly (string | number | boolean | undefined)[];
export type Fields<T> = Readonly<Record<string, (r: T) => FieldValue>>;

function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function valuesOf(v: FieldValue): string[] {
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x) => x !== undefined).map(String);
}

/** The filter function for `filters`, or a throw for an unknown filter name. */
export function matcher<T>(filters: readonly Filter[], fields: Fields<T>, tagsOf?: (r: T) => readonly Tag[]): (r: T) => boolean {
  const tests = filters.map((f): ((r: T) => boolean) => {
    const patterns = f.values.map(glob);
    const any = (vals: string[]): boolean => vals.some((v) => patterns.some((p) => p.test(v)));
    if (tagsOf && f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      return (r) => any(tagsOf(r).filter((t) => t.Key === key).map((t) => t.Value));
    }
    if (tagsOf && f.name === 'tag-key') return (r) => any(tagsOf(r).map((t) => t.Key));
    if (tagsOf && f.name === 'tag-value') return (r) => any(tagsOf(r).map((t) => t.Value));
    const field = Object.hasOwn(fields, f.name) ? fields[f.name] : undefined;
    if (!field) throw invalidFilter(f.name);
    return (r) => any(valuesOf(field(r)));
  });
  return (r) => tests.every((t) => t(r));
}
