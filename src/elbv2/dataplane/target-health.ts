/**
 * The target health state machine (pure), after DescribeTargetHealth's states and reason codes.
 *
 *   registered ─▶ initial (Elb.RegistrationInProgress)
 *   initial    ─ 1 pass ─▶ healthy                 (AWS: a new target must pass one check)
 *   initial    ─ unhealthyThreshold failures ─▶ unhealthy (reason of the last failure)
 *   healthy    ─ unhealthyThreshold consecutive failures ─▶ unhealthy
 *   unhealthy  ─ healthyThreshold consecutive passes ─▶ healthy
 *   any        ─ deregistered ─▶ draining (Target.DeregistrationInProgress) until the delay ends
 *                               or nothing is in flight, then gone (unused, Target.NotRegistered)
 *   any        ─ group used by no listener ─▶ unused (Target.NotInUse); used again ─▶ initial
 * Draining and unused targets are not health checked; a check result for them changes nothing.
 */

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining';

export const REASON = {
  RegistrationInProgress: 'Elb.RegistrationInProgress',
  InitialHealthChecking: 'Elb.InitialHealthChecking',
  ResponseCodeMismatch: 'Target.ResponseCodeMismatch',
  Timeout: 'Target.Timeout',
  FailedHealthChecks: 'Target.FailedHealthChecks',
  InternalError: 'Elb.InternalError',
  NotRegistered: 'Target.NotRegistered',
  NotInUse: 'Target.NotInUse',
  DeregistrationInProgress: 'Target.DeregistrationInProgress',
} as const;
export type Reason = (typeof REASON)[keyof typeof REASON];

/** Descriptions as DescribeTargetHealth words them. */
export const DESCRIPTION: Record<Reason, string> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.ResponseCodeMismatch': 'Health checks failed',
  'Target.Timeout': 'Request timed out',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Elb.InternalError': 'Health checks failed with an internal error',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
};

export type ProbeFailure = 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks' | 'Elb.InternalError';

/** One health check's outcome, as the prober reports it. */
export type ProbeResult = { ok: true } | { ok: false; reason: ProbeFailure; description?: string };

export interface TargetHealth {
  state: TargetState;
  reason?: Reason;
  description?: string;
  /** Consecutive passes / failures since the last state change in that direction. */
  passes: number;
  failures: number;
  /** When the target last became healthy coming from initial (slow start starts there). */
  healthySince?: number;
  /** Draining: the deadline after which the target is removed regardless of requests in flight. */
  drainUntil?: number;
}

export interface Thresholds { healthyThreshold: number; unhealthyThreshold: number }

export type HealthEvent =
  | { kind: 'registered' }
  | { kind: 'check'; result: ProbeResult }
  | { kind: 'deregistered'; delayMs: number }
  | { kind: 'not-in-use' }
  | { kind: 'in-use' };

function status(state: TargetState, reason?: Reason, description?: string): TargetHealth {
  return { state, reason, description: description ?? (reason ? DESCRIPTION[reason] : undefined), passes: 0, failures: 0 };
}

export const REMOVED: TargetHealth = status('unused', REASON.NotRegistered);

/** The next health of a target after an event, at time `now` (ms). Never mutates `h`. */
export function nextHealth(h: TargetHealth, ev: HealthEvent, t: Thresholds, now: number): TargetHealth {
  switch (ev.kind) {
    case 'registered':
      // Registering a draining or unused target starts it over.
      if (h.state === 'initial' || h.state === 'healthy' || h.state === 'unhealthy') return h;
      return status('initial', REASON.RegistrationInProgress);
    case 'deregistered':
      if (h.state === 'draining' || h.reason === REASON.NotRegistered) return h;
      return { ...status('draining', REASON.DeregistrationInProgress), drainUntil: now + ev.delayMs };
    case 'not-in-use':
      if (h.state === 'draining') return h;
      return status('unused', REASON.NotInUse);
    case 'in-use':
      return h.state === 'unused' && h.reason === REASON.NotInUse ? status('initial', REASON.RegistrationInProgress) : h;
    case 'check':
      return afterCheck(h, ev.result, t, now);
  }
}

function afterCheck(h: TargetHealth, r: ProbeResult, t: Thresholds, now: number): TargetHealth {
  if (h.state === 'draining' || h.state === 'unused') return h;
  if (r.ok) {
    switch (h.state) {
      case 'initial':
        return { ...status('healthy'), healthySince: now };
      case 'healthy':
        return h.failures === 0 ? h : { ...h, failures: 0 };
      case 'unhealthy': {
        const passes = h.passes + 1;
        if (passes >= t.healthyThreshold) return status('healthy');
        return { ...h, passes };
      }
    }
  }
  const failures = h.failures + 1;
  const reason = r.reason;
  const description = r.description ?? DESCRIPTION[reason];
  switch (h.state) {
    case 'initial':
      if (failures >= t.unhealthyThreshold) return { ...status('unhealthy', reason, description), failures };
      return { ...status('initial', REASON.InitialHealthChecking), failures };
    case 'healthy':
      if (failures >= t.unhealthyThreshold) return { ...status('unhealthy', reason, description), failures };
      return { ...h, failures };
    case 'unhealthy':
      return { ...status('unhealthy', reason, description), failures };
  }
}

/** True while a target can still receive new requests in some circumstance (fail-open included). */
export function isRegistered(h: TargetHealth): boolean {
  return h.state === 'initial' || h.state === 'healthy' || h.state === 'unhealthy';
}

/** Parses a matcher ("200", "200,202", "200-299") into a predicate on status codes. */
export function parseMatcher(matcher: string): (code: number) => boolean {
  const parts = matcher.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const [lo, hi] = p.split('-').map(Number);
    return [lo!, hi ?? lo!] as const;
  });
  return (code) => parts.some(([lo, hi]) => code >= lo && code <= hi);
}
