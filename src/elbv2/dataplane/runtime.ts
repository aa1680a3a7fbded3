/**
 * LoadBalancerRuntime: applies a DataPlaneConfig to real sockets. `apply` is idempotent and
 * serialised: target groups are reconciled first (new targets register, missing ones drain),
 * then listeners — one whose bind parameters are unchanged keeps its socket and only swaps its
 * routing, others are rebound, and listeners no longer in the config close.
 */
import { readFile } from 'node:fs/promises';
import {
  isFlowProtocol, resolveListener, resolveLoadBalancer, resolveTargetGroup,
  type Action, type CertificateSource, type DataPlaneConfig, type ListenerConfig, type ListenerProtocol, type LoadBalancerConfig, type TargetConfig,
} from './config.js';
import { BoundListener, type ListenerRoute } from './listener.js';
import { tlsHeaderNames } from './headers.js';
import { FlowCounters, HttpCounters, type DataPlaneMetrics, type TargetGroupMetrics } from './metrics.js';
import { nodeHealthProbe } from './health-probe.js';
import { systemClock, type CertificateIssuer, type Clock, type HealthProbe, type KeyPairPem } from './ports.js';
import { responseHeaderPlan } from './response-headers.js';
import { compileRules } from './rules.js';
import { selfSignedIssuer } from './self-signed.js';
import { SniContexts } from './sni.js';
import { tlsVersions } from './tls-policy.js';
import { TargetGroupPool, type TargetHealthDescription } from './target-pool.js';

export interface RuntimeOptions {
  /** Default bind address for load balancers that name none: 127.0.0.1. */
  host?: string;
  clock?: Clock;
  /** Uniform in [0, 1): weighted forwarding and slow start. */
  random?: () => number;
  probe?: HealthProbe;
  certificates?: CertificateIssuer;
  /** NLB's UDP idle timeout, 120 s; tests shorten it. */
  udpIdleTimeoutMs?: number;
  /** The bound of each UDP listener's flow table (each flow holds a socket): 10,000. */
  udpMaxFlows?: number;
}

export interface ListenerAddress {
  loadBalancerId: string;
  listenerId: string;
  protocol: ListenerProtocol;
  host: string;
  /** The bound port (the real one when the config asked for 0). */
  port: number;
}

/**
 * NLB's idle timeouts: TLS listeners' connections (fixed; TCP listeners take theirs from the
 * `tcp.idle_timeout.seconds` attribute, whose default is the same 350 s) and UDP flows.
 */
const NLB_TLS_IDLE_MS = 350_000;
const NLB_UDP_IDLE_MS = 120_000;
const UDP_MAX_FLOWS = 10_000;

function forwardedGroups(actions: readonly Action[], into: Set<string>): void {
  for (const a of actions) if (a.type === 'forward') for (const g of a.targetGroups) into.add(g.targetGroupId);
}

export class LoadBalancerRuntime {
  private readonly pools = new Map<string, TargetGroupPool>();
  private readonly bound = new Map<string, { lbId: string; listenerId: string; protocol: ListenerProtocol; listener: BoundListener }>();
  /** Per bound listener with extra certificates: its SNI table and what it was built from. */
  private readonly sni = new Map<string, { signature: string; table: SniContexts | undefined }>();
  private readonly lbCounters = new Map<string, HttpCounters | FlowCounters>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly probe: HealthProbe;
  private readonly certificates: CertificateIssuer;
  private readonly host: string;
  private readonly udp: { idleMs: number; maxFlows: number; clock: Clock };
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(opts: RuntimeOptions = {}) {
    this.host = opts.host ?? '127.0.0.1';
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.probe = opts.probe ?? nodeHealthProbe;
    this.certificates = opts.certificates ?? selfSignedIssuer();
    this.udp = { idleMs: opts.udpIdleTimeoutMs ?? NLB_UDP_IDLE_MS, maxFlows: opts.udpMaxFlows ?? UDP_MAX_FLOWS, clock: this.clock };
  }

  /** Makes the running data plane match `config`. Calls are queued; each resolves once bound. */
  apply(config: DataPlaneConfig): Promise<void> {
    const run = this.chain.then(() => this.reconcile(config));
    this.chain = run.catch(() => undefined);
    return run;
  }

