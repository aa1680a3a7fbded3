import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, type Hello, type LogsBatch, type LogsPrepare, type TaskResourceRequest, type TaskResourceResult, type ToAgent, type ToServer } from '../../protocol/messages.js';
import { clusterArn as clusterArnOf, ecsArn } from '../arn.js';
import type { ContainerInstanceRecord, EcsState, HostResources } from '../state.js';
import type { TaskService } from '../task/service.js';
import type { LogSink } from './log-sink.js';
import type { TaskIdentity } from './task-identity.js';
import { groupNameOf } from '../cluster/auto-scaling-provider.js';
import { providersOf } from '../cluster/provider-registry.js';
import type { ClusterRecord } from '../state.js';
import { hashSecret, newInstanceSecret, type JoinTokens } from './tokens.js';

const HEARTBEAT_SEC = 10;
/** Managed hosts authenticate with this pseudo-ARN after their first hello. */
const managedArn = (hostId: string): string => `managed:${hostId}`;

interface Session { ws: WebSocket; hostId: string; managed: boolean }

/**
 * The server's end of the agent protocol (src/protocol/messages.ts): authenticates agents,
 * registers container instances and managed hosts, pushes desired state, applies reports at most
 * once (by sequence number, in the same transaction as the task change), and keeps
 * `agentConnected` true exactly while a session is open.
 */
