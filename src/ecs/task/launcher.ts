import type { CapacityProviderStrategyItem, NetworkConfiguration, PlacementConstraint as EcsConstraint, PlacementStrategy as EcsStrategy, TaskOverride } from '@aws-sdk/client-ecs';
import type { Scope } from '../arn.js';
import { isFargateProvider } from '../cluster/capacity-providers.js';
import { distributeTasks, tallyTasks } from '../cluster/provider-strategy.js';
import { findProvider, providerNameOf, providerUsable } from '../cluster/provider-registry.js';
import { invalidParameter } from '../errors.js';
import { compileQuery, QuerySyntaxError } from '../placement/query/index.js';
import { PlacementStrategyError } from '../placement/strategies.js';
import type { PlacementConstraint, PlacementStrategy } from '../placement/types.js';
import type { ClusterRecord, EcsState, TaskDefinitionRecord } from '../state.js';
import type { TaskNetworking } from './networking.js';
import { needOf, type RunRequest, type RunResult, type TaskService } from './service.js';

/** What RunTask, StartTask and the service scheduler ask for: tasks of one definition in one cluster. */
export interface LaunchSpec {
  scope: Scope;
  cluster: ClusterRecord;
  def: TaskDefinitionRecord;
  count: number;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  networkConfiguration?: NetworkConfiguration;
  placementStrategy?: EcsStrategy[];
  placementConstraints?: EcsConstraint[];
  /** `family:<family>` for standalone tasks, `service:<name>` for a service's. */
  group: string;
  startedBy?: string;
  overrides: TaskOverride;
  enableExecuteCommand: boolean;
  /** StartTask: one task on each of these instances (ARNs). */
  onInstances?: string[];
  /**
   * Tasks the strategy already governs, by capacity provider (a service's live tasks): base and
   * weight apply across them and the new ones, as ECS applies a service's strategy.
   */
  runningByProvider?: Readonly<Record<string, number>>;
  now: number;
  seed: number;
}

type LaunchType = RunRequest['launchType'];
/** Tasks of one launch that share a launch type and capacity provider. */
interface Batch { launchType: LaunchType; capacityProviderName?: string; count: number }

/**
 * What a launch of a custom capacity provider's tasks came to: how many were placed and how many
 * could not be for lack of capacity (no instance, or RESOURCE:*), and what each task needs.
 * Managed scaling reads it (scheduler/capacity-scaler.ts).
 */
export interface ProviderLaunch {
  scope: Scope;
  clusterArn: string;
  providerName: string;
  group: string;
  need: { cpu: number; memory: number };
  placed: number;
  unplaced: number;
}

/** A launch checked: what `launch` will do. Throws ECS's 400s for what ECS refuses. */
export interface LaunchPlan { spec: LaunchSpec; batches: Batch[]; awsvpc: RunRequest['awsvpc']; placement: Pick<RunRequest, 'strategies' | 'constraints'> }

/**
 * Turns a LaunchSpec into TaskService.run calls: launch types and capacity providers (base and
 * weight), awsvpc configuration checked against the VPC room, placement strategies and
 * constraints (the task definition's memberOf too) compiled for the pipeline.
 */
export class TaskLauncher {
  constructor(
    private readonly state: EcsState,
    private readonly tasks: TaskService,
    private readonly net: TaskNetworking | undefined,
    private readonly managedHosts: () => string[],
  ) {}

  /** Set by managed scaling: told of each launch of a custom capacity provider's tasks. */
  onProviderLaunch: (e: ProviderLaunch) => void = () => {};

  /** Whether a custom provider (by name) has managed scaling ENABLED. */
  private scales(scope: Scope, name: string | undefined): boolean {
    if (!name) return false;
    return findProvider(this.state, scope, name)?.autoScalingGroupProvider.managedScaling?.status === 'ENABLED';
  }

  /** `service`: a service's launch, which places (or reports it cannot) even with no instances yet. */
  plan(spec: LaunchSpec, opts: { service?: boolean } = {}): LaunchPlan {
    const { def, cluster, scope } = spec;
    const batches: Batch[] = spec.onInstances ? [{ launchType: 'EC2', count: spec.onInstances.length }] : this.batchesOf(spec);
    for (const { launchType } of batches) {
      if (!(def.definition.compatibilities ?? []).includes(launchType)) throw invalidParameter(`Task definition does not support launch_type ${launchType}.`);
    }
    const awsvpc = this.awsvpcOf(scope, def, spec.networkConfiguration);
    const registered = [...this.state.containerInstances.values()].some((i) => i.clusterArn === cluster.clusterArn && i.status !== 'INACTIVE');
    // A provider with managed scaling gets its instances when its tasks ask for them: no 400 then.
    const scaled = batches.every((b) => b.launchType === 'FARGATE' || this.scales(scope, b.capacityProviderName));
    if (batches.some((b) => b.launchType !== 'FARGATE') && !spec.onInstances && !registered && !opts.service && !scaled) {
      throw invalidParameter('No Container Instances were found in your cluster.');
    }
    const placement = spec.onInstances ? {} : this.placementOf(spec);
    return { spec, batches, awsvpc, placement };
  }

