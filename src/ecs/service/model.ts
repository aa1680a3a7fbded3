import { createHash } from 'node:crypto';
import type { TaskSetRecord } from './task-sets.js';

/**
 * The service and deployment records as Berth stores them: plain JSON, timestamps in epoch
 * milliseconds, field names and values mirroring ECS's `Service` and `Deployment` shapes so the API
 * room renders them with a date conversion and nothing else. What ECS does not show (the
 * scheduler's own bookkeeping) lives under `scheduler` and is dropped when rendering.
 */

export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';
export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type SchedulingStrategy = 'REPLICA' | 'DAEMON';
export type DeploymentStrategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** The strategies that run green beside blue and shift traffic (service/blue-green.ts). */
export const isBlueGreen = (s: DeploymentStrategy): boolean => s === 'BLUE_GREEN' || s === 'LINEAR' || s === 'CANARY';

/**
 * The stages of a blue/green, linear or canary deployment, in order (ECS's
 * ServiceDeploymentLifecycleStage). PRE_PRODUCTION_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT
 * repeat once per traffic step (one step for BLUE_GREEN).
 */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP',
] as const;
export type LifecycleStage = typeof LIFECYCLE_STAGES[number];

/** Which of a load balancer's two target groups a deployment's tasks go to: `targetGroupArn` or `advancedConfiguration.alternateTargetGroupArn`. */
export type TrafficSide = 'primary' | 'alternate';

/** A blue/green deployment's progress (service/blue-green.ts moves it on). */
export interface BlueGreenProgress {
  stage: LifecycleStage;
  /** When the current stage was entered. */
  stageAt: number;
  /** The side that carried production traffic when the deployment started: the blue tasks'. */
  blueSide: TrafficSide;
  /** The share of production traffic (percent) the current or last traffic step gives green; absent before the first. */
  percent?: number;
  /** Set by a new deployment: its first stage is still to be entered (its hooks run then). */
  pending?: true;
  /** A PAUSE hook holding the deployment at the current stage, until ContinueServiceDeployment or its timeout. */
  paused?: { hookId: string; expiresAt: number; timeoutAction: 'CONTINUE' | 'ROLLBACK' };
}

/** ECS's DeploymentLifecycleHook; Berth runs PAUSE hooks (it has no AWS Lambda). */
export interface LifecycleHookRecord {
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: LifecycleStage[];
  hookDetails?: unknown;
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' };
}

/** ECS's ThresholdConfiguration (default BOUNDED_PERCENT 50). */
export interface ThresholdConfiguration { type: 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT' | 'COUNT'; value: number }

export interface CircuitBreakerConfiguration {
  enable: boolean;
  rollback: boolean;
  /** ECS default true: a task that turns healthy resets the deployment's failure count to 0. */
  resetOnHealthyTask?: boolean;
  thresholdConfiguration?: ThresholdConfiguration;
}

export interface DeploymentConfigurationRecord {
  minimumHealthyPercent: number;
  maximumPercent: number;
  deploymentCircuitBreaker: CircuitBreakerConfiguration;
  strategy: DeploymentStrategy;
  bakeTimeInMinutes?: number;
  lifecycleHooks?: LifecycleHookRecord[];
  linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: number };
  canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: number };
  alarms?: { alarmNames: string[]; enable: boolean; rollback: boolean };
}

/** ECS's AdvancedConfiguration of a service load balancer: the second target group and the rules blue/green deployments shift. */
export interface AdvancedConfigurationRecord { alternateTargetGroupArn?: string; productionListenerRule?: string; testListenerRule?: string; roleArn?: string }

export interface LoadBalancerRecord {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName?: string;
  containerPort?: number;
  advancedConfiguration?: AdvancedConfigurationRecord;
}

/** The scheduler's per-deployment memory: launch throttling (service-throttle-logic). */
export interface DeploymentScheduling {
  /** Consecutive tasks of this deployment that went to STOPPED without reaching RUNNING. */
  launchFailures: number;
  /** No task of this deployment is started before this time (0: no throttle). */
  nextLaunchAt: number;
  /** When `is unable to consistently start tasks successfully.` was last recorded for it. */
  impairedEventAt?: number;
}

