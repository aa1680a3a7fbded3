import { deploymentFailed, rollingBack } from './events.js';
import {
  CIRCUIT_BREAKER_REASON, inProgressReason,
  type CircuitBreakerConfiguration, type DeploymentRecord, type ServiceRecord,
} from './model.js';

/**
 * The deployment circuit breaker (ECS "How the deployment circuit breaker detects failures").
 *
 * What counts as a failure (the deployment's `failedTasks`): a task that stopped without reaching
 * RUNNING, a task that could not be placed (stage 1), and a task replaced because it failed its
 * container or load-balancer health checks (stage 2). A task that crashes after reaching RUNNING
 * without failing a health check is not counted — ECS documents the same. With
 * `resetOnHealthyTask` (default true) a task of the deployment turning healthy resets the count.
 *
 * The threshold (ThresholdConfiguration, default BOUNDED_PERCENT 50): value% of the service's
 * latest desired count, clamped to [3, 200]; UNBOUNDED_PERCENT without the clamp; COUNT the value
 * itself. ECS does not say how a fractional product is rounded; Berth rounds up (0.5 × 5 → 3).
 *
 * On reaching it, an IN_PROGRESS PRIMARY deployment turns FAILED with ECS's reason and launches no
 * more tasks. With `rollback`, the last COMPLETED deployment becomes PRIMARY again under its own id,
 * IN_PROGRESS (ECS: "the deployment changes from COMPLETED to IN_PROGRESS") and the failed one is
 * drained like any old deployment. Without a COMPLETED deployment the rollout is stalled, as in ECS.
 */

export const THRESHOLD_BOUNDS = { min: 3, max: 200 } as const;

export function failureThreshold(cb: CircuitBreakerConfiguration, desiredCount: number): number {
  const t = cb.thresholdConfiguration ?? { type: 'BOUNDED_PERCENT' as const, value: 50 };
  if (t.type === 'COUNT') return Math.max(1, Math.floor(t.value));
  const raw = Math.ceil((desiredCount * t.value) / 100);
  if (t.type === 'UNBOUNDED_PERCENT') return Math.max(1, raw);
  return Math.min(THRESHOLD_BOUNDS.max, Math.max(THRESHOLD_BOUNDS.min, raw));
}

export interface BreakerOutcome {
  service: ServiceRecord;
  /** Event messages, oldest first. */
  messages: string[];
}

/** Trips the breaker when the PRIMARY deployment's failures reached the threshold; otherwise returns the service as is. */
export function evaluateCircuitBreaker(service: ServiceRecord, now: number): BreakerOutcome {
  const cb = service.deploymentConfiguration.deploymentCircuitBreaker;
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!cb.enable || !primary || primary.rolloutState !== 'IN_PROGRESS') return { service, messages: [] };
  if (primary.failedTasks < failureThreshold(cb, service.desiredCount)) return { service, messages: [] };

  const failed: DeploymentRecord = { ...primary, rolloutState: 'FAILED', rolloutStateReason: CIRCUIT_BREAKER_REASON, updatedAt: now };
  const messages = [deploymentFailed(service.serviceName, primary.id)];
  const target = cb.rollback ? service.scheduler.lastCompleted : undefined;
  if (!target || target.id === primary.id) {
    return { service: { ...service, deployments: service.deployments.map((d) => (d.id === primary.id ? failed : d)) }, messages };
  }

  const rolled = rollBack({ ...service, deployments: service.deployments.map((d) => (d.id === primary.id ? failed : d)) }, primary.id, target, now);
  messages.push(rollingBack(service.serviceName, target.id));
  return { service: rolled, messages };
}

/**
 * Rolls the service back from the (FAILED or stopped) deployment `fromId` to `target`, the last
 * COMPLETED deployment: it becomes PRIMARY again under its own id, IN_PROGRESS, and `fromId` is
 * demoted to ACTIVE to be drained. Remembered in `scheduler.lastRollback` for the history.
 */
export function rollBack(service: ServiceRecord, fromId: string, target: DeploymentRecord, now: number): ServiceRecord {
  const from = service.deployments.find((d) => d.id === fromId);
  const revived: DeploymentRecord = {
    ...(service.deployments.find((d) => d.id === target.id) ?? target),
    status: 'PRIMARY', desiredCount: service.desiredCount, failedTasks: 0,
    rolloutState: 'IN_PROGRESS', rolloutStateReason: inProgressReason(target.id), updatedAt: now,
    scheduler: { launchFailures: 0, nextLaunchAt: 0 },
  };
  const rest = service.deployments
    .filter((d) => d.id !== target.id)
    .map((d) => (d.id === fromId ? { ...d, status: 'ACTIVE' as const, updatedAt: now } : d));
  return {
    ...service, taskDefinition: revived.taskDefinition, deployments: [revived, ...rest],
    scheduler: { ...service.scheduler, lastRollback: { from: fromId, to: target.id, reason: from?.rolloutStateReason ?? CIRCUIT_BREAKER_REASON, at: now } },
  };
}
