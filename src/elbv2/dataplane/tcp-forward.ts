/**
 * The NLB path for a TCP listener: each client connection goes to a target picked by the
 * group's algorithm and is spliced byte for byte. No target → the connection is reset (NLB's
 * TCP_ELB_Reset); the target refusing or resetting → the client is reset too. A connection
 * counts as in flight on its target, so draining waits for open flows up to the delay.
 */
import { connect, type Socket } from 'node:net';
import type { FlowCounters } from './metrics.js';
import type { TargetGroupPool } from './target-pool.js';

export interface TcpRoute {
  pool: TargetGroupPool | undefined;
  counters: FlowCounters;
  /** NLB's TCP idle timeout: 350 s. */
  idleTimeoutMs: number;
}

export function handleTcp(route: TcpRoute, client: Socket): void {
  const { pool, counters } = route;
  counters.NewFlowCount++;
  const t = pool?.pick();
  if (!pool || !t) { counters.TCP_ELB_Reset_Count++; client.resetAndDestroy(); return; }
  pool.acquire(t);
  counters.ActiveFlowCount++;
  pool.flows.NewFlowCount++; pool.flows.ActiveFlowCount++;
  t.flows.NewFlowCount++; t.flows.ActiveFlowCount++;
  const upstream = connect({ host: t.ip, port: t.port, noDelay: true, allowHalfOpen: true });
  t.sockets.add(upstream);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    const bytes = client.bytesRead + client.bytesWritten;
    counters.ActiveFlowCount--; counters.ProcessedBytes += bytes;
    pool.flows.ActiveFlowCount--; pool.flows.ProcessedBytes += bytes;
    t.flows.ActiveFlowCount--; t.flows.ProcessedBytes += bytes;
    t.sockets.delete(upstream);
    pool.release(t);
  };
  client.setNoDelay(true);
  client.setTimeout(route.idleTimeoutMs, () => { client.destroy(); upstream.destroy(); });
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => {
    counters.TCP_Target_Reset_Count++; pool.flows.TCP_Target_Reset_Count++; t.flows.TCP_Target_Reset_Count++;
    if (!client.destroyed) client.resetAndDestroy();
  });
  client.once('close', () => { upstream.destroy(); finish(); });
  upstream.once('close', (hadError) => { if (hadError) client.destroy(); else client.end(); finish(); });
  client.pipe(upstream);
  upstream.pipe(client);
}
