/**
 * A bound listener: the node server for its protocol, reading its route from a holder so a new
 * config swaps routing without rebinding. HTTP → a node:net server running the HTTP/1.1 fast
 * path (http1-fast-path.ts), which hands connections it does not serve to an unbound node:http
 * server (the general path: http-forward.ts, upgrade-forward.ts); HTTPS → node:tls, then the same
 * fast path for HTTP/1.1 connections and an unbound node:http2 server for the ones that
 * negotiate h2 (ALPN h2, http/1.1; http/1.1 only when `routing.http2.enabled` is false); TCP → node:net; TLS → node:tls (tls-listener.ts) onto the TCP path; UDP → a node:dgram
 * relay (udp-forward.ts); TCP_UDP → both on one port. Open client connections are tracked so
 * close() is immediate.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ListenerProtocol } from './config.js';
import { serveHttp1 } from './http1-fast-path.js';
import { handleHttp, type AnyRequest, type AnyResponse, type HttpRoute } from './http-forward.js';
import { FlowCounters } from './metrics.js';
import type { Clock, KeyPairPem } from './ports.js';
import { handleTcp, type TcpRoute } from './tcp-forward.js';
import { sniCallback, type SniContexts } from './sni.js';
import { createTlsListener } from './tls-listener.js';
import { UdpRelay, type UdpRoute } from './udp-forward.js';
import { handleUpgrade } from './upgrade-forward.js';

export interface BindOptions {
  host: string;
  port: number;
  protocol: ListenerProtocol;
  /** HTTPS and TLS: the certificate the listener serves. */
  tls?: KeyPairPem;
  sslPolicy?: string;
  alpnPolicy?: string;
  http2: boolean;
  idleTimeoutMs: number;
  /** UDP and TCP_UDP: the flow table's idle timeout and bound, and its clock. */
  udp?: { idleMs: number; maxFlows: number; clock: Clock };
}

/** What a listener routes with; swapped whole by setRoute. `sni`: HTTPS and TLS listeners' extra certificates. */
export interface ListenerRoute { http?: HttpRoute; tcp?: TcpRoute; udp?: UdpRoute; sni?: SniContexts }

const isAddrInUse = (e: unknown): boolean => (e as { code?: string } | null)?.code === 'EADDRINUSE';

export class BoundListener {
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server | undefined,
    private readonly udp: UdpRelay | undefined,
    readonly host: string,
    readonly port: number,
    readonly signature: string,
    private readonly holder: ListenerRoute,
  ) {}

  /**
   * Binds the listener. A TCP_UDP listener binds TCP first, then UDP on the same port; asked for
   * port 0, it tries a few ephemeral ports until one is free for both.
   */
  static async bind(opts: BindOptions, signature: string, route: ListenerRoute): Promise<BoundListener> {
    const holder = { ...route };
    const withStream = opts.protocol !== 'UDP';
    const withUdp = opts.protocol === 'UDP' || opts.protocol === 'TCP_UDP';
    for (let attempt = 0; ; attempt++) {
      const server = withStream ? streamServer(opts, holder) : undefined;
      let port = opts.port;
      if (server) {
        await new Promise<void>((ok, fail) => {
          server.once('error', fail);
          server.listen(opts.port, opts.host, () => { server.off('error', fail); ok(); });
        });
        port = (server.address() as AddressInfo).port;
      }
      let udp: UdpRelay | undefined;
      if (withUdp) {
        try {
          udp = await UdpRelay.bind({ host: opts.host, port, ...opts.udp! }, holder.udp ?? { pool: undefined, counters: new FlowCounters() });
        } catch (e) {
          if (server) await new Promise<void>((ok) => server.close(() => ok()));
          if (opts.port === 0 && isAddrInUse(e) && attempt < 5) continue;
          throw e;
        }
        port = udp.port;
      }
      const bound = new BoundListener(server, udp, opts.host, port, signature, holder);
      if (server) {
        server.on('connection', (s: Socket) => {
          bound.sockets.add(s);
          s.once('close', () => bound.sockets.delete(s));
        });
        server.on('error', () => { /* a listen error after start is reported by close() */ });
      }
      return bound;
    }
  }

  setRoute(route: ListenerRoute): void {
    this.holder.http = route.http;
    this.holder.tcp = route.tcp;
    this.holder.udp = route.udp;
    this.holder.sni = route.sni;
    if (route.udp) this.udp?.setRoute(route.udp);
  }

  /** Live UDP flows (tests and metrics). */
  get udpFlows(): number { return this.udp?.flowCount ?? 0; }

  async close(): Promise<void> {
    const server = this.server;
    const closed = server ? new Promise<void>((ok) => server.close(() => ok())) : Promise.resolve();
    (server as HttpServer | undefined)?.closeAllConnections?.();
    for (const s of this.sockets) s.destroy();
    await Promise.all([closed, this.udp?.close()]);
  }
}

