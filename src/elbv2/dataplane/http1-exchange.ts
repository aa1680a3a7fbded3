/**
 * One exchange of the HTTP/1.1 fast path (see http1-fast-path.ts): the request head and body
 * written to a pooled target connection, the response relayed with its own framing, and every
 * failure turned into what ALB answers. It holds the upstream connection from acquire until the
 * response is complete, then gives it back (or throws it away when the target is out of step).
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ChunkedScanner } from './chunked-scanner.js';
import { ELB_SERVER, errorPage } from './error-pages.js';
import { requestHeaders, tlsRequestHeaders } from './headers.js';
import { parseResponseHead, responseFraming, type BodyFraming, type RequestHead, type ResponseHead } from './http1-head.js';
import { stickyCookie, type HttpRoute } from './http-forward.js';
import { replaces } from './response-headers.js';
import { plainIp } from './rules.js';
import type { TargetEntry, TargetGroupPool } from './target-pool.js';
import { newTraceId } from './trace-id.js';
import type { UpstreamConnection, UpstreamOwner } from './upstream-pool.js';

/** What an exchange needs from its client connection. */
export interface ExchangeClient {
  readonly socket: Socket;
  readonly sourceIp: string;
  /** Bytes read and not yet used: the exchange takes its body's first bytes from here. */
  buf: Buffer | undefined;
  /** The exchange is complete; `close`: end the connection instead of reading the next request. */
  done(close: boolean): void;
}

const ELB_SERVER_LINE = `Server: ${ELB_SERVER}\r\n`;

/** Response headers that describe this connection, not the message: never relayed. */
function hopByHop(lower: string): boolean {
  return lower === 'connection' || lower === 'keep-alive' || lower === 'proxy-connection' || lower === 'upgrade';
}

let dateSecond = -1;
let dateText = '';
/** The Date header value, formatted once per second. */
function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) { dateSecond = s; dateText = new Date(now).toUTCString(); }
  return dateText;
}

/** One request and its response. Owns the upstream connection while it holds it. */
export class Exchange implements UpstreamOwner {
  bodyRemaining: number;
  private conn: UpstreamConnection | undefined;
  private requestHead = '';
  private retried = false;
  private t0 = 0;
  /** A partial response head from the target. */
  private pending: Buffer | undefined;
  private res: ResponseHead | undefined;
  private framing: BodyFraming = { kind: 'none' };
  private remaining = 0;
  private scanner: ChunkedScanner | undefined;
  /** The response head went to the client: errors from now on can only cut the connection. */
  private relayed = false;
  private closeClient: boolean;
  /** The response is complete (relayed or written by the load balancer). */
  private over = false;
  /** In flight on the target (counts for least outstanding requests and draining). */
  private acquired = false;
  private completed = false;

  constructor(
    private readonly client: ExchangeClient,
    private readonly route: HttpRoute,
    private readonly req: RequestHead,
    private readonly pool: TargetGroupPool | undefined,
    private readonly target: TargetEntry | undefined,
  ) {
    this.bodyRemaining = req.contentLength;
    this.closeClient = req.close;
  }

  start(): void {
    const { pool, target: t, route, req } = this;
    if (!pool || !t || !t.upstream) { this.takeBody(); this.elbRespond(503); return; }
    pool.acquire(t);
    this.acquired = true;
    t.http.RequestCount++;
    pool.http.RequestCount++;
    const tls = route.tls !== undefined ? tlsRequestHeaders(route.tls, this.client.socket) : undefined;
    const out = requestHeaders(req.raw, {
      clientIp: plainIp(this.client.sourceIp), proto: route.proto, port: route.port, xffMode: route.lb.xffMode, upgrade: false, traceId: newTraceId,
      ...(tls ? { tls } : {}),
    });
    let head = `${req.method} ${req.target} HTTP/1.1\r\n`;
    for (let i = 0; i < out.length; i += 2) head += `${out[i]}: ${out[i + 1]}\r\n`;
    this.requestHead = head + '\r\n';
    this.t0 = performance.now();
    this.conn = t.upstream.acquire(this, route.lb.idleTimeoutMs);
    this.takeBody();
  }

