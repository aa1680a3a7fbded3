import type { Scope } from '../arn.js';
import { invalidParameter, resourceInUse } from '../errors.js';
import type { ClusterRecord, EcsState } from '../state.js';
import { isFargateProvider } from './capacity-providers.js';
import { clusterOfProvider } from './provider-registry.js';

/**
 * What changing a cluster's provider list may do, beyond the list's own rules:
 * - a custom provider belongs to one cluster only (FARGATE and FARGATE_SPOT to any number);
 * - a provider leaves a cluster only when no task of that cluster still uses it
 *   (PutClusterCapacityProviders: "You can only disassociate an existing capacity provider from a
 *   cluster if it's not being used by any existing tasks").
 * `cluster` is the cluster's current record, undefined when it is being created.
 */
export function checkAssociations(state: EcsState, s: Scope, clusterName: string, next: readonly string[], cluster?: ClusterRecord): void {
  for (const p of next) {
    if (isFargateProvider(p)) continue;
    const owner = clusterOfProvider(state, s, p);
    if (owner && owner.clusterName !== clusterName) {
      throw invalidParameter(`The specified capacity provider ${p} is already associated with cluster ${owner.clusterName}. A capacity provider can be associated with only one cluster.`);
    }
  }
  if (!cluster || cluster.status !== 'ACTIVE') return;
  const removed = new Set(cluster.capacityProviders.filter((p) => !next.includes(p)));
  if (removed.size === 0) return;
  for (const t of state.tasks.values()) {
    if (t.clusterArn === cluster.clusterArn && t.lastStatus !== 'STOPPED' && t.capacityProviderName && removed.has(t.capacityProviderName)) {
      throw resourceInUse('The specified capacity provider is in use and cannot be removed.');
    }
  }
}
