import type { CapacityProvider, CapacityProviderStrategyItem } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../errors.js';

/**
 * The capacity providers every account has from the start: Fargate capacity is Berth's managed
 * pool. They are never stored, cannot be created, updated or deleted, and carry no tags.
 */
export const FARGATE_PROVIDERS: readonly CapacityProvider[] = [
  { name: 'FARGATE', status: 'ACTIVE', tags: [], type: 'FARGATE' },
  { name: 'FARGATE_SPOT', status: 'ACTIVE', tags: [], type: 'FARGATE_SPOT' },
];

const fargate = new Set(FARGATE_PROVIDERS.map((p) => p.name));

export const isFargateProvider = (name: string): boolean => fargate.has(name);

/** ECS's quota of capacity providers associated with one cluster. */
export const MAX_PROVIDERS_PER_CLUSTER = 20;

/**
 * The rules CreateCluster and PutClusterCapacityProviders share for providers and the default
 * strategy. `usable(name)` says whether the account has that provider (FARGATE, FARGATE_SPOT or
 * an ACTIVE custom one); the cluster associations are checked apart (cluster/associations.ts).
 */
export function validateCapacityProviders(
  providers: readonly string[],
  strategy: readonly CapacityProviderStrategyItem[],
  usable: (name: string) => boolean,
): void {
  if (providers.length > MAX_PROVIDERS_PER_CLUSTER) throw invalidParameter('The maximum number of capacity providers per cluster has been exceeded.');
  for (const p of providers) {
    if (!usable(p)) throw invalidParameter('The specified capacity provider was not found. Specify a valid capacity provider and try again.');
  }
  if (new Set(providers).size !== providers.length) throw invalidParameter('The specified capacity providers contain duplicates.');
  const seen = new Set<string>();
  let withBase = 0;
  for (const item of strategy) {
    if (!providers.includes(item.capacityProvider!)) {
      throw invalidParameter('The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.');
    }
    if (seen.has(item.capacityProvider!)) throw invalidParameter('The specified capacity provider strategy contains duplicate capacity providers.');
    seen.add(item.capacityProvider!);
    if ((item.base ?? 0) > 0) withBase++;
  }
  if (withBase > 1) throw invalidParameter('Only one capacity provider in a capacity provider strategy can have a base defined.');
  if (strategy.length > 0 && strategy.every((i) => (i.weight ?? 0) === 0)) {
    throw invalidParameter('At least one capacity provider in a capacity provider strategy must have a weight greater than zero.');
  }
}
