import type {
  CapacityProvider, CreateCapacityProviderRequest, DeleteCapacityProviderRequest, DescribeCapacityProvidersRequest,
  Failure, UpdateCapacityProviderRequest,
} from '@aws-sdk/client-ecs';
import type { Scope } from '../arn.js';
import { checkProviderName, newGroupProvider, updatedGroupProvider } from '../cluster/auto-scaling-provider.js';
import { FARGATE_PROVIDERS, isFargateProvider } from '../cluster/capacity-providers.js';
import {
  clusterOfProvider, findProvider, providerArn, providerKey, providerNameOf, providersOf,
} from '../cluster/provider-registry.js';
import { clientException, invalidParameter } from '../errors.js';
import { paginate } from '../pagination.js';
import type { CapacityProviderRecord, EcsState } from '../state.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';
import { checkNewTags } from './tags.js';

const NOT_FOUND = 'The specified capacity provider does not exist. Specify a valid name or ARN and try again.';

function render(state: EcsState, p: CapacityProviderRecord, withTags: boolean): CapacityProvider {
  const out: CapacityProvider = {
    capacityProviderArn: p.capacityProviderArn,
    name: p.name,
    status: p.status,
    autoScalingGroupProvider: p.autoScalingGroupProvider,
    type: 'EC2_AUTOSCALING',
  };
  if (p.updateStatus) out.updateStatus = p.updateStatus;
  if (p.updateStatusReason) out.updateStatusReason = p.updateStatusReason;
  if (withTags) out.tags = state.tags.get(p.capacityProviderArn) ?? [];
  return out;
}

const fargateRendered = (s: Scope): CapacityProvider[] => FARGATE_PROVIDERS.map((p) => ({ capacityProviderArn: providerArn(s, p.name!), ...p }));

/** The ACTIVE custom provider a request names; FARGATE and FARGATE_SPOT are reserved. */
function activeProvider(state: EcsState, s: Scope, ref: string, verb: 'updated' | 'deleted'): CapacityProviderRecord {
  const name = providerNameOf(ref, s);
  if (name !== undefined && isFargateProvider(name)) {
    throw clientException(`The FARGATE and FARGATE_SPOT capacity providers are reserved and can't be ${verb}.`);
  }
  const p = findProvider(state, s, ref);
  if (!p || p.status !== 'ACTIVE') throw clientException(NOT_FOUND);
  return p;
}

/**
 * The capacity provider operations: custom (Auto Scaling group) providers of an account, beside
 * FARGATE and FARGATE_SPOT which every account has. Changes are synchronous in Berth, so the
 * `updateStatus` a caller sees is always a final one (…_COMPLETE or DELETE_FAILED).
 */
export function capacityProviderOperations(state: EcsState) {
  return {
    CreateCapacityProvider: operation<CreateCapacityProviderRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const name = input.name!;
      checkProviderName(name);
      if (input.managedInstancesProvider) throw invalidParameter('Amazon ECS Managed Instances capacity providers are not supported by Berth.');
      if (!input.autoScalingGroupProvider) throw invalidParameter('An autoScalingGroupProvider must be specified.');
      const config = newGroupProvider(input.autoScalingGroupProvider);
      checkNewTags(input.tags ?? [], []);
      return state.store.transaction(() => {
        if (state.capacityProviders.get(providerKey(s, name))?.status === 'ACTIVE') {
          throw clientException('The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.');
        }
        for (const other of providersOf(state, s)) {
          if (other.status === 'ACTIVE' && other.autoScalingGroupProvider.autoScalingGroupArn === config.autoScalingGroupArn) {
            throw clientException('The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.');
          }
        }
        const now = ctx.now.getTime();
        const p: CapacityProviderRecord = {
          capacityProviderArn: providerArn(s, name),
          name,
          status: 'ACTIVE',
          autoScalingGroupProvider: config,
          updateStatus: 'CREATE_COMPLETE',
          createdAt: now,
          updatedAt: now,
        };
        state.capacityProviders.put(providerKey(s, name), p);
        if (input.tags?.length) state.tags.put(p.capacityProviderArn, input.tags);
        else state.tags.delete(p.capacityProviderArn);
        return { capacityProvider: render(state, p, true) };
      });
    }),

    UpdateCapacityProvider: operation<UpdateCapacityProviderRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      if (input.managedInstancesProvider) throw invalidParameter('Amazon ECS Managed Instances capacity providers are not supported by Berth.');
      return state.store.transaction(() => {
        const current = activeProvider(state, s, input.name!, 'updated');
        if (!input.autoScalingGroupProvider) throw invalidParameter('An autoScalingGroupProvider must be specified.');
        const p: CapacityProviderRecord = {
          ...current,
          autoScalingGroupProvider: updatedGroupProvider(current.autoScalingGroupProvider, input.autoScalingGroupProvider),
          updateStatus: 'UPDATE_COMPLETE',
          updatedAt: ctx.now.getTime(),
        };
        delete p.updateStatusReason;
        state.capacityProviders.put(providerKey(s, p.name), p);
        return { capacityProvider: render(state, p, false) };
      });
    }),

    DeleteCapacityProvider: operation<DeleteCapacityProviderRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      return state.store.transaction(() => {
        const current = activeProvider(state, s, input.capacityProvider!, 'deleted');
        const owner = clusterOfProvider(state, s, current.name);
        // ECS answers 200 here, not an error: the provider stays ACTIVE with DELETE_FAILED and a reason.
        const p: CapacityProviderRecord = owner
          ? {
            ...current,
            updateStatus: 'DELETE_FAILED',
            updateStatusReason: `The capacity provider cannot be deleted because it is associated with cluster: ${owner.clusterName}. Remove the capacity provider from the cluster and try again.`,
          }
          : { ...current, status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE' };
        if (!owner) delete p.updateStatusReason;
        p.updatedAt = ctx.now.getTime();
        state.capacityProviders.put(providerKey(s, p.name), p);
        return { capacityProvider: render(state, p, false) };
      });
    }),

    DescribeCapacityProviders: operation<DescribeCapacityProvidersRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const withTags = (input.include ?? []).includes('TAGS');
      // Sorted by name: the paging token carries the last name returned.
      let all = [...fargateRendered(s), ...providersOf(state, s).map((p) => render(state, p, withTags))]
        .sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
      if (input.cluster !== undefined) {
        const c = activeCluster(state, s, input.cluster);
        all = all.filter((p) => c.capacityProviders.includes(p.name!));
      }
      const wanted = input.capacityProviders;
      const failures: Failure[] = [];
      let found = all;
      if (wanted?.length) {
        const named = (w: string) => all.find((p) => p.name === providerNameOf(w, s));
        found = all.filter((p) => wanted.some((w) => named(w) === p));
        for (const w of wanted) if (!named(w)) failures.push({ arn: w, reason: 'MISSING' });
      }
      const { page, nextToken } = paginate(found, (p) => p.name!, input.nextToken, input.maxResults, 10);
      return nextToken ? { capacityProviders: page, failures, nextToken } : { capacityProviders: page, failures };
    }),
  };
}
