import { recordEvents, startedTasks, stoppedTasks, unableToConsistentlyStart, unableToPlaceTask, STOP_REASON } from './events.js';
import { conditionOf, countsHealthy, healthWakeAt, live, occupies, reachedRunning, type ServiceInstance, type ServiceTask } from './health.js';
import type { DeploymentRecord, DeploymentScheduling, LoadBalancerRecord, ServiceRecord } from './model.js';
import { noteSteadyState, STEADY_STATE_REPEAT_MS, type Action, type ReconcileResult } from './reconcile.js';
import { afterFailures, afterSuccess, throttled } from './throttle.js';

/**
 * Task sets: how a service with the EXTERNAL deployment controller runs tasks. An outside
 * controller creates sets (CreateTaskSet), scales each as a percentage of the service's desired
 * count (UpdateTaskSet), names the one serving production traffic (UpdateServicePrimaryTaskSet)
 * and deletes the old ones (DeleteTaskSet). ECS rolls nothing itself: each set is just kept at its
 * `computedDesiredCount`. The records live in the service record (`taskSets`), so they are written
 * with it and survive a restart; tasks belong to a set by `startedBy` = the set's id.
 */

export type TaskSetStatus = 'PRIMARY' | 'ACTIVE' | 'DRAINING';
export type StabilityStatus = 'STEADY_STATE' | 'STABILIZING';

export interface TaskSetRecord {
  /** `ecs-svc/` and 19 digits, as ECS names task sets (and deployments). */
  id: string;
  /** `arn:aws:ecs:<region>:<account>:task-set/<cluster>/<service>/<id>`. */
  taskSetArn: string;
  status: TaskSetStatus;
  taskDefinition: string;
  externalId?: string;
  /** ceil(service desiredCount × scale / 100); 0 once DRAINING. */
  computedDesiredCount: number;
  pendingCount: number;
  runningCount: number;
  createdAt: number;
  updatedAt: number;
  launchType?: DeploymentRecord['launchType'];
  capacityProviderStrategy?: DeploymentRecord['capacityProviderStrategy'];
  platformVersion?: string;
  networkConfiguration?: unknown;
  /** The set's own target groups: its tasks are registered there, not in the service's. */
  loadBalancers: LoadBalancerRecord[];
  serviceRegistries: ServiceRecord['serviceRegistries'];
  scale: { value: number; unit: 'PERCENT' };
  stabilityStatus: StabilityStatus;
  stabilityStatusAt: number;
  /** Launch throttling, as for a deployment (throttle.ts). Not rendered. */
  scheduler: DeploymentScheduling;
}

/** ECS's quota: five task sets (deployments) per service. */
export const MAX_TASK_SETS = 5;

export function taskSetArnOf(serviceArn: string, id: string): string {
  return `${serviceArn.replace(':service/', ':task-set/')}/${id}`;
}

/** ECS: the service's desired count times the scale percentage, always rounded up. */
export function computedDesiredCount(serviceDesired: number, scalePercent: number): number {
  // Rounded to 1e-9 first so 3 × 33.333…% does not become 2 through a floating-point residue.
  return Math.ceil(Math.round((serviceDesired * scalePercent) / 100 * 1e9) / 1e9);
}

export interface NewTaskSet extends Omit<TaskSetRecord, 'status' | 'computedDesiredCount' | 'pendingCount' | 'runningCount' | 'createdAt' | 'updatedAt' | 'stabilityStatus' | 'stabilityStatusAt' | 'scheduler' | 'taskSetArn'> {
  serviceArn: string;
  serviceDesiredCount: number;
  now: number;
}

/** A new set: ACTIVE (ECS makes none PRIMARY by itself) and STABILIZING until a pass finds it steady. */
export function newTaskSet(n: NewTaskSet): TaskSetRecord {
  const { serviceArn, serviceDesiredCount, now, ...rest } = n;
  return {
    ...rest, taskSetArn: taskSetArnOf(serviceArn, n.id), status: 'ACTIVE',
    computedDesiredCount: computedDesiredCount(serviceDesiredCount, n.scale.value), pendingCount: 0, runningCount: 0,
    createdAt: now, updatedAt: now, stabilityStatus: 'STABILIZING', stabilityStatusAt: now, scheduler: { launchFailures: 0, nextLaunchAt: 0 },
  };
}

