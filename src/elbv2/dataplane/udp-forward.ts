/**
 * The NLB path for UDP (UDP and TCP_UDP listeners): one node:dgram socket on the listener port.
 * Each client address:port is a flow (udp-flow-table.ts): its first datagram picks a target with
 * the group's algorithm, and every datagram of the flow goes there through a socket of the
 * flow's own, whose source port tells the target's answers apart; answers go back to the client
 * from the listener socket. A flow idle for NLB's UDP idle timeout (120 s) is closed.
 *
 * No eligible target → the datagram is dropped (UDP has nothing like a reset). A flow counts as
 * in flight on its target, so a draining target takes no new flows while the ones it has go on
 * until the deregistration delay ends, when the pool closes them.
 */
import { createSocket, type RemoteInfo, type Socket as DgramSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { flowBytes, flowClosed, flowOpened, type FlowCounters } from './metrics.js';
import type { Clock } from './ports.js';
import type { TargetEntry, TargetGroupPool } from './target-pool.js';
import { FlowTable } from './udp-flow-table.js';

export interface UdpRoute {
  pool: TargetGroupPool | undefined;
  counters: FlowCounters;
}

export interface UdpRelayOptions {
  host: string;
  port: number;
  /** NLB's UDP idle timeout: 120 s. */
  idleMs: number;
  /** The flow table's bound (each flow holds a socket, so a file descriptor). */
  maxFlows: number;
  clock: Clock;
}

interface Flow {
  readonly key: string;
  readonly client: RemoteInfo;
  readonly pool: TargetGroupPool;
  readonly target: TargetEntry;
  readonly counters: FlowCounters;
  readonly socket: DgramSocket;
  closed: boolean;
  /** Called by the pool when the target is removed (the end of draining). */
  destroy(): void;
}

const socketType = (address: string): 'udp4' | 'udp6' => (isIP(address) === 6 ? 'udp6' : 'udp4');

export class UdpRelay {
  private readonly table: FlowTable<Flow>;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly socket: DgramSocket,
    readonly port: number,
    private route: UdpRoute,
    private readonly opts: UdpRelayOptions,
  ) {
    this.table = new FlowTable<Flow>({ idleMs: opts.idleMs, maxFlows: opts.maxFlows });
    // Flows live between idleMs and idleMs plus one sweep; touch() catches the ones in between.
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(5000, opts.idleMs / 4)));
    this.sweeper.unref();
    socket.on('message', (msg, from) => this.fromClient(msg, from));
  }

  /** Binds the listener socket; rejects with the bind error (EADDRINUSE carries `port`). */
  static async bind(opts: UdpRelayOptions, route: UdpRoute): Promise<UdpRelay> {
    const socket = createSocket({ type: socketType(opts.host) });
    await new Promise<void>((ok, fail) => {
      socket.once('error', fail);
      socket.bind(opts.port, opts.host, () => { socket.off('error', fail); ok(); });
    });
    // A send to a client that went away reports here; the flow simply idles out.
    socket.on('error', () => undefined);
    return new UdpRelay(socket, socket.address().port, route, opts);
  }

  setRoute(route: UdpRoute): void { this.route = route; }

  get flowCount(): number { return this.table.size; }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const f of this.table.clear()) this.closeFlow(f);
    await new Promise<void>((ok) => this.socket.close(() => ok()));
  }

  private sweep(): void {
    for (const f of this.table.expire(this.opts.clock.now())) this.closeFlow(f);
  }

  private fromClient(msg: Buffer, from: RemoteInfo): void {
    const now = this.opts.clock.now();
    const key = `${from.address}|${from.port}`;
    const found = this.table.touch(key, now);
    if (found?.expired) this.closeFlow(found.flow);
    const flow = found && !found.expired ? found.flow : this.open(key, from, now);
    if (!flow) return;
    flow.socket.send(msg, flow.target.port, flow.target.ip);
    this.count(flow, msg.length);
  }

  private open(key: string, client: RemoteInfo, now: number): Flow | undefined {
    const { pool, counters } = this.route;
    const target = pool?.pick();
    if (!pool || !target) return undefined;
    if (this.table.full) this.sweep();
    if (this.table.full) { counters.RejectedFlowCount++; return undefined; }
    const socket = createSocket({ type: socketType(target.ip) });
    const flow: Flow = {
      key, client, pool, target, counters, socket, closed: false,
      destroy: () => this.closeFlow(flow),
    };
    socket.on('message', (reply, from) => this.fromTarget(flow, reply, from));
    socket.on('error', () => this.closeFlow(flow));
    this.table.add(key, flow, now);
    pool.acquire(target);
    target.sockets.add(flow);
    for (const c of [counters, pool.flows, target.flows]) flowOpened(c, 'UDP');
    return flow;
  }

  private fromTarget(flow: Flow, reply: Buffer, from: RemoteInfo): void {
    // The flow socket is not connected: only the target's own answers count.
    if (flow.closed || from.port !== flow.target.port || from.address !== flow.target.ip) return;
    const seen = this.table.touch(flow.key, this.opts.clock.now());
    if (seen?.expired) { this.closeFlow(flow); return; }
    this.socket.send(reply, flow.client.port, flow.client.address);
    this.count(flow, reply.length);
  }

  private count(flow: Flow, bytes: number): void {
    for (const c of [flow.counters, flow.pool.flows, flow.target.flows]) flowBytes(c, 'UDP', bytes);
  }

  private closeFlow(flow: Flow): void {
    if (flow.closed) return;
    flow.closed = true;
    this.table.delete(flow.key, flow);
    flow.socket.close();
    flow.target.sockets.delete(flow);
    for (const c of [flow.counters, flow.pool.flows, flow.target.flows]) flowClosed(c, 'UDP');
    flow.pool.release(flow.target);
  }
}
