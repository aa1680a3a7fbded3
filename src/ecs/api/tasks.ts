import type {
  DescribeTasksRequest, Failure, ListTasksRequest, NetworkConfiguration, RunTaskRequest, StartTaskRequest, StopTaskRequest, Tag, TaskOverride,
} from '@aws-sdk/client-ecs';
import type { RequestContext } from '../../edge/surface.js';
import type { Scope } from '../arn.js';
import { clientException, invalidParameter } from '../errors.js';
import { paginate } from '../pagination.js';
import { compileQuery, QuerySyntaxError } from '../placement/query/index.js';
import { PlacementStrategyError } from '../placement/strategies.js';
import type { PlacementConstraint, PlacementStrategy } from '../placement/types.js';
import type { ClusterRecord, EcsState, TaskDefinitionRecord } from '../state.js';
import type { TaskNetworking } from '../task/networking.js';
import type { TaskRecord } from '../task/record.js';
import { renderTask } from '../task/render.js';
import { TaskService, type RunRequest } from '../task/service.js';
import type { TaskIdentity } from '../agents/task-identity.js';
import { isFargateProvider } from '../cluster/capacity-providers.js';
import { distributeTasks, tallyTasks } from '../cluster/provider-strategy.js';
import { providerNameOf, providerUsable } from '../cluster/provider-registry.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';
import { checkNewTags } from './tags.js';
import { findTaskDefinition } from './task-definitions.js';

/** What the task operations need beyond the state: who is connected, and the VPC room's ENIs. */
export interface TaskRuntimeView {
  isConnected(hostId: string): boolean;
  managedHostIds(): string[];
}

type LaunchType = RunRequest['launchType'];
/** Tasks of one RunTask call that share a launch type and capacity provider. */
interface Batch { launchType: LaunchType; capacityProviderName?: string; count: number }

