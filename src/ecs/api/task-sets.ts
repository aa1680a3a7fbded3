import type {
  CreateTaskSetRequest, DeleteTaskSetRequest, DescribeTaskSetsRequest, Failure, LoadBalancer, Scale, TaskSet, UpdateServicePrimaryTaskSetRequest,
  UpdateTaskSetRequest,
} from '@aws-sdk/client-ecs';
import { AwsError } from '../../edge/errors.js';
import type { Scope } from '../arn.js';
import { invalidParameter, serviceNotActive, serviceNotFound } from '../errors.js';
import type { TargetsPort } from '../scheduler/service-targets.js';
import { deploymentIdFrom, type ServiceRecord } from '../service/model.js';
import {
  drainTaskSet, findTaskSet, makePrimary, MAX_TASK_SETS, newTaskSet, rescaled, taskSetArnOf, withTaskSet, type TaskSetRecord,
} from '../service/task-sets.js';
import type { ClusterRecord, EcsState, TaskDefinitionRecord } from '../state.js';
import type { TaskLauncher } from '../task/launcher.js';
import { activeCluster } from './clusters.js';
import { checkLoadBalancers } from './load-balancer-checks.js';
import { operation, scopeOf } from './operation.js';
import { putService } from './service-deployments.js';
import { serviceKey, type ServiceScheduling } from './services.js';
import { checkNewTags } from './tags.js';
import { renderTaskSet } from './task-set-render.js';
import { findTaskDefinition } from './task-definitions.js';

const taskSetNotFound = (): AwsError => new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.');
/** ECS's answer to task set calls on a service whose controller is not EXTERNAL. */
const notExternal = (): AwsError => invalidParameter('Amazon ECS only supports task set management on services configured to use external deployment controllers.');

/**
 * CreateTaskSet, UpdateTaskSet, DeleteTaskSet, DescribeTaskSets, UpdateServicePrimaryTaskSet.
 * Task sets are stored in their service's record (service/task-sets.ts) and written with it
 * through `putService`; the service controller then runs `reconcileTaskSets` over them.
 */
