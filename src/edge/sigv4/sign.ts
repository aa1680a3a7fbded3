/**
 * A small synchronous SigV4 signer for Berth's own clients (the CLI, the load generator). It
 * builds the canonical request with the verifier's own rules, which are checked against the
 * AWS SDK's and botocore's signers, so what it signs is what an SDK would have signed.
 */
import { createHash, createHmac } from 'node:crypto';
import { canonicalRequest, parseQuery } from './canonical.js';
import { ALGORITHM, formatAmzDate } from './parse.js';
import { SigningKeyCache } from './signing-key.js';

export interface SignInput {
  method: string;
  /** `host[:port]`, as the Host header will carry it. */
  host: string;
  /** The path as it goes on the wire (already percent-encoded). */
  path: string;
  /** The query string as it goes on the wire, without `?`; `''` if none. */
  query: string;
  body: Buffer;
  region: string;
  service: string;
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  now: Date;
  /** Headers to send and sign, e.g. content-type and x-amz-target. */
  headers?: Record<string, string>;
}

// A client signs for few scopes; its own cache keeps it from evicting a co-hosted server's keys.
const keys = new SigningKeyCache(16);

/**
 * Returns the headers to send: the given ones (names lower-cased) plus `host`, `x-amz-date`,
 * `x-amz-security-token` when there is a session token, `content-length` (not signed) and
 * `authorization`.
 */
export function signRequest(input: SignInput): Record<string, string> {
  const amzDate = formatAmzDate(input.now.getTime());
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['host'] = input.host;
  headers['x-amz-date'] = amzDate;
  if (input.creds.sessionToken !== undefined) headers['x-amz-security-token'] = input.creds.sessionToken;
  const signedHeaders = Object.keys(headers).sort().join(';');

  const canonical = canonicalRequest({
    method: input.method,
    rawPath: input.path,
    query: parseQuery(input.query),
    headers,
    signedHeaders,
    payloadHash: createHash('sha256').update(input.body).digest('hex'),
  });
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const key = keys.get(input.creds.secretAccessKey, date, input.region, input.service);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');

  headers['content-length'] = String(input.body.length);
  headers['authorization'] =
    `${ALGORITHM} Credential=${input.creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
