import { createHash } from 'node:crypto';
import { MAX_SERVICE_EVENTS, type ServiceEventRecord } from './model.js';

/**
 * Service event messages in ECS's own words, as they appear in DescribeServices `events[]` (checked
 * against real event logs). Task references use the task id (the last ARN segment), as ECS does.
 */

/** The id part of a task ARN (`arn:aws:ecs:r:a:task/cluster/<id>` → `<id>`). */
export function taskIdOf(taskArnOrId: string): string {
  const slash = taskArnOrId.lastIndexOf('/');
  return slash < 0 ? taskArnOrId : taskArnOrId.slice(slash + 1);
}

const tasksList = (tasks: readonly string[]): string => tasks.map((t) => `(task ${taskIdOf(t)})`).join(' ');

/** `(service x) has started 2 tasks: (task a) (task b).` — ECS adds a sentence when they replace unhealthy tasks. */
export function startedTasks(service: string, tasks: readonly string[], replacedUnhealthy = 0): string {
  const tail = replacedUnhealthy > 0 ? ` Amazon ECS replaced ${replacedUnhealthy} tasks due to an unhealthy status.` : '';
  return `(service ${service}) has started ${tasks.length} tasks: ${tasksList(tasks)}.${tail}`;
}

/** `(service x) has stopped 1 running tasks: (task a).` (ECS does not singularise "tasks"). */
export function stoppedTasks(service: string, tasks: readonly string[]): string {
  return `(service ${service}) has stopped ${tasks.length} running tasks: ${tasksList(tasks)}.`;
}

/** AZ rebalancing: `service (x) is not AZ balanced with 3 tasks in us-east-1a, 1 in us-east-1b and …. AZ Rebalancing in progress.` */
export function notAzBalanced(service: string, counts: ReadonlyMap<string, number>): string {
  return `service (${service}) is not AZ balanced with ${zoneList(counts, false)}. AZ Rebalancing in progress.`;
}

export function azBalanced(service: string, counts: ReadonlyMap<string, number>): string {
  return `service (${service}) is AZ balanced with ${zoneList(counts, true)}.`;
}

export function startedToRebalance(service: string, zone: string, tasks: readonly string[]): string {
  return `${service} has started ${tasks.length} tasks in ${zone} to AZ Rebalance: ${tasksList(tasks)}.`;
}

export function stoppedToRebalance(service: string, zone: string, tasks: readonly string[]): string {
  return `${service} has stopped ${tasks.length} running tasks in ${zone} due to AZ rebalancing: ${tasksList(tasks)}.`;
}

/** `2 tasks in a, 1 in b, and 1 in c` (ECS repeats "tasks" after the first zone only in the unbalanced message). */
function zoneList(counts: ReadonlyMap<string, number>, everyTasks: boolean): string {
  const parts = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([z, n], i) => `${n}${i === 0 || everyTasks ? ' tasks' : ''} in ${z}`);
  if (parts.length <= 2) return parts.join(' and ');
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

export function steadyState(service: string): string {
  return `(service ${service}) has reached a steady state.`;
}

export function deploymentCompleted(service: string, deploymentId: string): string {
  return `(service ${service}) (deployment ${deploymentId}) deployment completed.`;
}

export function deploymentFailed(service: string, deploymentId: string): string {
  return `(service ${service}) (deployment ${deploymentId}) deployment failed: tasks failed to start.`;
}

export function rollingBack(service: string, deploymentId: string): string {
  return `(service ${service}) rolling back to deployment ${deploymentId}.`;
}

export function failedContainerHealthChecks(service: string, task: string): string {
  return `(service ${service}) (task ${taskIdOf(task)}) failed container health checks.`;
}

export function unableToConsistentlyStart(service: string): string {
  return `(service ${service}) is unable to consistently start tasks successfully.`;
}

/**
 * A placement failure. `detail` is what the placement room says, e.g. `because no container instance
 * met all of its requirements. The closest matching (container-instance 1234) has insufficient
 * memory available. For more information, see the Troubleshooting section of the Amazon ECS
 * Developer Guide.` or `. Reason: ResourceInitializationError: …` (Fargate).
 */
export function unableToPlaceTask(service: string, detail: string): string {
  const sep = detail.startsWith('.') || detail.startsWith(',') ? '' : ' ';
  return `(service ${service}) was unable to place a task${sep}${detail}`;
}

/** Stop reasons (the task's `stoppedReason`) in ECS's words; stopCode is ServiceSchedulerInitiated. */
export const STOP_REASON = {
  scaling: (deploymentId: string): string => `Scaling activity initiated by (deployment ${deploymentId})`,
  elbHealth: (targetGroupArn: string): string => `Task failed ELB health checks in (target-group ${targetGroupArn})`,
  containerHealth: 'Task failed container health checks',
  /** Berth's wording: ECS's text for these two is not documented. */
  instanceDraining: 'Container instance is DRAINING',
  instanceLost: 'Container instance is no longer connected',
} as const;

/** A stable uuid-shaped id for an event: the same service, time, position and message give the same id. */
export function eventId(serviceArn: string, createdAt: number, seq: number, message: string): string {
  const h = createHash('sha256').update(`${serviceArn}\n${createdAt}\n${seq}\n${message}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Records `messages` (oldest first, all at `now`) on top of `events` (newest first), keeping the
 * MAX_SERVICE_EVENTS latest. Returns the new list and the records added.
 */
export function recordEvents(
  serviceArn: string,
  events: readonly ServiceEventRecord[],
  messages: readonly string[],
  now: number,
): { events: ServiceEventRecord[]; added: ServiceEventRecord[] } {
  const base = events.filter((e) => e.createdAt === now).length;
  const added = messages.map((message, i) => ({ id: eventId(serviceArn, now, base + i, message), createdAt: now, message }));
  return { events: [...added.slice().reverse(), ...events].slice(0, MAX_SERVICE_EVENTS), added };
}
