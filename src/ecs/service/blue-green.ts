import { live } from './health.js';
import { stageReached, type BlueGreenProgress, type DeploymentConfigurationRecord, type LifecycleHookRecord, type LifecycleStage, type TrafficSide } from './model.js';
import { byAge, immediateStop, StopList, type PlannedStop, type PlanTask } from './rolling.js';

/**
 * The BLUE_GREEN, LINEAR and CANARY deployment strategies' pure core: one pass over a blue/green PRIMARY deployment
 * (the green one), moving it through ECS's lifecycle stages and saying which tasks to stop and
 * how many to start. reconcile.ts calls it instead of the rolling plan.
 *
 * The stages, as ECS documents them ("Amazon ECS blue/green service deployments workflow"):
 * - RECONCILE_SERVICE (only when more than one older revision was ACTIVE): tasks of revisions
 *   that carry no production traffic are stopped; the blue ones stay.
 * - PRE_SCALE_UP, then SCALE_UP: green starts in full (desiredCount tasks, beside all of blue:
 *   maximumPercent does not apply) into the target groups that carry no production traffic, and
 *   the stage holds until every green task counts healthy. The circuit breaker watches this stage.
 * - POST_SCALE_UP, TEST_TRAFFIC_SHIFT (the test listener rule turns to green), POST_TEST_TRAFFIC_SHIFT.
 * - Production traffic moves in steps (`trafficSteps`): BLUE_GREEN one step of 100 %; LINEAR
 *   stepPercent more each step, stepBakeTimeInMinutes apart; CANARY canaryPercent, then after
 *   canaryBakeTimeInMinutes the rest. Each step is PRE_PRODUCTION_TRAFFIC_SHIFT then
 *   PRODUCTION_TRAFFIC_SHIFT (`percent` is the step's share), then POST_PRODUCTION_TRAFFIC_SHIFT.
 *   The shifts themselves are the controller's (it sets rule weights from model.ts's
 *   productionShare/testShare, which follow the stage and percent); a shift stage holds until
 *   the controller observes the rules giving green that share (`traffic`), so a crash between
 *   stage and shift resumes.
 * - BAKE_TIME: blue keeps running, for an instant rollback, for bakeTimeInMinutes (skipped when
 *   there is no blue task, as on a service's first deployment).
 * - CLEAN_UP: blue's tasks are stopped (deregistered and drained first, like every service stop).
 *   The deployment is COMPLETED by reconcile once only green is left, healthy.
 *
 * PAUSE lifecycle hooks hold the deployment on entering their stage until ContinueServiceDeployment
 * or their timeout (then `timeoutAction`: CONTINUE, or ROLLBACK, which this core reports and
 * reconcile carries out by rolling back to the last COMPLETED deployment). Throughout, green tasks
 * that stop or fail their health checks are replaced (within the launch throttle); blue tasks
 * are not, as the stages treat blue as what it was when the deployment started.
 */

export interface BlueGreenInput {
  /** The service's tasks that occupy resources, as PlanTasks (`primary`: green). */
  tasks: readonly PlanTask[];
  desired: number;
  progress: BlueGreenProgress;
  /** The side of the deployment a task belongs to (by its startedBy). */
  sideOf: (t: PlanTask) => TrafficSide | undefined;
  /** Green may launch now (not FAILED, not throttled, something desired). */
  canLaunch: boolean;
  /** The green deployment is FAILED (the breaker tripped without rollback): it holds where it is. */
  failed: boolean;
  /** The share (percent) of test and production traffic the rules give green now, as the load balancers say (100 without them). */
  traffic: { test: number; production: number };
  /** The production traffic steps: the share green has after each, and the wait after it (trafficSteps). */
  steps: readonly { percent: number; bakeMs: number }[];
  bakeTimeMs: number;
  hooks: readonly LifecycleHookRecord[];
  /** Seeds hook ids: the deployment id. */
  deploymentId: string;
  scalingReason: string;
  now: number;
}

export interface BlueGreenPlan {
  stops: PlannedStop[];
  starts: number;
  progress: BlueGreenProgress;
  /** The stages entered by this pass, in order (for the history and the events). */
  entered: LifecycleStage[];
  /** A PAUSE hook timed out with ROLLBACK, or ContinueServiceDeployment asked for it. */
  rollback?: string;
  wakeAt?: number;
}

