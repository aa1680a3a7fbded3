import { hierarchyLevelLimitExceeded, invalidName, invalidPath } from './errors.js';
import type { Scope } from './state.js';

/**
 * Parameter names (Systems Manager User Guide, "Requirements and constraints for parameter
 * names"): letters, digits and `_.-`, with `/` delimiting a hierarchy; a hierarchical name is
 * fully qualified (starts with `/`); at most 15 levels; no `aws`/`ssm` prefix (case-insensitive)
 * for names one creates. `foo` and `/foo` are different names that share one ARN.
 */
const NAME_CHARS = /^[A-Za-z0-9_.\-/]+$/;
export const MAX_LEVELS = 15;

/** Whether `name` is well-formed (what every operation checks before looking it up). */
export function isWellFormed(name: string): boolean {
  if (!NAME_CHARS.test(name)) return false;
  if (name.includes('/') && !name.startsWith('/')) return false;
  return !name.slice(1).split('/').some((segment) => segment === '');
}

const levelsOf = (name: string): number => (name.startsWith('/') ? name.slice(1) : name).split('/').length;

/** The rules PutParameter applies to a new name. */
export function checkNewName(name: string): void {
  if (!isWellFormed(name)) throw invalidName();
  if (/^\/?(aws|ssm)/i.test(name)) throw invalidName();
  if (levelsOf(name) > MAX_LEVELS) throw hierarchyLevelLimitExceeded();
}

/** A GetParametersByPath / Path-filter path: `/`, or a fully qualified hierarchy (a trailing `/` is allowed). */
export function normalizePath(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (!trimmed.startsWith('/') || (trimmed !== '/' && !isWellFormed(trimmed)) || /^\/(aws|ssm)/i.test(trimmed)) throw invalidPath();
  if (trimmed !== '/' && levelsOf(trimmed) > MAX_LEVELS) throw hierarchyLevelLimitExceeded();
  return trimmed;
}

/** Whether `name` lies under `path` (directly, or at any depth when `recursive`). */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  if (!name.startsWith(prefix) || name.length === prefix.length) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}

export const parameterArn = (s: Scope, name: string): string =>
  `arn:aws:ssm:${s.region}:${s.accountId}:parameter/${name.startsWith('/') ? name.slice(1) : name}`;

/**
 * What GetParameter's Name (and an ECS valueFrom) may hold: a name or a parameter ARN, either
 * with an optional `:version` or `:label` selector.
 */
export interface ParameterReference {
  /** Names to try, in order: an ARN of a top-level parameter may mean `foo` or `/foo`. */
  candidates: string[];
  /** Where an ARN points; undefined for a plain name (the caller's scope). */
  scope?: Scope;
  /** The selector as written after the colon, e.g. `3` or `prod`. */
  selector?: string;
}

export function parseReference(ref: string): ParameterReference | undefined {
  if (ref.startsWith('arn:')) {
    const parts = ref.split(':');
    if (parts.length < 6 || parts.length > 7 || parts[2] !== 'ssm' || !parts[5]!.startsWith('parameter/')) return undefined;
    const resource = parts[5]!.slice('parameter/'.length);
    if (resource === '') return undefined;
    const candidates = resource.includes('/') ? [`/${resource}`] : [resource, `/${resource}`];
    const selector = parts.length === 7 ? parts[6]! : undefined;
    return { candidates, scope: { region: parts[3]!, accountId: parts[4]! }, selector };
  }
  const colon = ref.lastIndexOf(':');
  if (colon < 0) return { candidates: [ref] };
  return { candidates: [ref.slice(0, colon)], selector: ref.slice(colon + 1) };
}

/**
 * Labels (User Guide, "Working with parameter labels"): up to 100 characters of letters, digits,
 * `.`, `-`, `_`; not starting with a digit, nor with `aws` or `ssm` (case-insensitive).
 */
export function isValidLabel(label: string): boolean {
  return label.length >= 1 && label.length <= 100 && /^[A-Za-z0-9_.-]+$/.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}
