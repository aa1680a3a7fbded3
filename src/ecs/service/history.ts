import { failureThreshold } from './circuit-breaker.js';
import {
  CIRCUIT_BREAKER_REASON, completedReason, isBlueGreen, productionShare, testShare,
  type DeploymentConfigurationRecord, type DeploymentRecord, type LifecycleStage, type LoadBalancerRecord, type ServiceRecord,
} from './model.js';

/**
 * A service's history as ECS shows it since 2024: "service deployments" and the "service
 * revisions" they roll out. Berth derives them from its own deployments (model.ts): each
 * deployment id names exactly one service deployment and one service revision (the same numeric
 * id under `service-deployment/` and `service-revision/`). `foldHistory` is the only writer: it
 * is called with a service record about to be stored and the history entries it may touch, and
 * returns the entries that changed, so history and service are written in one transaction and a
 * repeated call after a crash changes nothing.
 *
 * Statuses (ECS "View service history using Amazon ECS service deployments"):
 * - IN_PROGRESS from creation (Berth has no PENDING stage: a deployment starts when it is stored).
 * - SUCCESSFUL when its deployment reaches COMPLETED.
 * - STOPPED when a newer deployment supersedes it before it completed, when the circuit breaker
 *   fails it without rollback, or when the service is deleted.
 * - ROLLBACK_IN_PROGRESS when the circuit breaker or StopServiceDeployment rolled the service back
 *   to the last COMPLETED deployment; then ROLLBACK_SUCCESSFUL when that one completes again,
 *   ROLLBACK_FAILED when it fails, STOPPED when it is superseded.
 */

export type ServiceDeploymentStatus =
  | 'PENDING' | 'SUCCESSFUL' | 'STOPPED' | 'STOP_REQUESTED' | 'IN_PROGRESS'
  | 'ROLLBACK_REQUESTED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED';

export type MonitorStatus = 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';

export interface RevisionCounts {
  arn: string;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
  requestedProductionTrafficWeight?: number;
  requestedTestTrafficWeight?: number;
}

/** The configuration a deployment rolls out (ECS's ServiceRevision), fixed when the deployment starts. */
export interface ServiceRevisionRecord {
  serviceRevisionArn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  launchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderStrategy?: { capacityProvider: string; weight?: number; base?: number }[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: unknown;
  loadBalancers: LoadBalancerRecord[];
  serviceRegistries: ServiceRecord['serviceRegistries'];
  createdAt: number;
}

/** One service deployment (table `ecs.service_deployments`, keyed by its ARN). */
export interface ServiceDeploymentRecord {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  /** The Berth deployment (`ecs-svc/…`) this service deployment follows. */
  deploymentId: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  createdAt: number;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  target: RevisionCounts;
  sources: RevisionCounts[];
  revision: ServiceRevisionRecord;
  deploymentConfiguration: DeploymentConfigurationRecord;
  circuitBreaker: { status: MonitorStatus; failureCount: number; threshold: number };
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string; deploymentId: string };
  /** Blue/green: the stage the deployment is in (the last one, once finished). */
  lifecycleStage?: LifecycleStage;
  /** PAUSE hooks the deployment met, oldest first. */
  hooks?: HookDetail[];
}

/** ECS's DeploymentLifecycleHookDetail of a PAUSE hook. */
export interface HookDetail {
  hookId: string;
  status: 'AWAITING_ACTION' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
}

export const TERMINAL: ReadonlySet<ServiceDeploymentStatus> = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

const numericId = (deploymentId: string): string => deploymentId.slice(deploymentId.indexOf('/') + 1);

/** `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>` from the service ARN. */
export function serviceDeploymentArn(serviceArn: string, deploymentId: string): string {
  return `${serviceArn.replace(':service/', ':service-deployment/')}/${numericId(deploymentId)}`;
}

export function serviceRevisionArn(serviceArn: string, deploymentId: string): string {
  return `${serviceArn.replace(':service/', ':service-revision/')}/${numericId(deploymentId)}`;
}

/** The service deployment ARN that names the same deployment as a service revision ARN (and back). */
export function deploymentArnOfRevision(revisionArn: string): string {
  return revisionArn.replace(':service-revision/', ':service-deployment/');
}

export interface HistoryFold {
  /** The service with `scheduler.openDeployments` brought up to date. */
  service: ServiceRecord;
  /** New and changed entries, to be put. */
  changed: ServiceDeploymentRecord[];
}

/**
 * Which entries `foldHistory` needs: those of the service's open deployments and of every
 * deployment it lists (a revived deployment's finished entry must be found, not re-created).
 */
export function historyIdsOf(service: ServiceRecord): string[] {
  return [...new Set([...(service.scheduler.openDeployments ?? []), ...service.deployments.map((d) => d.id)])];
}

