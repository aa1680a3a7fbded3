import type { SubmitAttachmentStateChangesRequest, SubmitContainerStateChangeRequest, SubmitTaskStateChangeRequest } from '@aws-sdk/client-ecs';
import type { ContainerStatus, ObservedTask, TaskStatus } from '../../protocol/messages.js';
import { TASK_STATUSES } from '../../protocol/messages.js';
import { invalidParameter } from '../errors.js';
import type { EcsState } from '../state.js';
import type { TaskService } from '../task/service.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';

/**
 * The state-change calls the real ECS container agent makes (Berth's own agent reports over its
 * WebSocket instead). They fold the reported state into the task exactly like an agent report:
 * statuses only move forward. Each answers `{ acknowledgment: 'ACK' }`.
 */
export function agentStateChangeOperations(state: EcsState, tasks: TaskService) {
  const ms = (d: Date | undefined): number | undefined => (d === undefined ? undefined : new Date(d).getTime());

  function apply(ctx: Parameters<Parameters<typeof operation>[0]>[1], cluster: string | undefined, task: string | undefined, seen: Omit<ObservedTask, 'taskArn'>): { acknowledgment: string } {
    const scope = scopeOf(ctx);
    const c = activeCluster(state, scope, cluster);
    const found = task ? tasks.find(scope, c.clusterName, task) : undefined;
    if (!found) throw invalidParameter('The referenced task was not found.');
    const [key, t] = found;
    tasks.observe(key, { ...seen, taskArn: t.taskArn });
    return { acknowledgment: 'ACK' };
  }

  const taskStatus = (s: string | undefined, fallback: TaskStatus): TaskStatus => (TASK_STATUSES as readonly string[]).includes(s ?? '') ? (s as TaskStatus) : fallback;
  const containerStatus = (s: string | undefined): ContainerStatus => (s === 'RUNNING' || s === 'STOPPED' ? s : 'PENDING');

  return {
    SubmitTaskStateChange: operation<SubmitTaskStateChangeRequest>((input, ctx) => {
      const seen: Omit<ObservedTask, 'taskArn'> = {
        lastStatus: taskStatus(input.status, 'PENDING'),
        containers: (input.containers ?? []).map((c) => ({
          name: c.containerName!, lastStatus: containerStatus(c.status),
          ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}), ...(c.reason ? { reason: c.reason } : {}), ...(c.runtimeId ? { runtimeId: c.runtimeId } : {}),
        })),
      };
      const t = { pullStartedAt: ms(input.pullStartedAt), pullStoppedAt: ms(input.pullStoppedAt), executionStoppedAt: ms(input.executionStoppedAt) };
      for (const [k, v] of Object.entries(t)) if (v !== undefined) (seen as Record<string, unknown>)[k] = v;
      if (input.reason) seen.stoppedReason = input.reason;
      return apply(ctx, input.cluster, input.task, seen);
    }),

    SubmitContainerStateChange: operation<SubmitContainerStateChangeRequest>((input, ctx) => {
      const seen: Omit<ObservedTask, 'taskArn'> = {
        lastStatus: 'PROVISIONING',
        containers: [{
          name: input.containerName ?? '', lastStatus: containerStatus(input.status),
          ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}), ...(input.reason ? { reason: input.reason } : {}),
          ...(input.runtimeId ? { runtimeId: input.runtimeId } : {}),
          ...(input.networkBindings ? { networkBindings: input.networkBindings.map((b) => ({ bindIP: b.bindIP ?? '0.0.0.0', containerPort: b.containerPort ?? 0, hostPort: b.hostPort ?? 0, protocol: (b.protocol ?? 'tcp') as 'tcp' | 'udp' })) } : {}),
        }],
      };
      return apply(ctx, input.cluster, input.task, seen);
    }),

    SubmitAttachmentStateChanges: operation<SubmitAttachmentStateChangesRequest>((input, ctx) => {
      activeCluster(state, scopeOf(ctx), input.cluster);
      if (!(input.attachments ?? []).length) throw invalidParameter('attachments can not be empty.');
      return { acknowledgment: 'ACK' };
    }),
  };
}
