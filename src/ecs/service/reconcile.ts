import { planRebalance, type Rebalance } from './az-rebalance.js';
import { planBlueGreen, trafficSteps } from './blue-green.js';
import { evaluateCircuitBreaker, rollBack } from './circuit-breaker.js';
import {
  deploymentCompleted, failedContainerHealthChecks, recordEvents, startedTasks, steadyState, stoppedTasks,
  azBalanced, notAzBalanced, rollingBack, startedToRebalance, stoppedToRebalance, unableToConsistentlyStart, unableToPlaceTask, STOP_REASON,
} from './events.js';
import { conditionOf, countsHealthy, healthWakeAt, live, occupies, reachedRunning, type ServiceInstance, type ServiceTask } from './health.js';
import { completedReason, type DeploymentRecord, type ServiceEventRecord, type ServiceRecord } from './model.js';
import { planDaemon, planReplica, type PlannedStop, type PlanTask } from './rolling.js';
import { afterFailures, afterSuccess, throttled } from './throttle.js';

/**
 * The service scheduler's pure core: one pass of `reconcile(service, tasks, instances, now)`.
 *
 * Contract with the controller that calls it:
 * - `tasks` are the service's tasks (group `service:<name>`), including STOPPED ones until they have
 *   been passed at least once; a task belongs to the deployment named by its `startedBy`.
 * - `instances` are all container instances of the cluster that the service may use (the controller
 *   filters by placement constraints); a task whose instance is absent or disconnected is lost.
 * - It applies every action and stores the returned `service` in one transaction; starts create
 *   tasks with `startedBy` = the deployment id, then `recordStarted` adds ECS's event; a start that
 *   cannot be placed goes to `recordLaunchFailures`. Stops set desiredStatus STOPPED with stopCode
 *   ServiceSchedulerInitiated and the reason given.
 * - It calls again on any change of tasks or instances, and at `wakeAt` at the latest.
 * Everything a pass learns is kept in `service.scheduler` / `deployment.scheduler`, so a pass
 * repeated after a crash decides the same and counts nothing twice.
 */

export type Action =
  | {
    type: 'start'; deploymentId: string; taskDefinition: string; count: number; instanceId?: string; replacesUnhealthy?: number;
    /** AZ rebalancing: the task goes to this zone (and ECS's rebalancing event replaces `has started`). */
    availabilityZone?: string;
  }
  | { type: 'stop'; taskArn: string; reason: string; stopCode: 'ServiceSchedulerInitiated' };

export interface ReconcileResult {
  actions: Action[];
  service: ServiceRecord;
  /** The events this pass recorded, newest first (they are also the head of `service.events`). */
  events: ServiceEventRecord[];
  /** When to reconcile again if nothing changes before (a throttle ending, a task settling, steady-state repeat). */
  wakeAt?: number;
}

/** ECS repeats `has reached a steady state.` about every six hours while a service stays steady. */
export const STEADY_STATE_REPEAT_MS = 6 * 60 * 60_000;

