import type {
  Cluster, ClusterSetting, CreateClusterRequest, DeleteClusterRequest, DescribeClustersRequest,
  Failure, ListClustersRequest, PutClusterCapacityProvidersRequest, UpdateClusterRequest, UpdateClusterSettingsRequest,
} from '@aws-sdk/client-ecs';
import { AwsError } from '../../edge/errors.js';
import { clusterArn, clusterNameOf, scopeKey, type Scope } from '../arn.js';
import { checkAssociations } from '../cluster/associations.js';
import { validateCapacityProviders } from '../cluster/capacity-providers.js';
import { clusterStatistics, clusterCounts } from '../cluster/counts.js';
import { providerUsable } from '../cluster/provider-registry.js';
import { clusterNotFound, invalidParameter, limitExceeded } from '../errors.js';
import { paginate } from '../pagination.js';
import type { ClusterRecord, EcsState } from '../state.js';
import { effectiveSetting } from './account-settings.js';
import { operation, scopeOf } from './operation.js';
import { checkNewTags } from './tags.js';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
/** ECS's default quota of clusters per account and region. */
const MAX_CLUSTERS = 10000;

export const clusterKey = (s: Scope, name: string): string => `${scopeKey(s)}:${name}`;

/** The ACTIVE cluster a request names (`default` when it names none), or ClusterNotFoundException. */
export function activeCluster(state: EcsState, s: Scope, ref: string | undefined): ClusterRecord {
  const c = state.clusters.get(clusterKey(s, clusterNameOf(ref, s)));
  if (!c || c.status !== 'ACTIVE') throw clusterNotFound();
  return c;
}

function render(state: EcsState, c: ClusterRecord, include: readonly string[] = []): Cluster {
  const out: Cluster = {
    clusterArn: c.clusterArn,
    clusterName: c.clusterName,
    status: c.status,
    ...clusterCounts(state, c.clusterArn),
    statistics: include.includes('STATISTICS') ? clusterStatistics(state, c.clusterArn) : [],
    tags: include.includes('TAGS') ? (state.tags.get(c.clusterArn) ?? []) : [],
    settings: c.settings,
    capacityProviders: c.capacityProviders,
    defaultCapacityProviderStrategy: c.defaultCapacityProviderStrategy,
  };
  if (c.configuration) out.configuration = c.configuration;
  if (c.serviceConnectDefaults) out.serviceConnectDefaults = c.serviceConnectDefaults;
  if (include.includes('ATTACHMENTS')) {
    out.attachments = [];
    out.attachmentsStatus = 'UPDATE_COMPLETE';
  }
  return out;
}

function checkSettings(settings: readonly ClusterSetting[] | undefined): void {
  for (const s of settings ?? []) {
    if (s.name === 'containerInsights' && !['enabled', 'disabled', 'enhanced'].includes(s.value ?? '')) {
      throw invalidParameter(`Invalid value for containerInsights setting: ${s.value}. Valid values are enabled, disabled and enhanced.`);
    }
  }
}