/** Finds a set by id or ARN. */
export function findTaskSet(service: ServiceRecord, ref: string): TaskSetRecord | undefined {
  return (service.taskSets ?? []).find((t) => (ref.startsWith('arn:') ? t.taskSetArn === ref : t.id === ref));
}

/** The set a task was started for (its `startedBy`), if the service is EXTERNAL. */
export function taskSetOf(service: ServiceRecord, startedBy: string | undefined): TaskSetRecord | undefined {
  return startedBy === undefined ? undefined : (service.taskSets ?? []).find((t) => t.id === startedBy);
}

/** The target groups of a task: its task set's for an EXTERNAL service, the service's otherwise. */
export function loadBalancersFor(service: ServiceRecord, startedBy: string | undefined): LoadBalancerRecord[] {
  if (service.deploymentController.type !== 'EXTERNAL') return service.loadBalancers;
  return taskSetOf(service, startedBy)?.loadBalancers ?? [];
}

/** Whether any task of the service may be in a target group. */
export function hasLoadBalancers(service: ServiceRecord): boolean {
  if (service.deploymentController.type !== 'EXTERNAL') return service.loadBalancers.length > 0;
  return (service.taskSets ?? []).some((t) => t.loadBalancers.length > 0);
}

/** Replaces one set (by id) in the service. */
export function withTaskSet(service: ServiceRecord, set: TaskSetRecord): ServiceRecord {
  return { ...service, taskSets: (service.taskSets ?? []).map((t) => (t.id === set.id ? set : t)) };
}

/** A set's desired count follows the service's desired count and its own scale. */
export function rescaled(service: Pick<ServiceRecord, 'desiredCount'>, set: TaskSetRecord, now: number): TaskSetRecord {
  const want = set.status === 'DRAINING' ? 0 : computedDesiredCount(service.desiredCount, set.scale.value);
  if (want === set.computedDesiredCount) return set;
  return { ...set, computedDesiredCount: want, updatedAt: now, ...stability(set, 'STABILIZING', now) };
}

/**
 * UpdateServicePrimaryTaskSet: the set becomes PRIMARY, the former PRIMARY ACTIVE, and what the
 * set's tasks run with becomes the service's (ECS: "any parameters that are updated on the
 * primary task set in a service will transition to the service").
 */
export function makePrimary(service: ServiceRecord, id: string, now: number): ServiceRecord {
  const sets = (service.taskSets ?? []).map((t): TaskSetRecord => {
    if (t.id === id) return t.status === 'PRIMARY' ? t : { ...t, status: 'PRIMARY', updatedAt: now };
    return t.status === 'PRIMARY' ? { ...t, status: 'ACTIVE', updatedAt: now } : t;
  });
  const p = sets.find((t) => t.id === id)!;
  const { launchType: _l, capacityProviderStrategy: _c, platformVersion: _p, networkConfiguration: _n, ...rest } = service;
  return {
    ...rest, taskSets: sets, taskDefinition: p.taskDefinition, loadBalancers: p.loadBalancers, serviceRegistries: p.serviceRegistries,
    ...(p.launchType ? { launchType: p.launchType } : {}),
    ...(p.capacityProviderStrategy ? { capacityProviderStrategy: p.capacityProviderStrategy } : {}),
    ...(p.platformVersion ? { platformVersion: p.platformVersion } : {}),
    ...(p.networkConfiguration !== undefined ? { networkConfiguration: p.networkConfiguration } : {}),
  };
}

/** DeleteTaskSet: the set drains (its tasks are stopped by the next pass), then disappears. */
export function drainTaskSet(set: TaskSetRecord, now: number): TaskSetRecord {
  if (set.status === 'DRAINING') return set;
  return { ...set, status: 'DRAINING', computedDesiredCount: 0, updatedAt: now, ...stability(set, 'STABILIZING', now) };
}

function stability(set: TaskSetRecord, status: StabilityStatus, now: number): Pick<TaskSetRecord, 'stabilityStatus' | 'stabilityStatusAt'> {
  return set.stabilityStatus === status ? { stabilityStatus: status, stabilityStatusAt: set.stabilityStatusAt } : { stabilityStatus: status, stabilityStatusAt: now };
}

