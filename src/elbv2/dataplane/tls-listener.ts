/**
 * An NLB TLS listener's server: TLS is terminated here with the listener's certificate (or, by SNI,
 * one of its extra certificates: sni.ts), under its security policy's protocol range and its ALPN
 * policy (tls-policy.ts); each decrypted connection then takes the TCP path (tcp-forward.ts).
 * The idle timeout is NLB's fixed 350 s for TLS.
 *
 * A handshake that fails counts as ClientTLSNegotiationErrorCount and, as NLB does, never
 * reaches a target.
 */
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { KeyPairPem } from './ports.js';
import { sniCallback, type SniContexts } from './sni.js';
import { alpnProtocols, tlsVersions } from './tls-policy.js';
import type { TcpRoute } from './tcp-forward.js';

export interface TlsListenerOptions {
  tls: KeyPairPem;
  /** The listener's extra certificates now, chosen by SNI (sni.ts). */
  sni?: () => SniContexts | undefined;
  sslPolicy?: string;
  alpnPolicy?: string;
}

export function createTlsListener(opts: TlsListenerOptions, route: () => TcpRoute | undefined, onSecure: (s: TLSSocket) => void): Server {
  const alpn = alpnProtocols(opts.alpnPolicy);
  const server = createServer({
    key: opts.tls.keyPem,
    cert: opts.tls.certPem,
    ...(opts.sni ? { SNICallback: sniCallback(opts.sni) } : {}),
    ...tlsVersions(opts.sslPolicy),
    ...(alpn ? { ALPNProtocols: alpn } : {}),
    // Half-open, as the TCP path: a client's close_notify/FIN still lets the target's answer back.
    allowHalfOpen: true,
  }, onSecure);
  server.on('tlsClientError', (_err, socket) => {
    const r = route();
    if (r) r.counters.ClientTLSNegotiationErrorCount++;
    socket.destroy();
  });
  return server;
}
