/**
 * The NLB path for connections (TCP, TLS and TCP_UDP listeners): each client connection goes to
 * a target picked by the group's algorithm and is spliced byte for byte. On a TLS listener the
 * client socket is the decrypted side of the listener's TLS (tls-listener.ts). To a TLS target
 * group the bytes are encrypted again on a TLS connection of their own, whose certificate is not
 * verified (NLB does not validate target certificates); to any other group they go as plain TCP.
 *
 * No target → the connection is reset (NLB's TCP_ELB_Reset); the target refusing or resetting →
 * the client is reset too. A connection counts as in flight on its target, so draining waits for
 * open flows up to the delay.
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket, type ConnectionOptions } from 'node:tls';
import { flowBytes, flowClosed, flowOpened, type FlowCounters, type FlowKind } from './metrics.js';
import type { TargetEntry, TargetGroupPool } from './target-pool.js';

export interface TcpRoute {
  pool: TargetGroupPool | undefined;
  counters: FlowCounters;
  /** NLB's TCP idle timeout (350 s; fixed for TLS listeners). */
  idleTimeoutMs: number;
  /** The listener's transport, for the per-protocol metrics: TCP (TCP and TCP_UDP listeners) or TLS. */
  kind: Exclude<FlowKind, 'UDP'>;
}

/** A reset where the socket has one (TCP); a TLS socket's handle cannot reset, so it is destroyed. */
function reset(s: Socket): void {
  if (s instanceof TLSSocket) s.destroy();
  else s.resetAndDestroy();
}

function dial(pool: TargetGroupPool, t: TargetEntry, client: Socket): Socket {
  if (pool.settings.protocol !== 'TLS') return connect({ host: t.ip, port: t.port, noDelay: true, allowHalfOpen: true });
  // The protocol the client chose by ALPN is offered to the target, so h2 stays h2 end to end.
  const alpn = client instanceof TLSSocket && typeof client.alpnProtocol === 'string' ? [client.alpnProtocol] : undefined;
  // allowHalfOpen is passed on to the TLSSocket by tls.connect, though its options type omits it.
  const opts: ConnectionOptions & { allowHalfOpen: boolean } = {
    host: t.ip, port: t.port, allowHalfOpen: true, rejectUnauthorized: false, ...(alpn ? { ALPNProtocols: alpn } : {}),
  };
  const s = tlsConnect(opts);
  s.setNoDelay(true);
  return s;
}

export function handleTcp(route: TcpRoute, client: Socket): void {
  const { pool, counters, kind } = route;
  const t = pool?.pick();
  if (!pool || !t) {
    counters.NewFlowCount++; counters[`NewFlowCount_${kind}`]++;
    counters.TCP_ELB_Reset_Count++;
    reset(client);
    return;
  }
  pool.acquire(t);
  const all = [counters, pool.flows, t.flows];
  for (const c of all) flowOpened(c, kind);
  const upstream = dial(pool, t, client);
  // A TLS target that accepts the connection but fails the handshake is a negotiation error.
  let negotiating = false;
  if (upstream instanceof TLSSocket) {
    upstream.once('connect', () => { negotiating = true; });
    upstream.once('secureConnect', () => { negotiating = false; });
  }
  t.sockets.add(upstream);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    const bytes = client.bytesRead + client.bytesWritten;
    for (const c of all) { flowClosed(c, kind); flowBytes(c, kind, bytes); }
    t.sockets.delete(upstream);
    pool.release(t);
  };
  client.setNoDelay(true);
  client.setTimeout(route.idleTimeoutMs, () => { client.destroy(); upstream.destroy(); });
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => {
    if (negotiating) for (const c of all) c.TargetTLSNegotiationErrorCount++;
    for (const c of all) c.TCP_Target_Reset_Count++;
    if (!client.destroyed) reset(client);
  });
  client.once('close', () => { upstream.destroy(); finish(); });
  upstream.once('close', (hadError) => { if (hadError) client.destroy(); else client.end(); finish(); });
  client.pipe(upstream);
  upstream.pipe(client);
}