/** The connection-oriented server of a listener (all protocols but UDP), unbound. */
function streamServer(opts: BindOptions, holder: ListenerRoute): Server {
  const onRequest = (req: AnyRequest, res: AnyResponse): void => handleHttp(holder.http!, req, res);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => handleUpgrade(holder.http!, req, socket, head);
  switch (opts.protocol) {
    case 'TCP':
    case 'TCP_UDP':
      // Half-open: a client's FIN travels to the target while the target's answer still flows back.
      return createNetServer({ allowHalfOpen: true }, (s) => handleTcp(holder.tcp!, s));
    case 'TLS':
      return createTlsListener(
        {
          tls: opts.tls!, sni: () => holder.sni,
          ...(opts.sslPolicy ? { sslPolicy: opts.sslPolicy } : {}), ...(opts.alpnPolicy ? { alpnPolicy: opts.alpnPolicy } : {}),
        },
        () => holder.tcp, (s) => handleTcp(holder.tcp!, s),
      );
    case 'HTTP': {
      // Never bound: it only receives the connections the fast path hands over.
      const general = createHttpServer({ requestTimeout: 0, keepAliveTimeout: opts.idleTimeoutMs }, onRequest);
      general.on('upgrade', onUpgrade);
      const host = { route: () => holder.http!, handOff: (socket: Socket) => { general.emit('connection', socket); } };
      // allowHalfOpen as node:http has it: a client's FIN after its request still gets the answer.
      return createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => serveHttp1(socket, host));
    }
    default: {
      // HTTPS: node:tls terminates TLS. HTTP/1.1 connections then take the fast path as on HTTP
      // listeners (hand-offs to an unbound node:http server); h2 ones, negotiated by ALPN when
      // `routing.http2.enabled`, go to an unbound node:http2 server.
      const general = createHttpServer({ requestTimeout: 0, keepAliveTimeout: opts.idleTimeoutMs }, onRequest);
      general.on('upgrade', onUpgrade);
      const host = { route: () => holder.http!, handOff: (socket: Socket) => { general.emit('connection', socket); } };
      const h2 = opts.http2 ? createSecureServer({ key: opts.tls!.keyPem, cert: opts.tls!.certPem }, onRequest) : undefined;
      h2?.setTimeout(opts.idleTimeoutMs);
      const s = createTlsServer({
        key: opts.tls!.keyPem, cert: opts.tls!.certPem, SNICallback: sniCallback(() => holder.sni),
        ALPNProtocols: opts.http2 ? ['h2', 'http/1.1'] : ['http/1.1'], allowHalfOpen: true,
      }, (socket: TLSSocket) => {
        if (socket.alpnProtocol === 'h2' && h2) { h2.emit('secureConnection', socket); return; }
        socket.setNoDelay(true);
        serveHttp1(socket, host);
      });
      s.on('tlsClientError', (_err, socket) => {
        if (holder.http) holder.http.counters.ClientTLSNegotiationErrorCount++;
        socket.destroy();
      });
      return s;
    }
  }
}
