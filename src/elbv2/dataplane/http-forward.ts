/**
 * The ALB request path for one HTTP(S) listener:
 *
 *   request ─▶ rules (skipped when the listener has none) ─▶ action
 *     fixed-response / redirect ─▶ answered here (HTTPCode_ELB_*)
 *     forward ─▶ weighted group ─▶ sticky or picked target ─ none ─▶ 503
 *             ─▶ keep-alive agent of the target ─▶ response streamed back (HTTPCode_Target_*)
 *                 refused / reset before a response ─▶ 502   no data within idle timeout ─▶ 504
 *
 * A GET/HEAD/OPTIONS without body whose reused keep-alive socket was reset (the target closed it
 * while idle) is retried once on a new connection: that race is not the client's failure.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Action, LoadBalancerSettings } from './config.js';
import { errorPage } from './error-pages.js';
import { requestHeaders, responseHeaderObject, responseHeaders, tlsRequestHeaders, type TlsHeaderNames } from './headers.js';
import type { HttpCounters } from './metrics.js';
import { buildRedirectUrl, redirectStatus } from './redirect.js';
import { hostOf, matchRule, pathOf, plainIp, queryOf, type RuleTable } from './rules.js';
import type { ResponseHeaderPlan } from './response-headers.js';
import { pickWeighted } from './selection.js';
import { newTraceId } from './trace-id.js';
import type { TargetEntry, TargetGroupPool } from './target-pool.js';

/** Everything a listener's requests need; swapped as a whole when a config is applied. */
export interface HttpRoute {
  proto: 'http' | 'https';
  /** The bound port, as a string for X-Forwarded-Port. */
  port: string;
  lb: LoadBalancerSettings;
  table: RuleTable;
  counters: HttpCounters;
  pools: ReadonlyMap<string, TargetGroupPool>;
  random: () => number;
  /** The listener's response headers (listener attributes): on every response it sends. */
  headers: ResponseHeaderPlan;
  /** HTTPS listeners whose load balancer adds the TLS version and cipher suite to requests: their names. */
  tls?: TlsHeaderNames;
}

type ForwardAction = Extract<Action, { type: 'forward' }>;

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

const STICKY = 'AWSALB';

export function elbRespond(route: HttpRoute, res: AnyResponse, status: number, pool?: TargetGroupPool, extra?: Record<string, string>): void {
  route.counters.elb(status);
  pool?.http.elb(status);
  if (res.headersSent) { res.destroy(); return; }
  const body = errorPage(status);
  res.writeHead(status, { ...route.headers.own, 'content-type': 'text/html', 'content-length': String(body.length), ...extra });
  res.end(body);
}

