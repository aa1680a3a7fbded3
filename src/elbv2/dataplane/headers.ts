/**
 * Header rewriting between client and target (pure, on node's flat raw header arrays so no
 * object is built per request). Hop-by-hop headers stop at the load balancer; X-Forwarded-For is
 * appended to (or preserved, or removed) per `routing.http.xff_header_processing.mode`;
 * X-Forwarded-Proto and X-Forwarded-Port are always the listener's own; an HTTP/2 request's
 * :authority becomes the Host header. X-Amzn-Trace-Id is kept when the client sent one, else a new
 * one is added (see trace-id.ts). On HTTPS listeners of load balancers with
 * `routing.http.x_amzn_tls_version_and_cipher_suite.enabled`, the negotiated TLS version and
 * cipher suite are added under the listener's names for them (`tls`), replacing any header of
 * those names the client sent. Relayed responses carry the listener's inserted headers
 * (response-headers.ts) in place of the target's headers of the same names.
 */
import { replaces, type ResponseHeaderPlan } from './response-headers.js';

export interface ForwardInfo {
  clientIp: string;
  proto: 'http' | 'https';
  port: string;
  xffMode: 'append' | 'preserve' | 'remove';
  /** Keep Connection/Upgrade (a WebSocket handshake going through). */
  upgrade: boolean;
  /** A new X-Amzn-Trace-Id value, asked for only when the request carries none; absent: none is added. */
  traceId?: () => string;
  /** Headers the load balancer adds about the client's TLS connection: names (lower case) and values. */
  tls?: TlsRequestHeaders;
}

/** X-Amzn-Tls-Version and X-Amzn-Tls-Cipher-Suite, under the listener's (possibly renamed) names. */
export interface TlsRequestHeaders {
  /** Lower-case names, so a client's copies are dropped. */
  readonly names: ReadonlySet<string>;
  /** Flat name/value pairs appended to the request. */
  readonly pairs: readonly string[];
}

/** The names an HTTPS listener gives the two TLS headers, resolved once per route. */
export interface TlsHeaderNames { readonly version: string; readonly cipherSuite: string; readonly lower: ReadonlySet<string> }

export const tlsHeaderNames = (version: string, cipherSuite: string): TlsHeaderNames =>
  ({ version, cipherSuite, lower: new Set([version.toLowerCase(), cipherSuite.toLowerCase()]) });

/**
 * The TLS headers of a request on `socket` (a TLSSocket, or node:http2's proxy of one): the
 * protocol version and the cipher suite in OpenSSL's names (`TLSv1.3`, `TLS_AES_128_GCM_SHA256`),
 * as ALB sends them. Undefined when the socket is not a TLS one.
 */
export function tlsRequestHeaders(names: TlsHeaderNames, socket: unknown): TlsRequestHeaders | undefined {
  const s = socket as { getProtocol?: () => string | null; getCipher?: () => { name?: string } | undefined } | null;
  if (typeof s?.getProtocol !== 'function') return undefined;
  return { names: names.lower, pairs: [names.version, s.getProtocol() ?? '', names.cipherSuite, s.getCipher?.()?.name ?? ''] };
}

const C = 99, H = 104, K = 107, P = 112, T = 116, U = 117, X = 120, COLON = 58;

export function requestHeaders(raw: readonly string[], f: ForwardInfo): string[] {
  const out: string[] = [];
  let xff: string | undefined;
  let hasHost = false;
  let authority: string | undefined;
  let hasTrace = false;
  const tls = f.tls;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (tls !== undefined && tls.names.has(name.toLowerCase())) continue;
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
  if (tls !== undefined) out.push(...tls.pairs);
  return out;
}

function hopByHop(name: string): boolean {
  const c = name.charCodeAt(0) | 0x20;
  if (c !== C && c !== K && c !== P && c !== T && c !== U) return false;
  const l = name.toLowerCase();
  return l === 'connection' || l === 'keep-alive' || l === 'transfer-encoding' || l === 'proxy-connection' || l === 'upgrade' || l === 'trailer';
}

/**
 * The target's response headers for an HTTP/1.1 client: raw pairs minus hop-by-hop ones, and
 * minus the ones the listener sets, which follow with the listener's values.
 */
export function responseHeaders(raw: readonly string[], plan?: ResponseHeaderPlan): string[] {
  const out: string[] = [];
  const set = plan?.names !== undefined ? plan : undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (hopByHop(raw[i]!) || (set !== undefined && replaces(set, raw[i]!))) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  if (set !== undefined) out.push(...set.pairs);
  return out;
}

/** The same for an HTTP/2 client: an object with lower-case names, repeated ones as arrays. */
export function responseHeaderObject(raw: readonly string[], plan?: ResponseHeaderPlan): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const set = plan?.names !== undefined ? plan : undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (hopByHop(name) || (set !== undefined && replaces(set, name))) continue;
    const l = name.toLowerCase();
    const prev = out[l];
    if (prev === undefined) out[l] = raw[i + 1]!;
    else if (Array.isArray(prev)) prev.push(raw[i + 1]!);
    else out[l] = [prev, raw[i + 1]!];
  }
  if (set !== undefined) for (let i = 0; i < set.pairs.length; i += 2) out[set.pairs[i]!.toLowerCase()] = set.pairs[i + 1]!;
  return out;
}
