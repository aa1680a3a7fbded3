import type {
  ContainerInstance, DeregisterContainerInstanceRequest, DescribeContainerInstancesRequest, DiscoverPollEndpointRequest, Failure,
  ListContainerInstancesRequest, RegisterContainerInstanceRequest, Resource, UpdateContainerInstancesStateRequest,
} from '@aws-sdk/client-ecs';
import { randomBytes } from 'node:crypto';
import { ecsArn, type Scope } from '../arn.js';
import { invalidParameter } from '../errors.js';
import { paginate } from '../pagination.js';
import type { ClusterRecord, ContainerInstanceRecord, EcsState, HostResources } from '../state.js';
import type { TaskService } from '../task/service.js';
import { freeGpus, queryTargetOf } from '../task/candidates.js';
import { compileQueryOr400 } from '../task/launcher.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';
import type { TaskRuntimeView } from './tasks.js';

/** A host's resources as ECS lists them; a `GPU` string set (its GPU ids) only on hosts with GPUs. */
export function resources(r: HostResources): Resource[] {
  const out: Resource[] = [
    { name: 'CPU', type: 'INTEGER', integerValue: r.cpu, doubleValue: 0, longValue: 0 },
    { name: 'MEMORY', type: 'INTEGER', integerValue: r.memory, doubleValue: 0, longValue: 0 },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: r.ports.map(String), doubleValue: 0, longValue: 0, integerValue: 0 },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: r.portsUdp.map(String), doubleValue: 0, longValue: 0, integerValue: 0 },
  ];
  if (r.gpus) out.push({ name: 'GPU', type: 'STRINGSET', stringSetValue: [...r.gpus], doubleValue: 0, longValue: 0, integerValue: 0 });
  return out;
}