export function taskOperations(state: EcsState, tasks: TaskService, view: TaskRuntimeView, net: TaskNetworking | undefined, identity?: TaskIdentity) {
  /**
   * RunTask's placement: its strategies, and its constraints with the task definition's
   * (memberOf expressions compiled once, evaluated against each instance's query view).
   */
  function placementOf(input: RunTaskRequest, def: TaskDefinitionRecord): Pick<RunRequest, 'strategies' | 'constraints'> {
    const strategies = input.placementStrategy ?? [];
    const given = [...(def.definition.placementConstraints ?? []), ...(input.placementConstraints ?? [])];
    if (strategies.length > 5) throw invalidParameter('A maximum of 5 placement strategies can be specified.');
    if ((input.placementConstraints ?? []).length > 10) throw invalidParameter('A maximum of 10 placement constraints can be specified.');
    const constraints: PlacementConstraint[] = given.map((c) => {
      if (c.type === 'distinctInstance') {
        if (c.expression) throw invalidParameter('The distinctInstance placement constraint does not take an expression.');
        return { type: 'distinctInstance' };
      }
      if (c.type !== 'memberOf') throw invalidParameter(`Invalid placement constraint type: ${String(c.type)}.`);
      if (!c.expression) throw invalidParameter('An expression is required for the memberOf placement constraint.');
      const test = compileQueryOr400(c.expression);
      return { type: 'memberOf', expression: c.expression, test: (v) => test(tasks.candidates.queryTarget(v)) };
    });
    return { strategies: strategies as PlacementStrategy[], constraints };
  }

  /**
   * How RunTask's tasks split by launch type and capacity provider: a launch type takes them all;
   * a capacity provider strategy (the request's, else the cluster's default) splits them by base
   * and weight (cluster/provider-strategy.ts). Fargate and Auto Scaling group providers don't mix.
   */
  function batchesOf(input: RunTaskRequest, cluster: ClusterRecord, scope: Scope, count: number): Batch[] {
    if (input.launchType && input.capacityProviderStrategy?.length) {
      throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
    }
    if (input.launchType) return [{ launchType: input.launchType as LaunchType, count }];
    const strategy = input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : cluster.defaultCapacityProviderStrategy;
    if (!strategy.length) return [{ launchType: 'EC2', count }];
    const items = strategy.map((i) => {
      const name = providerNameOf(i.capacityProvider ?? '', scope);
      if (!name || !providerUsable(state, scope, name)) throw invalidParameter(`The specified capacity provider ${i.capacityProvider} was not found.`);
      if (!cluster.capacityProviders.includes(name)) {
        throw invalidParameter('The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.');
      }
      return { capacityProvider: name, base: i.base ?? 0, weight: i.weight ?? 0 };
    });
    const fargate = items.filter((i) => isFargateProvider(i.capacityProvider)).length;
    if (fargate > 0 && fargate < items.length) {
      throw invalidParameter('The specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.');
    }
    const tally = tallyTasks(distributeTasks(items, {}, count));
    return items.filter((i) => tally[i.capacityProvider]).map((i) => ({
      launchType: isFargateProvider(i.capacityProvider) ? 'FARGATE' as const : 'EC2' as const,
      capacityProviderName: i.capacityProvider,
      count: tally[i.capacityProvider]!,
    }));
  }

  function awsvpcOf(scope: Scope, def: TaskDefinitionRecord, nc: NetworkConfiguration | undefined): RunRequest['awsvpc'] {
    const mode = def.definition.networkMode ?? 'bridge';
    if (mode !== 'awsvpc') {
      if (nc?.awsvpcConfiguration) throw invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
      return undefined;
    }
    const cfg = nc?.awsvpcConfiguration;
    if (!cfg) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    if (!net) throw invalidParameter('awsvpc networking is not available on this server.');
    const subnets = cfg.subnets ?? [];
    if (subnets.length === 0) throw invalidParameter('subnets can not be empty.');
    if (subnets.length > 16) throw invalidParameter('A maximum of 16 subnets can be specified.');
    for (const s of subnets) if (!net.subnet(scope, s)) throw invalidParameter(`Error retrieving subnet information for [${s}]: The subnet ID '${s}' does not exist`);
    const groups = cfg.securityGroups ?? [];
    if (groups.length > 5) throw invalidParameter('A maximum of 5 security groups can be specified.');
    for (const g of groups) if (!net.securityGroupExists(scope, g)) throw invalidParameter(`Error retrieving security group information for [${g}]: The security group '${g}' does not exist`);
    return { subnets, securityGroups: groups, assignPublicIp: cfg.assignPublicIp === 'ENABLED' };
  }

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
    const batches: Batch[] = onInstances ? [{ launchType: 'EC2', count: onInstances.length }] : batchesOf(input, cluster, scope, count);
    for (const { launchType } of batches) {
      if (!(def.definition.compatibilities ?? []).includes(launchType)) throw invalidParameter(`Task definition does not support launch_type ${launchType}.`);
    }
    const awsvpc = awsvpcOf(scope, def, input.networkConfiguration);
    const registered = [...state.containerInstances.values()].some((i) => i.clusterArn === cluster.clusterArn && i.status !== 'INACTIVE');
    if (batches.some((b) => b.launchType !== 'FARGATE') && !onInstances && !registered) {
      throw invalidParameter('No Container Instances were found in your cluster.');
    }
    checkNewTags(input.tags ?? [], []);
    const tags: Tag[] = [...(input.propagateTags === 'TASK_DEFINITION' ? (state.tags.get(def.definition.taskDefinitionArn!) ?? []) : []), ...(input.tags ?? [])];
    const overrides: TaskOverride = input.overrides ?? {};
    for (const o of overrides.containerOverrides ?? []) {
      if (!def.definition.containerDefinitions?.some((c) => c.name === o.name)) throw invalidParameter(`Override for container named ${o.name} is not a container in the TaskDefinition.`);
    }
    const roles = [overrides.taskRoleArn ?? def.definition.taskRoleArn, overrides.executionRoleArn ?? def.definition.executionRoleArn];
    identity?.checkRoles(ctx.principal, scope, roles.filter((r): r is string => !!r), ctx.now);
    const base = {
      scope, cluster, def, overrides, group: input.group ?? `family:${def.definition.family}`,
      enableExecuteCommand: input.enableExecuteCommand ?? false, now: ctx.now.getTime(),
      seed: Number.parseInt(ctx.requestId.replace(/-/g, '').slice(0, 8), 16),
      ...(input.startedBy ? { startedBy: input.startedBy } : {}),
      ...(awsvpc ? { awsvpc } : {}),
    };
    const placement = onInstances ? {} : placementOf(input, def);
    const result = state.store.transaction(() => {
      const out: ReturnType<TaskService['run']> = { tasks: [], failures: [] };
      for (const b of batches) {
        const req: RunRequest = { ...base, launchType: b.launchType, count: b.count };
        if (b.capacityProviderName) req.capacityProviderName = b.capacityProviderName;
        if (b.launchType !== 'FARGATE') Object.assign(req, placement);
        if (onInstances) req.onInstances = onInstances.map((ref) => (ref.startsWith('arn:') ? ref : instanceArnById(ref, cluster)));
        try {
          const r = tasks.run(req, () => view.managedHostIds());
          out.tasks.push(...r.tasks);
          out.failures.push(...r.failures);
        } catch (err) {
          if (err instanceof PlacementStrategyError) throw invalidParameter(err.message);
          throw err;
        }
      }
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
      const [key, t] = found;
      const hostKnown = t.launchType === 'FARGATE' ? state.managedHosts.has(t.hostId) : state.containerInstances.get(t.hostId)?.status !== 'INACTIVE';
      const stopped = tasks.stop(key, 'UserInitiated', input.reason ?? 'Task stopped by user', ctx.now.getTime(), hostKnown);
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

/** A cluster query language expression, compiled; a syntax error is the caller's 400. */
export function compileQueryOr400(expression: string): ReturnType<typeof compileQuery> {
  try {
    return compileQuery(expression);
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw invalidParameter(`The cluster query expression is not valid: ${err.message}`);
    throw err;
  }
}