  listeners(): ListenerAddress[] {
    return [...this.bound.values()].map((b) => ({ loadBalancerId: b.lbId, listenerId: b.listenerId, protocol: b.protocol, host: b.listener.host, port: b.listener.port }));
  }

  /** The bound address of a listener, by its id. */
  address(listenerId: string): ListenerAddress | undefined {
    return this.listeners().find((l) => l.listenerId === listenerId);
  }

  /** DescribeTargetHealth: every registered (and draining) target, or the ones asked about. */
  describeTargetHealth(targetGroupId: string, targets?: readonly TargetConfig[]): TargetHealthDescription[] {
    const pool = this.pools.get(targetGroupId);
    if (!pool) return [];
    return pool.describe(targets);
  }

  metrics(): DataPlaneMetrics {
    const loadBalancers: DataPlaneMetrics['loadBalancers'] = {};
    for (const [id, c] of this.lbCounters) loadBalancers[id] = { ...c } as HttpCounters | FlowCounters;
    const targetGroups: Record<string, TargetGroupMetrics> = {};
    for (const [id, pool] of this.pools) {
      const tcp = isFlowProtocol(pool.settings.protocol);
      const targets: TargetGroupMetrics['targets'] = {};
      for (const e of pool.entries) targets[e.key] = { ...(tcp ? e.flows : e.http) } as HttpCounters | FlowCounters;
      targetGroups[id] = {
        counters: { ...(tcp ? pool.flows : pool.http) } as HttpCounters | FlowCounters,
        HealthyHostCount: pool.healthyCount(),
        UnHealthyHostCount: pool.unhealthyCount(),
        targets,
      };
    }
    return { loadBalancers, targetGroups };
  }