export function foldHistory(service: ServiceRecord, known: readonly ServiceDeploymentRecord[], now: number): HistoryFold {
  const byId = new Map(known.map((e) => [e.deploymentId, e]));
  const changed: ServiceDeploymentRecord[] = [];
  const cb = service.deploymentConfiguration.deploymentCircuitBreaker;
  const threshold = failureThreshold(cb, service.desiredCount);
  const active = service.status === 'ACTIVE';
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  // Blue/green services show the share of traffic each revision is meant to have: the PRIMARY's
  // share (productionShare/testShare) for it, the rest for the other revisions on the other side.
  const blueGreen = isBlueGreen(service.deploymentConfiguration.strategy);
  const primarySide = primary?.side ?? 'primary';
  const shares = { production: productionShare(service), test: testShare(service) };
  const shareOf = (d: DeploymentRecord, share: number): number => ((d.side ?? 'primary') === primarySide ? share : 100 - share);
  const counts = (d: DeploymentRecord): RevisionCounts => ({
    arn: serviceRevisionArn(service.serviceArn, d.id), requestedTaskCount: d.desiredCount, runningTaskCount: d.runningCount, pendingTaskCount: d.pendingCount,
    ...(blueGreen ? { requestedProductionTrafficWeight: shareOf(d, shares.production), requestedTestTrafficWeight: shareOf(d, shares.test) } : {}),
  });

  // New deployments (newest last, so the oldest is created first).
  for (const d of [...service.deployments].reverse()) {
    if (byId.has(d.id) || !active) continue;
    const e = newEntry(service, d, threshold, cb.enable);
    byId.set(d.id, e);
    changed.push(e);
  }

  const open = new Set<string>();
  for (const before of byId.values()) {
    if (TERMINAL.has(before.status)) continue;
    let e: ServiceDeploymentRecord = { ...before };
    const d = service.deployments.find((x) => x.id === e.deploymentId);
    const rb = service.scheduler.lastRollback;
    const finish = (status: ServiceDeploymentStatus, reason: string, stopped: boolean): void => {
      e = { ...e, status, statusReason: reason, finishedAt: now, ...(stopped ? { stoppedAt: now } : {}) };
    };

    if (e.status === 'IN_PROGRESS' || e.status === 'PENDING') {
      if (rb && rb.from === e.deploymentId && rb.at >= e.createdAt) {
        e = {
          ...e, status: 'ROLLBACK_IN_PROGRESS', statusReason: rb.reason,
          rollback: { reason: rb.reason, startedAt: rb.at, serviceRevisionArn: serviceRevisionArn(service.serviceArn, rb.to), deploymentId: rb.to },
        };
      } else if (d?.status === 'PRIMARY' && d.rolloutState === 'COMPLETED') {
        finish('SUCCESSFUL', completedReason(d.id), false);
      } else if (d?.status === 'PRIMARY' && d.rolloutState === 'FAILED') {
        finish('STOPPED', d.rolloutStateReason, true);
      } else if (!active) {
        finish('STOPPED', `ECS deployment ${e.deploymentId} stopped: the service is being deleted.`, true);
      } else if (d?.status !== 'PRIMARY') {
        finish('STOPPED', `ECS deployment ${e.deploymentId} stopped: superseded by ECS deployment ${primary?.id ?? 'unknown'}.`, true);
      }
    }
    if (e.status === 'ROLLBACK_IN_PROGRESS' && e.rollback) {
      const t = service.deployments.find((x) => x.id === e.rollback!.deploymentId);
      if (t?.status === 'PRIMARY' && t.rolloutState === 'COMPLETED') finish('ROLLBACK_SUCCESSFUL', `ECS deployment ${e.deploymentId} rolled back to ${t.id}.`, false);
      else if (t?.status === 'PRIMARY' && t.rolloutState === 'FAILED') finish('ROLLBACK_FAILED', `ECS deployment ${e.deploymentId}: rollback to ${t.id} failed. ${t.rolloutStateReason}`, false);
      else if (!active || t?.status !== 'PRIMARY') finish('STOPPED', `ECS deployment ${e.deploymentId}: rollback to ${e.rollback.deploymentId} stopped: superseded by ECS deployment ${primary?.id ?? 'unknown'}.`, true);
    }

    // Counts follow the deployments while they exist; a finished entry keeps the last ones seen.
    if (d) e = { ...e, target: counts(d) };
    if (d?.blueGreen && d.status === 'PRIMARY') e = { ...e, lifecycleStage: d.blueGreen.stage, ...hooksOf(e, d, now) };
    else if (e.hooks?.some((h) => h.status === 'AWAITING_ACTION')) e = { ...e, hooks: e.hooks.map((h) => (h.status === 'AWAITING_ACTION' ? { ...h, status: 'FAILED' as const } : h)) };
    e = {
      ...e,
      sources: e.sources.map((s) => {
        const x = service.deployments.find((y) => s.arn === serviceRevisionArn(service.serviceArn, y.id));
        return x ? counts(x) : s;
      }),
    };
    const triggered = e.statusReason === CIRCUIT_BREAKER_REASON;
    e = {
      ...e,
      circuitBreaker: {
        status: !cb.enable ? 'DISABLED' : triggered ? 'TRIGGERED' : TERMINAL.has(e.status) ? 'MONITORING_COMPLETE' : 'MONITORING',
        failureCount: d?.failedTasks ?? e.circuitBreaker.failureCount,
        threshold: TERMINAL.has(e.status) ? e.circuitBreaker.threshold : threshold,
      },
    };
    if (JSON.stringify(e) !== JSON.stringify(before)) {
      e = { ...e, updatedAt: now };
      const at = changed.findIndex((x) => x.deploymentId === e.deploymentId);
      if (at >= 0) changed[at] = e;
      else changed.push(e);
    }
    if (!TERMINAL.has(e.status)) open.add(e.deploymentId);
  }

  const ids = [...open].sort();
  const same = JSON.stringify(ids) === JSON.stringify(service.scheduler.openDeployments ?? []);
  const { openDeployments: _, ...sched } = service.scheduler;
  return { service: same ? service : { ...service, scheduler: ids.length ? { ...sched, openDeployments: ids } : sched }, changed };
}