const NEXT: Partial<Record<LifecycleStage, LifecycleStage>> = {
  RECONCILE_SERVICE: 'PRE_SCALE_UP', PRE_SCALE_UP: 'SCALE_UP', SCALE_UP: 'POST_SCALE_UP', POST_SCALE_UP: 'TEST_TRAFFIC_SHIFT',
  TEST_TRAFFIC_SHIFT: 'POST_TEST_TRAFFIC_SHIFT', POST_TEST_TRAFFIC_SHIFT: 'PRE_PRODUCTION_TRAFFIC_SHIFT',
  PRE_PRODUCTION_TRAFFIC_SHIFT: 'PRODUCTION_TRAFFIC_SHIFT',
  PRODUCTION_TRAFFIC_SHIFT: 'POST_PRODUCTION_TRAFFIC_SHIFT', POST_PRODUCTION_TRAFFIC_SHIFT: 'BAKE_TIME', BAKE_TIME: 'CLEAN_UP',
};

/** ECS's defaults for LINEAR (10 % every 6 minutes) and CANARY (5 %, then the rest after 10 minutes). */
export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 } as const;
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } as const;

/** The production traffic steps of a strategy: green's share after each step, and the wait after it (none after 100 %). */
export function trafficSteps(c: Pick<DeploymentConfigurationRecord, 'strategy' | 'linearConfiguration' | 'canaryConfiguration'>): { percent: number; bakeMs: number }[] {
  if (c.strategy === 'LINEAR') {
    const { stepPercent, stepBakeTimeInMinutes } = c.linearConfiguration ?? LINEAR_DEFAULTS;
    const out: { percent: number; bakeMs: number }[] = [];
    // Tenths of a percent, as integers, so 3.3 % steps add up exactly.
    for (let tenths = Math.round(stepPercent * 10); ; tenths += Math.round(stepPercent * 10)) {
      if (tenths >= 1000) { out.push({ percent: 100, bakeMs: 0 }); return out; }
      out.push({ percent: tenths / 10, bakeMs: stepBakeTimeInMinutes * 60_000 });
    }
  }
  if (c.strategy === 'CANARY') {
    const { canaryPercent, canaryBakeTimeInMinutes } = c.canaryConfiguration ?? CANARY_DEFAULTS;
    return canaryPercent >= 100 ? [{ percent: 100, bakeMs: 0 }] : [{ percent: canaryPercent, bakeMs: canaryBakeTimeInMinutes * 60_000 }, { percent: 100, bakeMs: 0 }];
  }
  return [{ percent: 100, bakeMs: 0 }];
}

/** ECS's default hook timeout (24 hours), after which its timeout action (default ROLLBACK) is taken. */
export const DEFAULT_HOOK_TIMEOUT_MINUTES = 1440;

/**
 * The id of the hook pausing a deployment on entering a stage at `at`: a stage entered again (the
 * traffic steps of LINEAR and CANARY) pauses under a new id; a repeated pass names the same one.
 */
export function hookIdOf(deploymentId: string, stage: LifecycleStage, index: number, at: number): string {
  return `${deploymentId.slice(deploymentId.indexOf('/') + 1)}-${stage.toLowerCase().replaceAll('_', '-')}-${index}-${at.toString(36)}`;
}

