import { memberInvalid, validation } from './errors.js';
import type { Tag } from './state.js';

/**
 * ELBv2's Query input as a tree. The flat parameters (`DefaultActions.member.1.ForwardConfig.
 * TargetGroups.member.2.Weight=3`) become nested objects with lists as arrays in index order, so
 * operations read structures the way the API documents them. Readers check types and ranges
 * and answer ValidationError with AWS's wording (members named in lower camel case).
 */
export type Node = { [k: string]: Value };
export type Value = string | Node | Value[];

export function decode(params: ReadonlyMap<string, string>): Node {
  const root: Node = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    put(root, key.split('.'), value);
  }
  return finish(root) as Node;
}

function put(node: Node, path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) { node[head] = value; return; }
  if (rest[0] === 'member' && rest[1] !== undefined && /^\d+$/.test(rest[1])) {
    // Lists are kept as `{ "#1": …, "#2": … }` until finish() orders them.
    let list = node[head];
    if (typeof list !== 'object' || Array.isArray(list)) node[head] = list = {};
    const idx = `#${rest[1]}`;
    if (rest.length === 2) { (list as Node)[idx] = value; return; }
    let item = (list as Node)[idx];
    if (typeof item !== 'object' || Array.isArray(item)) (list as Node)[idx] = item = {};
    put(item as Node, rest.slice(2), value);
    return;
  }
  // An empty list (`Names=`) arrives as `Name` alone; treat a bare `member` key the same.
  let child = node[head];
  if (typeof child !== 'object' || Array.isArray(child)) node[head] = child = {};
  put(child as Node, rest, value);
}

function finish(v: Value): Value {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  if (keys.length > 0 && keys.every((k) => k.startsWith('#'))) {
    return keys.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).map((k) => finish(v[k]!));
  }
  const out: Node = {};
  for (const k of keys) out[k] = finish(v[k]!);
  return out;
}

const camel = (path: string): string => path.split('.').map((p) => p.charAt(0).toLowerCase() + p.slice(1)).join('.');

export function str(n: Node, name: string, path = name): string | undefined {
  const v = n[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw memberInvalid(null, camel(path), 'Member must be a string');
  return v;
}

export function required(n: Node, name: string, path = name): string {
  const v = str(n, name, path);
  if (v === undefined) throw memberInvalid(null, camel(path), 'Member must not be null');
  return v;
}

export function int(n: Node, name: string, min: number, max: number, path = name): number | undefined {
  const v = str(n, name, path);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw validation(`Value '${v}' at '${camel(path)}' is not a valid integer`);
  const x = Number(v);
  if (x < min) throw memberInvalid(v, camel(path), `Member must have value greater than or equal to ${min}`);
  if (x > max) throw memberInvalid(v, camel(path), `Member must have value less than or equal to ${max}`);
  return x;
}

export function bool(n: Node, name: string, path = name): boolean | undefined {
  const v = str(n, name, path);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw validation(`Value '${v}' at '${camel(path)}' is not a valid boolean`);
  return v === 'true';
}

export function oneOf<T extends string>(n: Node, name: string, allowed: readonly T[], path = name): T | undefined {
  const v = str(n, name, path);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw memberInvalid(v, camel(path), `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return v as T;
}

export function node(n: Node, name: string): Node | undefined {
  const v = n[name];
  return typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** A list of strings; an empty list given as `Name=` is an empty array. */
export function strings(n: Node, name: string): string[] | undefined {
  const v = n[name];
  if (v === undefined) return undefined;
  if (v === '' ) return [];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string');
}

/** A list of structures. */
export function nodes(n: Node, name: string): Node[] | undefined {
  const v = n[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is Node => typeof x === 'object' && !Array.isArray(x));
}

const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

/** `Tags.member.N.Key/Value`: keys 1–128, values 0–256, no `aws:` prefix, no duplicate keys. */
export function tags(n: Node, name = 'Tags'): Tag[] {
  const out: Tag[] = [];
  for (const t of nodes(n, name) ?? []) {
    const Key = required(t, 'Key', `${name}.member.key`);
    const Value = str(t, 'Value') ?? '';
    if (Key.length < 1 || Key.length > 128) throw memberInvalid(Key, 'tags.member.key', 'Member must have length less than or equal to 128');
    if (Value.length > 256) throw memberInvalid(Value, 'tags.member.value', 'Member must have length less than or equal to 256');
    if (!TAG_PATTERN.test(Key)) throw memberInvalid(Key, 'tags.member.key', 'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$');
    if (Key.toLowerCase().startsWith('aws:')) throw validation("Tag keys starting with 'aws:' are reserved for internal use");
    out.push({ Key, Value });
  }
  return out;
}