export function containerInstanceOperations(state: EcsState, tasks: TaskService, view: TaskRuntimeView, endpoint: () => string) {
  function render(i: ContainerInstanceRecord, withTags: boolean): ContainerInstance {
    const active = tasks.activeOn(i.containerInstanceArn);
    const used = tasks.reservedOn(i.containerInstanceArn);
    const out: ContainerInstance = {
      containerInstanceArn: i.containerInstanceArn,
      ec2InstanceId: i.ec2InstanceId,
      version: i.lastSeq + 1,
      versionInfo: i.versionInfo,
      remainingResources: resources({
        cpu: i.registeredResources.cpu - used.cpu,
        memory: i.registeredResources.memory - used.memory,
        ports: [...i.registeredResources.ports, ...used.ports],
        portsUdp: [...i.registeredResources.portsUdp, ...used.portsUdp],
        // GPUs: the ids no task holds (an instance registered without GPUs lists none).
        ...(i.registeredResources.gpus?.length ? { gpus: freeGpus(i.registeredResources.gpus, used.gpus) } : {}),
      }),
      registeredResources: resources(i.registeredResources),
      status: i.status,
      agentConnected: view.isConnected(i.containerInstanceArn),
      runningTasksCount: active.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: active.filter((t) => t.lastStatus !== 'RUNNING').length,
      attributes: i.attributes,
      registeredAt: new Date(i.registeredAt),
      attachments: [],
      tags: withTags ? (state.tags.get(i.containerInstanceArn) ?? []) : [],
    };
    if (i.capacityProviderName) out.capacityProviderName = i.capacityProviderName;
    return out;
  }

  function findIn(cluster: ClusterRecord, ref: string): ContainerInstanceRecord | undefined {
    if (ref.startsWith('arn:')) {
      const i = state.containerInstances.get(ref);
      return i?.clusterArn === cluster.clusterArn ? i : undefined;
    }
    for (const i of state.containerInstances.values()) if (i.clusterArn === cluster.clusterArn && i.containerInstanceArn.endsWith(`/${ref}`)) return i;
    return undefined;
  }

  const clusterOf = (s: Scope, ref: string | undefined) => activeCluster(state, s, ref);

  return {
    DescribeContainerInstances: operation<DescribeContainerInstancesRequest>((input, ctx) => {
      const cluster = clusterOf(scopeOf(ctx), input.cluster);
      const refs = input.containerInstances ?? [];
      if (refs.length > 100) throw invalidParameter('containerInstances can have at most 100 items.');
      const containerInstances: ContainerInstance[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const i = findIn(cluster, ref);
        if (i) containerInstances.push(render(i, input.include?.includes('TAGS') ?? false));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { containerInstances, failures };
    }),

    ListContainerInstances: operation<ListContainerInstancesRequest>((input, ctx) => {
      const cluster = clusterOf(scopeOf(ctx), input.cluster);
      const filter = input.filter ? compileQueryOr400(input.filter) : undefined;
      const arns: string[] = [];
      for (const i of state.containerInstances.values()) {
        if (i.clusterArn !== cluster.clusterArn || i.status === 'INACTIVE') continue;
        if (input.status && i.status !== input.status) continue;
        if (filter && !filter(queryTargetOf(i, tasks))) continue;
        arns.push(i.containerInstanceArn);
      }
      arns.sort();
      const { page, nextToken } = paginate(arns, (a) => a, input.nextToken, input.maxResults);
      return nextToken ? { containerInstanceArns: page, nextToken } : { containerInstanceArns: page };
    }),

    UpdateContainerInstancesState: operation<UpdateContainerInstancesStateRequest>((input, ctx) => {
      const cluster = clusterOf(scopeOf(ctx), input.cluster);
      if (input.status !== 'ACTIVE' && input.status !== 'DRAINING') throw invalidParameter(`Container instance status ${input.status} is not valid; use ACTIVE or DRAINING.`);
      const containerInstances: ContainerInstance[] = [];
      const failures: Failure[] = [];
      state.store.transaction(() => {
        for (const ref of input.containerInstances ?? []) {
          const i = findIn(cluster, ref);
          if (!i || i.status === 'INACTIVE') {
            failures.push({ arn: ref, reason: 'MISSING' });
            continue;
          }
          const next = { ...i, status: input.status as 'ACTIVE' | 'DRAINING' };
          state.containerInstances.put(i.containerInstanceArn, next);
          containerInstances.push(render(next, false));
        }
      });
      return { containerInstances, failures };
    }),

    DeregisterContainerInstance: operation<DeregisterContainerInstanceRequest>((input, ctx) => {
      const cluster = clusterOf(scopeOf(ctx), input.cluster);
      const i = findIn(cluster, input.containerInstance!);
      if (!i || i.status === 'INACTIVE') throw invalidParameter('The referenced container instance was not found.');
      const running = tasks.activeOn(i.containerInstanceArn);
      if (running.length > 0 && !input.force) {
        throw invalidParameter('Found running tasks on the instance. Use the force option to deregister it anyway.');
      }
      const next: ContainerInstanceRecord = { ...i, status: 'INACTIVE' };
      state.containerInstances.put(i.containerInstanceArn, next);
      return { containerInstance: render(next, false) };
    }),

    RegisterContainerInstance: operation<RegisterContainerInstanceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = clusterOf(scope, input.cluster);
      const total = input.totalResources ?? [];
      const num = (n: string): number => total.find((r) => r.name === n)?.integerValue ?? 0;
      const set = (n: string): number[] => (total.find((r) => r.name === n)?.stringSetValue ?? []).map(Number);
      const arn = input.containerInstanceArn ?? ecsArn(scope, `container-instance/${cluster.clusterName}/${randomBytes(16).toString('hex')}`);
      const prior = state.containerInstances.get(arn);
      const registered: HostResources = { cpu: num('CPU'), memory: num('MEMORY'), ports: set('PORTS'), portsUdp: set('PORTS_UDP') };
      // GPUs come as the agent sends them: a `GPU` string set of ids (and the same ids as platformDevices).
      const gpus = [...new Set([
        ...(total.find((r) => r.name === 'GPU')?.stringSetValue ?? []),
        ...(input.platformDevices ?? []).filter((d) => d.type === 'GPU' && d.id).map((d) => d.id!),
      ])];
      if (gpus.length) registered.gpus = gpus;
      const rec: ContainerInstanceRecord = {
        containerInstanceArn: arn, clusterArn: cluster.clusterArn, accountId: scope.accountId, region: scope.region,
        ec2InstanceId: prior?.ec2InstanceId ?? `i-${randomBytes(9).toString('hex').slice(0, 17)}`, status: 'ACTIVE', agentConnected: false,
        registeredResources: registered,
        attributes: input.attributes ?? [],
        versionInfo: { agentVersion: input.versionInfo?.agentVersion ?? 'unknown', ...(input.versionInfo?.dockerVersion ? { dockerVersion: input.versionInfo.dockerVersion } : {}) },
        registeredAt: prior?.registeredAt ?? ctx.now.getTime(), lastSeq: prior?.lastSeq ?? 0,
      };
      state.store.transaction(() => {
        state.containerInstances.put(arn, rec);
        if (input.tags?.length) state.tags.put(arn, input.tags);
      });
      return { containerInstance: render(rec, true) };
    }),

    DiscoverPollEndpoint: operation<DiscoverPollEndpointRequest>(() => ({
      endpoint: endpoint(),
      telemetryEndpoint: endpoint(),
      serviceConnectEndpoint: endpoint(),
    })),
  };
}