export function clusterOperations(state: EcsState) {
  return {
    CreateCluster: operation<CreateClusterRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const name = input.clusterName ?? 'default';
      if (!NAME.test(name)) {
        throw invalidParameter('Cluster name can have up to 255 characters: letters (uppercase and lowercase), numbers, underscores and hyphens.');
      }
      checkSettings(input.settings);
      checkNewTags(input.tags ?? [], []);
      const providers = input.capacityProviders ?? [];
      const strategy = input.defaultCapacityProviderStrategy ?? [];
      return state.store.transaction(() => {
        validateCapacityProviders(providers, strategy, (p) => providerUsable(state, s, p));
        const key = clusterKey(s, name);
        const existing = state.clusters.get(key);
        // CreateCluster is idempotent: an ACTIVE cluster of that name is returned as it is.
        if (existing?.status === 'ACTIVE') return { cluster: render(state, existing, ['TAGS']) };
        checkAssociations(state, s, name, providers);
        if (!existing) {
          let count = 0;
          const prefix = `${scopeKey(s)}:`;
          for (const k of state.clusters.entries()) if (k[0].startsWith(prefix) && k[1].status === 'ACTIVE') count++;
          if (count >= MAX_CLUSTERS) throw limitExceeded(`The maximum number of clusters (${MAX_CLUSTERS}) has been reached.`);
        }
        const insights = effectiveSetting(state, s, ctx.principal.arn, 'containerInsights');
        const settings = input.settings?.length ? input.settings : [{ name: 'containerInsights' as const, value: insights }];
        const c: ClusterRecord = {
          clusterArn: clusterArn(s, name),
          clusterName: name,
          status: 'ACTIVE',
          settings,
          capacityProviders: providers,
          defaultCapacityProviderStrategy: strategy,
          createdAt: ctx.now.getTime(),
        };
        if (input.configuration) c.configuration = input.configuration;
        if (input.serviceConnectDefaults?.namespace) c.serviceConnectDefaults = { namespace: input.serviceConnectDefaults.namespace };
        state.clusters.put(key, c);
        if (input.tags?.length) state.tags.put(c.clusterArn, input.tags);
        else state.tags.delete(c.clusterArn);
        return { cluster: render(state, c, ['TAGS']) };
      });
    }),

    DescribeClusters: operation<DescribeClustersRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const refs = input.clusters?.length ? input.clusters : ['default'];
      if (refs.length > 100) throw invalidParameter('clusters can have at most 100 items.');
      const clusters: Cluster[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const name = clusterNameOf(ref, s);
        const c = state.clusters.get(clusterKey(s, name));
        if (c) clusters.push(render(state, c, input.include ?? []));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : clusterArn(s, ref), reason: 'MISSING' });
      }
      return { clusters, failures };
    }),

    ListClusters: operation<ListClustersRequest>((input, ctx) => {
      const prefix = `${scopeKey(scopeOf(ctx))}:`;
      const arns: string[] = [];
      for (const [k, c] of state.clusters.entries()) if (k.startsWith(prefix) && c.status === 'ACTIVE') arns.push(c.clusterArn);
      arns.sort();
      const { page, nextToken } = paginate(arns, (a) => a, input.nextToken, input.maxResults);
      return nextToken ? { clusterArns: page, nextToken } : { clusterArns: page };
    }),

    UpdateCluster: operation<UpdateClusterRequest>((input, ctx) => {
      checkSettings(input.settings);
      return state.store.transaction(() => {
        const c = { ...activeCluster(state, scopeOf(ctx), input.cluster) };
        if (input.settings) c.settings = mergeSettings(c.settings, input.settings);
        if (input.configuration) c.configuration = input.configuration;
        if (input.serviceConnectDefaults?.namespace) c.serviceConnectDefaults = { namespace: input.serviceConnectDefaults.namespace };
        state.clusters.put(clusterKey(scopeOf(ctx), c.clusterName), c);
        return { cluster: render(state, c) };
      });
    }),

    UpdateClusterSettings: operation<UpdateClusterSettingsRequest>((input, ctx) => {
      checkSettings(input.settings);
      return state.store.transaction(() => {
        const c = { ...activeCluster(state, scopeOf(ctx), input.cluster) };
        c.settings = mergeSettings(c.settings, input.settings ?? []);
        state.clusters.put(clusterKey(scopeOf(ctx), c.clusterName), c);
        return { cluster: render(state, c) };
      });
    }),

    PutClusterCapacityProviders: operation<PutClusterCapacityProvidersRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const providers = input.capacityProviders ?? [];
      return state.store.transaction(() => {
        validateCapacityProviders(providers, input.defaultCapacityProviderStrategy ?? [], (p) => providerUsable(state, s, p));
        const c = { ...activeCluster(state, s, input.cluster) };
        checkAssociations(state, s, c.clusterName, providers, c);
        c.capacityProviders = providers;
        c.defaultCapacityProviderStrategy = input.defaultCapacityProviderStrategy ?? [];
        state.clusters.put(clusterKey(s, c.clusterName), c);
        return { cluster: render(state, c) };
      });
    }),

    DeleteCluster: operation<DeleteClusterRequest>((input, ctx) => {
      return state.store.transaction(() => {
        const c = { ...activeCluster(state, scopeOf(ctx), input.cluster) };
        const counts = clusterCounts(state, c.clusterArn);
        if (counts.registeredContainerInstancesCount > 0) {
          throw clusterContains('ClusterContainsContainerInstancesException', 'The Cluster cannot be deleted while Container Instances are active or draining.');
        }
        if (counts.activeServicesCount > 0) throw clusterContains('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
        if (counts.runningTasksCount + counts.pendingTasksCount > 0) throw clusterContains('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
        c.status = 'INACTIVE';
        state.clusters.put(clusterKey(scopeOf(ctx), c.clusterName), c);
        return { cluster: render(state, c) };
      });
    }),
  };
}

const clusterContains = (code: string, message: string): AwsError => new AwsError(code, message);

function mergeSettings(current: readonly ClusterSetting[], updates: readonly ClusterSetting[]): ClusterSetting[] {
  const byName = new Map(current.map((s) => [s.name, s]));
  for (const u of updates) byName.set(u.name, u);
  return [...byName.values()];
}
