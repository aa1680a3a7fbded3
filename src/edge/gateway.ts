import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AwsError, invalidSignature, missingAuthenticationToken, serialization, unknownOperation, notImplemented, unrecognizedClient } from './errors.js';
import { parseJsonBody, sendJson, sendJsonError } from './json-protocol.js';
import { parseQueryParams, sendQueryError, sendQueryResult } from './query-protocol.js';
import { readCredentialScope, verifySigV4, type SignedRequest } from './sigv4/verify.js';
import type { JsonSurface, QuerySurface, RequestContext, Surface } from './surface.js';
import type { AccessKey, Principal } from '../identity/principal.js';

/** What the authorization hook learns about a request besides its principal. */
export interface AuthorizationContext extends RequestContext {
  /** Whether the request came over TLS (`aws:SecureTransport`); Berth's listener is plain HTTP. */
  readonly secureTransport: boolean;
  /** The decoded input: the JSON object, or the Query parameters. */
  readonly input: Readonly<Record<string, unknown>> | ReadonlyMap<string, string>;
  /** The resource ARNs the operation acts on, when its surface says (else `*`). */
  readonly resource?: string | readonly string[];
}

/**
 * Decides whether `principal` may call `operation` of the surface signed as `service`; throws the
 * AwsError to answer (AccessDenied…) when not. Runs for every surface after authentication and
 * operation lookup, right before the operation: after model validation on JSON surfaces; Query
 * operations check their own parameters, so there it runs first.
 */
export type Authorize = (principal: Principal, service: string, operation: string, ctx: AuthorizationContext) => void;

export interface GatewayOptions {
  surfaces: readonly Surface[];
  /** Finds an active access key, or temporary credentials (expired too: the gateway answers ExpiredToken), by id. */
  findKey: (accessKeyId: string) => AccessKey | undefined;
  clock: () => Date;
  /** Called with unexpected (non-AWS) errors; they are never sent to the client. */
  onInternalError: (err: unknown, requestId: string) => void;
  /** Whether `GET /health` should answer 200 yet. */
  ready: () => boolean;
  /** Authorization of each call (absent: every authenticated caller may do everything). */
  authorize?: Authorize;
}

const MAX_BODY = 16 * 1024 * 1024;
const GENERIC_QUERY_NS = 'https://berth.local/doc/';

/**
 * The request path every API call takes: read the body, find the surface (JSON by
 * `X-Amz-Target`, Query by the SigV4 scope's service), verify SigV4, decode, validate, run the
 * operation, encode. AwsErrors are encoded in the surface's protocol; anything else is logged and
 * answered as an internal error with the request id.
 */