export interface DeploymentRecord {
  /** `ecs-svc/` followed by 19 digits, as ECS names deployments. */
  id: string;
  status: DeploymentStatus;
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  /** Consecutive failed tasks (ECS's `failedTasks`): launches that failed and tasks replaced for failed health checks. */
  failedTasks: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  createdAt: number;
  updatedAt: number;
  launchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: unknown;
  /** The target groups its tasks join (absent: `primary`). */
  side?: TrafficSide;
  /** Present when the deployment runs the BLUE_GREEN strategy. */
  blueGreen?: BlueGreenProgress;
  scheduler: DeploymentScheduling;
}

export interface ServiceEventRecord { id: string; createdAt: number; message: string }

/** What the scheduler remembers between passes; restart-safe because it is stored with the service. */
export interface ServiceScheduling {
  /**
   * taskArn → the last phase already accounted for: `running` (reached RUNNING), `healthy` (counted
   * healthy), `stopped` (its STOPPED was processed). Each transition is acted on once; entries of
   * tasks no longer observed are dropped, so the map is bounded by what the controller passes in.
   */
  seen: Record<string, 'running' | 'healthy' | 'stopped'>;
  /** When `has reached a steady state.` was last recorded; absent while the service is not steady. */
  steadyStateAt?: number;
  /** The last deployment that reached COMPLETED, kept after it turns INACTIVE: the rollback target. */
  lastCompleted?: DeploymentRecord;
  /** The last rollback (circuit breaker or StopServiceDeployment): which deployment was abandoned for which, why, when. */
  lastRollback?: { from: string; to: string; reason: string; at: number };
  /** Deployment ids whose service deployment (service/history.ts) has not finished yet. */
  openDeployments?: string[];
  /** AZ rebalancing found the service unbalanced and is moving tasks (its "is AZ balanced" event is still due). */
  rebalancing?: true;
}

export interface ServiceRecord {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  status: ServiceStatus;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition: string;
  launchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  platformVersion?: string;
  deploymentConfiguration: DeploymentConfigurationRecord;
  deploymentController: { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' };
  schedulingStrategy: SchedulingStrategy;
  /** ECS's availabilityZoneRebalancing (service/az-rebalance.ts); absent on services stored before it existed: DISABLED. */
  availabilityZoneRebalancing?: 'ENABLED' | 'DISABLED';
  /** PRIMARY first, then ACTIVE ones newest first; INACTIVE deployments are dropped as ECS does. */
  deployments: DeploymentRecord[];
  /** EXTERNAL deployment controller: the service's task sets (task-sets.ts), in creation order; it has no deployments. */
  taskSets?: TaskSetRecord[];
  /** Newest first, at most MAX_SERVICE_EVENTS. */
  events: ServiceEventRecord[];
  loadBalancers: LoadBalancerRecord[];
  serviceRegistries: { registryArn?: string; port?: number; containerName?: string; containerPort?: number }[];
  placementConstraints: { type: string; expression?: string }[];
  placementStrategy: { type: string; field?: string }[];
  networkConfiguration?: unknown;
  /** Seconds during which unhealthy ELB and container health checks are ignored after a task starts. */
  healthCheckGracePeriodSeconds?: number;
  enableExecuteCommand: boolean;
  enableECSManagedTags: boolean;
  propagateTags: 'TASK_DEFINITION' | 'SERVICE' | 'NONE';
  roleArn?: string;
  createdAt: number;
  createdBy?: string;
  scheduler: ServiceScheduling;
}

/** ECS keeps the 100 latest events of a service. */
export const MAX_SERVICE_EVENTS = 100;

/**
 * ECS's documented defaults: REPLICA minimumHealthyPercent 100 / maximumPercent 200; DAEMON 0 / 100
 * (0 is the API's default; the console uses 50). The circuit breaker is off unless asked for.
 */
export function defaultDeploymentConfiguration(
  strategy: SchedulingStrategy,
  given: Partial<DeploymentConfigurationRecord> = {},
): DeploymentConfigurationRecord {
  const daemon = strategy === 'DAEMON';
  return {
    minimumHealthyPercent: given.minimumHealthyPercent ?? (daemon ? 0 : 100),
    maximumPercent: given.maximumPercent ?? (daemon ? 100 : 200),
    deploymentCircuitBreaker: given.deploymentCircuitBreaker ?? { enable: false, rollback: false },
    strategy: given.strategy ?? 'ROLLING',
    ...(given.bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes: given.bakeTimeInMinutes } : {}),
    ...(given.lifecycleHooks ? { lifecycleHooks: given.lifecycleHooks } : {}),
    ...(given.linearConfiguration ? { linearConfiguration: given.linearConfiguration } : {}),
    ...(given.canaryConfiguration ? { canaryConfiguration: given.canaryConfiguration } : {}),
    ...(given.alarms ? { alarms: given.alarms } : {}),
  };
}

