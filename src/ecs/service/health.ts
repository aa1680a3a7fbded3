import type { InstanceView } from '../placement/types.js';
import type { TaskRecord } from '../task/record.js';
import { STOP_REASON } from './events.js';
import type { ServiceRecord } from './model.js';

/**
 * What the scheduler needs to know of one task of the service. A TaskRecord carries the first part;
 * the controller adds what comes from elsewhere (the task definition, the load balancer room).
 */
export type ServiceTask =
  & Pick<TaskRecord, 'taskArn' | 'lastStatus' | 'desiredStatus' | 'createdAt'>
  & Partial<Pick<TaskRecord, 'startedBy' | 'containerInstanceArn' | 'healthStatus' | 'startedAt' | 'stoppedAt' | 'stopCode' | 'stoppedReason' | 'availabilityZone'>>
  & {
    /** An essential container of its task definition defines a health check. */
    containerHealthCheck?: boolean;
    /**
     * The task's health in the service's target groups (the load balancer room): `healthy` when
     * healthy in all of them, `unhealthy` when any reports it unhealthy (then `targetGroupArn` names
     * it); anything else, or absent, is not yet healthy.
     */
    targetHealth?: 'initial' | 'healthy' | 'unhealthy' | 'unavailable' | 'draining' | 'unused';
    targetGroupArn?: string;
  };

/** The part of a container instance the scheduler looks at (an InstanceView fits), and its zone (`ecs.availability-zone`). */
export type ServiceInstance = Pick<InstanceView, 'id' | 'status' | 'connected'> & { availabilityZone?: string };

/**
 * Without a container health check or a load balancer, ECS waits 40 seconds after a task reaches
 * RUNNING before counting it towards the minimum healthy percent (DeploymentConfiguration docs).
 */
export const UNCHECKED_TASK_SETTLE_MS = 40_000;

/** What a live task is, for the scheduler. */
export type Condition =
  | { kind: 'starting' } // PROVISIONING…ACTIVATING, or RUNNING not yet counted healthy
  | { kind: 'healthy' }
  /** Failed its checks after the grace period: replaced, counted by the circuit breaker. */
  | { kind: 'unhealthy'; reason: string; container: boolean }
  /** On a DRAINING instance: replaced under min/max; PENDING ones are stopped at once (ECS). */
  | { kind: 'draining' }
  /** Its instance is gone or disconnected: it is not counted as healthy and is replaced. */
  | { kind: 'lost' };

/** A task still holding capacity: not STOPPED (a task being stopped keeps its resources until it is). */
export function occupies(t: ServiceTask): boolean {
  return t.lastStatus !== 'STOPPED';
}

/** A task the scheduler still wants running (it has not been asked to stop). */
export function live(t: ServiceTask): boolean {
  return t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING';
}

export function reachedRunning(t: ServiceTask): boolean {
  return t.startedAt !== undefined || t.lastStatus === 'RUNNING';
}

/**
 * The condition of a live task at `now`. Grace period (healthCheckGracePeriodSeconds) counts from
 * startedAt: within it an unhealthy check is ignored (the task is still `starting`).
 */
export function conditionOf(
  service: Pick<ServiceRecord, 'loadBalancers' | 'healthCheckGracePeriodSeconds'>,
  t: ServiceTask,
  instances: ReadonlyMap<string, ServiceInstance>,
  now: number,
): Condition {
  if (t.containerInstanceArn !== undefined) {
    const inst = instances.get(t.containerInstanceArn);
    if (!inst || !inst.connected || (inst.status !== 'ACTIVE' && inst.status !== 'DRAINING')) return { kind: 'lost' };
    if (inst.status === 'DRAINING') return { kind: 'draining' };
  }
  if (t.lastStatus !== 'RUNNING') return { kind: 'starting' };
  const started = t.startedAt ?? t.createdAt;
  const graceOver = now >= started + (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
  const lb = service.loadBalancers.length > 0;
  const hc = t.containerHealthCheck === true;
  if (graceOver && hc && t.healthStatus === 'UNHEALTHY') return { kind: 'unhealthy', reason: STOP_REASON.containerHealth, container: true };
  if (graceOver && lb && t.targetHealth === 'unhealthy') {
    return { kind: 'unhealthy', reason: STOP_REASON.elbHealth(t.targetGroupArn ?? service.loadBalancers[0]!.targetGroupArn ?? ''), container: false };
  }
  if (hc && t.healthStatus !== 'HEALTHY') return { kind: 'starting' };
  if (lb && t.targetHealth !== 'healthy') return { kind: 'starting' };
  if (!hc && !lb && now < started + UNCHECKED_TASK_SETTLE_MS) return { kind: 'starting' };
  return { kind: 'healthy' };
}

/** Whether the condition counts towards minimumHealthyPercent: healthy tasks, also on a draining instance. */
export function countsHealthy(
  service: Pick<ServiceRecord, 'loadBalancers' | 'healthCheckGracePeriodSeconds'>,
  t: ServiceTask,
  c: Condition,
  now: number,
): boolean {
  if (c.kind === 'healthy') return true;
  if (c.kind !== 'draining') return false;
  return conditionOf(service, { ...t, containerInstanceArn: undefined }, new Map(), now).kind === 'healthy';
}

/** When a `starting` task may turn healthy without any new report (the 40 s settle, the grace period end). */
export function healthWakeAt(
  service: Pick<ServiceRecord, 'loadBalancers' | 'healthCheckGracePeriodSeconds'>,
  t: ServiceTask,
  now: number,
): number | undefined {
  if (t.lastStatus !== 'RUNNING') return undefined;
  const started = t.startedAt ?? t.createdAt;
  const unchecked = service.loadBalancers.length === 0 && t.containerHealthCheck !== true;
  const times = [unchecked ? started + UNCHECKED_TASK_SETTLE_MS : 0, started + (service.healthCheckGracePeriodSeconds ?? 0) * 1000];
  const next = times.filter((x) => x > now);
  return next.length ? Math.min(...next) : undefined;
}
