/**
 * Typed API errors. Domain and API code throw `AwsError`s; the edge maps them to the wire shape
 * of the surface's protocol (JSON `__type` body or Query XML `<ErrorResponse>`). Anything that is
 * not an `AwsError` becomes a `ServerException`/`InternalFailure` with a request id: the cause is
 * logged on the server and never sent to the client.
 */
export class AwsError extends Error {
  constructor(
    /** The AWS error code, e.g. `ClusterNotFoundException`. Sent as `__type` / `<Code>`. */
    readonly code: string,
    /** The message the client sees. */
    message: string,
    /** HTTP status; 400 for client faults unless the AWS service documents another. */
    readonly status = 400,
    /** Who is at fault, for Query protocols' `<Type>`. */
    readonly fault: 'client' | 'server' = status >= 500 ? 'server' : 'client',
  ) {
    super(message);
    this.name = code;
  }
}

// Edge-level errors shared by every surface (the AWS "common errors"). Authentication failures
// answer 403, as AWS's JSON and Query services do.

export const missingAuthenticationToken = (): AwsError =>
  new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);

export const unrecognizedClient = (): AwsError =>
  new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);

export const invalidSignature = (message: string): AwsError =>
  new AwsError('InvalidSignatureException', message, 403);

export const incompleteSignature = (message: string): AwsError =>
  new AwsError('IncompleteSignatureException', message, 403);

export const unknownOperation = (): AwsError =>
  new AwsError('UnknownOperationException', '', 400);

export const serialization = (message: string): AwsError =>
  new AwsError('SerializationException', message, 400);

export const accessDenied = (message: string): AwsError =>
  new AwsError('AccessDeniedException', message, 400);

/**
 * An operation of a surface that Berth does not implement yet. 501 is not retried by the AWS
 * SDKs or botocore (they retry 500/502/503/504), so the caller sees the error at once.
 */
export const notImplemented = (service: string, operation: string): AwsError =>
  new AwsError('NotImplementedException', `${service} operation ${operation} is not implemented in Berth yet.`, 501, 'server');