  /** Creates the planned tasks (call inside the caller's store transaction). */
  launch(plan: LaunchPlan): RunResult {
    const { spec } = plan;
    const base = {
      scope: spec.scope, cluster: spec.cluster, def: spec.def, overrides: spec.overrides, group: spec.group,
      enableExecuteCommand: spec.enableExecuteCommand, now: spec.now, seed: spec.seed,
      ...(spec.startedBy ? { startedBy: spec.startedBy } : {}),
      ...(plan.awsvpc ? { awsvpc: plan.awsvpc } : {}),
    };
    const out: RunResult = { tasks: [], failures: [] };
    for (const b of plan.batches) {
      const req: RunRequest = { ...base, launchType: b.launchType, count: b.count };
      if (b.capacityProviderName) req.capacityProviderName = b.capacityProviderName;
      if (b.launchType !== 'FARGATE') Object.assign(req, plan.placement);
      if (spec.onInstances) req.onInstances = spec.onInstances;
      try {
        const r = this.tasks.run(req, this.managedHosts);
        if (b.capacityProviderName && b.launchType !== 'FARGATE' && !spec.onInstances) {
          const short = r.failures.filter((f) => f.reason === 'MISSING' || f.reason?.startsWith('RESOURCE:')).length;
          const need = needOf(req);
          this.onProviderLaunch({
            scope: spec.scope, clusterArn: spec.cluster.clusterArn, providerName: b.capacityProviderName, group: spec.group,
            need: { cpu: need.cpu, memory: need.memory }, placed: r.tasks.length, unplaced: short,
          });
        }
        out.tasks.push(...r.tasks);
        out.failures.push(...r.failures);
        if (r.unplaced) out.unplaced = r.unplaced;
      } catch (err) {
        if (err instanceof PlacementStrategyError) throw invalidParameter(err.message);
        throw err;
      }
    }
    return out;
  }

  /**
   * How the tasks split by launch type and capacity provider: a launch type takes them all; a
   * capacity provider strategy (the request's, else the cluster's default) splits them by base
   * and weight (cluster/provider-strategy.ts). Fargate and Auto Scaling group providers don't mix.
   */
  private batchesOf(spec: LaunchSpec): Batch[] {
    const { scope, cluster, count } = spec;
    if (spec.launchType && spec.capacityProviderStrategy?.length) {
      throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
    }
    if (spec.launchType) return [{ launchType: spec.launchType as LaunchType, count }];
    const strategy = spec.capacityProviderStrategy?.length ? spec.capacityProviderStrategy : cluster.defaultCapacityProviderStrategy;
    if (!strategy.length) return [{ launchType: 'EC2', count }];
    const items = strategy.map((i) => {
      const name = providerNameOf(i.capacityProvider ?? '', scope);
      if (!name || !providerUsable(this.state, scope, name)) throw invalidParameter(`The specified capacity provider ${i.capacityProvider} was not found.`);
      if (!cluster.capacityProviders.includes(name)) {
        throw invalidParameter('The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.');
      }
      return { capacityProvider: name, base: i.base ?? 0, weight: i.weight ?? 0 };
    });
    const fargate = items.filter((i) => isFargateProvider(i.capacityProvider)).length;
    if (fargate > 0 && fargate < items.length) {
      throw invalidParameter('The specified capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.');
    }
    const tally = tallyTasks(distributeTasks(items, spec.runningByProvider ?? {}, count));
    return items.filter((i) => tally[i.capacityProvider]).map((i) => ({
      launchType: isFargateProvider(i.capacityProvider) ? 'FARGATE' as const : 'EC2' as const,
      capacityProviderName: i.capacityProvider,
      count: tally[i.capacityProvider]!,
    }));
  }

  private awsvpcOf(scope: Scope, def: TaskDefinitionRecord, nc: NetworkConfiguration | undefined): RunRequest['awsvpc'] {
    const mode = def.definition.networkMode ?? 'bridge';
    if (mode !== 'awsvpc') {
      if (nc?.awsvpcConfiguration) throw invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
      return undefined;
    }
    const cfg = nc?.awsvpcConfiguration;
    if (!cfg) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    const net = this.net;
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

  /**
   * The placement strategies, and the constraints with the task definition's (memberOf
   * expressions compiled once, evaluated against each instance's query view).
   */
  private placementOf(spec: LaunchSpec): Pick<RunRequest, 'strategies' | 'constraints'> {
    const strategies = spec.placementStrategy ?? [];
    const given = [...(spec.def.definition.placementConstraints ?? []), ...(spec.placementConstraints ?? [])];
    if (strategies.length > 5) throw invalidParameter('A maximum of 5 placement strategies can be specified.');
    if ((spec.placementConstraints ?? []).length > 10) throw invalidParameter('A maximum of 10 placement constraints can be specified.');
    const constraints: PlacementConstraint[] = given.map((c) => {
      if (c.type === 'distinctInstance') {
        if (c.expression) throw invalidParameter('The distinctInstance placement constraint does not take an expression.');
        return { type: 'distinctInstance' };
      }
      if (c.type !== 'memberOf') throw invalidParameter(`Invalid placement constraint type: ${String(c.type)}.`);
      if (!c.expression) throw invalidParameter('An expression is required for the memberOf placement constraint.');
      const test = compileQueryOr400(c.expression);
      return { type: 'memberOf', expression: c.expression, test: (v) => test(this.tasks.candidates.queryTarget(v)) };
    });
    return { strategies: strategies as PlacementStrategy[], constraints };
  }
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
