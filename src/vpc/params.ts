import { invalidParameterValue, missingParameter } from './errors.js';
import type { Tag } from './state.js';

/**
 * Reading EC2's flattened Query parameters: lists are `Name.1`, `Name.2` …, structures in lists
 * `Name.1.Member`, nested lists `Filter.1.Value.1`. Indexes are 1-based and need not be
 * contiguous; order follows the index.
 */
export type Params = ReadonlyMap<string, string>;

/** The indexed scalar list `prefix.N`, in index order. */
export function list(p: Params, prefix: string): string[] {
  const found: [number, string][] = [];
  const head = `${prefix}.`;
  for (const [k, v] of p) {
    if (!k.startsWith(head)) continue;
    const rest = k.slice(head.length);
    if (/^\d+$/.test(rest)) found.push([Number(rest), v]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** The indexed structure list `prefix.N.*`: one sub-map per index, keyed by the rest of the name. */
export function structs(p: Params, prefix: string): Params[] {
  const byIndex = new Map<number, Map<string, string>>();
  const head = `${prefix}.`;
  for (const [k, v] of p) {
    if (!k.startsWith(head)) continue;
    const m = /^(\d+)\.(.+)$/.exec(k.slice(head.length));
    if (!m) continue;
    const i = Number(m[1]);
    let sub = byIndex.get(i);
    if (!sub) byIndex.set(i, (sub = new Map()));
    sub.set(m[2]!, v);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
}

export function str(p: Params, name: string): string | undefined {
  return p.get(name);
}

/** A required string; EC2 names the parameter in lower camel case in its MissingParameter message. */
export function required(p: Params, name: string, wireName = name.charAt(0).toLowerCase() + name.slice(1)): string {
  const v = p.get(name);
  if (v === undefined || v === '') throw missingParameter(wireName);
  return v;
}

export function bool(p: Params, name: string): boolean | undefined {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`);
}

export function int(p: Params, name: string): number | undefined {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw invalidParameterValue(`Value (${v}) for parameter ${name} is invalid. Expected an integer.`);
  return Number(v);
}

export interface Filter { name: string; values: string[] }

/** `Filter.N.Name` with `Filter.N.Value.M`. */
export function filters(p: Params): Filter[] {
  return structs(p, 'Filter').map((f) => ({ name: f.get('Name') ?? '', values: list(f, 'Value') }));
}

/** `Tag.N.Key` / `Tag.N.Value` under a prefix (CreateTags: `Tag`; TagSpecification: `TagSpecification.N.Tag`). */
export function tags(p: Params, prefix = 'Tag'): Tag[] {
  return structs(p, prefix).map((t) => {
    const Key = t.get('Key');
    if (Key === undefined) throw missingParameter('tag.key');
    return { Key, Value: t.get('Value') ?? '' };
  });
}

/** The tags a Create call asks for its new resource: TagSpecification.N with ResourceType `type`. */
export function tagsFor(p: Params, type: string): Tag[] {
  const out: Tag[] = [];
  for (const spec of structs(p, 'TagSpecification')) {
    const rt = spec.get('ResourceType');
    if (rt !== type) throw invalidParameterValue(`'${rt ?? ''}' is not a valid taggable resource type for this operation.`);
    out.push(...tags(spec, 'Tag'));
  }
  return out;
}

/**
 * Describe pagination: `MaxResults` (5–1000) and an opaque `NextToken` (here the offset). Without
 * MaxResults everything is returned, as EC2 does.
 */
export function page<T>(p: Params, items: T[]): { items: T[]; nextToken?: string } {
  const max = int(p, 'MaxResults');
  const token = p.get('NextToken');
  let start = 0;
  if (token !== undefined) {
    const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw invalidParameterValue(`Invalid NextToken: ${token}`);
    start = n;
  }
  if (max === undefined) return { items: items.slice(start) };
  if (max < 5 || max > 1000) throw invalidParameterValue(`Value ( ${max} ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.`);
  const end = start + max;
  return end < items.length
    ? { items: items.slice(start, end), nextToken: Buffer.from(String(end)).toString('base64url') }
    : { items: items.slice(start) };
}