/**
 * A deployment id from a seed: `ecs-svc/` and 19 digits (a positive 63-bit integer, as ECS's are).
 * Deterministic so a replayed request names the same deployment; callers seed it with the service
 * ARN, the time and a counter (or random bytes when replay does not matter).
 */
export function deploymentIdFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  const n = h.readBigUInt64BE(0) % 8_000_000_000_000_000_000n + 1_000_000_000_000_000_000n;
  return `ecs-svc/${n.toString()}`;
}

export function inProgressReason(id: string): string { return `ECS deployment ${id} in progress.`; }
export function completedReason(id: string): string { return `ECS deployment ${id} completed.`; }
export const CIRCUIT_BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

export interface NewDeployment {
  id: string;
  taskDefinition: string;
  desiredCount: number;
  now: number;
  launchType?: DeploymentRecord['launchType'];
  capacityProviderStrategy?: DeploymentRecord['capacityProviderStrategy'];
  platformVersion?: string;
  networkConfiguration?: unknown;
}

export function newDeployment(d: NewDeployment): DeploymentRecord {
  return {
    id: d.id, status: 'PRIMARY', taskDefinition: d.taskDefinition, desiredCount: d.desiredCount,
    pendingCount: 0, runningCount: 0, failedTasks: 0, rolloutState: 'IN_PROGRESS', rolloutStateReason: inProgressReason(d.id),
    createdAt: d.now, updatedAt: d.now,
    ...(d.launchType ? { launchType: d.launchType } : {}),
    ...(d.capacityProviderStrategy ? { capacityProviderStrategy: d.capacityProviderStrategy } : {}),
    ...(d.platformVersion ? { platformVersion: d.platformVersion } : {}),
    ...(d.networkConfiguration !== undefined ? { networkConfiguration: d.networkConfiguration } : {}),
    scheduler: { launchFailures: 0, nextLaunchAt: 0 },
  };
}

/**
 * A new PRIMARY deployment (UpdateService with a new revision, forceNewDeployment): the previous
 * PRIMARY becomes ACTIVE and is drained by reconcile. Its throttle does not carry over — ECS returns
 * a service to the non-throttled state as soon as it is given a new task definition.
 */
export function startDeployment(service: ServiceRecord, d: Omit<NewDeployment, 'desiredCount'>): ServiceRecord {
  const demoted = service.deployments.map((x) => (x.status === 'PRIMARY' ? { ...x, status: 'ACTIVE' as const, updatedAt: d.now } : x));
  // Blue/green: the new tasks go to the target groups that carry no production traffic now.
  const blueSide = productionSide(service);
  const blueGreen = isBlueGreen(service.deploymentConfiguration.strategy) && service.schedulingStrategy === 'REPLICA';
  const side = blueGreen && hasAlternateGroups(service) ? otherSide(blueSide) : blueSide;
  const stage: LifecycleStage = demoted.filter((x) => x.status === 'ACTIVE').length > 1 ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP';
  const next: DeploymentRecord = {
    ...newDeployment({ ...d, desiredCount: service.desiredCount }),
    ...(side === 'alternate' ? { side } : {}),
    ...(blueGreen ? { blueGreen: { stage, stageAt: d.now, blueSide, pending: true as const } } : {}),
  };
  return { ...service, taskDefinition: d.taskDefinition, deployments: [next, ...demoted] };
}

export const otherSide = (s: TrafficSide): TrafficSide => (s === 'primary' ? 'alternate' : 'primary');

/** Whether any of the service's load balancers has an alternate target group to deploy green tasks into. */
export function hasAlternateGroups(service: Pick<ServiceRecord, 'loadBalancers'>): boolean {
  return service.loadBalancers.some((lb) => lb.advancedConfiguration?.alternateTargetGroupArn);
}

/** Whether a blue/green deployment has reached `stage` (is in it or past it). */
export function stageReached(progress: BlueGreenProgress, stage: LifecycleStage): boolean {
  return LIFECYCLE_STAGES.indexOf(progress.stage) >= LIFECYCLE_STAGES.indexOf(stage);
}

