import type {
  ContinueServiceDeploymentRequest, DescribeServiceDeploymentsRequest, DescribeServiceRevisionsRequest, Failure, ListServiceDeploymentsRequest, ServiceDeployment,
  ServiceDeploymentBrief, ServiceRevision, StopServiceDeploymentRequest,
} from '@aws-sdk/client-ecs';
import { AwsError } from '../../edge/errors.js';
import { timeKey } from '../../edge/pagination.js';
import { scopeKey, type Scope } from '../arn.js';
import { invalidParameter, serviceNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { rollBack } from '../service/circuit-breaker.js';
import { rollingBack, recordEvents } from '../service/events.js';
import {
  deploymentArnOfRevision, foldHistory, historyIdsOf, serviceDeploymentArn,
  type RevisionCounts, type ServiceDeploymentRecord, type ServiceDeploymentStatus,
} from '../service/history.js';
import type { DeploymentRecord, ServiceRecord } from '../service/model.js';
import type { EcsState } from '../state.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';
import type { ServiceScheduling } from './services.js';

/**
 * Stores a service record together with its history (service/history.ts): the one way a service
 * is written, by the API and by the service controller, inside the caller's transaction.
 */
export function putService(state: EcsState, key: string, service: ServiceRecord, now: number): ServiceRecord {
  const known = historyIdsOf(service)
    .map((id) => state.serviceDeployments.get(serviceDeploymentArn(service.serviceArn, id)))
    .filter((e): e is ServiceDeploymentRecord => e !== undefined);
  const fold = foldHistory(service, known, now);
  for (const e of fold.changed) state.serviceDeployments.put(e.serviceDeploymentArn, e);
  // A scheduler pass that changed nothing writes nothing (services with load balancers pass every second).
  const prior = state.services.get(key);
  if (!prior || JSON.stringify(prior) !== JSON.stringify(fold.service)) state.services.put(key, fold.service);
  return fold.service;
}

/** Drops the history of a service ARN (ECS deletes a service's deployments with the service; a new service of the same name starts afresh). */
export function forgetHistory(state: EcsState, serviceArn: string): void {
  const prefix = serviceDeploymentArn(serviceArn, 'x/');
  for (const [k] of [...state.serviceDeployments.entries()]) if (k.startsWith(prefix)) state.serviceDeployments.delete(k);
}

const serviceDeploymentNotFound = (): AwsError => new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
const conflict = (message: string): AwsError => new AwsError('ConflictException', message);

/** ECS takes timestamps as epoch seconds on the JSON protocol; an ISO string is accepted too. */
function epochMsOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v * 1000;
  if (typeof v === 'string') { const t = Date.parse(v); return Number.isNaN(t) ? undefined : t; }
  if (v instanceof Date) return v.getTime();
  return undefined;
}

const d = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function renderCounts(c: RevisionCounts): RevisionCounts { return { ...c }; }

function renderDeployment(e: ServiceDeploymentRecord): ServiceDeployment {
  const c = e.deploymentConfiguration;
  const out: ServiceDeployment = {
    serviceDeploymentArn: e.serviceDeploymentArn, serviceArn: e.serviceArn, clusterArn: e.clusterArn,
    createdAt: new Date(e.createdAt), startedAt: new Date(e.startedAt), updatedAt: new Date(e.updatedAt),
    sourceServiceRevisions: e.sources.map(renderCounts), targetServiceRevision: renderCounts(e.target),
    status: e.status,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: c.deploymentCircuitBreaker.enable, rollback: c.deploymentCircuitBreaker.rollback },
      maximumPercent: c.maximumPercent, minimumHealthyPercent: c.minimumHealthyPercent, strategy: c.strategy,
      ...(c.bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes: c.bakeTimeInMinutes } : {}),
      ...(c.lifecycleHooks ? { lifecycleHooks: c.lifecycleHooks as never } : {}),
      ...(c.linearConfiguration ? { linearConfiguration: c.linearConfiguration } : {}),
      ...(c.canaryConfiguration ? { canaryConfiguration: c.canaryConfiguration } : {}),
      ...(c.alarms ? { alarms: c.alarms } : {}),
    },
    deploymentCircuitBreaker: { ...e.circuitBreaker },
  };
  if (e.statusReason) out.statusReason = e.statusReason;
  if (e.finishedAt !== undefined) out.finishedAt = new Date(e.finishedAt);
  if (e.stoppedAt !== undefined) out.stoppedAt = new Date(e.stoppedAt);
  if (e.rollback) out.rollback = { reason: e.rollback.reason, startedAt: new Date(e.rollback.startedAt), serviceRevisionArn: e.rollback.serviceRevisionArn };
  // Berth has no CloudWatch alarms yet: the configuration is kept and shown, but nothing
  // monitors it, and the deployment says so (DISABLED) rather than claim MONITORING.
  if (c.alarms) out.alarms = { status: 'DISABLED', alarmNames: c.alarms.alarmNames, triggeredAlarmNames: [] };
  // ECS's ServiceDeployment has no PRE_PRODUCTION_TRAFFIC_SHIFT stage (hooks run at it): before
  // the first production step it shows as POST_TEST_TRAFFIC_SHIFT, between steps as PRODUCTION_TRAFFIC_SHIFT.
  if (e.lifecycleStage === 'PRE_PRODUCTION_TRAFFIC_SHIFT') out.lifecycleStage = e.target.requestedProductionTrafficWeight ? 'PRODUCTION_TRAFFIC_SHIFT' : 'POST_TEST_TRAFFIC_SHIFT';
  else if (e.lifecycleStage) out.lifecycleStage = e.lifecycleStage;
  if (e.hooks?.length) {
    out.lifecycleHookDetails = e.hooks.map((h) => ({ hookId: h.hookId, targetType: 'PAUSE', status: h.status, expiresAt: new Date(h.expiresAt), timeoutAction: h.timeoutAction }));
  }
  return out;
}