  /** Closes every listener and connection and stops health checks. The runtime is done after. */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    await Promise.all([...this.bound.values()].map((b) => b.listener.close()));
    this.bound.clear();
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
  }

  private async reconcile(config: DataPlaneConfig): Promise<void> {
    if (this.closed) throw new Error('the load balancer runtime is closed');
    const inUse = new Set<string>();
    for (const lb of config.loadBalancers) {
      for (const l of lb.listeners) {
        forwardedGroups(l.defaultActions, inUse);
        for (const r of l.rules ?? []) forwardedGroups(r.actions, inUse);
      }
    }
    const wantedGroups = new Set(config.targetGroups.map((g) => g.id));
    for (const [id, pool] of this.pools) if (!wantedGroups.has(id)) { pool.close(); this.pools.delete(id); }
    for (const tg of config.targetGroups) {
      const settings = resolveTargetGroup(tg);
      let pool = this.pools.get(tg.id);
      if (!pool) { pool = new TargetGroupPool(settings, { clock: this.clock, random: this.random, probe: this.probe }); this.pools.set(tg.id, pool); }
      pool.update(settings, tg.targets, inUse.has(tg.id));
    }

    const wanted = new Set<string>();
    for (const lb of config.loadBalancers) {
      if (!this.lbCounters.has(lb.id)) this.lbCounters.set(lb.id, lb.type === 'network' ? new FlowCounters() : new HttpCounters());
      for (const l of lb.listeners) {
        const key = `${lb.id}\u0000${l.id}`;
        wanted.add(key);
        await this.applyListener(key, lb, l);
      }
    }
    for (const [key, b] of this.bound) if (!wanted.has(key)) { this.bound.delete(key); this.sni.delete(key); await b.listener.close(); }
    for (const id of [...this.lbCounters.keys()]) if (!config.loadBalancers.some((lb) => lb.id === id)) this.lbCounters.delete(id);
  }

  private async applyListener(key: string, lb: LoadBalancerConfig, l: ListenerConfig): Promise<void> {
    const lbSettings = resolveLoadBalancer(lb);
    const host = lb.host ?? this.host;
    const signature = JSON.stringify([
      host, l.port, l.protocol, lb.type, l.certificate ?? null, l.sslPolicy ?? null, l.alpnPolicy ?? null, lbSettings.http2, lbSettings.idleTimeoutMs,
    ]);
    const counters = this.lbCounters.get(lb.id)!;
    const existing = this.bound.get(key);
    const sni = await this.sniFor(key, l, host);
    // Listener attributes live in the route, outside the signature: changing them swaps the route, never rebinds.
    const settings = resolveListener(l);
    const routeOf = (port: number): ListenerRoute => {
      if (isFlowProtocol(l.protocol)) {
        const fwd = l.defaultActions.find((a) => a.type === 'forward');
        const id = fwd?.type === 'forward' ? fwd.targetGroups[0]?.targetGroupId : undefined;
        const pool = id === undefined ? undefined : this.pools.get(id);
        const flows = counters instanceof FlowCounters ? counters : new FlowCounters();
        return {
          ...(l.protocol !== 'UDP' ? {
            tcp: {
              pool, counters: flows, idleTimeoutMs: l.protocol === 'TLS' ? NLB_TLS_IDLE_MS : settings.tcpIdleTimeoutMs, kind: l.protocol === 'TLS' ? 'TLS' as const : 'TCP' as const,
            },
          } : {}),
          ...(l.protocol === 'UDP' || l.protocol === 'TCP_UDP' ? { udp: { pool, counters: flows } } : {}),
        };
      }
      const http = counters instanceof HttpCounters ? counters : new HttpCounters();
      return {
        http: {
          proto: l.protocol === 'HTTPS' ? 'https' : 'http', port: String(port), lb: lbSettings,
          table: compileRules(l.rules, l.defaultActions), counters: http, pools: this.pools, random: this.random,
          headers: responseHeaderPlan(l.attributes),
          ...(l.protocol === 'HTTPS' && lbSettings.tlsHeaders ? { tls: tlsHeaderNames(settings.tlsHeaderNames.version, settings.tlsHeaderNames.cipherSuite) } : {}),
        },
      };
    };
    const routeFor = (port: number): ListenerRoute => (sni ? { ...routeOf(port), sni } : routeOf(port));
    if (existing && existing.listener.signature === signature) {
      existing.listener.setRoute(routeFor(existing.listener.port));
      return;
    }
    if (existing) { this.bound.delete(key); await existing.listener.close(); }
    const tls = l.protocol === 'HTTPS' || l.protocol === 'TLS' ? await this.certificate(l.certificate, host) : undefined;
    // The route needs the bound port (X-Forwarded-Port, redirects); with port 0 it is known after bind.
    const listener = await BoundListener.bind(
      {
        host, port: l.port, protocol: l.protocol, tls, http2: lbSettings.http2, idleTimeoutMs: lbSettings.idleTimeoutMs, udp: this.udp,
        ...(l.sslPolicy !== undefined ? { sslPolicy: l.sslPolicy } : {}), ...(l.alpnPolicy !== undefined ? { alpnPolicy: l.alpnPolicy } : {}),
      },
      signature, routeFor(l.port),
    );
    listener.setRoute(routeFor(listener.port));
    this.bound.set(key, { lbId: lb.id, listenerId: l.id, protocol: l.protocol, listener });
  }

  /**
   * The SNI table of an HTTPS or TLS listener with certificates beside its default one, built
   * again only when its certificates (or, for TLS, its policy) change. Undefined: the default
   * certificate alone, also when a certificate does not load (its key does not match).
   */
  private async sniFor(key: string, l: ListenerConfig, host: string): Promise<SniContexts | undefined> {
    if ((l.protocol !== 'HTTPS' && l.protocol !== 'TLS') || !l.sniCertificates?.length) { this.sni.delete(key); return undefined; }
    const signature = JSON.stringify([l.certificate ?? null, l.sniCertificates, l.protocol === 'TLS' ? l.sslPolicy ?? null : null]);
    const cached = this.sni.get(key);
    if (cached?.signature === signature) return cached.table;
    let table: SniContexts | undefined;
    try {
      const pairs = await Promise.all([this.certificate(l.certificate, host), ...l.sniCertificates.map((c) => this.certificate(c, host))]);
      table = new SniContexts(pairs, l.protocol === 'TLS' ? tlsVersions(l.sslPolicy) : {});
    } catch {
      table = undefined;
    }
    this.sni.set(key, { signature, table });
    return table;
  }

  private async certificate(src: CertificateSource | undefined, host: string): Promise<KeyPairPem> {
    if (!src) return this.certificates.issue([...new Set(['localhost', host])]);
    if ('certPem' in src) return src;
    const [certPem, keyPem] = await Promise.all([readFile(src.certFile, 'utf8'), readFile(src.keyFile, 'utf8')]);
    return { certPem, keyPem };
  }
}
