import { invalidParameter } from './errors.js';

/** Where an ECS resource lives: its account and region. Every table key starts with it. */
export interface Scope { readonly accountId: string; readonly region: string }

export const scopeKey = (s: Scope): string => `${s.accountId}:${s.region}`;

export const ecsArn = (s: Scope, resource: string): string => `arn:aws:ecs:${s.region}:${s.accountId}:${resource}`;

export const clusterArn = (s: Scope, name: string): string => ecsArn(s, `cluster/${name}`);

export interface ParsedArn { partition: string; service: string; region: string; accountId: string; resourceType: string; resource: string }

/** Splits `arn:partition:service:region:account:type/rest` (or `type:rest`); undefined if it is not an ARN. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const rest = parts.slice(5).join(':');
  const slash = rest.indexOf('/');
  const colon = rest.indexOf(':');
  const cut = slash < 0 ? colon : colon < 0 ? slash : Math.min(slash, colon);
  if (cut < 0) return { partition, service, region, accountId, resourceType: rest, resource: '' };
  return { partition, service, region, accountId, resourceType: rest.slice(0, cut), resource: rest.slice(cut + 1) };
}

/**
 * A cluster reference as ECS accepts it: a name or a full ARN. An ARN of another account or
 * region names a cluster this caller cannot see, so it resolves to a name that will not be found.
 */
export function clusterNameOf(ref: string | undefined, s: Scope): string {
  if (ref === undefined || ref === '') return 'default';
  if (!ref.startsWith('arn:')) return ref;
  const arn = parseArn(ref);
  if (!arn || arn.service !== 'ecs' || arn.resourceType !== 'cluster' || !arn.resource) {
    throw invalidParameter(`Invalid cluster ARN: ${ref}`);
  }
  if (arn.accountId !== s.accountId || arn.region !== s.region) return `\u0000foreign:${ref}`;
  return arn.resource;
}