function newEntry(service: ServiceRecord, d: DeploymentRecord, threshold: number, monitoring: boolean): ServiceDeploymentRecord {
  const revisionArn = serviceRevisionArn(service.serviceArn, d.id);
  const sources = service.deployments.filter((x) => x.id !== d.id).map((x): RevisionCounts => ({
    arn: serviceRevisionArn(service.serviceArn, x.id), requestedTaskCount: x.desiredCount, runningTaskCount: x.runningCount, pendingTaskCount: x.pendingCount,
  }));
  return {
    serviceDeploymentArn: serviceDeploymentArn(service.serviceArn, d.id), serviceArn: service.serviceArn, clusterArn: service.clusterArn,
    deploymentId: d.id, status: 'IN_PROGRESS', statusReason: `ECS deployment ${d.id} in progress.`,
    createdAt: d.createdAt, startedAt: d.createdAt, updatedAt: d.createdAt,
    target: { arn: revisionArn, requestedTaskCount: d.desiredCount, runningTaskCount: d.runningCount, pendingTaskCount: d.pendingCount },
    sources,
    revision: {
      serviceRevisionArn: revisionArn, serviceArn: service.serviceArn, clusterArn: service.clusterArn, taskDefinition: d.taskDefinition,
      ...(d.launchType ? { launchType: d.launchType } : {}),
      ...(d.capacityProviderStrategy ? { capacityProviderStrategy: d.capacityProviderStrategy } : {}),
      ...(d.platformVersion ? { platformVersion: d.platformVersion } : d.launchType === 'FARGATE' ? { platformVersion: 'LATEST' } : {}),
      ...(d.platformFamily ? { platformFamily: d.platformFamily } : {}),
      ...(d.networkConfiguration !== undefined ? { networkConfiguration: d.networkConfiguration } : {}),
      loadBalancers: service.loadBalancers, serviceRegistries: service.serviceRegistries, createdAt: d.createdAt,
    },
    deploymentConfiguration: service.deploymentConfiguration,
    circuitBreaker: { status: monitoring ? 'MONITORING' : 'DISABLED', failureCount: d.failedTasks, threshold },
  };
}

/**
 * The hook details of a blue/green deployment: the PAUSE hook holding it now is AWAITING_ACTION;
 * one no longer holding it SUCCEEDED (continued), TIMED_OUT (its time ran out) or FAILED (the
 * deployment was rolled back from it).
 */
function hooksOf(e: ServiceDeploymentRecord, d: DeploymentRecord, now: number): { hooks?: HookDetail[] } {
  const paused = d.blueGreen?.paused;
  const hooks = (e.hooks ?? []).map((h): HookDetail => {
    if (h.status !== 'AWAITING_ACTION' || h.hookId === paused?.hookId) return h;
    return { ...h, status: now >= h.expiresAt ? 'TIMED_OUT' : d.rolloutState === 'FAILED' ? 'FAILED' : 'SUCCEEDED' };
  });
  if (paused && !hooks.some((h) => h.hookId === paused.hookId)) hooks.push({ hookId: paused.hookId, status: 'AWAITING_ACTION', expiresAt: paused.expiresAt, timeoutAction: paused.timeoutAction });
  return hooks.length ? { hooks } : {};
}