export function planBlueGreen(input: BlueGreenInput): BlueGreenPlan {
  const lives = input.tasks.filter((t) => live(t.task));
  const s = new StopList(lives.filter((t) => t.healthy).length);
  for (const t of lives) {
    const now = immediateStop(t);
    if (now) s.add(t, now);
  }
  const green = (): PlanTask[] => lives.filter((t) => t.primary && !s.has(t) && (t.condition.kind === 'starting' || t.condition.kind === 'healthy'));
  const blue = lives.filter((t) => !t.primary && input.sideOf(t) === input.progress.blueSide);

  // Green above the desired count (a scale-in meanwhile): those not serving first, then the newest.
  const keepers = green();
  const excess = keepers.slice().sort((a, b) => Number(a.healthy) - Number(b.healthy) || byAge(b, a)).slice(0, Math.max(0, keepers.length - input.desired));
  for (const t of excess) s.add(t, { taskArn: t.task.taskArn, reason: input.scalingReason });

  let progress = input.progress;
  const entered: LifecycleStage[] = [];
  let wakeAt: number | undefined;
  let rollback: string | undefined;
  const enter = (stage: LifecycleStage, percent = progress.percent): void => {
    progress = { stage, stageAt: input.now, blueSide: progress.blueSide, ...(percent !== undefined ? { percent } : {}) };
    entered.push(stage);
    const i = input.hooks.findIndex((h) => h.targetType === 'PAUSE' && h.lifecycleStages.includes(stage));
    if (i >= 0) {
      const h = input.hooks[i]!;
      const minutes = h.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_HOOK_TIMEOUT_MINUTES;
      progress = { ...progress, paused: { hookId: hookIdOf(input.deploymentId, stage, i, input.now), expiresAt: input.now + minutes * 60_000, timeoutAction: h.timeoutConfiguration?.action ?? 'ROLLBACK' } };
    }
  };

  if (progress.pending && !input.failed) enter(progress.stage);
  for (let guard = 0; guard < 16 && !input.failed; guard++) {
    if (progress.paused) {
      if (input.now < progress.paused.expiresAt) { wakeAt = progress.paused.expiresAt; break; }
      if (progress.paused.timeoutAction === 'ROLLBACK') { rollback = `ECS deployment ${input.deploymentId}: lifecycle hook ${progress.paused.hookId} timed out.`; break; }
      const { paused: _, ...rest } = progress;
      progress = rest;
    }
    const stage = progress.stage;
    if (stage === 'RECONCILE_SERVICE') {
      for (const t of lives) if (!t.primary && input.sideOf(t) !== progress.blueSide) s.add(t, { taskArn: t.task.taskArn, reason: input.scalingReason });
    } else if (stage === 'SCALE_UP') {
      const g = green();
      if (g.length !== input.desired || !g.every((t) => t.healthy)) break;
    } else if (stage === 'TEST_TRAFFIC_SHIFT') {
      if (input.traffic.test < 100) break;
    } else if (stage === 'PRE_PRODUCTION_TRAFFIC_SHIFT') {
      // The next step's share is set on entering PRODUCTION_TRAFFIC_SHIFT; with no blue task
      // there is nothing to shift gradually from (a service's first deployment): all at once.
      enter('PRODUCTION_TRAFFIC_SHIFT', blue.some((t) => !s.has(t)) ? nextStep(input.steps, progress.percent).percent : 100);
      continue;
    } else if (stage === 'PRODUCTION_TRAFFIC_SHIFT') {
      const step = input.steps.find((x) => x.percent === progress.percent) ?? { percent: 100, bakeMs: 0 };
      if (input.traffic.production + 1e-9 < step.percent) break;
      if (step.percent < 100) {
        const until = progress.stageAt + step.bakeMs;
        if (input.now < until) { wakeAt = until; break; }
        enter('PRE_PRODUCTION_TRAFFIC_SHIFT');
        continue;
      }
    } else if (stage === 'BAKE_TIME') {
      const until = progress.stageAt + input.bakeTimeMs;
      if (blue.some((t) => !s.has(t)) && input.now < until) { wakeAt = until; break; }
    } else if (stage === 'CLEAN_UP') {
      for (const t of lives) if (!t.primary) s.add(t, { taskArn: t.task.taskArn, reason: input.scalingReason });
      break;
    }
    const next = NEXT[stage];
    if (!next) break;
    enter(next);
  }
  // Green launches from SCALE_UP on (not while paused before it), and is kept whole after.
  const starts = input.canLaunch && stageReached(progress, 'SCALE_UP') ? Math.max(0, input.desired - green().length) : 0;
  return { stops: s.stops, starts, progress, entered, ...(rollback ? { rollback } : {}), ...(wakeAt !== undefined ? { wakeAt } : {}) };
}

/** The step after the one that gave green `percent` (the first when none has yet). */
function nextStep(steps: readonly { percent: number; bakeMs: number }[], percent: number | undefined): { percent: number; bakeMs: number } {
  return steps.find((x) => percent === undefined || x.percent > percent) ?? { percent: 100, bakeMs: 0 };
}
