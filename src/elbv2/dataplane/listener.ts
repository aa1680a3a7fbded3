/**
 * A bound listener: the node server for its protocol, reading its route from a holder so a new
 * config swaps routing without rebinding. HTTP → a node:net server running the HTTP/1.1 fast
 * path (http1-fast-path.ts), which hands connections it does not serve to an unbound node:http
 * server (the general path: http-forward.ts, upgrade-forward.ts); HTTPS → node:http2 secure server
 * with HTTP/1.1 fallback (ALPN h2, http/1.1), or node:https when `routing.http2.enabled` is
 * false; TCP → node:net. Open client connections are tracked so close() is immediate.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureServer } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenerProtocol } from './config.js';
import { serveHttp1 } from './http1-fast-path.js';
import { handleHttp, type AnyRequest, type AnyResponse, type HttpRoute } from './http-forward.js';
import type { KeyPairPem } from './ports.js';
import { handleTcp, type TcpRoute } from './tcp-forward.js';
import { handleUpgrade } from './upgrade-forward.js';

export interface BindOptions {
  host: string;
  port: number;
  protocol: ListenerProtocol;
  tls?: KeyPairPem;
  http2: boolean;
  idleTimeoutMs: number;
}

export class BoundListener {
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    readonly signature: string,
    private readonly holder: { http?: HttpRoute; tcp?: TcpRoute },
  ) {}

  static async bind(opts: BindOptions, signature: string, route: { http?: HttpRoute; tcp?: TcpRoute }): Promise<BoundListener> {
    const holder = { ...route };
    const onRequest = (req: AnyRequest, res: AnyResponse): void => handleHttp(holder.http!, req, res);
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => handleUpgrade(holder.http!, req, socket, head);
    let server: Server;
    if (opts.protocol === 'TCP') {
      // Half-open: a client's FIN travels to the target while the target's answer still flows back.
      server = createNetServer({ allowHalfOpen: true }, (s) => handleTcp(holder.tcp!, s));
    } else if (opts.protocol === 'HTTP') {
      // Never bound: it only receives the connections the fast path hands over.
      const general = createHttpServer({ requestTimeout: 0, keepAliveTimeout: opts.idleTimeoutMs }, onRequest);
      general.on('upgrade', onUpgrade);
      const host = { route: () => holder.http!, handOff: (socket: Socket) => { general.emit('connection', socket); } };
      // allowHalfOpen as node:http has it: a client's FIN after its request still gets the answer.
      server = createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => serveHttp1(socket, host));
    } else if (opts.http2) {
      const s = createSecureServer({ key: opts.tls!.keyPem, cert: opts.tls!.certPem, allowHTTP1: true }, onRequest);
      s.on('upgrade', onUpgrade);
      s.setTimeout(opts.idleTimeoutMs);
      server = s as unknown as Server;
    } else {
      const s = createHttpsServer({ key: opts.tls!.keyPem, cert: opts.tls!.certPem, requestTimeout: 0, keepAliveTimeout: opts.idleTimeoutMs }, onRequest);
      s.on('upgrade', onUpgrade);
      server = s;
    }
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(opts.port, opts.host, () => { server.off('error', fail); ok(); });
    });
    const bound = new BoundListener(server, opts.host, (server.address() as AddressInfo).port, signature, holder);
    server.on('connection', (s: Socket) => {
      bound.sockets.add(s);
      s.once('close', () => bound.sockets.delete(s));
    });
    server.on('error', () => { /* a listen error after start is reported by close() */ });
    return bound;
  }

  setRoute(route: { http?: HttpRoute; tcp?: TcpRoute }): void {
    this.holder.http = route.http;
    this.holder.tcp = route.tcp;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((ok) => this.server.close(() => ok()));
    (this.server as HttpServer).closeAllConnections?.();
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
