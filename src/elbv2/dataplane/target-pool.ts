/**
 * One target group at run time: its targets with their health, requests in flight and keep-alive
 * agent, the health-check loop feeding the pure state machine, and draining. The pool is the
 * one owner of its targets' health: nothing else assigns `entry.health`.
 */
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isFlowProtocol, targetKey, type TargetConfig, type TargetGroupSettings } from './config.js';
import { FlowCounters, HttpCounters } from './metrics.js';
import type { Clock, HealthProbe } from './ports.js';
import { pickTarget, type Candidate, type PickContext } from './selection.js';
import { UpstreamPool } from './upstream-pool.js';
import { isRegistered, nextHealth, REMOVED, type HealthEvent, type ProbeResult, type TargetHealth, type TargetState } from './target-health.js';

export interface TargetEntry extends Candidate {
  readonly key: string;
  readonly ip: string;
  readonly port: number;
  /** Keep-alive connections to this target for the general (node:http) path (HTTP and HTTPS groups). */
  readonly agent: HttpAgent | undefined;
  /** Keep-alive raw connections to this target for the HTTP/1.1 fast path (HTTP and HTTPS groups). */
  readonly upstream: UpstreamPool | undefined;
  readonly http: HttpCounters;
  readonly flows: FlowCounters;
  /** Upgraded and TCP connections and UDP flows, cut when draining ends. */
  readonly sockets: Set<{ destroy(): void }>;
  probing: boolean;
  drainTimer: NodeJS.Timeout | undefined;
}

/** DescribeTargetHealth's TargetHealthDescription. */
export interface TargetHealthDescription {
  target: { id: string; port: number };
  healthCheckPort: string;
  targetHealth: { state: TargetState; reason?: string; description?: string };
}

export interface PoolDeps { clock: Clock; random: () => number; probe: HealthProbe }

const AGENT_OPTIONS: AgentOptions & { noDelay: boolean } = {
  keepAlive: true, keepAliveMsecs: 1000, maxSockets: Infinity, maxFreeSockets: 1024, scheduling: 'lifo', noDelay: true,
};

export class TargetGroupPool {
  readonly entries: TargetEntry[] = [];
  readonly http = new HttpCounters();
  readonly flows = new FlowCounters();
  private readonly byKey = new Map<string, TargetEntry>();
  private readonly ctx: PickContext;
  private inUse = false;
  private timer: NodeJS.Timeout | undefined;
  private timerInterval = 0;
  private closed = false;

  constructor(public settings: TargetGroupSettings, private readonly deps: PoolDeps) {
    this.ctx = { algorithm: settings.algorithm, cursor: { next: 0 }, now: 0, random: deps.random, slowStartMs: settings.slowStartMs };
  }

  /** Reconciles targets with the config: new ones register, missing ones drain. Idempotent. */
  update(settings: TargetGroupSettings, targets: readonly TargetConfig[], inUse: boolean): void {
    this.settings = settings;
    this.ctx.algorithm = settings.algorithm;
    this.ctx.slowStartMs = settings.slowStartMs;
    const wanted = new Map(targets.map((t) => [targetKey(t, settings.port), t]));
    for (const e of [...this.entries]) if (!wanted.has(e.key)) this.deregister(e);
    for (const [key, t] of wanted) {
      const e = this.byKey.get(key);
      if (!e) this.register(key, t.id, t.port ?? settings.port, inUse);
      else if (e.health.state === 'draining') {
        clearTimeout(e.drainTimer);
        e.drainTimer = undefined;
        this.transition(e, { kind: 'registered' });
      }
    }
    if (inUse !== this.inUse) {
      this.inUse = inUse;
      for (const e of this.entries) this.transition(e, { kind: inUse ? 'in-use' : 'not-in-use' });
    }
    this.schedule();
  }

  /** The target for a new request (see selection.ts), or undefined: 503. */
  pick(): TargetEntry | undefined {
    if (this.ctx.slowStartMs > 0) this.ctx.now = this.deps.clock.now();
    return pickTarget(this.entries, this.ctx);
  }