  /** Sends the head with whatever body bytes were read along with it, in one write. */
  private takeBody(): void {
    const c = this.client;
    let body: Buffer | undefined;
    if (this.bodyRemaining > 0 && c.buf) {
      const n = Math.min(this.bodyRemaining, c.buf.length);
      body = c.buf.subarray(0, n);
      c.buf = n < c.buf.length ? c.buf.subarray(n) : undefined;
      this.bodyRemaining -= n;
    }
    if (this.conn) {
      if (!body) this.conn.socket.write(this.requestHead, 'latin1');
      else {
        const b = Buffer.allocUnsafe(this.requestHead.length + body.length);
        b.write(this.requestHead, 0, 'latin1');
        body.copy(b, this.requestHead.length);
        this.writeUpstream(b);
      }
    }
    this.maybeDone();
  }

  /** More request body from the client. */
  sendBody(chunk: Buffer): void {
    this.bodyRemaining -= chunk.length;
    if (this.conn && !this.over) this.writeUpstream(chunk);
    this.maybeDone();
  }

  private writeUpstream(b: Buffer): void {
    const up = this.conn!.socket;
    if (!up.write(b) && this.bodyRemaining > 0) {
      const client = this.client.socket;
      client.pause();
      up.once('drain', () => client.resume());
    }
  }

  onUpstreamData(chunk: Buffer): void {
    if (!this.res) {
      let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      this.pending = undefined;
      for (;;) {
        const head = parseResponseHead(buf);
        if (head === 'incomplete') { this.pending = buf; return; }
        if (head === 'invalid' || head.status === 101) { this.failUpstream(502, false); return; }
        if (head.status >= 200) { this.res = head; break; }
        // 1xx informational (100, 102, 103): not relayed; the final response follows.
        if (head.end === buf.length) return;
        buf = buf.subarray(head.end);
      }
      this.respond(this.res, buf);
      return;
    }
    this.relayBody(chunk, 0);
  }

  onUpstreamGone(err: NodeJS.ErrnoException | undefined, timedOut: boolean): void {
    const conn = this.conn;
    this.conn = undefined;
    if (this.over) return;
    if (this.relayed) {
      if (this.framing.kind === 'close' && !err && !timedOut) this.responseDone(false);
      else this.client.socket.destroy();
      return;
    }
    const race = !timedOut && !this.retried && conn?.reused === true && this.pending === undefined
      && this.req.contentLength === 0 && (err === undefined || err.code === 'ECONNRESET' || err.code === 'EPIPE')
      && (this.req.method === 'GET' || this.req.method === 'HEAD' || this.req.method === 'OPTIONS');
    if (race) {
      // The target closed an idle keep-alive connection as we reused it: not the client's failure.
      this.retried = true;
      this.conn = this.target!.upstream!.acquire(this, this.route.lb.idleTimeoutMs, true);
      this.conn.socket.write(this.requestHead, 'latin1');
      return;
    }
    this.failUpstream(timedOut ? 504 : 502, timedOut);
  }

  /** The client went away: stop everything. */
  abort(): void {
    if (this.conn) { this.conn.owner = undefined; this.conn.destroy(); this.conn = undefined; }
    this.finish();
  }

  private failUpstream(status: 502 | 504, timedOut: boolean): void {
    if (this.conn) { const c = this.conn; this.conn = undefined; c.owner = undefined; c.destroy(); }
    if (!timedOut) {
      this.target!.http.TargetConnectionErrorCount++;
      this.pool!.http.TargetConnectionErrorCount++;
      this.route.counters.TargetConnectionErrorCount++;
    }
    this.elbRespond(status);
  }