export function createGateway(opts: GatewayOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const byTarget = new Map<string, JsonSurface>();
  const byService = new Map<string, QuerySurface>();
  for (const s of opts.surfaces) {
    if (s.protocol === 'json') byTarget.set(s.targetPrefix, s);
    else byService.set(s.signingName, s);
  }

  return (req, res) => {
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/health/')) {
      const ok = opts.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'starting' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
        res.end('Request Entity Too Large');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      void handle(req, res, body);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const requestId = randomUUID();
    const now = opts.clock();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const signed: SignedRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      body,
    };
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.lastIndexOf('.');
      const surface = byTarget.get(dot < 0 ? target : target.slice(0, dot));
      const contentType = surface?.contentType ?? (req.headers['content-type'] as string | undefined) ?? 'application/x-amz-json-1.1';
      try {
        const ctx = authenticate(signed, surface?.signingName, requestId, now, req.socket.remoteAddress);
        if (!surface) throw unknownOperation();
        const output = await runJson(surface, target.slice(dot + 1), body, ctx);
        sendJson(res, contentType, requestId, output);
      } catch (err) {
        sendJsonError(res, contentType, requestId, toAwsError(err, requestId, 'ServerException'));
      }
      return;
    }

    // Query protocol: parameters in a form body (POST) or the query string (GET).
    const params = parseQueryParams(signed.method === 'POST' ? body.toString('utf8') : signed.query);
    let ns = GENERIC_QUERY_NS;
    let surface: QuerySurface | undefined;
    try {
      const scope = readCredentialScope(signed);
      surface = scope ? byService.get(scope.service) : undefined;
      if (surface) ns = surface.xmlNamespace;
      const ctx = authenticate(signed, surface?.signingName, requestId, now, req.socket.remoteAddress);
      const action = params.get('Action');
      if (!surface || !action) throw new AwsError('InvalidAction', `Could not find operation ${action ?? ''} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
      const op = Object.hasOwn(surface.operations, action) ? surface.operations[action] : undefined;
      if (!op && surface.knownOperations?.has(action)) throw notImplemented(surface.signingName.toUpperCase(), action);
      if (!op) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
      opts.authorize?.(ctx.principal, surface.signingName, action, { ...ctx, secureTransport: false, input: params });
      const xml = await op(params, ctx);
      if (surface.encodeResult) sendXml(res, 200, requestId, surface.encodeResult(action, requestId, xml));
      else sendQueryResult(res, ns, action, requestId, xml);
    } catch (err) {
      const raw = toAwsError(err, requestId, 'InternalFailure');
      const e = surface?.encodeError ? raw : queryTokenError(raw);
      if (surface?.encodeError) sendXml(res, e.status, requestId, surface.encodeError(e, requestId));
      else sendQueryError(res, ns, requestId, e);
    }
  }

  /** A body a surface encoded itself (QuerySurface.encodeResult / encodeError). */
  function sendXml(res: ServerResponse, status: number, requestId: string, body: string): void {
    res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
    res.end(body);
  }

  function authenticate(signed: SignedRequest, service: string | undefined, requestId: string, now: Date, sourceIp: string | undefined): RequestContext {
    if (!readCredentialScope(signed)) throw missingAuthenticationToken();
    const verified = verifySigV4(signed, (id) => opts.findKey(id)?.secretAccessKey, now);
    if (service && verified.service !== service) {
      throw invalidSignature(`Credential should be scoped to correct service: '${service}'. `);
    }
    const key = opts.findKey(verified.accessKeyId)!;
    // Temporary credentials are good only with their own session token and until they expire; a
    // long-term key with a token is refused too, as AWS does.
    if (key.sessionToken !== verified.sessionToken) throw unrecognizedClient();
    if (key.expiresAt !== undefined && now.getTime() >= key.expiresAt) {
      throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    }
    return { principal: key.principal, region: verified.region, requestId, now, ...(sourceIp ? { sourceIp } : {}) };
  }

  /**
   * AWS Query services (STS, IAM) name the token errors differently from JSON services. EC2's
   * flavour (surfaces with their own encodeError) keeps the error as thrown.
   */
  function queryTokenError(e: AwsError): AwsError {
    if (e.code === 'UnrecognizedClientException') return new AwsError('InvalidClientTokenId', e.message, e.status);
    if (e.code === 'ExpiredTokenException') return new AwsError('ExpiredToken', e.message, e.status);
    return e;
  }

  async function runJson(surface: JsonSurface, name: string, body: Buffer, ctx: RequestContext): Promise<unknown> {
    const op = Object.hasOwn(surface.operations, name) ? surface.operations[name] : undefined;
    if (!op) {
      if (surface.knownOperations?.has(name)) throw notImplemented(surface.signingName.toUpperCase(), name);
      throw unknownOperation();
    }
    const input = parseJsonBody(body);
    if (!input) throw serialization('The request body is not a JSON object.');
    surface.validate?.(name, input);
    const resource = opts.authorize ? surface.resourceOf?.(name, input, ctx) : undefined;
    opts.authorize?.(ctx.principal, surface.signingName, name, { ...ctx, secureTransport: false, input, ...(resource ? { resource } : {}) });
    return op(input, ctx);
  }

  function toAwsError(err: unknown, requestId: string, internalCode: string): AwsError {
    if (err instanceof AwsError) return err;
    opts.onInternalError(err, requestId);
    return new AwsError(internalCode, `An internal error occurred. Request id: ${requestId}`, 500);
  }
}
