/**
 * WebSocket (and any HTTP/1.1 Upgrade) pass-through: the handshake is routed like a request,
 * sent to the target on its own connection, and after the target's 101 the two sockets are
 * spliced. The connection counts as in flight on its target until it closes, so draining waits
 * for it (up to the deregistration delay, when it is cut). Idle timeout applies both ways.
 * Every answer, relayed or the load balancer's own, carries the listener's inserted headers.
 */
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { ELB_SERVER, errorPage } from './error-pages.js';
import { requestHeaders, tlsRequestHeaders } from './headers.js';
import type { HttpRoute } from './http-forward.js';
import { buildRedirectUrl, redirectStatus } from './redirect.js';
import { replaces, type ResponseHeaderPlan } from './response-headers.js';
import { hostOf, matchRule, pathOf, plainIp, queryOf } from './rules.js';
import { pickWeighted } from './selection.js';
import { newTraceId } from './trace-id.js';
import type { Socket } from 'node:net';

/** A response head; the listener's inserted headers replace same-named ones in `raw` and follow them. */
function head(status: number, raw: readonly string[], plan: ResponseHeaderPlan): string {
  let s = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
  for (let i = 0; i < raw.length; i += 2) if (!replaces(plan, raw[i]!)) s += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return s + plan.block + '\r\n';
}

/** A response of the load balancer itself, on a connection that closes after it. */
function answer(route: HttpRoute, socket: Duplex, status: number, extra: string[] = [], body: Buffer = errorPage(status)): void {
  const server = route.headers.server ? ['Server', ELB_SERVER] : [];
  socket.end(head(status, [...server, 'Content-Type', 'text/html', 'Content-Length', String(body.length), 'Connection', 'close', ...extra], route.headers) + body.toString());
}

export function handleUpgrade(route: HttpRoute, req: IncomingMessage, socket: Duplex, clientHead: Buffer): void {
  socket.on('error', () => socket.destroy());
  route.counters.RequestCount++;
  const sourceIp = req.socket.remoteAddress ?? '';
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const action = matchRule({ method, url, headers: req.headers, sourceIp }, route.table);
  if (action.type === 'fixed-response') {
    const status = Number(action.statusCode);
    route.counters.elb(status);
    answer(route, socket, status, [], Buffer.from(action.messageBody ?? ''));
    return;
  }
  if (action.type === 'redirect') {
    const status = redirectStatus(action.redirect);
    route.counters.elb(status);
    const location = buildRedirectUrl(action.redirect, { protocol: route.proto, host: hostOf(req.headers), port: Number(route.port), path: pathOf(url), query: queryOf(url) });
    answer(route, socket, status, ['Location', location]);
    return;
  }
  const pool = route.pools.get(action.targetGroups[pickWeighted(action.targetGroups, route.random)]!.targetGroupId);
  const t = pool?.pick();
  if (!pool || !t) { route.counters.elb(503); pool?.http.elb(503); answer(route, socket, 503); return; }
  pool.acquire(t);
  t.http.RequestCount++;
  pool.http.RequestCount++;
  let released = false;
  const release = (): void => { if (!released) { released = true; pool.release(t); } };
  socket.once('close', release);

  const tls = route.tls !== undefined ? tlsRequestHeaders(route.tls, req.socket) : undefined;
  const headers = requestHeaders(req.rawHeaders, {
    clientIp: plainIp(sourceIp), proto: route.proto, port: route.port, xffMode: route.lb.xffMode, upgrade: true, traceId: newTraceId, ...(tls ? { tls } : {}),
  });
  const send = pool.settings.protocol === 'HTTPS' ? httpsRequest : httpRequest;
  const t0 = performance.now();
  let timedOut = false;
  const preq = send({
    host: t.ip, port: t.port, method, path: url, headers: headers as unknown as Record<string, string>,
    agent: false, setHost: false, timeout: route.lb.idleTimeoutMs, rejectUnauthorized: false,
  });
  preq.on('timeout', () => { timedOut = true; preq.destroy(); });
  preq.on('upgrade', (pres, upstream: Socket, upstreamHead: Buffer) => {
    const secs = (performance.now() - t0) / 1000;
    t.http.target(101, secs); pool.http.target(101, secs); route.counters.target(101, secs);
    t.sockets.add(upstream);
    socket.write(head(pres.statusCode ?? 101, pres.rawHeaders, route.headers));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (clientHead.length > 0) upstream.write(clientHead);
    upstream.setTimeout(route.lb.idleTimeoutMs, () => upstream.destroy());
    upstream.on('error', () => upstream.destroy());
    upstream.once('close', (hadError) => { t.sockets.delete(upstream); if (hadError) socket.destroy(); else socket.end(); release(); });
    socket.once('close', () => upstream.destroy());
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  preq.on('response', (pres) => {
    // The target declined the upgrade: relay its answer and close.
    const status = pres.statusCode ?? 502;
    const secs = (performance.now() - t0) / 1000;
    t.http.target(status, secs); pool.http.target(status, secs); route.counters.target(status, secs);
    socket.write(head(status, pres.rawHeaders.concat(['Connection', 'close']), route.headers));
    pres.pipe(socket);
  });
  preq.on('error', () => {
    if (socket.destroyed) return;
    const status = timedOut ? 504 : 502;
    route.counters.elb(status); pool.http.elb(status);
    answer(route, socket, status);
  });
  preq.end();
}