const byAge = (a: ServiceTask, b: ServiceTask): number => a.createdAt - b.createdAt || (a.taskArn < b.taskArn ? -1 : 1);

/**
 * One pass over an EXTERNAL service: the same contract as `reconcile` (reconcile.ts) — the caller
 * applies the actions and stores the service in one transaction; starts carry `deploymentId` = the
 * task set id (tasks are started with `startedBy` = it); `wakeAt` says when to look again.
 *
 * Each set that is not DRAINING is kept at its computedDesiredCount: stopped, unhealthy and lost
 * tasks are replaced, tasks on a DRAINING instance are replaced and stopped once the set has its
 * count healthy without them, and excess tasks are stopped, those not yet healthy and the newest
 * first. A DRAINING set (DeleteTaskSet, or a DRAINING service) has every task stopped and is dropped
 * once none is left. ECS does not apply minimum healthy/maximum percent across task sets: the
 * external controller does the rollout by scaling sets, so none is applied here.
 */
export function reconcileTaskSets(
  service: ServiceRecord,
  observed: readonly ServiceTask[],
  instances: readonly ServiceInstance[],
  now: number,
): ReconcileResult {
  if (service.status === 'INACTIVE' || service.deploymentController.type !== 'EXTERNAL') return { actions: [], service, events: [] };
  const messages: string[] = [];
  const instanceMap = new Map(instances.map((i) => [i.id, i]));
  const draining = service.status === 'DRAINING';
  const actions: Action[] = [];
  const stops: Extract<Action, { type: 'stop' }>[] = [];
  const seen: ServiceRecord['scheduler']['seen'] = {};
  const sets: TaskSetRecord[] = [];
  const wakes: number[] = [];
  let allSteady = true;

  for (const original of service.taskSets ?? []) {
    let set = draining ? drainTaskSet(original, now) : rescaled(service, original, now);
    const svc = { loadBalancers: set.loadBalancers, healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds };
    const mine = observed.filter((t) => t.startedBy === set.id);

    // Transitions seen for the first time drive the launch throttle, as for a deployment.
    let scheduler = set.scheduler;
    for (const t of mine) {
      const before = service.scheduler.seen[t.taskArn];
      if (t.lastStatus === 'STOPPED') {
        seen[t.taskArn] = 'stopped';
        if (before === 'stopped' || reachedRunning(t) || t.stopCode === 'ServiceSchedulerInitiated' || t.stopCode === 'UserInitiated') continue;
        const th = afterFailures(scheduler, 1, now);
        scheduler = th.next;
        if (th.impaired) messages.push(unableToConsistentlyStart(service.serviceName));
        continue;
      }
      if (reachedRunning(t) && before === undefined) scheduler = afterSuccess(scheduler);
      if (reachedRunning(t) || before !== undefined) seen[t.taskArn] = before ?? 'running';
    }
    set = { ...set, scheduler };

    const lives = mine.filter(live);
    const condition = new Map(lives.map((t) => [t.taskArn, conditionOf(svc, t, instanceMap, now)]));
    const healthy = (t: ServiceTask): boolean => countsHealthy(svc, t, condition.get(t.taskArn)!, now);
    const stop = (t: ServiceTask, reason: string): void => { stops.push({ type: 'stop', taskArn: t.taskArn, reason, stopCode: 'ServiceSchedulerInitiated' }); };
    const scaling = STOP_REASON.scaling(set.id);
    const before = stops.length;
    let starts = 0;

    if (set.status === 'DRAINING') {
      for (const t of lives) stop(t, scaling);
    } else {
      const keepers: ServiceTask[] = [];
      const onDraining: ServiceTask[] = [];
      for (const t of lives) {
        const c = condition.get(t.taskArn)!;
        if (c.kind === 'lost') stop(t, STOP_REASON.instanceLost);
        else if (c.kind === 'unhealthy') stop(t, c.reason);
        else if (c.kind === 'draining') onDraining.push(t);
        else keepers.push(t);
      }
      const excess = keepers.slice().sort((a, b) => Number(healthy(a)) - Number(healthy(b)) || byAge(b, a)).slice(0, Math.max(0, keepers.length - set.computedDesiredCount));
      for (const t of excess) stop(t, scaling);
      const kept = keepers.filter((t) => !excess.includes(t));
      const healthyKept = kept.filter(healthy).length;
      // A task on a DRAINING instance goes once the set has its count healthy elsewhere (or at once if not healthy).
      for (const t of onDraining) if (!healthy(t) || healthyKept >= set.computedDesiredCount) stop(t, STOP_REASON.instanceDraining);
      if (service.status === 'ACTIVE' && !throttled(set.scheduler, now)) starts = Math.max(0, set.computedDesiredCount - kept.length);
      else if (set.scheduler.nextLaunchAt > now) wakes.push(set.scheduler.nextLaunchAt);
      if (starts > 0) actions.push({ type: 'start', deploymentId: set.id, taskDefinition: set.taskDefinition, count: starts });
    }

    // Counts and stability, after this pass's decisions.
    const occupying = mine.filter(occupies);
    const running = occupying.filter((t) => t.lastStatus === 'RUNNING').length;
    const pending = occupying.length - running;
    const acted = stops.length > before || starts > 0;
    const steady = !acted && running === set.computedDesiredCount && pending === 0
      && lives.length === occupying.length && lives.every((t) => condition.get(t.taskArn)!.kind !== 'draining' && healthy(t));
    if (set.status === 'DRAINING' && occupying.length === 0) continue; // deleted: ECS no longer lists it
    if (!steady) allSteady = false;
    for (const t of lives) {
      const w = healthWakeAt(svc, t, now);
      if (w !== undefined) wakes.push(w);
    }
    const next = { ...set, runningCount: running, pendingCount: pending, ...stability(set, steady ? 'STEADY_STATE' : 'STABILIZING', now) };
    sets.push(next.runningCount !== set.runningCount || next.pendingCount !== set.pendingCount || next.stabilityStatus !== set.stabilityStatus ? { ...next, updatedAt: now } : next);
  }

  actions.unshift(...stops);
  if (stops.length) messages.push(stoppedTasks(service.serviceName, stops.map((s) => s.taskArn)));
  let svc: ServiceRecord = {
    ...service, taskSets: sets,
    runningCount: sets.reduce((n, s) => n + s.runningCount, 0),
    pendingCount: sets.reduce((n, s) => n + s.pendingCount, 0),
    scheduler: { ...service.scheduler, seen },
  };

  // `has reached a steady state.` once every set is, repeated every six hours as for any service.
  const settled = !draining && sets.length > 0 && allSteady;
  svc = noteSteadyState(svc, settled, now, messages);
  if (svc.scheduler.steadyStateAt !== undefined) wakes.push(svc.scheduler.steadyStateAt + STEADY_STATE_REPEAT_MS);

  const rec = recordEvents(svc.serviceArn, svc.events, messages, now);
  svc = { ...svc, events: rec.events };
  return { actions, service: svc, events: rec.added.slice().reverse(), ...(wakes.length ? { wakeAt: Math.min(...wakes) } : {}) };
}

