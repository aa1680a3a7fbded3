/**
 * The contract between the edge and the API rooms. A room (ecs, sts, logs …) describes itself as
 * a `Surface`; the gateway finds it by `X-Amz-Target` prefix (JSON protocols) or by the SigV4
 * credential scope's service name (Query protocols), authenticates the caller, decodes the
 * input, and hands it to the operation with a `RequestContext`.
 */
import type { AwsError } from './errors.js';
import type { Principal } from '../identity/principal.js';

export interface RequestContext {
  readonly principal: Principal;
  /** Region from the request's SigV4 credential scope. Resources are scoped by account and region. */
  readonly region: string;
  readonly requestId: string;
  /** The request's arrival time: operations take time from here, never from the wall clock. */
  readonly now: Date;
  /** The client's address as the socket saw it (condition key `aws:SourceIp`). */
  readonly sourceIp?: string;
}

/** An operation receives the decoded input object and returns the output object (or throws AwsError). */
export type Operation = (input: Record<string, unknown>, ctx: RequestContext) => unknown | Promise<unknown>;

export interface JsonSurface {
  readonly protocol: 'json';
  /** SigV4 signing name, e.g. `ecs`. */
  readonly signingName: string;
  /** `X-Amz-Target` prefix before the dot, e.g. `AmazonEC2ContainerServiceV20141113`. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.1` or `-1.0`. */
  readonly contentType: string;
  readonly operations: Readonly<Record<string, Operation>>;
  /** Checks the input against the service model; throws AwsError. Runs before the operation. */
  readonly validate?: (operation: string, input: unknown) => void;
  /** Operation names the service model has that `operations` lacks; they answer NotImplemented. */
  readonly knownOperations?: ReadonlySet<string>;
  /**
   * The ARNs an operation acts on, for authorization (IAM's `Resource`; every one must be
   * allowed); undefined means `*`. Runs after validation, before the operation; must not throw.
   */
  readonly resourceOf?: (operation: string, input: Readonly<Record<string, unknown>>, ctx: RequestContext) => string | readonly string[] | undefined;
}

export interface QuerySurface {
  readonly protocol: 'query';
  readonly signingName: string;
  /** API version the `Version` parameter must carry, e.g. `2011-06-15`. */
  readonly version: string;
  /** XML namespace of responses, e.g. `https://sts.amazonaws.com/doc/2011-06-15/`. */
  readonly xmlNamespace: string;
  /** Query operations get the flat parameters and return an XML fragment for `<XResult>`. */
  readonly operations: Readonly<Record<string, QueryOperation>>;
  /** Actions the service has that `operations` lacks; they answer NotImplemented. */
  readonly knownOperations?: ReadonlySet<string>;
  /**
   * Services whose Query flavour differs (EC2: no `<XResult>` wrapper, `<Response><Errors>` errors)
   * build the whole XML body themselves. When absent, the AWS Query envelopes of query-protocol.ts
   * apply. `encodeError` also serves the edge's own errors (authentication, unknown action) once
   * the surface is known from the signature's scope; the status stays the error's.
   */
  readonly encodeResult?: (action: string, requestId: string, resultXml: string) => string;
  readonly encodeError?: (err: AwsError, requestId: string) => string;
}

export type QueryOperation = (params: ReadonlyMap<string, string>, ctx: RequestContext) => string | Promise<string>;

export type Surface = JsonSurface | QuerySurface;
