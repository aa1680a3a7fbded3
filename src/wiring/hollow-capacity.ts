import { Agent } from '../agent/agent.js';
import { HollowRuntime } from '../agent/runtime/hollow.js';
import { MemoryAgentState } from '../agent/state-store.js';
import { clusterSubject, type JoinTokens } from '../ecs/agents/tokens.js';
import type { Size } from '../ecs/cluster/managed-scaling.js';
import type { CapacityLauncher, ScalingTarget } from '../ecs/scheduler/capacity-scaler.js';
import type { EcsState } from '../ecs/state.js';
import { TaskService } from '../ecs/task/service.js';

export interface HollowCapacityOptions {
  /** The server's base URL (known once it listens). */
  serverUrl: () => string;
  tokens: JoinTokens;
  state: EcsState;
  tasks: TaskService;
  /** Each hollow instance's resources (default 2 vCPU = 2048 units, 4096 MiB). */
  instance?: Size;
  /** How long a new instance may take to register (default 30 s). */
  registerTimeoutMs?: number;
}

/**
 * A CapacityLauncher that invents hosts: each "instance" is an in-process berth Agent on a
 * HollowRuntime (simulated containers), joined to the provider's cluster with a join token and
 * `autoScalingGroup` = the group's name, so the hub files it under the provider. For
 * development and tests only: server.ts wires it when BERTH_HOLLOW_SCALING=1 (or the explicit
 * option), never by default — a production server must not make up hosts.
 */
export class HollowCapacity implements CapacityLauncher {
  private readonly agents = new Map<string, Agent>();
  private seq = 0;

  constructor(private readonly opts: HollowCapacityOptions) {}

  instanceSize(): Size {
    return this.opts.instance ?? { cpu: 2048, memory: 4096 };
  }

  async launch(target: ScalingTarget, count: number): Promise<void> {
    const token = this.opts.tokens.issue(clusterSubject(target.scope.accountId, target.scope.region, target.clusterName));
    const size = this.instanceSize();
    await Promise.all(Array.from({ length: count }, async () => {
      const agent = new Agent({
        serverUrl: this.opts.serverUrl(), joinToken: token, runtime: new HollowRuntime(), stateStore: new MemoryAgentState(),
        pauseImage: 'berth/pause:latest', metadata: false, credentialsRoute: false,
        hostname: `${target.groupName}-${++this.seq}`, autoScalingGroup: target.groupName, resources: { cpu: size.cpu, memory: size.memory },
      });
      await agent.start();
      const timeout = this.opts.registerTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const registered = await Promise.race([
        agent.ready.then(() => true),
        new Promise<boolean>((ok) => { timer = setTimeout(() => ok(false), timeout); }),
      ]);
      clearTimeout(timer);
      if (!registered || !agent.containerInstanceArn) {
        agent.stop();
        throw new Error(`a hollow instance of group ${target.groupName} did not register within ${timeout} ms`);
      }
      this.agents.set(agent.containerInstanceArn, agent);
    }));
  }

  /**
   * Stops each instance's agent and deregisters it; tasks still on it stop, as on an EC2
   * instance that is terminated.
   */
  async terminate(target: ScalingTarget, containerInstanceArns: string[]): Promise<void> {
    const { state, tasks } = this.opts;
    const now = Date.now();
    for (const arn of containerInstanceArns) {
      this.agents.get(arn)?.stop();
      this.agents.delete(arn);
      const rec = state.containerInstances.get(arn);
      // Deregistered first: with no agent left to report, its tasks then stop at once.
      state.store.transaction(() => {
        if (rec) state.containerInstances.put(arn, { ...rec, status: 'INACTIVE', agentConnected: false });
      });
      for (const t of tasks.activeOn(arn)) {
        tasks.stop(TaskService.key(target.scope, target.clusterName, t.taskId), 'TerminationNotice',
          `Host EC2 (instance ${rec?.ec2InstanceId ?? arn}) terminated.`, now);
      }
    }
  }

  /** Stops every agent this launcher started (server shutdown). */
  close(): void {
    for (const a of this.agents.values()) a.stop();
    this.agents.clear();
  }
}
