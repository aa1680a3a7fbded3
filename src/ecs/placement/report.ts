import { REJECTION, type Rejection } from './types.js';

/**
 * Why a decision placed nothing, or what it turned away: per check, how many instances it was the
 * first to reject (Nomad's "filtered by" tally), and the closest matching instance — the one that
 * passed the most checks, then the one missing the least — with the first check it failed. That is
 * what ECS puts in RunTask `failures` and in the service event below.
 */
export interface RejectionReport {
  /** Instances the decision looked at. */
  instances: number;
  /** Per check, the instances it was the first to reject. */
  rejected: Record<Rejection, number>;
  closest?: ClosestMatch;
}

export interface ClosestMatch {
  /** containerInstanceArn. */
  instanceId: string;
  /** The first check it failed. */
  reason: Rejection;
  /** How many of the request's checks and constraints it passed. */
  passedChecks: number;
  /** Summed missing fraction over the checks it failed (see checks.ts `shortfall`). */
  shortfall: number;
}

export function emptyTally(): Record<Rejection, number> {
  return {
    [REJECTION.agent]: 0, [REJECTION.attribute]: 0, [REJECTION.cpu]: 0, [REJECTION.memory]: 0,
    [REJECTION.ports]: 0, [REJECTION.gpu]: 0, [REJECTION.memberOf]: 0, [REJECTION.distinctInstance]: 0,
  };
}

/** Collects one decision's rejections; the pipeline feeds it and builds the report at the end. */
export class ReportBuilder {
  private tally = emptyTally();
  private best = -1;
  private bestReason: Rejection = REJECTION.agent;
  private bestPassed = -1;
  private bestShortfall = Infinity;

  /** Counts an instance under the first check that rejected it. */
  reject(reason: Rejection): void { this.tally[reason]++; }

  /** True when an instance with these figures would be closer than the closest so far. */
  closer(passed: number, shortfall: number): boolean {
    return passed > this.bestPassed || (passed === this.bestPassed && shortfall < this.bestShortfall);
  }

  /** Records a rejected instance as the closest so far (call after `closer` said so). */
  setClosest(index: number, reason: Rejection, passed: number, shortfall: number): void {
    this.best = index; this.bestReason = reason; this.bestPassed = passed; this.bestShortfall = shortfall;
  }

  build(instances: number, idOf: (index: number) => string): RejectionReport {
    const report: RejectionReport = { instances, rejected: this.tally };
    if (this.best >= 0) {
      report.closest = { instanceId: idOf(this.best), reason: this.bestReason, passedChecks: this.bestPassed, shortfall: this.bestShortfall };
    }
    return report;
  }
}

/**
 * What ECS says about the closest matching container-instance, per reason, as its service events
 * word it (Developer Guide, "Service event messages", and events seen from ECS). Where ECS has no
 * sentence of its own it writes `encountered error "<reason>"`, which is how it reports AGENT and
 * the memberOf constraint; we do the same for distinctInstance. The GPU sentence is the one ECS
 * events show; the guide does not list it.
 */
const CLOSEST_WORDING: Record<Rejection, string> = {
  [REJECTION.agent]: 'encountered error "AGENT".',
  [REJECTION.attribute]: 'is missing an attribute required by your task.',
  [REJECTION.cpu]: 'has insufficient CPU units available.',
  [REJECTION.memory]: 'has insufficient memory available.',
  [REJECTION.ports]: 'is already using a port required by your task.',
  [REJECTION.gpu]: 'has insufficient GPU resource available.',
  [REJECTION.memberOf]: `encountered error "${REJECTION.memberOf}".`,
  [REJECTION.distinctInstance]: `encountered error "${REJECTION.distinctInstance}".`,
};

const TROUBLESHOOTING = 'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

/** The container-instance id ECS prints: the last segment of the ARN. */
export function containerInstanceIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * The service event for a task that could not be placed, as DescribeServices returns it, e.g.
 * `(service web) was unable to place a task because no container instance met all of its
 * requirements. The closest matching (container-instance 5ed5…) has insufficient memory available.
 * For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`
 * (The console shows the same text without the parentheses.) With no instance at all, ECS gives
 * the reason `No Container Instances were found in your cluster.` instead of a closest match.
 */
export function unableToPlaceMessage(serviceName: string, report: RejectionReport): string {
  return `(service ${serviceName}) was unable to place a task ${placementDetail(report)}`;
}

/** The part of that event after `was unable to place a task `. */
export function placementDetail(report: RejectionReport): string {
  const head = 'because no container instance met all of its requirements.';
  if (report.instances === 0 || !report.closest) return `${head} Reason: No Container Instances were found in your cluster. ${TROUBLESHOOTING}`;
  const c = report.closest;
  return `${head} The closest matching (container-instance ${containerInstanceIdOf(c.instanceId)}) ${CLOSEST_WORDING[c.reason]} ${TROUBLESHOOTING}`;
}

/** A one-line summary for logs: `5000 instances; RESOURCE:MEMORY 4990, AGENT 10; closest …`. */
export function summarizeReport(report: RejectionReport): string {
  const parts = Object.entries(report.rejected).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`);
  const closest = report.closest ? `; closest ${containerInstanceIdOf(report.closest.instanceId)} (${report.closest.reason})` : '';
  return `${report.instances} instances${parts.length ? `; ${parts.join(', ')}` : ''}${closest}`;
}
