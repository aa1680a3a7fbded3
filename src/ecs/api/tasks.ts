import type {
  DescribeTasksRequest, Failure, ListTasksRequest, RunTaskRequest, StartTaskRequest, StopTaskRequest, Tag, TaskOverride,
} from '@aws-sdk/client-ecs';
import type { RequestContext } from '../../edge/surface.js';
import { clientException, invalidParameter } from '../errors.js';
import { paginate } from '../pagination.js';
import type { ClusterRecord, EcsState } from '../state.js';
import type { TaskRecord } from '../task/record.js';
import { renderTask } from '../task/render.js';
import type { TaskLauncher } from '../task/launcher.js';
import { TaskService } from '../task/service.js';
import type { TaskIdentity } from '../agents/task-identity.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';
import { checkNewTags } from './tags.js';
import { findTaskDefinition } from './task-definitions.js';

/** What the task operations need beyond the state: who is connected, and the VPC room's ENIs. */
export interface TaskRuntimeView {
  isConnected(hostId: string): boolean;
  managedHostIds(): string[];
}


export function taskOperations(state: EcsState, tasks: TaskService, launcher: TaskLauncher, identity?: TaskIdentity) {
  function start(
    ctx: RequestContext,
    input: RunTaskRequest & { containerInstances?: string[] },
    onInstances: string[] | undefined,
  ): { tasks: ReturnType<typeof renderTask>[]; failures: Failure[] } {
    const scope = scopeOf(ctx);
    const cluster = activeCluster(state, scope, input.cluster);
    const def = findTaskDefinition(state, scope, input.taskDefinition!);
    if (!def) throw invalidParameter('TaskDefinition not found.');
    if (def.definition.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
    const count = input.count ?? 1;
    if (!onInstances && (count < 1 || count > 10)) throw invalidParameter('count must be between 1 and 10.');
    checkNewTags(input.tags ?? [], []);
    const tags: Tag[] = [...(input.propagateTags === 'TASK_DEFINITION' ? (state.tags.get(def.definition.taskDefinitionArn!) ?? []) : []), ...(input.tags ?? [])];
    const overrides: TaskOverride = input.overrides ?? {};
    for (const o of overrides.containerOverrides ?? []) {
      if (!def.definition.containerDefinitions?.some((c) => c.name === o.name)) throw invalidParameter(`Override for container named ${o.name} is not a container in the TaskDefinition.`);
    }
    const roles = [overrides.taskRoleArn ?? def.definition.taskRoleArn, overrides.executionRoleArn ?? def.definition.executionRoleArn];
    identity?.checkRoles(ctx.principal, scope, roles.filter((r): r is string => !!r), ctx.now);
    const plan = launcher.plan({
      scope, cluster, def, count: onInstances ? onInstances.length : count, overrides, group: input.group ?? `family:${def.definition.family}`,
      enableExecuteCommand: input.enableExecuteCommand ?? false, now: ctx.now.getTime(),
      seed: Number.parseInt(ctx.requestId.replace(/-/g, '').slice(0, 8), 16),
      ...(input.startedBy ? { startedBy: input.startedBy } : {}),
      ...(input.launchType ? { launchType: input.launchType } : {}),
      ...(input.capacityProviderStrategy ? { capacityProviderStrategy: input.capacityProviderStrategy } : {}),
      ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
      ...(input.placementStrategy ? { placementStrategy: input.placementStrategy } : {}),
      ...(input.placementConstraints ? { placementConstraints: input.placementConstraints } : {}),
      ...(onInstances ? { onInstances: onInstances.map((ref) => (ref.startsWith('arn:') ? ref : instanceArnById(ref, cluster))) } : {}),
    });
    const result = state.store.transaction(() => {
      const out = launcher.launch(plan);
      for (const t of out.tasks) if (tags.length) state.tags.put(t.taskArn, tags);
      return out;
    });
    return { tasks: result.tasks.map((t) => renderTask(t, tags)), failures: result.failures };
  }

  function instanceArnById(id: string, cluster: ClusterRecord): string {
    for (const i of state.containerInstances.values()) if (i.clusterArn === cluster.clusterArn && i.containerInstanceArn.endsWith(`/${id}`)) return i.containerInstanceArn;
    return id;
  }

  return {
    RunTask: operation<RunTaskRequest>((input, ctx) => start(ctx, input, undefined)),

    StartTask: operation<StartTaskRequest>((input, ctx) => {
      const instances = input.containerInstances ?? [];
      if (instances.length < 1 || instances.length > 10) throw invalidParameter('containerInstances must contain between 1 and 10 container instances.');
      return start(ctx, input as RunTaskRequest, instances);
    }),

    StopTask: operation<StopTaskRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const found = tasks.find(scope, cluster.clusterName, input.task!);
      if (!found) throw invalidParameter('The referenced task was not found.');
      const stopped = tasks.stop(found[0], 'UserInitiated', input.reason ?? 'Task stopped by user', ctx.now.getTime());
      return { task: renderTask(stopped, state.tags.get(stopped.taskArn)) };
    }),

    DescribeTasks: operation<DescribeTasksRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const refs = input.tasks ?? [];
      if (refs.length > 100) throw invalidParameter('tasks can have at most 100 items.');
      const withTags = input.include?.includes('TAGS') ?? false;
      const out = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const found = tasks.find(scope, cluster.clusterName, ref);
        if (!found) failures.push({ arn: ref, reason: 'MISSING' });
        else out.push(renderTask(found[1], withTags ? (state.tags.get(found[1].taskArn) ?? []) : undefined));
      }
      return { tasks: out, failures };
    }),

    ListTasks: operation<ListTasksRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const desired = input.desiredStatus ?? 'RUNNING';
      const prefix = TaskService.key(scope, cluster.clusterName, '');
      const instance = input.containerInstance
        ? (input.containerInstance.startsWith('arn:') ? input.containerInstance : instanceArnById(input.containerInstance, cluster))
        : undefined;
      const arns: string[] = [];
      for (const [k, t] of state.tasks.entries()) {
        if (!k.startsWith(prefix) || !matches(t, desired)) continue;
        if (instance && t.containerInstanceArn !== instance) continue;
        if (input.family && t.taskDefinitionArn.split('/').pop()!.split(':')[0] !== input.family) continue;
        if (input.startedBy && t.startedBy !== input.startedBy) continue;
        if (input.serviceName && t.group !== `service:${input.serviceName}`) continue;
        if (input.launchType && t.launchType !== input.launchType) continue;
        arns.push(t.taskArn);
      }
      arns.sort();
      const { page, nextToken } = paginate(arns, (a) => a, input.nextToken, input.maxResults);
      return nextToken ? { taskArns: page, nextToken } : { taskArns: page };
    }),
  };
}

/** ListTasks' desiredStatus filter: PENDING lists tasks not yet RUNNING that are meant to run. */
function matches(t: TaskRecord, desired: string): boolean {
  if (desired === 'STOPPED') return t.desiredStatus === 'STOPPED';
  if (desired === 'PENDING') return t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING';
  return t.desiredStatus === 'RUNNING';
}

