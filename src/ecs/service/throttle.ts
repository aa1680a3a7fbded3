import type { DeploymentScheduling } from './model.js';

/**
 * Launch throttling (ECS "service throttle logic"): when tasks of a deployment keep going from
 * PENDING to STOPPED without reaching RUNNING, or cannot be placed, the time between attempts grows
 * up to 27 minutes (ECS's documented ceiling today). ECS does not publish the curve; Berth doubles
 * from 10 s. The first failure is retried at once; the event
 * `(service x) is unable to consistently start tasks successfully.` is recorded when throttling
 * starts (the third consecutive failure) and at most once an hour after that. Tasks that stop after
 * reaching RUNNING (crashes, failed health checks) are not throttled, as in ECS. A new deployment
 * starts unthrottled.
 */
export const THROTTLE = {
  baseMs: 10_000,
  maxMs: 27 * 60_000,
  /** Consecutive failures after which the scheduler calls the service impaired. */
  impairedAfter: 3,
  impairedEventEveryMs: 60 * 60_000,
} as const;

/** Delay before the next launch after `failures` consecutive failures. */
export function backoffMs(failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(THROTTLE.maxMs, THROTTLE.baseMs * 2 ** Math.min(30, failures - 2));
}

/** The throttle after `n` more failures at `now`; `impaired` says whether to record the event. */
export function afterFailures(s: DeploymentScheduling, n: number, now: number): { next: DeploymentScheduling; impaired: boolean } {
  if (n <= 0) return { next: s, impaired: false };
  const launchFailures = s.launchFailures + n;
  const impaired = launchFailures >= THROTTLE.impairedAfter
    && (s.impairedEventAt === undefined || now - s.impairedEventAt >= THROTTLE.impairedEventEveryMs);
  return {
    next: {
      launchFailures,
      nextLaunchAt: now + backoffMs(launchFailures),
      ...(impaired ? { impairedEventAt: now } : s.impairedEventAt !== undefined ? { impairedEventAt: s.impairedEventAt } : {}),
    },
    impaired,
  };
}

/** A task reached RUNNING: the run of failures is over. */
export function afterSuccess(s: DeploymentScheduling): DeploymentScheduling {
  return s.launchFailures === 0 && s.nextLaunchAt === 0 ? s : { launchFailures: 0, nextLaunchAt: 0 };
}

export function throttled(s: DeploymentScheduling, now: number): boolean {
  return now < s.nextLaunchAt;
}
