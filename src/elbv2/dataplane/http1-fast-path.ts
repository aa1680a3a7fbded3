/**
 * The HTTP/1.1 fast path of an HTTP listener (and of an HTTPS one, after TLS): client bytes are
 * parsed just enough to route and rewrite the head (http1-head.ts), the head goes straight onto
 * a pooled raw connection to the target (upstream-pool.ts), and the response is relayed with its
 * own framing, parsing only the status line, the headers and where the body ends
 * (Content-Length, chunked, or close).
 * This file holds the client connection; http1-exchange.ts one request and its response.
 *
 *   client bytes ─▶ request head ── strict HTTP/1.1, forward action? ── no ─▶ hand-off
 *                       │ yes                                                (node:http from here on)
 *                       ▼
 *        pickForward ── none ─▶ 503 ─────────────┐
 *                       ▼                        │
 *        raw keep-alive connection ─▶ head + body ─▶ target
 *        target ─▶ response head (1xx skipped) ─▶ rewritten head + body relayed ─▶ client
 *            refused / reset / ended before a head ─▶ 502 (one retry on a new connection for a
 *            bodyless GET/HEAD/OPTIONS on a reused connection)   silent for the idle timeout ─▶ 504
 *            ended or broken after the head was relayed ─▶ client connection cut
 *
 * Requests on one connection are served one at a time: pipelined ones wait (the socket is
 * paused) until the exchange before them is complete. The hand-off happens at a request
 * boundary, with the bytes read so far pushed back onto the socket, so node:http sees the
 * connection as if it were new; from then on that connection stays with node:http (upgrades,
 * 100-continue, chunked uploads, HTTP/1.0, redirects and fixed responses, malformed input).
 * Metrics, in-flight counts and draining behave exactly as on the general path.
 */
import type { Socket } from 'node:net';
import { Exchange, type ExchangeClient } from './http1-exchange.js';
import { parseRequestHead } from './http1-head.js';
import { pickForward, type HttpRoute } from './http-forward.js';
import { matchRule } from './rules.js';

export interface FastPathHost {
  /** The listener's route now (a config change swaps it between requests). */
  route(): HttpRoute;
  /** Gives the connection to node:http; called with anything already read pushed back onto it. */
  handOff(socket: Socket): void;
}

export function serveHttp1(socket: Socket, host: FastPathHost): void {
  new ClientConnection(socket, host);
}

/** Lower-case header object for rule conditions, built only when the listener has rules. */
function headerObject(raw: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const l = raw[i]!.toLowerCase();
    const prev = out[l];
    out[l] = prev === undefined ? raw[i + 1]! : Array.isArray(prev) ? [...prev, raw[i + 1]!] : [prev, raw[i + 1]!];
  }
  return out;
}

class ClientConnection implements ExchangeClient {
  /** Bytes read from the client and not yet used (a partial head, or pipelined requests). */
  buf: Buffer | undefined;
  ex: Exchange | undefined;
  /** No more requests are taken: the connection ends once the current response is out. */
  closing = false;
  /** The client half-closed: answer what it sent, then end. */
  ended = false;
  private inNext = false;
  readonly sourceIp: string;

  constructor(readonly socket: Socket, readonly host: FastPathHost) {
    this.sourceIp = socket.remoteAddress ?? '';
    socket.setTimeout(host.route().lb.idleTimeoutMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('timeout', this.onTimeout);
  }

  private readonly onData = (chunk: Buffer): void => {
    const ex = this.ex;
    if (ex && ex.bodyRemaining > 0) {
      const n = Math.min(chunk.length, ex.bodyRemaining);
      ex.sendBody(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    if (this.closing) return;
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    if (this.ex) { this.socket.pause(); return; }
    this.next();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    if (!this.ex) this.finishConnection();
  };

  private readonly onError = (): void => { this.socket.destroy(); };

  private readonly onClose = (): void => {
    this.closing = true;
    this.ex?.abort();
  };

  private readonly onTimeout = (): void => {
    // Between requests only: while one is in flight, the target side's idle timeout governs (504).
    if (!this.ex) this.socket.destroy();
  };

  /** Starts the requests waiting in `buf`, one at a time. */
  next(): void {
    if (this.inNext) return;
    this.inNext = true;
    try {
      while (!this.ex && this.buf && !this.closing) {
        const buf = this.buf;
        const head = parseRequestHead(buf);
        if (head === 'incomplete') break;
        if (head === 'general') { this.handOff(); return; }
        const route = this.host.route();
        const action = route.table.rules.length === 0
          ? route.table.defaultAction
          : matchRule({ method: head.method, url: head.target, headers: headerObject(head.raw), sourceIp: this.sourceIp }, route.table);
        if (action.type !== 'forward') { this.handOff(); return; }
        this.buf = head.end < buf.length ? buf.subarray(head.end) : undefined;
        route.counters.RequestCount++;
        const { pool, target } = pickForward(route, action, head.cookie);
        this.ex = new Exchange(this, route, head, pool, target);
        this.ex.start();
      }
      if (!this.ex && this.ended) this.finishConnection();
      else if (!this.closing && this.socket.isPaused() && !this.ex) this.socket.resume();
    } finally {
      this.inNext = false;
    }
  }

  /** The exchange is over; `close` ends the connection instead of taking the next request. */
  done(close: boolean): void {
    this.ex = undefined;
    if (close) { this.closing = true; this.buf = undefined; this.socket.end(); return; }
    if (this.buf) this.next();
    else if (this.ended) this.finishConnection();
    else if (this.socket.isPaused()) this.socket.resume();
  }

  private finishConnection(): void {
    this.closing = true;
    this.socket.end();
  }

  private handOff(): void {
    const s = this.socket;
    s.pause();
    s.removeListener('data', this.onData);
    s.removeListener('end', this.onEnd);
    s.removeListener('error', this.onError);
    s.removeListener('close', this.onClose);
    s.removeListener('timeout', this.onTimeout);
    s.setTimeout(0);
    this.closing = true;
    if (this.buf) s.unshift(this.buf);
    this.buf = undefined;
    this.host.handOff(s);
    s.resume();
  }
}