  /** A sticky target if it may still take the request (healthy, or fail-open), else undefined. */
  sticky(key: string): TargetEntry | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    if (e.health.state === 'healthy') return e;
    return isRegistered(e.health) && !this.entries.some((x) => x.health.state === 'healthy') ? e : undefined;
  }

  acquire(e: TargetEntry): void { e.inflight++; }

  /** A request or connection to `e` is over; a draining target with nothing left goes away. */
  release(e: TargetEntry): void {
    e.inflight--;
    if (e.inflight <= 0 && e.health.state === 'draining') this.remove(e);
  }

  describe(only?: readonly TargetConfig[]): TargetHealthDescription[] {
    const hcPort = (port: number): string => String(this.settings.healthCheck.port === 'traffic-port' ? port : this.settings.healthCheck.port);
    const view = (ip: string, port: number, h: TargetHealth): TargetHealthDescription => ({
      target: { id: ip, port },
      healthCheckPort: hcPort(port),
      targetHealth: { state: h.state, ...(h.reason ? { reason: h.reason } : {}), ...(h.description ? { description: h.description } : {}) },
    });
    if (!only) return this.entries.map((e) => view(e.ip, e.port, e.health));
    return only.map((t) => {
      const port = t.port ?? this.settings.port;
      const e = this.byKey.get(targetKey(t, this.settings.port));
      return view(t.id, port, e ? e.health : REMOVED);
    });
  }

  healthyCount(): number { return this.entries.filter((e) => e.health.state === 'healthy').length; }
  unhealthyCount(): number { return this.entries.filter((e) => e.health.state === 'unhealthy').length; }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const e of [...this.entries]) this.remove(e);
  }

  private register(key: string, ip: string, port: number, inUse: boolean): void {
    const http = !isFlowProtocol(this.settings.protocol);
    const https = this.settings.protocol === 'HTTPS';
    const e: TargetEntry = {
      key, ip, port, health: REMOVED, inflight: 0,
      agent: !http ? undefined : https ? new HttpsAgent({ ...AGENT_OPTIONS, rejectUnauthorized: false }) : new HttpAgent(AGENT_OPTIONS),
      upstream: !http ? undefined : new UpstreamPool(ip, port, https),
      http: new HttpCounters(), flows: new FlowCounters(), sockets: new Set(), probing: false, drainTimer: undefined,
    };
    this.entries.push(e);
    this.byKey.set(key, e);
    this.transition(e, { kind: 'registered' });
    if (!inUse) this.transition(e, { kind: 'not-in-use' });
    else this.check(e);
  }

  private deregister(e: TargetEntry): void {
    if (e.health.state === 'draining') return;
    this.transition(e, { kind: 'deregistered', delayMs: this.settings.deregistrationDelayMs });
    // With nothing in flight, deregistration completes at once, as AWS documents.
    if (e.inflight <= 0) { this.remove(e); return; }
    e.drainTimer = setTimeout(() => this.remove(e), this.settings.deregistrationDelayMs);
    e.drainTimer.unref();
  }

  private remove(e: TargetEntry): void {
    clearTimeout(e.drainTimer);
    const i = this.entries.indexOf(e);
    if (i >= 0) this.entries.splice(i, 1);
    if (this.byKey.get(e.key) === e) this.byKey.delete(e.key);
    e.health = REMOVED;
    e.agent?.destroy();
    e.upstream?.destroy();
    for (const s of e.sockets) s.destroy();
    e.sockets.clear();
  }

  private transition(e: TargetEntry, ev: HealthEvent): void {
    e.health = nextHealth(e.health, ev, this.settings.healthCheck, this.deps.clock.now());
  }

  private schedule(): void {
    const interval = this.settings.healthCheck.intervalMs;
    if (this.closed || !this.inUse) { clearInterval(this.timer); this.timer = undefined; return; }
    if (this.timer && this.timerInterval === interval) return;
    clearInterval(this.timer);
    this.timerInterval = interval;
    this.timer = setInterval(() => { for (const e of this.entries) this.check(e); }, interval);
    this.timer.unref();
  }

  private check(e: TargetEntry): void {
    if (e.probing || !isRegistered(e.health) || this.closed) return;
    e.probing = true;
    const hc = this.settings.healthCheck;
    const port = hc.port === 'traffic-port' ? e.port : hc.port;
    void this.deps.probe.probe(e.ip, port, hc).catch((): ProbeResult => ({ ok: false, reason: 'Elb.InternalError' })).then((result) => {
      e.probing = false;
      if (this.byKey.get(e.key) === e) this.transition(e, { kind: 'check', result });
    });
  }
}