export function reconcile(
  service: ServiceRecord,
  observed: readonly ServiceTask[],
  instances: readonly ServiceInstance[],
  now: number,
  /** The share (percent) of test and production traffic the load balancers' rules give the PRIMARY deployment's side now (blue/green; 100 without them). */
  traffic: { test: number; production: number } = { test: 100, production: 100 },
): ReconcileResult {
  if (service.status === 'INACTIVE' || service.deploymentController.type !== 'ECS') return { actions: [], service, events: [] };
  const messages: string[] = [];
  const instanceMap = new Map(instances.map((i) => [i.id, i]));
  const daemon = service.schedulingStrategy === 'DAEMON';
  const eligible = instances.filter((i) => i.status === 'ACTIVE' && i.connected).map((i) => i.id).sort();
  const desired = service.status === 'DRAINING' ? 0 : daemon ? eligible.length : service.desiredCount;
  let svc: ServiceRecord = { ...service, desiredCount: desired };
  const deps = new Map(svc.deployments.map((d) => [d.id, { ...d }]));

  // 1. Transitions seen for the first time: launch failures, first RUNNING, first healthy.
  const seen: ServiceRecord['scheduler']['seen'] = {};
  const conditions = new Map(observed.filter((t) => t.lastStatus !== 'STOPPED').map((t) => [t.taskArn, conditionOf(svc, t, instanceMap, now)]));
  for (const t of observed) {
    const before = svc.scheduler.seen[t.taskArn];
    const d = t.startedBy !== undefined ? deps.get(t.startedBy) : undefined;
    if (t.lastStatus === 'STOPPED') {
      seen[t.taskArn] = 'stopped';
      if (before === 'stopped' || reachedRunning(t) || t.stopCode === 'ServiceSchedulerInitiated' || t.stopCode === 'UserInitiated') continue;
      if (d) {
        d.failedTasks++;
        const th = afterFailures(d.scheduler, 1, now);
        d.scheduler = th.next;
        if (th.impaired) messages.push(unableToConsistentlyStart(svc.serviceName));
      }
      continue;
    }
    let phase = before;
    if (reachedRunning(t) && phase === undefined) {
      phase = 'running';
      if (d) d.scheduler = afterSuccess(d.scheduler);
    }
    const c = conditions.get(t.taskArn)!;
    if (countsHealthy(svc, t, c, now) && phase !== 'healthy') {
      phase = 'healthy';
      const reset = svc.deploymentConfiguration.deploymentCircuitBreaker.resetOnHealthyTask ?? true;
      if (d && reset) d.failedTasks = 0;
    }
    if (phase !== undefined) seen[t.taskArn] = phase;
  }

  // 2. Tasks failing their health checks are replaced and counted as failures of their deployment.
  const unhealthy = observed.filter((t) => t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING' && conditions.get(t.taskArn)!.kind === 'unhealthy');
  for (const t of unhealthy) {
    const d = t.startedBy !== undefined ? deps.get(t.startedBy) : undefined;
    if (d) d.failedTasks++;
    const c = conditions.get(t.taskArn)!;
    if (c.kind === 'unhealthy' && c.container) messages.push(failedContainerHealthChecks(svc.serviceName, t.taskArn));
  }
  svc = { ...svc, deployments: svc.deployments.map((d) => deps.get(d.id)!), scheduler: { ...svc.scheduler, seen } };

  // 3. The circuit breaker, on the failures counted so far.
  const breaker = evaluateCircuitBreaker(svc, now);
  svc = breaker.service;
  messages.push(...breaker.messages);

  // 4. The plan.
  const primary = svc.deployments.find((d) => d.status === 'PRIMARY');
  const planTasks: PlanTask[] = observed.filter(occupies).map((t) => {
    const condition = conditions.get(t.taskArn)!;
    return { task: t, primary: primary !== undefined && t.startedBy === primary.id, condition, healthy: countsHealthy(svc, t, condition, now) };
  });
  const failed = primary?.rolloutState === 'FAILED';
  const canLaunch = primary !== undefined && !failed && desired > 0 && !throttled(primary.scheduler, now);
  const common = {
    tasks: planTasks,
    minimumHealthyPercent: svc.deploymentConfiguration.minimumHealthyPercent,
    maximumPercent: svc.deploymentConfiguration.maximumPercent,
    canLaunch, retireOld: !failed || desired === 0,
    scalingReason: STOP_REASON.scaling(primary?.id ?? observed.find((t) => t.startedBy)?.startedBy ?? 'unknown'),
  };
  let stops: PlannedStop[];
  const actions: Action[] = [];
  const replaced = unhealthy.length;
  let bgWake: number | undefined;
  const rebalance = primary?.blueGreen || daemon ? undefined : rebalanceStep(svc, planTasks, instances, desired);
  if (primary?.blueGreen && !daemon && svc.status === 'ACTIVE') {
    const sides = new Map(svc.deployments.map((d) => [d.id, d.side ?? 'primary']));
    const p = planBlueGreen({
      tasks: planTasks, desired, progress: primary.blueGreen, canLaunch, failed,
      sideOf: (t) => (t.task.startedBy !== undefined ? sides.get(t.task.startedBy) : undefined),
      traffic, steps: trafficSteps(svc.deploymentConfiguration), bakeTimeMs: (svc.deploymentConfiguration.bakeTimeInMinutes ?? 0) * 60_000,
      hooks: svc.deploymentConfiguration.lifecycleHooks ?? [], deploymentId: primary.id, scalingReason: common.scalingReason, now,
    });
    const target = svc.scheduler.lastCompleted;
    if (p.rollback && target && target.id !== primary.id) {
      // A PAUSE hook timed out with ROLLBACK: back to the last COMPLETED deployment; the next pass plans for it.
      const failedGreen: DeploymentRecord = { ...primary, rolloutState: 'FAILED', rolloutStateReason: p.rollback, updatedAt: now };
      svc = rollBack({ ...svc, deployments: svc.deployments.map((d) => (d.id === primary.id ? failedGreen : d)) }, primary.id, target, now);
      messages.push(rollingBack(svc.serviceName, target.id));
      stops = [];
      bgWake = now;
    } else {
      stops = p.stops;
      bgWake = p.wakeAt;
      if (p.progress !== primary.blueGreen) {
        svc = { ...svc, deployments: svc.deployments.map((d) => (d.id === primary.id ? { ...d, blueGreen: p.progress, updatedAt: now } : d)) };
      }
      if (p.starts > 0) {
        actions.push({
          type: 'start', deploymentId: primary.id, taskDefinition: primary.taskDefinition, count: p.starts,
          ...(replaced > 0 ? { replacesUnhealthy: Math.min(replaced, p.starts) } : {}),
        });
      }
    }
  } else if (rebalance) {
    // A steady service rebalancing across zones: this pass's one move replaces the rolling plan.
    const m = rebalanceMove(svc, rebalance, canLaunch ? primary : undefined, common.scalingReason);
    svc = m.service;
    stops = m.stops;
    actions.push(...m.starts);
    messages.push(...m.messages);
  } else if (daemon) {
    // A DRAINING (deleted) daemon service keeps no task anywhere.
    const p = planDaemon({ ...common, eligible: service.status === 'DRAINING' ? [] : eligible });
    stops = p.stops;
    for (const id of p.startOn) actions.push({ type: 'start', deploymentId: primary!.id, taskDefinition: primary!.taskDefinition, count: 1, instanceId: id });
  } else {
    const p = planReplica({ ...common, desired });
    stops = p.stops;
    if (p.starts > 0) {
      actions.push({
        type: 'start', deploymentId: primary!.id, taskDefinition: primary!.taskDefinition, count: p.starts,
        ...(replaced > 0 ? { replacesUnhealthy: Math.min(replaced, p.starts) } : {}),
      });
    }
  }
  actions.unshift(...stops.map((s): Action => ({ type: 'stop', taskArn: s.taskArn, reason: s.reason, stopCode: 'ServiceSchedulerInitiated' })));
  if (stops.length > 0 && rebalance?.kind !== 'stop') messages.push(stoppedTasks(svc.serviceName, stops.map((s) => s.taskArn)));

  // 5. Counts, deployments drained away, completion and steady state.
  const stopped = new Set(stops.map((s) => s.taskArn));
  const tasksOf = (d: DeploymentRecord): ServiceTask[] => observed.filter((t) => t.startedBy === d.id && occupies(t));
  const deployments: DeploymentRecord[] = [];
  for (const d of svc.deployments) {
    const mine = tasksOf(d);
    if (d.status !== 'PRIMARY' && mine.length === 0) continue; // INACTIVE: ECS no longer lists it
    const running = mine.filter((t) => t.lastStatus === 'RUNNING').length;
    const pending = mine.filter((t) => t.lastStatus !== 'RUNNING').length;
    const next = {
      ...d, runningCount: running, pendingCount: pending,
      desiredCount: d.status === 'PRIMARY' ? desired : mine.filter((t) => t.desiredStatus === 'RUNNING' && !stopped.has(t.taskArn)).length,
    };
    deployments.push(changed(d, next) ? { ...next, updatedAt: now } : d);
  }
  svc = {
    ...svc, deployments,
    runningCount: deployments.reduce((n, d) => n + d.runningCount, 0),
    pendingCount: deployments.reduce((n, d) => n + d.pendingCount, 0),
  };

  const p = deployments.find((d) => d.status === 'PRIMARY');
  const primaryTasks = p ? tasksOf(p) : [];
  const settled = svc.status === 'ACTIVE' && p !== undefined && p.rolloutState !== 'FAILED' && actions.length === 0 && deployments.length === 1
    && (!p.blueGreen || p.blueGreen.stage === 'CLEAN_UP')
    && primaryTasks.length === desired
    && primaryTasks.every((t) => t.desiredStatus === 'RUNNING' && planTasks.find((x) => x.task.taskArn === t.taskArn)!.healthy);
  if (settled && p.rolloutState === 'IN_PROGRESS') {
    const done: DeploymentRecord = { ...p, rolloutState: 'COMPLETED', rolloutStateReason: completedReason(p.id), updatedAt: now };
    svc = { ...svc, deployments: [done], scheduler: { ...svc.scheduler, lastCompleted: done } };
    messages.push(deploymentCompleted(svc.serviceName, p.id));
  }
  svc = noteSteadyState(svc, settled, now, messages);

  const rec = recordEvents(svc.serviceArn, svc.events, messages, now);
  svc = { ...svc, events: rec.events };
  const w = wake(svc, observed, now, settled).wakeAt;
  const at = Math.min(w ?? Infinity, bgWake ?? Infinity);
  return { actions, service: svc, events: rec.added.slice().reverse(), ...(at !== Infinity ? { wakeAt: at } : {}) };
}

/**
 * AZ rebalancing's decision for a steady REPLICA service (ENABLED, one COMPLETED deployment,
 * nothing unhealthy, lost or draining); undefined when it does not apply this pass.
 */
function rebalanceStep(svc: ServiceRecord, tasks: readonly PlanTask[], instances: readonly ServiceInstance[], desired: number): Rebalance | { kind: 'wait' } | undefined {
  const p = svc.deployments[0];
  if (svc.availabilityZoneRebalancing !== 'ENABLED' || svc.status !== 'ACTIVE' || svc.deployments.length !== 1 || p?.status !== 'PRIMARY' || p.rolloutState !== 'COMPLETED') return undefined;
  const lives = tasks.filter((t) => live(t.task));
  // The task a rebalancing start added is still starting: wait for it (the rolling plan would stop it as excess).
  if (svc.scheduler.rebalancing && lives.length === desired + 1 && lives.every((t) => t.primary && (t.healthy || t.condition.kind === 'starting'))) {
    if (lives.some((t) => !t.healthy)) return { kind: 'wait' };
  }
  if (lives.some((t) => !t.primary || t.condition.kind !== 'healthy')) return undefined;
  const zones = [...new Set(instances.filter((i) => i.status === 'ACTIVE' && i.connected && i.availabilityZone).map((i) => i.availabilityZone!))].sort();
  return planRebalance({
    tasks: lives, zones, desired,
    minimumHealthyPercent: svc.deploymentConfiguration.minimumHealthyPercent, maximumPercent: svc.deploymentConfiguration.maximumPercent,
  });
}

/** Carries out one rebalancing decision: its start or stop, and ECS's events for it. */
function rebalanceMove(svc: ServiceRecord, r: Rebalance | { kind: 'wait' }, launchFor: DeploymentRecord | undefined, scalingReason: string): { service: ServiceRecord; stops: PlannedStop[]; starts: Action[]; messages: string[] } {
  const out = { service: svc, stops: [] as PlannedStop[], starts: [] as Action[], messages: [] as string[] };
  if (r.kind === 'wait') return out;
  if (r.kind === 'balanced') {
    if (!svc.scheduler.rebalancing) return out;
    const { rebalancing: _, ...sched } = svc.scheduler;
    return { ...out, service: { ...svc, scheduler: sched }, messages: [azBalanced(svc.serviceName, r.counts)] };
  }
  if (!svc.scheduler.rebalancing) {
    out.messages.push(notAzBalanced(svc.serviceName, r.counts));
    out.service = { ...svc, scheduler: { ...svc.scheduler, rebalancing: true } };
  }
  if (r.kind === 'start') {
    if (launchFor) out.starts.push({ type: 'start', deploymentId: launchFor.id, taskDefinition: launchFor.taskDefinition, count: 1, availabilityZone: r.zone });
  } else {
    out.stops.push({ taskArn: r.task.task.taskArn, reason: scalingReason });
    out.messages.push(stoppedToRebalance(svc.serviceName, r.zone, [r.task.task.taskArn]));
  }
  return out;
}

function changed(a: DeploymentRecord, b: DeploymentRecord): boolean {
  return a.runningCount !== b.runningCount || a.pendingCount !== b.pendingCount || a.desiredCount !== b.desiredCount
    || a.failedTasks !== b.failedTasks || a.status !== b.status || a.rolloutState !== b.rolloutState
    || a.scheduler.launchFailures !== b.scheduler.launchFailures || a.scheduler.nextLaunchAt !== b.scheduler.nextLaunchAt;
}

function wake(svc: ServiceRecord, observed: readonly ServiceTask[], now: number, settled: boolean): { wakeAt?: number } {
  const times: number[] = [];
  const p = svc.deployments.find((d) => d.status === 'PRIMARY');
  if (p && p.scheduler.nextLaunchAt > now) times.push(p.scheduler.nextLaunchAt);
  for (const t of observed) {
    if (t.lastStatus === 'STOPPED') continue;
    const w = healthWakeAt(svc, t, now);
    if (w !== undefined) times.push(w);
  }
  if (settled && svc.scheduler.steadyStateAt !== undefined) times.push(svc.scheduler.steadyStateAt + STEADY_STATE_REPEAT_MS);
  return times.length ? { wakeAt: Math.min(...times) } : {};
}

/**
 * ECS's `has reached a steady state.`: recorded (into `messages`) when the service settles, and
 * again every six hours while it stays settled; forgotten as soon as it is not.
 */
export function noteSteadyState(svc: ServiceRecord, settled: boolean, now: number, messages: string[]): ServiceRecord {
  let steadyStateAt = settled ? svc.scheduler.steadyStateAt : undefined;
  if (settled && (steadyStateAt === undefined || now - steadyStateAt >= STEADY_STATE_REPEAT_MS)) {
    messages.push(steadyState(svc.serviceName));
    steadyStateAt = now;
  }
  const { steadyStateAt: _, ...sched } = svc.scheduler;
  return { ...svc, scheduler: steadyStateAt !== undefined ? { ...sched, steadyStateAt } : sched };
}

/** After a start action: ECS's `has started N tasks` event (its AZ rebalancing one for a start in a given zone). */
export function recordStarted(service: ServiceRecord, taskArns: readonly string[], now: number, replacedUnhealthy = 0, zone?: string): ServiceRecord {
  if (taskArns.length === 0) return service;
  const message = zone !== undefined ? startedToRebalance(service.serviceName, zone, taskArns) : startedTasks(service.serviceName, taskArns, replacedUnhealthy);
  return { ...service, events: recordEvents(service.serviceArn, service.events, [message], now).events };
}

/**
 * Tasks of a start action that could not be launched (placement found no instance, or RunTask
 * refused): the placement event, launch throttling, and the circuit breaker's count.
 * `placementDetail` continues ECS's sentence `(service x) was unable to place a task…`.
 */
export function recordLaunchFailures(service: ServiceRecord, deploymentId: string, count: number, placementDetail: string, now: number): ServiceRecord {
  const d = service.deployments.find((x) => x.id === deploymentId);
  if (!d || count <= 0) return service;
  const messages = [unableToPlaceTask(service.serviceName, placementDetail)];
  // One launch that could not place its tasks is one failed attempt for the throttle, however
  // many tasks it had (else one pass of 10 unplaceable tasks would throttle to the maximum).
  const th = afterFailures(d.scheduler, 1, now);
  if (th.impaired) messages.push(unableToConsistentlyStart(service.serviceName));
  const next = { ...d, failedTasks: d.failedTasks + count, scheduler: th.next, updatedAt: now };
  let svc: ServiceRecord = { ...service, deployments: service.deployments.map((x) => (x.id === deploymentId ? next : x)) };
  const breaker = evaluateCircuitBreaker(svc, now);
  svc = breaker.service;
  messages.push(...breaker.messages);
  return { ...svc, events: recordEvents(svc.serviceArn, svc.events, messages, now).events };
}
