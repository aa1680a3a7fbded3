import { ecsArn, parseArn, scopeKey, type Scope } from '../arn.js';
import type { CapacityProviderRecord, ClusterRecord, EcsState } from '../state.js';
import { isFargateProvider } from './capacity-providers.js';

/**
 * Lookups over an account's custom capacity providers and their cluster associations. A provider
 * belongs to at most one cluster: the ACTIVE cluster whose `capacityProviders` names it.
 */

export const providerKey = (s: Scope, name: string): string => `${scopeKey(s)}:${name}`;

export const providerArn = (s: Scope, name: string): string => ecsArn(s, `capacity-provider/${name}`);

/**
 * The provider name a reference means: a short name, or a capacity-provider ARN of this account
 * and region. Undefined for an ARN this caller cannot see or that is not a capacity provider's.
 */
export function providerNameOf(ref: string, s: Scope): string | undefined {
  if (!ref.startsWith('arn:')) return ref;
  const arn = parseArn(ref);
  if (!arn || arn.service !== 'ecs' || arn.resourceType !== 'capacity-provider' || !arn.resource) return undefined;
  if (arn.accountId !== s.accountId || arn.region !== s.region) return undefined;
  return arn.resource;
}

/** The custom provider a reference names, in any status. */
export function findProvider(state: EcsState, s: Scope, ref: string): CapacityProviderRecord | undefined {
  const name = providerNameOf(ref, s);
  return name === undefined ? undefined : state.capacityProviders.get(providerKey(s, name));
}

/** Whether `name` can be associated with a cluster: FARGATE, FARGATE_SPOT or an ACTIVE custom provider. */
export function providerUsable(state: EcsState, s: Scope, name: string): boolean {
  return isFargateProvider(name) || state.capacityProviders.get(providerKey(s, name))?.status === 'ACTIVE';
}

/** The ACTIVE cluster a custom provider is associated with, if any. */
export function clusterOfProvider(state: EcsState, s: Scope, name: string): ClusterRecord | undefined {
  const prefix = `${scopeKey(s)}:`;
  for (const [k, c] of state.clusters.entries()) {
    if (k.startsWith(prefix) && c.status === 'ACTIVE' && c.capacityProviders.includes(name)) return c;
  }
  return undefined;
}

/** Every custom provider of the account and region, any status. */
export function providersOf(state: EcsState, s: Scope): CapacityProviderRecord[] {
  const prefix = `${scopeKey(s)}:`;
  const out: CapacityProviderRecord[] = [];
  for (const [k, p] of state.capacityProviders.entries()) if (k.startsWith(prefix)) out.push(p);
  return out;
}
