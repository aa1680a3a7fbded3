/**
 * Keep-alive connections from the load balancer to one target, as raw sockets for the HTTP/1.1
 * fast path (http1-fast-path.ts). No http.Agent and no per-request listeners: each connection
 * has its listeners once, for life, and reports to whichever exchange holds it at the moment.
 *
 * Contract:
 * - `acquire` hands out an idle connection (the most recently used first, so idle ones age out)
 *   or a new one; the holder writes the request and gets `onUpstreamData` for every chunk.
 * - The holder gives it back with `release` only after a complete response on a connection the
 *   target keeps open, or throws it away with `discard`.
 * - A connection that ends, fails or stays silent for the idle timeout is gone: its holder, if
 *   any, hears `onUpstreamGone` exactly once; an idle one just leaves the pool.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface UpstreamOwner {
  onUpstreamData(chunk: Buffer): void;
  /** `err` is undefined for a clean end of stream (the target closed); `timedOut` for idle timeout. */
  onUpstreamGone(err: NodeJS.ErrnoException | undefined, timedOut: boolean): void;
}

/** More idle connections than this per target are closed instead of kept. */
const MAX_IDLE = 1024;

export class UpstreamConnection {
  owner: UpstreamOwner | undefined;
  /** It carried a complete exchange before: a failure before any answer may be a keep-alive race. */
  reused = false;
  private gone = false;
  private timeoutMs = 0;

  constructor(readonly socket: Socket, private readonly pool: UpstreamPool) {
    socket.on('data', (c: Buffer) => {
      if (this.owner) this.owner.onUpstreamData(c);
      else this.lost(undefined, false); // bytes nobody asked for: the connection cannot be trusted
    });
    socket.on('end', () => this.lost(undefined, false));
    socket.on('close', () => this.lost(undefined, false));
    socket.on('error', (e: NodeJS.ErrnoException) => this.lost(e, false));
    socket.on('timeout', () => this.lost(undefined, true));
  }

  /** Idle timeout while waiting for the target or lying in the pool (timers are only touched on change). */
  setIdleTimeout(ms: number): void {
    if (ms === this.timeoutMs) return;
    this.timeoutMs = ms;
    this.socket.setTimeout(ms);
  }

  destroy(): void {
    this.owner = undefined;
    this.lost(undefined, false);
  }

  private lost(err: NodeJS.ErrnoException | undefined, timedOut: boolean): void {
    if (this.gone) return;
    this.gone = true;
    this.pool.forget(this);
    this.socket.destroy();
    const o = this.owner;
    this.owner = undefined;
    o?.onUpstreamGone(err, timedOut);
  }
}

export class UpstreamPool {
  private readonly idle: UpstreamConnection[] = [];
  private readonly all = new Set<UpstreamConnection>();
  private closed = false;

  constructor(private readonly ip: string, private readonly port: number, private readonly tls: boolean) {}

  /** An idle connection or, with `fresh` or none idle, a new one (writes queue until it connects). */
  acquire(owner: UpstreamOwner, idleTimeoutMs: number, fresh = false): UpstreamConnection {
    let c = fresh ? undefined : this.idle.pop();
    if (!c) {
      c = new UpstreamConnection(this.connect(), this);
      this.all.add(c);
      if (this.closed) c.socket.destroy();
    }
    c.owner = owner;
    c.setIdleTimeout(idleTimeoutMs);
    return c;
  }

  release(c: UpstreamConnection): void {
    c.owner = undefined;
    c.reused = true;
    if (this.closed || this.idle.length >= MAX_IDLE || !this.all.has(c)) { c.destroy(); return; }
    this.idle.push(c);
  }

  discard(c: UpstreamConnection): void {
    c.destroy();
  }

  /** Called by a connection that is gone. */
  forget(c: UpstreamConnection): void {
    this.all.delete(c);
    const i = this.idle.lastIndexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** Cuts every connection, busy or idle (the target left the group). */
  destroy(): void {
    this.closed = true;
    for (const c of [...this.all]) c.socket.destroy();
  }

  private connect(): Socket {
    if (this.tls) {
      // Targets present whatever certificate they have; ALB does not verify them either.
      return tlsConnect({ host: this.ip, port: this.port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    }
    return netConnect({ host: this.ip, port: this.port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000 });
  }
}
