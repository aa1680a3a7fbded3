import type { ObservedTask, TaskPayload } from '../../protocol/messages.js';
import type { ContainerRuntime } from '../runtime/port.js';
import { LABEL_AGENT, LABEL_TASK_ARN } from './container-spec.js';
import { NetworkRefs } from './network-refs.js';
import { TaskRunner, type RunnerContext } from './task-runner.js';

/**
 * The agent's task engine: holds one TaskRunner per task it was told about, reconciles against
 * each new desired state (level-triggered: the whole set every time), routes runtime events to
 * runners, and cleans up containers of this agent that belong to no task it holds.
 */
export class TaskEngine {
  private readonly runners = new Map<string, TaskRunner>();
  private unsubscribe: (() => void) | undefined;
  private firstDesired = true;
  private readonly networks = new NetworkRefs();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly ctx: Omit<RunnerContext, 'runtime' | 'networks'>,
    /** Tasks this agent knew before it restarted (persisted observations). */
    private readonly previous: ReadonlyMap<string, ObservedTask> = new Map(),
  ) {}

  start(): void {
    this.unsubscribe = this.runtime.events(LABEL_TASK_ARN, (e) => {
      const arn = e.labels[LABEL_TASK_ARN];
      if (arn && e.labels[LABEL_AGENT] === this.ctx.agentId) this.runners.get(arn)?.onEvent(e);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  get size(): number {
    return this.runners.size;
  }

  observed(taskArn: string): ObservedTask | undefined {
    return this.runners.get(taskArn)?.observed;
  }

  runner(taskArn: string): TaskRunner | undefined {
    return this.runners.get(taskArn);
  }

  allRunners(): IterableIterator<TaskRunner> {
    return this.runners.values();
  }

  /** Applies the server's desired state. */
  setDesired(tasks: readonly TaskPayload[]): void {
    const wanted = new Set<string>();
    for (const p of tasks) {
      wanted.add(p.taskArn);
      const existing = this.runners.get(p.taskArn);
      if (existing) {
        existing.update(p);
        continue;
      }
      const runner = new TaskRunner(p, { ...this.ctx, runtime: this.runtime, networks: this.networks }, this.previous.get(p.taskArn));
      this.runners.set(p.taskArn, runner);
      if (p.desiredStatus === 'STOPPED') runner.requestStop(p.stopRequest?.stopCode ?? 'UserInitiated', p.stopRequest?.reason ?? 'Task stopped by user');
      void runner.start();
    }
    // A task the server no longer lists is either finished (forget it) or was dropped (stop it).
    for (const [arn, runner] of this.runners) {
      if (wanted.has(arn)) continue;
      if (runner.done) this.runners.delete(arn);
      else runner.requestStop('TaskFailedToStart', 'Task is no longer known to the server');
    }
    if (this.firstDesired) {
      this.firstDesired = false;
      void this.removeStrays(wanted);
    }
  }

  /** Containers labelled as this agent's whose task it does not hold: left from a crash. */
  private async removeStrays(wanted: ReadonlySet<string>): Promise<void> {
    const mine = await this.runtime.list({ [LABEL_AGENT]: this.ctx.agentId });
    for (const c of mine) {
      const arn = c.labels[LABEL_TASK_ARN];
      if (arn && !wanted.has(arn) && !this.runners.has(arn)) await this.runtime.remove(c.id).catch(() => undefined);
    }
  }

  /** Waits for every runner to finish (tests and shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.start()));
  }
}