export class AgentHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly state: EcsState,
    private readonly tasks: TaskService,
    private readonly tokens: JoinTokens,
    private readonly clock: () => Date,
    private readonly logs?: LogSink,
    private readonly identity?: TaskIdentity,
  ) {
    tasks.onDesiredChanged = (hostId) => this.schedulePush(hostId);
    // Nothing is connected when the server starts, whatever the store remembers.
    state.store.transaction(() => {
      for (const [k, i] of state.containerInstances.entries()) if (i.agentConnected) state.containerInstances.put(k, { ...i, agentConnected: false });
      for (const [k, h] of state.managedHosts.entries()) if (h.agentConnected) state.managedHosts.put(k, { ...h, agentConnected: false });
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  isConnected(hostId: string): boolean {
    return this.sessions.has(hostId);
  }

  /** Connected managed hosts, for Fargate placement. */
  managedHostIds(): string[] {
    return [...this.sessions.values()].filter((s) => s.managed).map((s) => s.hostId);
  }

  close(): void {
    for (const s of this.sessions.values()) s.ws.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    let session: Session | undefined;
    const alive = setInterval(() => ws.ping(), HEARTBEAT_SEC * 1000);
    ws.on('message', (data) => {
      let msg: ToServer;
      try {
        msg = JSON.parse(String(data)) as ToServer;
      } catch {
        return ws.close(1003, 'not JSON');
      }
      try {
        if (!session) {
          if (msg.type !== 'hello') return ws.close(1008, 'hello first');
          session = this.hello(ws, msg);
          return;
        }
        if (msg.type === 'state') this.report(session, msg.seq, msg.task);
        else if (msg.type === 'logs-prepare' || msg.type === 'logs') this.logTraffic(session, msg);
        else if (msg.type === 'task-resource') this.taskResource(session, msg);
        else if (msg.type === 'heartbeat') send(ws, { type: 'heartbeat', at: this.clock().getTime() });
      } catch (err) {
        process.stderr.write(`berth: agent message failed: ${err instanceof Error ? err.stack : String(err)}\n`);
        ws.close(1011, 'internal error');
      }
    });
    ws.on('close', () => {
      clearInterval(alive);
      if (session && this.sessions.get(session.hostId) === session) {
        this.sessions.delete(session.hostId);
        this.setConnected(session, false);
      }
    });
    ws.on('error', () => ws.terminate());
  }

  private refuse(ws: WebSocket, reason: string): undefined {
    send(ws, { type: 'refused', reason });
    ws.close(1008, reason.slice(0, 120));
    return undefined;
  }

  private hello(ws: WebSocket, hello: Hello): Session | undefined {
    if (hello.protocol !== PROTOCOL_VERSION) return this.refuse(ws, `unsupported protocol ${hello.protocol}`);
    const now = this.clock().getTime();
    let hostId: string;
    let managed: boolean;
    let issued: string | undefined;
    if ('joinToken' in hello.auth) {
      const subject = this.tokens.verify(hello.auth.joinToken);
      if (!subject) return this.refuse(ws, 'invalid join token');
      issued = newInstanceSecret();
      if (subject.startsWith('managed:')) {
        managed = true;
        hostId = subject.slice('managed:'.length);
        const prior = this.state.managedHosts.get(hostId);
        this.state.managedHosts.put(hostId, {
          hostId, agentConnected: true, registeredResources: hostResources(hello.resources), secretHash: hashSecret(issued),
          lastSeq: prior?.lastSeq ?? 0, registeredAt: prior?.registeredAt ?? now,
        });
      } else {
        const [, accountId, region, cluster] = subject.split(':') as [string, string, string, string];
        const c = this.state.clusters.get(`${accountId}:${region}:${cluster}`);
        if (!c || c.status !== 'ACTIVE') return this.refuse(ws, `cluster ${cluster} is not ACTIVE`);
        managed = false;
        const scope = { accountId, region };
        hostId = ecsArn(scope, `container-instance/${cluster}/${randomBytes(16).toString('hex')}`);
        const attrs = [...hello.attributes];
        if (!attrs.some((a) => a.name === 'ecs.availability-zone')) attrs.push({ name: 'ecs.availability-zone', value: `${region}a` });
        const rec: ContainerInstanceRecord = {
          containerInstanceArn: hostId, clusterArn: clusterArnOf(scope, cluster), accountId, region,
          ec2InstanceId: `i-${randomBytes(9).toString('hex').slice(0, 17)}`, status: 'ACTIVE', agentConnected: true,
          registeredResources: hostResources(hello.resources), attributes: attrs, versionInfo: { agentVersion: hello.agentVersion },
          registeredAt: now, hostname: hello.hostname, secretHash: hashSecret(issued), lastSeq: 0,
        };
        const provider = hello.autoScalingGroup ? providerOfGroup(this.state, scope, c, hello.autoScalingGroup) : undefined;
        if (provider) rec.capacityProviderName = provider;
        this.state.containerInstances.put(hostId, rec);
      }
    } else {
      const { instanceArn, instanceSecret } = hello.auth;
      managed = instanceArn.startsWith('managed:');
      hostId = managed ? instanceArn.slice('managed:'.length) : instanceArn;
      const rec = managed ? this.state.managedHosts.get(hostId) : this.state.containerInstances.get(hostId);
      if (!rec || rec.secretHash !== hashSecret(instanceSecret)) return this.refuse(ws, 'unknown instance identity');
      if (!managed && (rec as ContainerInstanceRecord).status === 'INACTIVE') return this.refuse(ws, 'container instance is deregistered');
    }
    const previous = this.sessions.get(hostId);
    if (previous) previous.ws.close(4000, 'replaced by a newer connection');
    const session: Session = { ws, hostId, managed };
    this.sessions.set(hostId, session);
    this.setConnected(session, true, hostResources(hello.resources));
    const inst = managed ? undefined : this.state.containerInstances.get(hostId);
    const host = managed ? this.state.managedHosts.get(hostId)! : inst!;
    send(ws, {
      type: 'welcome',
      containerInstanceArn: managed ? managedArn(hostId) : hostId,
      ...(issued ? { instanceSecret: issued } : {}),
      clusterArn: inst?.clusterArn ?? '',
      region: inst?.region ?? '',
      accountId: inst?.accountId ?? '',
      lastAppliedSeq: host.lastSeq,
      lastLogSeq: host.lastLogSeq ?? 0,
      heartbeatSec: HEARTBEAT_SEC,
    });
    this.push(hostId);
    return session;
  }

  private setConnected(s: Session, connected: boolean, resources?: HostResources): void {
    this.state.store.transaction(() => {
      if (s.managed) {
        const h = this.state.managedHosts.get(s.hostId);
        if (h) this.state.managedHosts.put(s.hostId, { ...h, agentConnected: connected, ...(resources ? { registeredResources: resources } : {}) });
      } else {
        const i = this.state.containerInstances.get(s.hostId);
        if (i) this.state.containerInstances.put(s.hostId, { ...i, agentConnected: connected });
      }
    });
  }

  private report(s: Session, seq: number, task: Parameters<TaskService['applyReport']>[1]): void {
    const managed = s.managed ? this.state.managedHosts.get(s.hostId) : undefined;
    const instance = s.managed ? undefined : this.state.containerInstances.get(s.hostId);
    const lastSeq = managed?.lastSeq ?? instance?.lastSeq;
    if (lastSeq === undefined) return;
    if (seq > lastSeq) {
      // The task change and the new sequence number commit together: a report is applied once.
      this.state.store.transaction(() => {
        this.tasks.applyReport(s.hostId, task);
        if (managed) this.state.managedHosts.put(s.hostId, { ...managed, lastSeq: seq });
        if (instance) this.state.containerInstances.put(s.hostId, { ...instance, lastSeq: seq });
      });
    }
    send(s.ws, { type: 'ack', seq });
  }

  /**
   * awslogs traffic: only for a task this host holds, filed under the task's account. Batches
   * are applied at most once by id (kept with the host, like report sequence numbers).
   */
  private logTraffic(s: Session, msg: LogsPrepare | LogsBatch): void {
    const answer = (error?: string): void => send(s.ws, { type: 'logs-result', id: msg.id, ...(error ? { error } : {}) });
    if (!this.logs) return answer('CloudWatch Logs is not available on this server');
    // A task that has just stopped still ships its tail: any task of this host, STOPPED or not.
    const task = this.tasks.byArn(msg.taskArn);
    if (!task || task.hostId !== s.hostId) return answer(`task ${msg.taskArn} is not held by this agent`);
    const scope = { accountId: task.accountId, region: msg.region || task.region };
    try {
      if (msg.type === 'logs-prepare') return answer(void this.logs.prepare(scope, msg.group, msg.stream, msg.createGroup));
      const managed = s.managed ? this.state.managedHosts.get(s.hostId) : undefined;
      const instance = s.managed ? undefined : this.state.containerInstances.get(s.hostId);
      const last = managed?.lastLogSeq ?? instance?.lastLogSeq ?? 0;
      if (msg.id > last) {
        this.state.store.transaction(() => {
          this.logs!.put(scope, msg.group, msg.stream, msg.events);
          if (managed) this.state.managedHosts.put(s.hostId, { ...managed, lastLogSeq: msg.id });
          if (instance) this.state.containerInstances.put(s.hostId, { ...instance, lastLogSeq: msg.id });
        });
      }
      answer();
    } catch (err) {
      answer(err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * Secrets and task-role credentials, only for a task this host holds and that is not STOPPED.
   * Values go to the agent and nowhere else: never logged, never stored.
   */
  private taskResource(s: Session, msg: TaskResourceRequest): void {
    const answer = (r: Omit<TaskResourceResult, 'type' | 'id'>): void => send(s.ws, { type: 'task-resource-result', id: msg.id, ...r });
    if (!this.identity) return answer({ error: 'secrets and task roles are not available on this server' });
    const task = this.tasks.activeOn(s.hostId).find((t) => t.taskArn === msg.taskArn);
    if (!task) return answer({ error: `task ${msg.taskArn} is not held by this agent` });
    try {
      if (msg.what === 'secrets') answer({ secrets: this.tasks.secretsOf(task, this.identity) });
      else answer({ credentials: this.tasks.credentialsOf(task, this.identity) });
    } catch (err) {
      answer({ error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Coalesces pushes: many changes in one turn of the event loop make one `desired` message. */
  private schedulePush(hostId: string): void {
    if (this.pending.has(hostId)) return;
    this.pending.add(hostId);
    setImmediate(() => {
      this.pending.delete(hostId);
      this.push(hostId);
    });
  }

  private push(hostId: string): void {
    const s = this.sessions.get(hostId);
    if (s) send(s.ws, { type: 'desired', tasks: this.tasks.desiredFor(hostId) });
  }
}

/** The cluster's ACTIVE capacity provider whose Auto Scaling group is `group`, if any. */
function providerOfGroup(state: EcsState, scope: { accountId: string; region: string }, cluster: ClusterRecord, group: string): string | undefined {
  return providersOf(state, scope).find((p) => p.status === 'ACTIVE' && cluster.capacityProviders.includes(p.name)
    && groupNameOf(p.autoScalingGroupProvider.autoScalingGroupArn ?? '') === group)?.name;
}

function send(ws: WebSocket, msg: ToAgent): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

/** What a hello says of its host, as stored: GPU ids only when there are any (absent: none). */
export function hostResources(r: Hello['resources']): HostResources {
  const out: HostResources = { cpu: r.cpu, memory: r.memory, ports: r.ports, portsUdp: r.portsUdp };
  const gpus = Array.isArray(r.gpus) ? [...new Set(r.gpus.filter((g): g is string => typeof g === 'string' && g !== ''))] : [];
  if (gpus.length) out.gpus = gpus;
  return out;
}