/**
 * The share of production traffic (percent) that should go to the PRIMARY deployment's side:
 * all of it, except while a blue/green PRIMARY has not finished shifting production traffic —
 * then what its traffic steps have reached (none before the first).
 */
export function productionShare(service: Pick<ServiceRecord, 'deployments'>): number {
  const p = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!p?.blueGreen || sameSideAsBlue(p) || stageReached(p.blueGreen, 'POST_PRODUCTION_TRAFFIC_SHIFT')) return 100;
  return p.blueGreen.percent ?? 0;
}

/** The share of test traffic for the PRIMARY's side: all of it from the test traffic shift on, or when it is not a blue/green one. */
export function testShare(service: Pick<ServiceRecord, 'deployments'>): number {
  const p = service.deployments.find((d) => d.status === 'PRIMARY');
  return !p?.blueGreen || sameSideAsBlue(p) || stageReached(p.blueGreen, 'TEST_TRAFFIC_SHIFT') ? 100 : 0;
}

/** Green shares blue's target groups (a first deployment, or no alternate groups): there is no traffic to move. */
const sameSideAsBlue = (p: DeploymentRecord): boolean => p.blueGreen !== undefined && p.blueGreen.blueSide === (p.side ?? 'primary');

/** The side production traffic is on: the PRIMARY's once it has all of it, else the blue side. */
export function productionSide(service: Pick<ServiceRecord, 'deployments'>): TrafficSide {
  const p = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!p) return service.deployments[0]?.side ?? 'primary';
  return productionShare(service) >= 100 || !p.blueGreen ? p.side ?? 'primary' : p.blueGreen.blueSide;
}

/** The target group of a load balancer on one side (the primary one when the load balancer has no alternate). */
export function targetGroupOn(lb: LoadBalancerRecord, side: TrafficSide): string | undefined {
  return side === 'alternate' ? lb.advancedConfiguration?.alternateTargetGroupArn ?? lb.targetGroupArn : lb.targetGroupArn;
}

export function primaryOf(service: ServiceRecord): DeploymentRecord | undefined {
  return service.deployments.find((d) => d.status === 'PRIMARY');
}

export interface NewService {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  taskDefinition: string;
  desiredCount: number;
  now: number;
  /** Seed of the first deployment's id (deploymentIdFrom); the ARN and time when absent. */
  deploymentSeed?: string;
  schedulingStrategy?: SchedulingStrategy;
  deploymentConfiguration?: Partial<DeploymentConfigurationRecord>;
  loadBalancers?: LoadBalancerRecord[];
  healthCheckGracePeriodSeconds?: number;
  launchType?: ServiceRecord['launchType'];
}

/**
 * A new ACTIVE service with its first PRIMARY deployment (what CreateService stores), ECS's
 * defaults filled in. A DAEMON service's desired count is set by reconcile from the instances.
 */
export function newService(s: NewService): ServiceRecord {
  const strategy = s.schedulingStrategy ?? 'REPLICA';
  const desiredCount = strategy === 'DAEMON' ? 0 : s.desiredCount;
  const id = deploymentIdFrom(s.deploymentSeed ?? `${s.serviceArn}\n${s.now}`);
  return {
    serviceArn: s.serviceArn, serviceName: s.serviceName, clusterArn: s.clusterArn, status: 'ACTIVE',
    desiredCount, runningCount: 0, pendingCount: 0, taskDefinition: s.taskDefinition,
    ...(s.launchType ? { launchType: s.launchType } : {}),
    deploymentConfiguration: defaultDeploymentConfiguration(strategy, s.deploymentConfiguration),
    deploymentController: { type: 'ECS' }, schedulingStrategy: strategy,
    deployments: [{
      ...newDeployment({ id, taskDefinition: s.taskDefinition, desiredCount, now: s.now, ...(s.launchType ? { launchType: s.launchType } : {}) }),
      ...(strategy === 'REPLICA' && isBlueGreen(s.deploymentConfiguration?.strategy ?? 'ROLLING') ? { blueGreen: { stage: 'PRE_SCALE_UP' as const, stageAt: s.now, blueSide: 'primary' as const, pending: true as const } } : {}),
    }],
    events: [], loadBalancers: s.loadBalancers ?? [], serviceRegistries: [], placementConstraints: [], placementStrategy: [],
    ...(s.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds } : {}),
    enableExecuteCommand: false, enableECSManagedTags: false, propagateTags: 'NONE', createdAt: s.now,
    scheduler: { seen: {} },
  };
}
