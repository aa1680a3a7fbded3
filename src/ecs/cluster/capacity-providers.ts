import type { CapacityProvider, CapacityProviderStrategyItem } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../errors.js';

/**
 * The capacity providers every account has from the start: Fargate capacity is Berth's managed
 * pool. Custom (Auto Scaling group) providers come with the placement and capacity issue.
 */
export const FARGATE_PROVIDERS: readonly CapacityProvider[] = [
  { name: 'FARGATE', status: 'ACTIVE', tags: [] },
  { name: 'FARGATE_SPOT', status: 'ACTIVE', tags: [] },
];

const known = new Set(FARGATE_PROVIDERS.map((p) => p.name));

/** The rules CreateCluster and PutClusterCapacityProviders share for providers and the default strategy. */
export function validateCapacityProviders(providers: readonly string[], strategy: readonly CapacityProviderStrategyItem[]): void {
  for (const p of providers) {
    if (!known.has(p)) throw invalidParameter(`The specified capacity provider '${p}' does not exist. Specify a valid capacity provider and try again.`);
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