/** Resolves the request's action and carries it out. */
export function handleHttp(route: HttpRoute, req: AnyRequest, res: AnyResponse): void {
  route.counters.RequestCount++;
  const sourceIp = req.socket?.remoteAddress ?? '';
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const action = route.table.rules.length === 0
    ? route.table.defaultAction
    : matchRule({ method, url, headers: req.headers, sourceIp }, route.table);
  switch (action.type) {
    case 'fixed-response': {
      const status = Number(action.statusCode);
      const body = Buffer.from(action.messageBody ?? '');
      route.counters.elb(status);
      res.writeHead(status, { ...route.headers.own, 'content-type': action.contentType ?? 'text/plain; charset=utf-8', 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    case 'redirect': {
      const location = buildRedirectUrl(action.redirect, {
        protocol: route.proto, host: hostOf(req.headers), port: Number(route.port), path: pathOf(url), query: queryOf(url),
      });
      elbRespond(route, res, redirectStatus(action.redirect), undefined, { location });
      return;
    }
    case 'forward': {
      const { pool, target } = pickForward(route, action, req.headers.cookie);
      if (!pool) { elbRespond(route, res, 503); return; }
      if (!target) { elbRespond(route, res, 503, pool); return; }
      forward(route, req, res, pool, target, sourceIp);
    }
  }
}

/**
 * The group (by weight) and target (sticky, else by the group's algorithm) for a forward action.
 * No pool: the group is not in the config; no target: none is eligible. Either way, 503.
 */
export function pickForward(route: HttpRoute, action: ForwardAction, cookie: string | string[] | undefined): { pool?: TargetGroupPool; target?: TargetEntry } {
  const groups = action.targetGroups;
  const pool = route.pools.get(groups[pickWeighted(groups, route.random)]!.targetGroupId);
  if (!pool) return {};
  const sticky = pool.settings.stickiness.enabled ? stickyKey(cookie) : undefined;
  return { pool, target: (sticky !== undefined ? pool.sticky(sticky) : undefined) ?? pool.pick() };
}

function stickyKey(cookie: string | string[] | undefined): string | undefined {
  const c = Array.isArray(cookie) ? cookie.join('; ') : cookie;
  if (!c) return undefined;
  const at = c.indexOf(`${STICKY}=`);
  if (at < 0 || (at > 0 && c[at - 1] !== ' ' && c[at - 1] !== ';')) return undefined;
  const end = c.indexOf(';', at);
  return Buffer.from(c.slice(at + STICKY.length + 1, end < 0 ? undefined : end), 'base64url').toString();
}

function forward(route: HttpRoute, req: AnyRequest, res: AnyResponse, pool: TargetGroupPool, t: TargetEntry, sourceIp: string): void {
  const h2 = req.httpVersionMajor === 2;
  const tls = route.tls !== undefined ? tlsRequestHeaders(route.tls, req.socket) : undefined;
  const headers = requestHeaders(req.rawHeaders, {
    clientIp: plainIp(sourceIp), proto: route.proto, port: route.port, xffMode: route.lb.xffMode, upgrade: false, traceId: newTraceId, ...(tls ? { tls } : {}),
  });
  const bodyless = h2
    ? (req as Http2ServerRequest).stream.endAfterHeaders
    : req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] === undefined || req.headers['content-length'] === '0');
  const idempotent = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
  const send = pool.settings.protocol === 'HTTPS' ? httpsRequest : httpRequest;
  const sticky = pool.settings.stickiness;
  let current: ReturnType<typeof httpRequest> | undefined;
  pool.acquire(t);
  t.http.RequestCount++;
  pool.http.RequestCount++;
  res.once('close', () => {
    pool.release(t);
    if (!res.writableFinished) current?.destroy();
  });

  const attempt = (retry: boolean): void => {
    const t0 = performance.now();
    let timedOut = false;
    let responded = false;
    const preq = send({
      host: t.ip, port: t.port, method: req.method, path: req.url, headers: headers as unknown as Record<string, string>,
      agent: t.agent, setHost: false, timeout: route.lb.idleTimeoutMs,
    });
    current = preq;
    preq.on('timeout', () => { timedOut = true; preq.destroy(); });
    preq.on('response', (pres) => {
      responded = true;
      const status = pres.statusCode ?? 502;
      const secs = (performance.now() - t0) / 1000;
      t.http.target(status, secs);
      pool.http.target(status, secs);
      route.counters.target(status, secs);
      if (h2) {
        const obj = responseHeaderObject(pres.rawHeaders, route.headers);
        if (sticky.enabled) obj['set-cookie'] = [...[obj['set-cookie'] ?? []].flat(), stickyCookie(t.key, sticky.durationSeconds)];
        res.writeHead(status, obj);
      } else {
        const arr = responseHeaders(pres.rawHeaders, route.headers);
        if (sticky.enabled) arr.push('Set-Cookie', stickyCookie(t.key, sticky.durationSeconds));
        (res as ServerResponse).writeHead(status, arr);
      }
      pres.pipe(res as NodeJS.WritableStream);
      pres.once('aborted', () => res.destroy());
      pres.once('error', () => res.destroy());
    });
    preq.on('error', (err: NodeJS.ErrnoException) => {
      if (responded) { res.destroy(); return; }
      if (!retry && !timedOut && bodyless && idempotent && preq.reusedSocket && err.code === 'ECONNRESET') { attempt(true); return; }
      if (res.writableEnded || res.destroyed) return;
      if (!timedOut) {
        t.http.TargetConnectionErrorCount++;
        pool.http.TargetConnectionErrorCount++;
        route.counters.TargetConnectionErrorCount++;
      }
      elbRespond(route, res, timedOut ? 504 : 502, pool);
    });
    if (bodyless) preq.end();
    else req.pipe(preq);
  };
  attempt(false);
}

/** The AWSALB cookie that pins a client to target `key` for `seconds`. */
export function stickyCookie(key: string, seconds: number): string {
  const expires = new Date(Date.now() + seconds * 1000).toUTCString();
  return `${STICKY}=${Buffer.from(key).toString('base64url')}; Expires=${expires}; Path=/`;
}
