import http from 'node:http';
import { RuntimeError, type RuntimeErrorKind } from '../port.js';

/**
 * A minimal Docker Engine API client over the daemon's unix socket: one HTTP request per call,
 * JSON in and out, on a keep-alive agent. Long-blocking calls (stop, wait, stats) and the event
 * stream take their own connection so they never hold a pooled socket hostage.
 *
 * Transport failures (no socket, refused, reset, no answer in time) are RuntimeError Unavailable;
 * HTTP error statuses are returned to the caller, which knows what they mean for its operation.
 */

export const API_VERSION = 'v1.41';

export interface EngineResponse {
  status: number;
  /** Parsed JSON body, or undefined when empty or not JSON. */
  json: any;
  /** Docker's `message` for error answers, else the raw text. */
  message: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface CallOptions {
  query?: Query;
  body?: unknown;
  /** Give up (Unavailable) after this long; default two minutes. */
  timeoutMs?: number;
  /** Use a connection of its own instead of the keep-alive pool (for calls that block). */
  dedicated?: boolean;
}

const TRANSPORT_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EACCES', 'EPIPE', 'ETIMEDOUT']);

export class EngineClient {
  private readonly agent: http.Agent;

  constructor(readonly socketPath: string) {
    // Bounded so a burst of inspects (adopting thousands of containers) queues here, not in dockerd.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  }

  path(path: string, query?: Query): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return `/${API_VERSION}${path}${qs ? `?${qs}` : ''}`;
  }

  async call(method: string, path: string, opts: CallOptions = {}): Promise<EngineResponse> {
    try {
      return await this.once(method, path, opts);
    } catch (e) {
      // A pooled socket the daemon closed meanwhile (e.g. it restarted): the request never
      // reached it, so one retry on a fresh connection is safe.
      if ((e as { reusedSocket?: boolean }).reusedSocket) return this.once(method, path, opts);
      throw e;
    }
  }

  private once(method: string, path: string, opts: CallOptions): Promise<EngineResponse> {
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    return new Promise<EngineResponse>((resolve, reject) => {
      const req = http.request({
        socketPath: this.socketPath,
        agent: opts.dedicated ? false : this.agent,
        method,
        path: this.path(path, opts.query),
        headers: {
          host: 'docker',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      });
      req.setTimeout(opts.timeoutMs ?? 120_000, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        const err = transportError(e, this.socketPath);
        if (req.reusedSocket && e.code === 'ECONNRESET') Object.assign(err, { reusedSocket: true });
        reject(err);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(transportError(e, this.socketPath)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          if (text && /json/.test(res.headers['content-type'] ?? '')) {
            try { json = JSON.parse(text); } catch { json = undefined; }
          }
          const message = typeof json?.message === 'string' ? json.message : text.trim();
          resolve({ status: res.statusCode ?? 0, json, message });
        });
      });
      req.end(payload);
    });
  }

  /**
   * A streaming GET whose body is handed over as raw chunks (container logs are binary frames).
   * `onClose` runs once when the stream ends for any reason (error, daemon gone, non-200).
   */
  rawStream(path: string, query: Query, onData: (chunk: Buffer) => void, onClose: (why: string) => void, onOpen?: () => void): { close(): void } {
    let done = false;
    const finish = (why: string): void => { if (!done) { done = true; onClose(why); } };
    const req = http.request({ socketPath: this.socketPath, agent: false, method: 'GET', path: this.path(path, query), headers: { host: 'docker' } });
    req.on('error', (e) => finish(e.message));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', () => finish(`HTTP ${res.statusCode}`));
        return;
      }
      onOpen?.();
      res.on('data', (chunk: Buffer) => onData(chunk));
      res.on('error', (e) => finish(e.message));
      res.on('close', () => finish('stream closed'));
    });
    req.end();
    return { close: () => { done = true; req.destroy(); } };
  }

  /** A streaming GET of newline-delimited text (the event stream), one trimmed line at a time. */
  stream(path: string, query: Query, onOpen: () => void, onLine: (line: string) => void, onClose: (why: string) => void): { close(): void } {
    let buf = '';
    const decoder = new TextDecoder();
    return this.rawStream(path, query, (chunk) => {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) onLine(line);
      }
    }, onClose, onOpen);
  }

  close(): void {
    this.agent.destroy();
  }
}

function transportError(e: NodeJS.ErrnoException, socketPath: string): Error {
  if (e.code && TRANSPORT_ERRORS.has(e.code)) {
    return new RuntimeError('Unavailable', `docker engine at ${socketPath} is unavailable: ${e.code} ${e.message}`);
  }
  return new RuntimeError('Unknown', `docker engine request failed: ${e.message}`);
}

/**
 * The RuntimeError for an engine answer: `kinds` says what a status means for this operation
 * (e.g. 404 during create is a missing image); otherwise 400 is InvalidSpec and the rest Unknown.
 */
export function engineError(what: string, res: EngineResponse, kinds: Partial<Record<number, RuntimeErrorKind>> = {}): RuntimeError {
  const kind = kinds[res.status] ?? (res.status === 400 ? 'InvalidSpec' : 'Unknown');
  return new RuntimeError(kind, `${what}: ${res.message || `HTTP ${res.status}`}`);
}
