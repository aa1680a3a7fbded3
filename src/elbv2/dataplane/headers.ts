/**
 * Header rewriting between client and target (pure, on node's flat raw header arrays so no
 * object is built per request). Hop-by-hop headers stop at the load balancer; X-Forwarded-For is
 * appended to (or preserved, or removed) per `routing.http.xff_header_processing.mode`;
 * X-Forwarded-Proto and X-Forwarded-Port are always the listener's own; an HTTP/2 request's
 * :authority becomes the Host header. X-Amzn-Trace-Id is kept when the client sent one, else a new
 * one is added (see trace-id.ts).
 */

export interface ForwardInfo {
  clientIp: string;
  proto: 'http' | 'https';
  port: string;
  xffMode: 'append' | 'preserve' | 'remove';
  /** Keep Connection/Upgrade (a WebSocket handshake going through). */
  upgrade: boolean;
  /** A new X-Amzn-Trace-Id value, asked for only when the request carries none; absent: none is added. */
  traceId?: () => string;
}

const C = 99, H = 104, K = 107, P = 112, T = 116, U = 117, X = 120, COLON = 58;

export function requestHeaders(raw: readonly string[], f: ForwardInfo): string[] {
  const out: string[] = [];
  let xff: string | undefined;
  let hasHost = false;
  let authority: string | undefined;
  let hasTrace = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const c = name.charCodeAt(0) | 0x20;
    if (c === (COLON | 0x20)) {
      if (name === ':authority') authority = value;
      continue;
    }
    if (c === C || c === H || c === K || c === P || c === T || c === U || c === X) {
      switch (name.toLowerCase()) {
        case 'host': hasHost = true; break;
        case 'connection': case 'upgrade':
          if (f.upgrade) break;
          continue;
        case 'keep-alive': case 'proxy-connection': case 'transfer-encoding': case 'te': case 'trailer':
          continue;
        case 'x-forwarded-for':
          xff = xff === undefined ? value : `${xff}, ${value}`;
          continue;
        case 'x-forwarded-proto': case 'x-forwarded-port':
          continue;
        case 'x-amzn-trace-id':
          hasTrace = true;
          break;
      }
    }
    out.push(name, value);
  }
  if (!hasHost && authority !== undefined) out.push('Host', authority);
  if (f.xffMode === 'append') out.push('X-Forwarded-For', xff === undefined ? f.clientIp : `${xff}, ${f.clientIp}`);
  else if (f.xffMode === 'preserve' && xff !== undefined) out.push('X-Forwarded-For', xff);
  out.push('X-Forwarded-Proto', f.proto, 'X-Forwarded-Port', f.port);
  if (!hasTrace && f.traceId) out.push('X-Amzn-Trace-Id', f.traceId());
  return out;
}

function hopByHop(name: string): boolean {
  const c = name.charCodeAt(0) | 0x20;
  if (c !== C && c !== K && c !== P && c !== T && c !== U) return false;
  const l = name.toLowerCase();
  return l === 'connection' || l === 'keep-alive' || l === 'transfer-encoding' || l === 'proxy-connection' || l === 'upgrade' || l === 'trailer';
}

/** The target's response headers for an HTTP/1.1 client: raw pairs minus hop-by-hop ones. */
export function responseHeaders(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!hopByHop(raw[i]!)) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/** The same for an HTTP/2 client: an object with lower-case names, repeated ones as arrays. */
export function responseHeaderObject(raw: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (hopByHop(name)) continue;
    const l = name.toLowerCase();
    const prev = out[l];
    if (prev === undefined) out[l] = raw[i + 1]!;
    else if (Array.isArray(prev)) prev.push(raw[i + 1]!);
    else out[l] = [prev, raw[i + 1]!];
  }
  return out;
}