/**
 * Tasks of a task set's start action that could not be launched: ECS's placement event and the
 * set's launch throttle (one attempt, however many tasks it had, as for deployments).
 */
export function recordTaskSetLaunchFailures(service: ServiceRecord, taskSetId: string, count: number, placementDetail: string, now: number): ServiceRecord {
  const set = taskSetOf(service, taskSetId);
  if (!set || count <= 0) return service;
  const messages = [unableToPlaceTask(service.serviceName, placementDetail)];
  const th = afterFailures(set.scheduler, 1, now);
  if (th.impaired) messages.push(unableToConsistentlyStart(service.serviceName));
  const next = withTaskSet(service, { ...set, scheduler: th.next });
  return { ...next, events: recordEvents(next.serviceArn, next.events, messages, now).events };
}

/**
 * After a task set's start action: ECS names the set in the event —
 * `(service web, taskSet ecs-svc/123…) has started 2 tasks: (task a) (task b).`
 */
export function recordTaskSetStarted(service: ServiceRecord, taskSetId: string, taskArns: readonly string[], now: number): ServiceRecord {
  if (taskArns.length === 0) return service;
  const message = startedTasks(`${service.serviceName}, taskSet ${taskSetId}`, taskArns);
  return { ...service, events: recordEvents(service.serviceArn, service.events, [message], now).events };
}