  private respond(res: ResponseHead, buf: Buffer): void {
    const { route, pool, target: t } = this;
    const secs = (performance.now() - this.t0) / 1000;
    t!.http.target(res.status, secs);
    pool!.http.target(res.status, secs);
    route.counters.target(res.status, secs);
    this.framing = responseFraming(this.req.method, res);
    if (this.framing.kind === 'close' || this.bodyRemaining > 0) this.closeClient = true;
    let head = `HTTP/1.1 ${res.status} ${res.reason}\r\n`;
    const raw = res.raw;
    const dropLength = res.transferEncoding !== 'none';
    // The listener's inserted headers replace the target's; undefined (nothing inserted) costs one comparison.
    const inserted = route.headers.names !== undefined ? route.headers : undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      const n = name.length;
      if (n === 10 || n === 7 || n === 16 || (n === 14 && dropLength)) {
        const l = name.toLowerCase();
        if (hopByHop(l) || (dropLength && l === 'content-length')) continue;
      }
      if (inserted !== undefined && replaces(inserted, name)) continue;
      head += `${name}: ${raw[i + 1]}\r\n`;
    }
    if (inserted !== undefined) head += inserted.block;
    const sticky = pool!.settings.stickiness;
    if (sticky.enabled) head += `Set-Cookie: ${stickyCookie(t!.key, sticky.durationSeconds)}\r\n`;
    if (this.closeClient) head += 'Connection: close\r\n';
    head += '\r\n';
    this.relayed = true;
    if (this.framing.kind === 'length') this.remaining = this.framing.length;
    else if (this.framing.kind === 'chunked') this.scanner = new ChunkedScanner();
    this.relayBody(buf, res.end, head);
  }

  /** Relays body bytes `buf[from..]` (after `head`, if given, in the same write) and notices the end. */
  private relayBody(buf: Buffer, from: number, head?: string): void {
    let end = buf.length;
    let complete = false;
    switch (this.framing.kind) {
      case 'none': end = from; complete = true; break;
      case 'length':
        end = Math.min(buf.length, from + this.remaining);
        this.remaining -= end - from;
        complete = this.remaining === 0;
        break;
      case 'chunked': {
        const at = this.scanner!.scan(buf, from);
        if (at === 'invalid') { this.writeClient(head, buf, from, from); this.client.socket.destroy(); this.abort(); return; }
        if (at >= 0) { end = at; complete = true; }
        break;
      }
      case 'close': break;
    }
    this.writeClient(head, buf, from, end);
    // Bytes past the end of the response: the target is out of step, so its connection is not reused.
    if (complete) this.responseDone(end < buf.length);
  }

  private writeClient(head: string | undefined, buf: Buffer, from: number, end: number): void {
    const s = this.client.socket;
    if (s.destroyed) return;
    let out: Buffer | undefined;
    if (head === undefined) out = end > from ? (from === 0 && end === buf.length ? buf : buf.subarray(from, end)) : undefined;
    else {
      out = Buffer.allocUnsafe(head.length + end - from);
      out.write(head, 0, 'latin1');
      buf.copy(out, head.length, from, end);
    }
    if (out && !s.write(out) && this.conn) {
      const up = this.conn.socket;
      up.pause();
      s.once('drain', () => up.resume());
    }
  }

  private responseDone(outOfStep: boolean): void {
    const c = this.conn;
    this.conn = undefined;
    if (c) {
      if (outOfStep || this.res!.close || this.framing.kind === 'close' || this.bodyRemaining > 0) { c.owner = undefined; c.destroy(); }
      else { if (c.socket.isPaused()) c.socket.resume(); this.target!.upstream!.release(c); }
    }
    this.over = true;
    this.maybeDone();
  }

  /** A response written by the load balancer itself (no upstream connection involved any more). */
  private elbRespond(status: 502 | 503 | 504): void {
    this.route.counters.elb(status);
    this.pool?.http.elb(status);
    if (this.relayed) { this.client.socket.destroy(); return; }
    this.relayed = true;
    if (this.bodyRemaining > 0) this.closeClient = true;
    const body = errorPage(status);
    const plan = this.route.headers;
    const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${plan.server ? ELB_SERVER_LINE : ''}Date: ${httpDate()}\r\nContent-Type: text/html\r\n`
      + `Content-Length: ${body.length}\r\n${plan.block}${this.closeClient ? 'Connection: close\r\n' : ''}\r\n`;
    this.writeClient(head, body, 0, body.length);
    this.over = true;
    this.maybeDone();
  }

  /** Complete once the response is out and the request body is in (or the connection will close). */
  private maybeDone(): void {
    if (this.completed || !this.over || (this.bodyRemaining > 0 && !this.closeClient)) return;
    this.completed = true;
    this.finish();
    this.client.done(this.closeClient);
  }

  private finish(): void {
    if (!this.acquired) return;
    this.acquired = false;
    this.pool!.release(this.target!);
  }
}