export function taskSetOperations(state: EcsState, launcher: TaskLauncher, scheduler: ServiceScheduling, targets?: Pick<TargetsPort, 'describe'>) {
  /** The EXTERNAL service a call names: ServiceNotFoundException, then (`active`) ServiceNotActiveException. */
  function serviceOf(scope: Scope, cluster: ClusterRecord, ref: string | undefined, active: boolean): ServiceRecord {
    const name = (ref ?? '').startsWith('arn:') ? ref!.split('/').pop()! : ref ?? '';
    const s = state.services.get(serviceKey(scope, cluster.clusterName, name));
    if (!s || s.status === 'INACTIVE' || ((ref ?? '').startsWith('arn:') && s.serviceArn !== ref)) throw serviceNotFound();
    if (active && s.status !== 'ACTIVE') throw serviceNotActive();
    if (s.deploymentController.type !== 'EXTERNAL') throw notExternal();
    return s;
  }

  function taskSetIn(s: ServiceRecord, ref: string | undefined): TaskSetRecord {
    const set = findTaskSet(s, ref ?? '');
    if (!set) throw taskSetNotFound();
    return set;
  }

  function definition(scope: Scope, ref: string | undefined): TaskDefinitionRecord {
    const def = ref ? findTaskDefinition(state, scope, ref) : undefined;
    if (!def) throw invalidParameter('TaskDefinition not found.');
    if (def.definition.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
    return def;
  }

  function scaleOf(given: Scale | undefined): TaskSetRecord['scale'] {
    // ECS's default is 0 %: a set created without a scale runs no task until UpdateTaskSet scales it.
    const value = given?.value ?? 0;
    if (!Number.isFinite(value) || value < 0 || value > 100) throw invalidParameter('Scale value must be between 0 and 100.');
    return { value, unit: 'PERCENT' };
  }

  function store(s: ServiceRecord, now: number): ServiceRecord {
    const [, , , , account] = s.serviceArn.split(':');
    const key = serviceKey({ accountId: account!, region: s.serviceArn.split(':')[3]! }, s.clusterArn.split('/').pop()!, s.serviceName);
    const saved = state.store.transaction(() => putService(state, key, s, now));
    scheduler.touch(key);
    return saved;
  }

  const render = (s: ServiceRecord, id: string): TaskSet => renderTaskSet(s, findTaskSet(s, id)!);

  return {
    CreateTaskSet: operation<CreateTaskSetRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const s = serviceOf(scope, cluster, input.service, true);
      const now = ctx.now.getTime();
      // The client token names the set: a retried request finds the set it created.
      const id = deploymentIdFrom(`${s.serviceArn}\n${input.clientToken ?? ctx.requestId}`);
      const again = findTaskSet(s, id);
      if (again) return { taskSet: renderTaskSet(s, again) };
      const sets = s.taskSets ?? [];
      if (sets.length >= MAX_TASK_SETS) throw invalidParameter(`${sets.length} deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.`);
      const def = definition(scope, input.taskDefinition);
      const scale = scaleOf(input.scale);
      // Launch options not given come from the service (what CreateService was told), then the cluster.
      const capacityProviderStrategy = input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : input.launchType ? undefined : s.capacityProviderStrategy;
      const launchType = input.launchType ?? (capacityProviderStrategy?.length ? undefined : s.launchType ?? (cluster.defaultCapacityProviderStrategy.length ? undefined : 'EC2'));
      const networkConfiguration = input.networkConfiguration ?? s.networkConfiguration;
      launcher.plan({
        scope, cluster, def, count: 1, group: `service:${s.serviceName}`, overrides: {}, enableExecuteCommand: false, now, seed: 0,
        ...(launchType ? { launchType: launchType as never } : {}),
        ...(capacityProviderStrategy?.length ? { capacityProviderStrategy: capacityProviderStrategy as never } : {}),
        ...(networkConfiguration ? { networkConfiguration: networkConfiguration as never } : {}),
        placementConstraints: s.placementConstraints as never, placementStrategy: s.placementStrategy as never,
      }, { service: true });
      checkLoadBalancers(targets, scope, def, input.loadBalancers ?? [], 'task sets');
      const tags = input.tags ?? [];
      checkNewTags(tags, []);
      const set = newTaskSet({
        id, serviceArn: s.serviceArn, serviceDesiredCount: s.desiredCount, now, taskDefinition: def.definition.taskDefinitionArn!, scale,
        loadBalancers: input.loadBalancers ?? [], serviceRegistries: input.serviceRegistries ?? [],
        ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
        ...(launchType ? { launchType: launchType as TaskSetRecord['launchType'] & string } : {}),
        ...(capacityProviderStrategy?.length ? { capacityProviderStrategy: capacityProviderStrategy as TaskSetRecord['capacityProviderStrategy'] } : {}),
        ...(input.platformVersion ? { platformVersion: input.platformVersion } : {}),
        ...(networkConfiguration ? { networkConfiguration } : {}),
      });
      if (tags.length) state.tags.put(set.taskSetArn, tags);
      const saved = store({ ...s, taskSets: [...sets, set] }, now);
      return { taskSet: renderTaskSet(saved, findTaskSet(saved, id)!, tags.length ? tags : undefined) };
    }),

    UpdateTaskSet: operation<UpdateTaskSetRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const s = serviceOf(scope, activeCluster(state, scope, input.cluster), input.service, true);
      const set = taskSetIn(s, input.taskSet);
      if (set.status === 'DRAINING') throw invalidParameter('Unable to update a task set that is DRAINING.');
      const now = ctx.now.getTime();
      const next = rescaled(s, { ...set, scale: scaleOf(input.scale), updatedAt: now }, now);
      return { taskSet: render(store(withTaskSet(s, next), now), set.id) };
    }),

    UpdateServicePrimaryTaskSet: operation<UpdateServicePrimaryTaskSetRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const s = serviceOf(scope, activeCluster(state, scope, input.cluster), input.service, true);
      const set = taskSetIn(s, input.primaryTaskSet);
      if (set.status === 'DRAINING') throw invalidParameter('Unable to make a task set that is DRAINING the primary task set.');
      const now = ctx.now.getTime();
      return { taskSet: render(store(makePrimary(s, set.id, now), now), set.id) };
    }),

    DeleteTaskSet: operation<DeleteTaskSetRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const s = serviceOf(scope, activeCluster(state, scope, input.cluster), input.service, true);
      const set = taskSetIn(s, input.taskSet);
      if (set.status === 'DRAINING') return { taskSet: renderTaskSet(s, set) };
      if (!input.force && set.status === 'PRIMARY') throw invalidParameter('The primary task set cannot be deleted. Make another task set primary first, or use force.');
      if (!input.force && set.scale.value > 0) throw invalidParameter('The task set cannot be deleted while it is scaled above 0. Scale it to 0 first, or use force.');
      const now = ctx.now.getTime();
      // DRAINING: the controller stops the set's tasks, then drops the set.
      return { taskSet: render(store(withTaskSet(s, drainTaskSet(set, now)), now), set.id) };
    }),

    DescribeTaskSets: operation<DescribeTaskSetsRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const s = serviceOf(scope, activeCluster(state, scope, input.cluster), input.service, false);
      const withTags = input.include?.includes('TAGS') ?? false;
      const tagsOf = (t: TaskSetRecord) => (withTags ? (state.tags.get(t.taskSetArn) ?? []) : undefined);
      if (!input.taskSets?.length) return { taskSets: (s.taskSets ?? []).map((t) => renderTaskSet(s, t, tagsOf(t))), failures: [] };
      const taskSets: TaskSet[] = [];
      const failures: Failure[] = [];
      for (const ref of input.taskSets) {
        if (ref.startsWith('arn:') && !ref.includes(':task-set/')) throw invalidParameter('Task Set Identifier is invalid');
        const t = findTaskSet(s, ref);
        if (t) taskSets.push(renderTaskSet(s, t, tagsOf(t)));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : taskSetArnOf(s.serviceArn, ref), reason: 'MISSING' });
      }
      return { taskSets, failures };
    }),
  };
}
