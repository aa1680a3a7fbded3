import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ObservedTask, StateReport } from '../protocol/messages.js';

/**
 * What an agent keeps across its own restarts: who it is (its agent id labels its containers;
 * the identity the server issued), the report sequence, reports not yet acknowledged (the latest
 * per task, since each carries the task's whole observed state), and the last observation of each
 * task — so a restarted agent neither loses a report nor starts a finished task again.
 */
export interface AgentState {
  agentId: string;
  identity?: { instanceArn: string; instanceSecret: string };
  seq: number;
  tasks: Record<string, ObservedTask>;
  unacked: Record<string, StateReport>;
}

export interface AgentStateStore {
  load(): AgentState;
  save(state: AgentState): void;
}

export const freshState = (): AgentState => ({ agentId: randomBytes(8).toString('hex'), seq: 0, tasks: {}, unacked: {} });

export class MemoryAgentState implements AgentStateStore {
  private state = freshState();
  load(): AgentState { return this.state; }
  save(state: AgentState): void { this.state = state; }
}

/** One JSON file, replaced atomically (write then rename) on every save. */
export class FileAgentState implements AgentStateStore {
  private readonly file: string;
  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, 'agent-state.json');
  }
  load(): AgentState {
    if (!existsSync(this.file)) return freshState();
    return JSON.parse(readFileSync(this.file, 'utf8')) as AgentState;
  }
  save(state: AgentState): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
