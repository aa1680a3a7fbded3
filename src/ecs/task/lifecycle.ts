import type { ObservedTask, TaskStatus } from '../../protocol/messages.js';
import { statusRank } from '../../protocol/messages.js';
import type { TaskRecord } from './record.js';

/**
 * Folds an agent's observation into the task record. Pure. The status only moves forward, so a
 * late or repeated report cannot undo a newer one; timestamps are kept once set; a stop the
 * server asked for keeps the server's stopCode and reason (the agent reports what it saw).
 */
export function applyObserved(task: TaskRecord, seen: ObservedTask): TaskRecord {
  const next: TaskRecord = { ...task, containers: task.containers.map((c) => ({ ...c })) };
  if (statusRank(seen.lastStatus) > statusRank(task.lastStatus)) next.lastStatus = seen.lastStatus;
  for (const k of ['pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'executionStoppedAt', 'stoppedAt'] as const) {
    if (seen[k] !== undefined && next[k] === undefined) next[k] = seen[k];
  }
  for (const c of seen.containers) {
    const mine = next.containers.find((x) => x.name === c.name);
    if (!mine) continue;
    if (rankOf(c.lastStatus) >= rankOf(mine.lastStatus)) mine.lastStatus = c.lastStatus;
    if (c.runtimeId) mine.runtimeId = c.runtimeId;
    if (c.exitCode !== undefined) mine.exitCode = c.exitCode;
    if (c.reason) mine.reason = c.reason;
    if (c.healthStatus) mine.healthStatus = c.healthStatus;
    if (c.networkBindings) mine.networkBindings = c.networkBindings;
  }
  if (seen.healthStatus) next.healthStatus = seen.healthStatus;
  if (statusRank(next.lastStatus) >= statusRank('DEACTIVATING') || seen.stopCode) {
    next.desiredStatus = 'STOPPED';
    if (!next.stopCode) {
      next.stopCode = task.stopRequest?.stopCode ?? seen.stopCode;
      next.stoppedReason = task.stopRequest?.reason ?? seen.stoppedReason;
    }
  }
  if (next.lastStatus === 'STOPPED') {
    next.stoppedAt ??= next.executionStoppedAt ?? next.stoppingAt ?? next.createdAt;
    if (next.eni) next.eni = { ...next.eni, status: 'DELETED' };
  } else if (next.eni && statusRank(next.lastStatus) >= statusRank('PENDING') && next.eni.status === 'PRECREATED') {
    next.eni = { ...next.eni, status: 'ATTACHED' };
  }
  next.version = task.version + 1;
  return next;
}

const rankOf = (s: string): number => ['PENDING', 'RUNNING', 'STOPPED'].indexOf(s);

/** Stops a task that no agent will ever report on (its host is gone or never had it). */
export function stopUnreported(task: TaskRecord, now: number, stopCode: string, reason: string): TaskRecord {
  const status: TaskStatus = 'STOPPED';
  return {
    ...task,
    lastStatus: status,
    desiredStatus: 'STOPPED',
    stopCode: task.stopCode ?? task.stopRequest?.stopCode ?? stopCode,
    stoppedReason: task.stoppedReason ?? task.stopRequest?.reason ?? reason,
    stoppingAt: task.stoppingAt ?? now,
    executionStoppedAt: task.executionStoppedAt ?? now,
    stoppedAt: now,
    containers: task.containers.map((c) => ({ ...c, lastStatus: 'STOPPED' })),
    ...(task.eni ? { eni: { ...task.eni, status: 'DELETED' as const } } : {}),
    version: task.version + 1,
  };
}
