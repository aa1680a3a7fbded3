import type {
  CreateServiceRequest, DeleteServiceRequest, DeploymentLifecycleHook, LoadBalancer, DeploymentConfiguration, DescribeServicesRequest, Failure, ListServicesRequest, Tag, UpdateServiceRequest,
} from '@aws-sdk/client-ecs';
import { AwsError } from '../../edge/errors.js';
import type { RequestContext } from '../../edge/surface.js';
import { ecsArn, scopeKey, type Scope } from '../arn.js';
import { invalidParameter, serviceNotActive, serviceNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import {
  deploymentIdFrom, isBlueGreen, newService, startDeployment,
  type DeploymentConfigurationRecord, type LifecycleHookRecord, type LifecycleStage, type ServiceRecord,
} from '../service/model.js';
import type { ClusterRecord, EcsState, TaskDefinitionRecord } from '../state.js';
import type { TargetsPort } from '../scheduler/service-targets.js';
import type { TaskLauncher } from '../task/launcher.js';
import { CANARY_DEFAULTS, LINEAR_DEFAULTS } from '../service/blue-green.js';
import { activeCluster } from './clusters.js';
import { checkLoadBalancers } from './load-balancer-checks.js';
import { checkExternalCreate, codeDeployNotImplemented, externalService, rejectExternalUpdate, rescaleTaskSets } from './external-services.js';
import { operation, scopeOf } from './operation.js';
import { forgetHistory, putService } from './service-deployments.js';
import { renderService } from './service-render.js';
import { checkNewTags } from './tags.js';
import { findTaskDefinition } from './task-definitions.js';

/** Where services are kept, and who reconciles them after a change (the service controller). */
export interface ServiceScheduling {
  /** Asks for a pass over the service soon (after the answer). */
  touch(serviceKey: string): void;
}

export const serviceKey = (s: Scope, cluster: string, name: string): string => `${scopeKey(s)}:${cluster}:${name}`;

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** Whether a percentage is a multiple of 0.1, as ECS's traffic steps must be. */
const tenths = (x: number): boolean => Math.abs(x * 10 - Math.round(x * 10)) < 1e-6;

/**
 * CreateService, UpdateService, DescribeServices, ListServices, DeleteService. The operations
 * store what was asked; the service controller (scheduler/service-controller.ts) does the rest:
 * it starts and stops tasks, rolls deployments and writes the events.
 */
export function serviceOperations(state: EcsState, launcher: TaskLauncher, scheduler: ServiceScheduling, targets?: Pick<TargetsPort, 'describe' | 'forwardWeights'>) {
  function find(scope: Scope, cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
    const name = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
    const s = state.services.get(serviceKey(scope, cluster.clusterName, name));
    return s && (!ref.startsWith('arn:') || s.serviceArn === ref) ? s : undefined;
  }

  function definition(scope: Scope, ref: string | undefined): TaskDefinitionRecord {
    if (!ref) throw invalidParameter('TaskDefinition must be specified.');
    const def = findTaskDefinition(state, scope, ref);
    if (!def) throw invalidParameter('TaskDefinition not found.');
    if (def.definition.status !== 'ACTIVE') throw invalidParameter('TaskDefinition is inactive');
    return def;
  }

  /** The service's launch checked as a one-task RunTask would be (launch type, network, placement). */
  function checkLaunch(scope: Scope, cluster: ClusterRecord, def: TaskDefinitionRecord, s: Pick<ServiceRecord, 'serviceName' | 'launchType' | 'capacityProviderStrategy' | 'networkConfiguration' | 'placementConstraints' | 'placementStrategy'>, now: Date): void {
    launcher.plan({
      scope, cluster, def, count: 1, group: `service:${s.serviceName}`, overrides: {}, enableExecuteCommand: false, now: now.getTime(), seed: 0,
      ...(s.launchType ? { launchType: s.launchType } : {}),
      ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}),
      ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration as never } : {}),
      placementConstraints: s.placementConstraints as never, placementStrategy: s.placementStrategy as never,
    }, { service: true });
  }

  function deploymentConfiguration(given: DeploymentConfiguration | undefined, base: Partial<DeploymentConfigurationRecord> = {}): Partial<DeploymentConfigurationRecord> {
    const out: Partial<DeploymentConfigurationRecord> = { ...base };
    if (!given) return out;
    if (given.minimumHealthyPercent !== undefined) out.minimumHealthyPercent = given.minimumHealthyPercent;
    if (given.maximumPercent !== undefined) out.maximumPercent = given.maximumPercent;
    if (given.deploymentCircuitBreaker) out.deploymentCircuitBreaker = { enable: given.deploymentCircuitBreaker.enable ?? false, rollback: given.deploymentCircuitBreaker.rollback ?? false };
    if (given.strategy) out.strategy = given.strategy as DeploymentConfigurationRecord['strategy'];
    if (given.bakeTimeInMinutes !== undefined) out.bakeTimeInMinutes = given.bakeTimeInMinutes;
    if (given.lifecycleHooks) out.lifecycleHooks = lifecycleHooks(given.lifecycleHooks);
    if (given.alarms) out.alarms = { alarmNames: given.alarms.alarmNames ?? [], enable: given.alarms.enable ?? false, rollback: given.alarms.rollback ?? false };
    if ((out.minimumHealthyPercent ?? 0) < 0 || (out.minimumHealthyPercent ?? 0) > 100) throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
    if (out.maximumPercent !== undefined && out.maximumPercent < (out.minimumHealthyPercent ?? 0)) throw invalidParameter('maximumPercent must be greater than or equal to minimumHealthyPercent.');
    if (out.strategy !== undefined && !['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'].includes(out.strategy)) throw invalidParameter(`The deployment strategy ${out.strategy} is not valid.`);
    // A change of strategy drops the step settings of the one before, unless given again.
    if (given.strategy && given.strategy !== 'LINEAR' && !given.linearConfiguration) delete out.linearConfiguration;
    if (given.strategy && given.strategy !== 'CANARY' && !given.canaryConfiguration) delete out.canaryConfiguration;
    if (given.linearConfiguration) {
      const step = given.linearConfiguration.stepPercent ?? LINEAR_DEFAULTS.stepPercent;
      const bake = given.linearConfiguration.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes;
      if (step < 3 || step > 100 || !tenths(step)) throw invalidParameter('stepPercent must be a multiple of 0.1 between 3.0 and 100.0.');
      if (bake < 0 || bake > 1440) throw invalidParameter('stepBakeTimeInMinutes must be between 0 and 1440.');
      out.linearConfiguration = { stepPercent: step, stepBakeTimeInMinutes: bake };
    }
    if (given.canaryConfiguration) {
      const pct = given.canaryConfiguration.canaryPercent ?? CANARY_DEFAULTS.canaryPercent;
      const bake = given.canaryConfiguration.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes;
      if (pct < 0.1 || pct > 100 || !tenths(pct)) throw invalidParameter('canaryPercent must be a multiple of 0.1 between 0.1 and 100.0.');
      if (bake < 0 || bake > 1440) throw invalidParameter('canaryBakeTimeInMinutes must be between 0 and 1440.');
      out.canaryConfiguration = { canaryPercent: pct, canaryBakeTimeInMinutes: bake };
    }
    if (out.linearConfiguration && out.strategy !== 'LINEAR') throw invalidParameter('linearConfiguration is only valid with the LINEAR deployment strategy.');
    if (out.canaryConfiguration && out.strategy !== 'CANARY') throw invalidParameter('canaryConfiguration is only valid with the CANARY deployment strategy.');
    if (out.bakeTimeInMinutes !== undefined && (out.bakeTimeInMinutes < 0 || out.bakeTimeInMinutes > 1440)) throw invalidParameter('bakeTimeInMinutes must be between 0 and 1440.');
    return out;
  }

  /** Lifecycle hooks as ECS checks them. Berth runs PAUSE hooks; it has no AWS Lambda to invoke. */
  function lifecycleHooks(given: DeploymentLifecycleHook[]): LifecycleHookRecord[] {
    return given.map((h) => {
      const targetType = (h.targetType ?? 'AWS_LAMBDA') as LifecycleHookRecord['targetType'];
      if (targetType === 'AWS_LAMBDA') throw new AwsError('NotImplementedException', 'AWS_LAMBDA lifecycle hooks are not implemented in Berth (it has no AWS Lambda); use PAUSE hooks.', 501, 'server');
      const stages = (h.lifecycleStages ?? []) as LifecycleStage[];
      if (stages.length === 0) throw invalidParameter('lifecycleStages must be specified for a lifecycle hook.');
      const bad = stages.find((x) => x === 'TEST_TRAFFIC_SHIFT' || x === 'PRODUCTION_TRAFFIC_SHIFT');
      if (bad) throw invalidParameter(`PAUSE lifecycle hooks cannot be configured at the ${bad} stage.`);
      const t = h.timeoutConfiguration;
      if (t?.timeoutInMinutes !== undefined && (t.timeoutInMinutes < 1 || t.timeoutInMinutes > 1440)) throw invalidParameter('timeoutInMinutes must be between 1 and 1440.');
      return {
        targetType, lifecycleStages: stages,
        ...(h.hookTargetArn ? { hookTargetArn: h.hookTargetArn } : {}),
        ...(h.roleArn ? { roleArn: h.roleArn } : {}),
        ...(h.hookDetails !== undefined ? { hookDetails: h.hookDetails } : {}),
        ...(t ? { timeoutConfiguration: { ...(t.timeoutInMinutes !== undefined ? { timeoutInMinutes: t.timeoutInMinutes } : {}), ...(t.action ? { action: t.action as 'CONTINUE' | 'ROLLBACK' } : {}) } } : {}),
      };
    });
  }

  /**
   * availabilityZoneRebalancing as ECS settles it: asked for, it must suit the service; not asked
   * for at CreateService, ENABLED when it suits (REPLICA, the ECS controller, no binpack or random
   * placement), else DISABLED. UpdateService keeps the current value unless given one.
   */
  function azRebalancing(s: Pick<ServiceRecord, 'schedulingStrategy' | 'deploymentController' | 'placementStrategy'>, given: string | undefined): 'ENABLED' | 'DISABLED' {
    const unsuited = s.schedulingStrategy === 'DAEMON' ? 'the DAEMON scheduling strategy'
      : s.deploymentController.type !== 'ECS' ? `the ${s.deploymentController.type} deployment controller`
        : s.placementStrategy.some((p) => p.type === 'binpack' || p.type === 'random') ? `a ${s.placementStrategy.find((p) => p.type === 'binpack' || p.type === 'random')!.type} placement strategy`
          : undefined;
    if (given === 'ENABLED' && unsuited) throw invalidParameter(`Availability Zone rebalancing is not supported for services using ${unsuited}.`);
    if (given === 'ENABLED' || given === 'DISABLED') return given;
    return unsuited ? 'DISABLED' : 'ENABLED';
  }

  /**
   * Service features Berth has not built answer NotImplementedException rather than being
   * stored and ignored: Service Connect (needs Cloud Map), EBS volumes, VPC Lattice.
   */
  function refuseUnbuilt(input: Pick<CreateServiceRequest, 'serviceConnectConfiguration' | 'volumeConfigurations' | 'vpcLatticeConfigurations'>): void {
    const unbuilt = (what: string): AwsError => new AwsError('NotImplementedException', `${what} is not implemented in Berth yet.`, 501, 'server');
    if (input.serviceConnectConfiguration?.enabled) throw unbuilt('Service Connect (serviceConnectConfiguration)');
    if (input.volumeConfigurations?.length) throw unbuilt('Amazon EBS volumes for services (volumeConfigurations)');
    if (input.vpcLatticeConfigurations?.length) throw unbuilt('VPC Lattice (vpcLatticeConfigurations)');
  }

  /**
   * What a BLUE_GREEN service needs of its load balancers: each with an advancedConfiguration
   * naming an alternate target group that a load balancer uses, and a production listener rule
   * (or NLB listener) that forwards to the service's target groups.
   */
  function checkBlueGreen(scope: Scope, s: Pick<ServiceRecord, 'deploymentConfiguration' | 'schedulingStrategy' | 'loadBalancers'>): void {
    const strategy = s.deploymentConfiguration.strategy;
    if (!isBlueGreen(strategy)) return;
    if (s.schedulingStrategy === 'DAEMON') throw invalidParameter(`The ${strategy} deployment strategy is not supported for services using the DAEMON scheduling strategy.`);
    for (const lb of s.loadBalancers) {
      const a = lb.advancedConfiguration;
      if (!a?.alternateTargetGroupArn || !a.productionListenerRule || !a.roleArn) {
        throw invalidParameter(`advancedConfiguration with alternateTargetGroupArn, productionListenerRule and roleArn is required for each load balancer of a service using the ${strategy} deployment strategy.`);
      }
      if (a.alternateTargetGroupArn === lb.targetGroupArn) throw invalidParameter('The alternateTargetGroupArn must differ from the targetGroupArn.');
      const alt = targets?.describe(scope, a.alternateTargetGroupArn);
      if (!alt) throw invalidParameter(`The target group ${a.alternateTargetGroupArn} does not exist.`);
      if (!alt.attached) throw invalidParameter(`The target group with targetGroupArn ${a.alternateTargetGroupArn} does not have an associated load balancer.`);
      for (const rule of [a.productionListenerRule, ...(a.testListenerRule ? [a.testListenerRule] : [])]) {
        const weights = targets?.forwardWeights(scope, rule);
        if (!weights) throw invalidParameter(`The listener rule ${rule} does not exist or does not forward to a target group.`);
        if (!Object.keys(weights).every((g) => g === lb.targetGroupArn || g === a.alternateTargetGroupArn)) {
          throw invalidParameter(`The listener rule ${rule} forwards to target groups other than ${lb.targetGroupArn} and ${a.alternateTargetGroupArn}.`);
        }
      }
    }
  }

  const key = (s: ServiceRecord): string => serviceKey({ accountId: s.serviceArn.split(':')[4]!, region: s.serviceArn.split(':')[3]! }, s.clusterArn.split('/').pop()!, s.serviceName);

  return {
    CreateService: operation<CreateServiceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const name = input.serviceName ?? '';
      if (!NAME.test(name)) throw invalidParameter('Service names can have up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.');
      const controller = input.deploymentController?.type ?? 'ECS';
      if (controller === 'CODE_DEPLOY') throw codeDeployNotImplemented();
      // EXTERNAL: tasks come from task sets (task-sets.ts); the task definition is optional.
      const external = controller === 'EXTERNAL';
      if (external) checkExternalCreate(input);
      refuseUnbuilt(input);
      const strategy = (input.schedulingStrategy ?? 'REPLICA') as ServiceRecord['schedulingStrategy'];
      if (strategy === 'DAEMON') {
        if (input.launchType === 'FARGATE') throw invalidParameter('The daemon scheduling strategy does not support the FARGATE launch type.');
        if (input.placementStrategy?.length) throw invalidParameter('Placement strategies are not supported with the daemon scheduling strategy.');
        if (input.desiredCount !== undefined) throw invalidParameter('The daemon scheduling strategy does not support a desired count for services.');
      }
      const desired = input.desiredCount ?? 0;
      if (desired < 0) throw invalidParameter('desiredCount must be 0 or more.');
      const existing = state.services.get(serviceKey(scope, cluster.clusterName, name));
      if (existing?.status === 'ACTIVE') throw invalidParameter('Creation of service was not idempotent.');
      if (existing?.status === 'DRAINING') throw invalidParameter('Unable to Start a service that is still Draining.');
      const def = external && input.taskDefinition === undefined ? undefined : definition(scope, input.taskDefinition);
      checkNewTags(input.tags ?? [], []);
      const now = ctx.now.getTime();
      const arn = ecsArn(scope, `service/${cluster.clusterName}/${name}`);
      const launchType = input.launchType ?? (input.capacityProviderStrategy?.length || cluster.defaultCapacityProviderStrategy.length ? undefined : 'EC2');
      let s = newService({
        serviceArn: arn, serviceName: name, clusterArn: cluster.clusterArn, taskDefinition: def?.definition.taskDefinitionArn ?? '',
        desiredCount: desired, now, deploymentSeed: `${arn}\n${ctx.requestId}`, schedulingStrategy: strategy,
        deploymentConfiguration: deploymentConfiguration(input.deploymentConfiguration),
        loadBalancers: input.loadBalancers ?? [],
        ...(input.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds } : {}),
        ...(launchType ? { launchType: launchType as ServiceRecord['launchType'] & string } : {}),
      });
      s = {
        ...s,
        placementConstraints: (input.placementConstraints ?? []) as ServiceRecord['placementConstraints'],
        placementStrategy: (input.placementStrategy ?? []) as ServiceRecord['placementStrategy'],
        serviceRegistries: input.serviceRegistries ?? [],
        enableExecuteCommand: input.enableExecuteCommand ?? false,
        enableECSManagedTags: input.enableECSManagedTags ?? false,
        propagateTags: (input.propagateTags ?? 'NONE') as ServiceRecord['propagateTags'],
        createdBy: ctx.principal.arn,
        ...(input.capacityProviderStrategy?.length ? { capacityProviderStrategy: input.capacityProviderStrategy as ServiceRecord['capacityProviderStrategy'] } : {}),
        ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {}),
        ...(input.platformVersion ? { platformVersion: input.platformVersion } : {}),
        ...(input.role ? { roleArn: input.role } : {}),
      };
      s = { ...s, deployments: s.deployments.map((d) => ({ ...d, ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}), ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}) })) };
      if (external) s = externalService(s);
      if (def) checkLaunch(scope, cluster, def, s, ctx.now);
      if (def) checkLoadBalancers(targets, scope, def, s.loadBalancers as LoadBalancer[], 'services');
      checkBlueGreen(scope, s);
      s = { ...s, availabilityZoneRebalancing: azRebalancing(s, input.availabilityZoneRebalancing) };
      const tags: Tag[] = input.tags ?? [];
      state.store.transaction(() => {
        if (existing) forgetHistory(state, arn);
        s = putService(state, serviceKey(scope, cluster.clusterName, name), s, now);
        if (tags.length) state.tags.put(arn, tags);
        else state.tags.delete(arn);
      });
      scheduler.touch(serviceKey(scope, cluster.clusterName, name));
      return { service: renderService(s, tags) };
    }),

    UpdateService: operation<UpdateServiceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const current = find(scope, cluster, input.service ?? '');
      if (!current) throw serviceNotFound();
      if (current.status !== 'ACTIVE') throw serviceNotActive();
      const external = current.deploymentController.type === 'EXTERNAL';
      if (external) rejectExternalUpdate(input);
      refuseUnbuilt(input);
      const now = ctx.now.getTime();
      let s: ServiceRecord = { ...current };
      if (input.desiredCount !== undefined) {
        if (s.schedulingStrategy === 'DAEMON') throw invalidParameter('The daemon scheduling strategy does not support a desired count for services.');
        if (input.desiredCount < 0) throw invalidParameter('desiredCount must be 0 or more.');
        s = { ...s, desiredCount: input.desiredCount, deployments: s.deployments.map((d) => (d.status === 'PRIMARY' ? { ...d, desiredCount: input.desiredCount! } : d)) };
      }
      if (input.deploymentConfiguration) s = { ...s, deploymentConfiguration: { ...s.deploymentConfiguration, ...deploymentConfiguration(input.deploymentConfiguration, s.deploymentConfiguration) } };
      if (input.healthCheckGracePeriodSeconds !== undefined) s = { ...s, healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds };
      if (input.enableExecuteCommand !== undefined) s = { ...s, enableExecuteCommand: input.enableExecuteCommand };
      if (input.propagateTags !== undefined) s = { ...s, propagateTags: input.propagateTags as ServiceRecord['propagateTags'] };
      if (input.availabilityZoneRebalancing !== undefined) s = { ...s, availabilityZoneRebalancing: azRebalancing(s, input.availabilityZoneRebalancing) };
      // What the tasks run with: a change of any of it starts a new deployment, as in ECS.
      let redeploy = input.forceNewDeployment === true;
      const def = input.taskDefinition !== undefined ? definition(scope, input.taskDefinition) : undefined;
      if (def && def.definition.taskDefinitionArn !== s.taskDefinition) redeploy = true;
      if (input.networkConfiguration) { s = { ...s, networkConfiguration: input.networkConfiguration }; redeploy = true; }
      if (input.placementConstraints) { s = { ...s, placementConstraints: input.placementConstraints as ServiceRecord['placementConstraints'] }; redeploy = true; }
      if (input.placementStrategy) { s = { ...s, placementStrategy: input.placementStrategy as ServiceRecord['placementStrategy'] }; redeploy = true; }
      if (input.capacityProviderStrategy) {
        const { launchType: _, ...rest } = s;
        s = { ...rest, capacityProviderStrategy: input.capacityProviderStrategy as ServiceRecord['capacityProviderStrategy'] };
        redeploy = true;
      }
      if (input.loadBalancers) s = { ...s, loadBalancers: input.loadBalancers };
      const taskDefinition = def?.definition.taskDefinitionArn ?? s.taskDefinition;
      // An EXTERNAL service's launch is checked per task set, and it never deploys by itself.
      if (!external) checkLaunch(scope, cluster, def ?? definition(scope, taskDefinition), s, ctx.now);
      if (!external) checkLoadBalancers(targets, scope, def ?? definition(scope, taskDefinition), s.loadBalancers as LoadBalancer[], 'services');
      if (!external) checkBlueGreen(scope, s);
      if (external) s = rescaleTaskSets(s, now);
      if (redeploy && !external) {
        s = startDeployment(s, {
          id: deploymentIdFrom(`${s.serviceArn}\n${ctx.requestId}`), taskDefinition, now,
          ...(s.launchType ? { launchType: s.launchType } : {}),
          ...(s.capacityProviderStrategy ? { capacityProviderStrategy: s.capacityProviderStrategy } : {}),
          ...(s.networkConfiguration ? { networkConfiguration: s.networkConfiguration } : {}),
        });
      }
      s = state.store.transaction(() => putService(state, key(s), s, now));
      scheduler.touch(key(s));
      return { service: renderService(s) };
    }),

    DescribeServices: operation<DescribeServicesRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const refs = input.services ?? [];
      if (refs.length === 0 || refs.length > 10) throw invalidParameter('services must contain between 1 and 10 items.');
      const withTags = input.include?.includes('TAGS') ?? false;
      const services = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const s = find(scope, cluster, ref);
        if (s) services.push(renderService(s, withTags ? (state.tags.get(s.serviceArn) ?? []) : undefined));
        else failures.push({ arn: ref.startsWith('arn:') ? ref : ecsArn(scope, `service/${cluster.clusterName}/${ref}`), reason: 'MISSING' });
      }
      return { services, failures };
    }),

    ListServices: operation<ListServicesRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const prefix = serviceKey(scope, cluster.clusterName, '');
      const arns: string[] = [];
      for (const [k, s] of state.services.entries()) {
        if (!k.startsWith(prefix) || s.status === 'INACTIVE') continue;
        if (input.launchType && s.launchType !== input.launchType) continue;
        if (input.schedulingStrategy && s.schedulingStrategy !== input.schedulingStrategy) continue;
        arns.push(s.serviceArn);
      }
      arns.sort();
      const { page, nextToken } = paginate(arns, (a) => a, input.nextToken, input.maxResults);
      return nextToken ? { serviceArns: page, nextToken } : { serviceArns: page };
    }),

    DeleteService: operation<DeleteServiceRequest>((input, ctx: RequestContext) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const current = find(scope, cluster, input.service ?? '');
      if (!current || current.status === 'INACTIVE') throw serviceNotFound();
      if (current.status === 'DRAINING') return { service: renderService(current) };
      if (!input.force && current.schedulingStrategy === 'REPLICA' && current.desiredCount > 0) {
        throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
      }
      // DRAINING: the controller stops the tasks, then marks it INACTIVE.
      let s: ServiceRecord = { ...current, status: 'DRAINING', desiredCount: 0 };
      s = state.store.transaction(() => putService(state, key(s), s, ctx.now.getTime()));
      scheduler.touch(key(s));
      return { service: renderService(s) };
    }),
  };
}
