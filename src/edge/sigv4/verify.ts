/**
 * Server-side AWS Signature Version 4 verification. Pure: no I/O, the clock is an argument, the
 * only state is the bounded signing-key cache. Errors are the `AwsError`s AWS answers with on
 * JSON-protocol services, with AWS's messages.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { invalidSignature, missingAuthenticationToken, unrecognizedClient } from '../errors.js';
import { canonicalRequest } from './canonical.js';
import { ALGORITHM, formatAmzDate, parseAuth, type CredentialScope, type ParsedAuth } from './parse.js';
import { signingKeyCache } from './signing-key.js';

export type { CredentialScope } from './parse.js';

export interface SignedRequest {
  /** e.g. `POST` */
  method: string;
  /** Raw request path as received, without the query string (still percent-encoded). */
  path: string;
  /** Raw query string without `?`, `''` if none. */
  query: string;
  /** node's IncomingHttpHeaders (lower-case names); an array is several values of one header. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Verified {
  accessKeyId: string;
  region: string;
  service: string;
  signedAt: Date;
  sessionToken?: string;
}

/** How far a request's time may be from the server's, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNATURE_HEX = /^[0-9a-f]{64}$/;

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Finds the credential scope without verifying anything; undefined when the request carries no
 * SigV4 auth at all. Throws IncompleteSignatureException when an auth header/param is present
 * but malformed.
 */
export function readCredentialScope(req: SignedRequest): CredentialScope | undefined {
  return parseAuth(req)?.scope;
}

/**
 * Verifies the signature. `secretFor` returns the secret access key of an access key id, or
 * undefined when unknown (UnrecognizedClientException). Throws AwsError; returns the verified scope.
 */
export function verifySigV4(
  req: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: Date,
): Verified {
  const nowMs = now.getTime();
  // An invalid clock would make every time-window comparison false, i.e. accept any date.
  if (Number.isNaN(nowMs)) throw new RangeError('verifySigV4: now is an invalid Date');
  const auth = parseAuth(req);
  if (auth === undefined) throw missingAuthenticationToken();
  const { scope } = auth;

  if (!signsHost(auth.signedHeaders)) {
    throw invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const requestDay = auth.amzDate.slice(0, 8);
  if (scope.date !== requestDay) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${scope.date}' != '${requestDay}', from '${auth.amzDate}'.`,
    );
  }
  checkClock(auth, nowMs);

  const secret = secretFor(scope.accessKeyId);
  if (secret === undefined) throw unrecognizedClient();

  const canonical = canonicalRequest({
    method: req.method,
    rawPath: req.path,
    query: auth.query,
    excludeParam: auth.presigned ? 'X-Amz-Signature' : undefined,
    headers: req.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: payloadHash(req, auth),
  });
  const stringToSign =
    ALGORITHM + '\n' +
    auth.amzDate + '\n' +
    scope.date + '/' + scope.region + '/' + scope.service + '/aws4_request\n' +
    createHash('sha256').update(canonical).digest('hex');
  const key = signingKeyCache.get(secret, scope.date, scope.region, scope.service);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  // The format check reveals nothing about `expected`; the comparison itself is constant-time.
  if (!SIGNATURE_HEX.test(auth.signature) || !timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
    throw invalidSignature(SIGNATURE_MISMATCH);
  }

  const verified: Verified = {
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    service: scope.service,
    signedAt: new Date(auth.signedAtMs),
  };
  if (auth.sessionToken !== undefined) verified.sessionToken = auth.sessionToken;
  return verified;
}

function signsHost(signedHeaders: string): boolean {
  for (const name of signedHeaders.split(';')) if (name.toLowerCase() === 'host') return true;
  return false;
}

function spanText(ms: number): string {
  return ms % 60000 === 0 ? `${ms / 60000} min.` : `${ms / 1000} sec.`;
}

/**
 * Header-signed requests are good for 15 minutes either side of `now`. A presigned URL is good
 * from 15 minutes before its `X-Amz-Date` until `X-Amz-Expires` seconds after it (15 minutes
 * when it names no expiry).
 */
function checkClock(auth: ParsedAuth, nowMs: number): void {
  const at = auth.signedAtMs;
  if (at - nowMs > MAX_CLOCK_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(nowMs + MAX_CLOCK_SKEW_MS)} ` +
        `(${formatAmzDate(nowMs)} + ${spanText(MAX_CLOCK_SKEW_MS)})`,
    );
  }
  const validFor = auth.expiresSeconds !== undefined ? auth.expiresSeconds * 1000 : MAX_CLOCK_SKEW_MS;
  if (nowMs - at > validFor) {
    throw invalidSignature(
      `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(nowMs - validFor)} ` +
        `(${formatAmzDate(nowMs)} - ${spanText(validFor)})`,
    );
  }
}

function headerText(v: string | string[] | undefined): string | undefined {
  return v === undefined || typeof v === 'string' ? v : v.join(',');
}

/**
 * The payload hash of the canonical request. The body is always hashed, so a claimed
 * `x-amz-content-sha256` must match it; `UNSIGNED-PAYLOAD` is honoured on presigned URLs only,
 * which are signed before any body exists.
 */
function payloadHash(req: SignedRequest, auth: ParsedAuth): string {
  const claimed = headerText(req.headers['x-amz-content-sha256']) ?? (auth.presigned ? auth.queryContentSha256 : undefined);
  if (claimed === UNSIGNED_PAYLOAD && auth.presigned) return UNSIGNED_PAYLOAD;
  const actual = req.body.length === 0 ? EMPTY_SHA256 : createHash('sha256').update(req.body).digest('hex');
  if (claimed !== undefined && claimed !== actual) {
    throw invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return actual;
}