function renderBrief(e: ServiceDeploymentRecord): ServiceDeploymentBrief {
  const out: ServiceDeploymentBrief = {
    serviceDeploymentArn: e.serviceDeploymentArn, serviceArn: e.serviceArn, clusterArn: e.clusterArn,
    createdAt: new Date(e.createdAt), startedAt: new Date(e.startedAt), targetServiceRevisionArn: e.target.arn, status: e.status,
  };
  if (e.statusReason) out.statusReason = e.statusReason;
  if (e.finishedAt !== undefined) out.finishedAt = d(e.finishedAt)!;
  return out;
}

function renderRevision(e: ServiceDeploymentRecord): ServiceRevision {
  const r = e.revision;
  const out: ServiceRevision = {
    serviceRevisionArn: r.serviceRevisionArn, serviceArn: r.serviceArn, clusterArn: r.clusterArn, taskDefinition: r.taskDefinition,
    loadBalancers: r.loadBalancers, serviceRegistries: r.serviceRegistries, createdAt: new Date(r.createdAt),
  };
  if (r.launchType) out.launchType = r.launchType;
  if (r.capacityProviderStrategy) out.capacityProviderStrategy = r.capacityProviderStrategy;
  if (r.platformVersion) out.platformVersion = r.platformVersion;
  if (r.platformFamily) out.platformFamily = r.platformFamily;
  if (r.networkConfiguration !== undefined) out.networkConfiguration = r.networkConfiguration as ServiceRevision['networkConfiguration'];
  return out;
}

/** Whether an ARN belongs to the caller's account and region (others are reported MISSING). */
const inScope = (scope: Scope, arn: string): boolean => arn.split(':')[3] === scope.region && arn.split(':')[4] === scope.accountId;

/** ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions, StopServiceDeployment. */
export function serviceDeploymentOperations(state: EcsState, scheduler: ServiceScheduling) {
  function lookup(scope: Scope, arns: string[] | undefined, toDeploymentArn: (a: string) => string): { found: ServiceDeploymentRecord[]; failures: Failure[] } {
    const list = arns ?? [];
    if (list.length === 0 || list.length > 20) throw invalidParameter('The number of ARNs must be between 1 and 20.');
    const found: ServiceDeploymentRecord[] = [];
    const failures: Failure[] = [];
    for (const arn of list) {
      const e = inScope(scope, arn) ? state.serviceDeployments.get(toDeploymentArn(arn)) : undefined;
      if (e) found.push(e);
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { found, failures };
  }

  /** The service and PRIMARY deployment an IN_PROGRESS service deployment follows (ConflictException otherwise). */
  function inProgress(scope: Scope, e: ServiceDeploymentRecord): { key: string; s: ServiceRecord; dep: DeploymentRecord } {
    if (e.status !== 'IN_PROGRESS' && e.status !== 'PENDING') throw conflict(`The service deployment ${e.serviceDeploymentArn} is ${e.status} and cannot be stopped.`);
    const [, clusterName, serviceName] = e.serviceArn.split(':').pop()!.split('/') as [string, string, string];
    const key = `${scopeKey(scope)}:${clusterName}:${serviceName}`;
    const s = state.services.get(key);
    const dep = s?.deployments.find((x) => x.id === e.deploymentId);
    if (!s || s.status !== 'ACTIVE' || dep?.status !== 'PRIMARY' || dep.rolloutState !== 'IN_PROGRESS') {
      throw conflict(`The service deployment ${e.serviceDeploymentArn} is not in progress.`);
    }
    return { key, s, dep };
  }

  /** Rolls a service back from its PRIMARY deployment to the last COMPLETED one, at once. */
  function rollBackFrom(key: string, s: ServiceRecord, dep: DeploymentRecord, reason: string, now: number): void {
    const target = s.scheduler.lastCompleted;
    if (!target || target.id === dep.id) throw conflict(`The service ${s.serviceName} has no previous successful service revision to roll back to.`);
    const stopped = { ...dep, rolloutState: 'FAILED' as const, rolloutStateReason: reason, updatedAt: now };
    let next = rollBack({ ...s, deployments: s.deployments.map((x) => (x.id === dep.id ? stopped : x)) }, dep.id, target, now);
    next = { ...next, events: recordEvents(next.serviceArn, next.events, [rollingBack(next.serviceName, target.id)], now).events };
    state.store.transaction(() => putService(state, key, next, now));
    scheduler.touch(key);
  }

  return {
    ListServiceDeployments: operation<ListServiceDeploymentsRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const cluster = activeCluster(state, scope, input.cluster);
      const ref = input.service ?? '';
      const name = ref.startsWith('arn:') ? ref.split('/').pop()! : ref;
      const s = state.services.get(`${scopeKey(scope)}:${cluster.clusterName}:${name}`);
      if (!s || s.status === 'INACTIVE' || (ref.startsWith('arn:') && s.serviceArn !== ref)) throw serviceNotFound();
      const statuses = new Set<ServiceDeploymentStatus>((input.status ?? []) as ServiceDeploymentStatus[]);
      const before = epochMsOf(input.createdAt?.before);
      const after = epochMsOf(input.createdAt?.after);
      const prefix = serviceDeploymentArn(s.serviceArn, 'x/');
      const items: ServiceDeploymentRecord[] = [];
      for (const [k, e] of state.serviceDeployments.entries()) {
        if (!k.startsWith(prefix)) continue;
        if (statuses.size && !statuses.has(e.status)) continue;
        if (before !== undefined && !(e.createdAt < before)) continue;
        if (after !== undefined && !(e.createdAt > after)) continue;
        items.push(e);
      }
      const keyOf = (e: ServiceDeploymentRecord): string => timeKey(e.createdAt, e.serviceDeploymentArn);
      items.sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
      const { page, nextToken } = paginate(items, keyOf, input.nextToken, input.maxResults, 20, true);
      return { serviceDeployments: page.map(renderBrief), ...(nextToken ? { nextToken } : {}) };
    }),

    DescribeServiceDeployments: operation<DescribeServiceDeploymentsRequest>((input, ctx) => {
      const { found, failures } = lookup(scopeOf(ctx), input.serviceDeploymentArns, (a) => a);
      return { serviceDeployments: found.map(renderDeployment), failures };
    }),

    DescribeServiceRevisions: operation<DescribeServiceRevisionsRequest>((input, ctx) => {
      const { found, failures } = lookup(scopeOf(ctx), input.serviceRevisionArns, deploymentArnOfRevision);
      return { serviceRevisions: found.map(renderRevision), failures };
    }),

    StopServiceDeployment: operation<StopServiceDeploymentRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const arn = input.serviceDeploymentArn ?? '';
      const stopType = input.stopType ?? 'ROLLBACK';
      if (stopType !== 'ROLLBACK') throw invalidParameter(`The stop type ${stopType} is not supported. The valid values are ROLLBACK.`);
      const e = inScope(scope, arn) ? state.serviceDeployments.get(arn) : undefined;
      if (!e) throw serviceDeploymentNotFound();
      // Already rolling back: ECS carries on with the rollback it has.
      if (e.status === 'ROLLBACK_REQUESTED' || e.status === 'ROLLBACK_IN_PROGRESS') return { serviceDeploymentArn: arn };
      const { key, s, dep } = inProgress(scope, e);
      rollBackFrom(key, s, dep, `ECS deployment ${dep.id} stopped: rollback requested.`, ctx.now.getTime());
      return { serviceDeploymentArn: arn };
    }),

    /** Acts on a PAUSE hook holding a blue/green deployment: CONTINUE to its next stage, or ROLLBACK. */
    ContinueServiceDeployment: operation<ContinueServiceDeploymentRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const arn = input.serviceDeploymentArn ?? '';
      const e = inScope(scope, arn) ? state.serviceDeployments.get(arn) : undefined;
      if (!e) throw serviceDeploymentNotFound();
      const { key, s, dep } = inProgress(scope, e);
      const paused = dep.blueGreen?.paused;
      if (!paused || paused.hookId !== input.hookId) throw invalidParameter(`The lifecycle hook ${input.hookId ?? ''} is not awaiting action for the service deployment ${arn}.`);
      const now = ctx.now.getTime();
      if ((input.action ?? 'CONTINUE') === 'ROLLBACK') {
        rollBackFrom(key, s, dep, `ECS deployment ${dep.id} rolled back at lifecycle hook ${paused.hookId}.`, now);
        return { serviceDeploymentArn: arn };
      }
      const { paused: _, ...progress } = dep.blueGreen!;
      const next: ServiceRecord = { ...s, deployments: s.deployments.map((x) => (x.id === dep.id ? { ...x, blueGreen: progress, updatedAt: now } : x)) };
      state.store.transaction(() => putService(state, key, next, now));
      scheduler.touch(key);
      return { serviceDeploymentArn: arn };
    }),
  };
}
