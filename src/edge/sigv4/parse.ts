/**
 * Reads the SigV4 authentication a request carries, either an `Authorization: AWS4-HMAC-SHA256 …`
 * header or presigned `X-Amz-*` query parameters, without checking any signature or clock.
 * Structural faults throw IncompleteSignatureException with the wording AWS uses.
 */
import { incompleteSignature } from '../errors.js';
import { parseQuery, type QueryParam } from './canonical.js';
import { decodeQueryComponent } from './encoding.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Presigned URLs live at most seven days, as a signing key's scope date allows. */
export const MAX_EXPIRES_SECONDS = 604800;

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface ParsedAuth {
  readonly presigned: boolean;
  readonly scope: CredentialScope;
  /** `SignedHeaders` exactly as sent, `;`-separated. */
  readonly signedHeaders: string;
  readonly signature: string;
  /** The request time in ISO 8601 basic form (`20261122T043000Z`), as it enters the string to sign. */
  readonly amzDate: string;
  readonly signedAtMs: number;
  /** Presigned only: `X-Amz-Expires` in seconds, when given. */
  readonly expiresSeconds?: number;
  readonly sessionToken?: string;
  /** Presigned only: the `X-Amz-Content-Sha256` query parameter, when given. */
  readonly queryContentSha256?: string;
  readonly query: readonly QueryParam[];
}

type Headers = Record<string, string | string[] | undefined>;

function headerText(v: string | string[] | undefined): string | undefined {
  return v === undefined || typeof v === 'string' ? v : v.join(',');
}

/** `YYYYMMDDTHHMMSSZ` of an epoch-milliseconds time. */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-22T04:30:00.000Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Epoch milliseconds of an ISO 8601 basic timestamp, NaN when it is not one (or names no real instant). */
export function parseAmzDate(s: string): number {
  const m = AMZ_DATE.exec(s);
  if (m === null) return NaN;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return formatAmzDate(ms) === s ? ms : NaN;
}

const badDate = (got: string) =>
  incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${got}'. See http://en.wikipedia.org/wiki/ISO_8601`);

/** Splits `AKID/YYYYMMDD/region/service/aws4_request` into its scope. */
export function parseCredential(credential: string): CredentialScope {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[0] === '') {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  if (terminator !== 'aws4_request') {
    throw incompleteSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  if (!/^\d{8}$/.test(date)) {
    throw incompleteSignature(`Invalid credential date '${date}'. The credential date must be in the format YYYYMMDD.`);
  }
  if (region === '') throw incompleteSignature(`Credential should be scoped to a valid region, not ''.`);
  if (service === '') throw incompleteSignature(`Credential should be scoped to a valid service, not ''.`);
  return { accessKeyId, date, region, service };
}

function parseHeaderAuth(auth: string, headers: Headers, query: QueryParam[]): ParsedAuth {
  const text = auth.trim();
  const space = text.indexOf(' ');
  const algorithm = space === -1 ? text : text.slice(0, space);
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  if (algorithm === ALGORITHM) {
    for (const part of text.slice(space + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq === -1) continue;
      const key = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      if (value === '') continue;
      if (key === 'Credential') credential ??= value;
      else if (key === 'SignedHeaders') signedHeaders ??= value;
      else if (key === 'Signature') signature ??= value;
    }
  } else if (algorithm.startsWith('AWS4-')) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'. Only '${ALGORITHM}' is supported.`);
  }
  // Anything else (Basic, Bearer, SigV2, empty) reads as a header lacking every SigV4 part.
  const amzDateHeader = headerText(headers['x-amz-date']);
  const dateHeader = amzDateHeader === undefined ? headerText(headers['date']) : undefined;
  const missing: string[] = [];
  if (credential === undefined) missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeaders === undefined) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDateHeader === undefined && dateHeader === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incompleteSignature(`${missing.join(' ')} Authorization=${auth}`);

  const scope = parseCredential(credential!);
  let signedAtMs: number;
  if (amzDateHeader !== undefined) {
    signedAtMs = parseAmzDate(amzDateHeader);
    if (Number.isNaN(signedAtMs)) throw badDate(amzDateHeader);
  } else {
    // A `Date` header may carry either form; the string to sign always uses the basic form.
    signedAtMs = parseAmzDate(dateHeader!);
    if (Number.isNaN(signedAtMs)) signedAtMs = Date.parse(dateHeader!);
    if (Number.isNaN(signedAtMs)) throw badDate(dateHeader!);
  }
  return {
    presigned: false,
    scope,
    signedHeaders: signedHeaders!,
    signature: signature!,
    amzDate: amzDateHeader ?? formatAmzDate(signedAtMs),
    signedAtMs,
    sessionToken: headerText(headers['x-amz-security-token']),
    query,
  };
}

function firstParam(query: readonly QueryParam[], name: string, anyCase = false): string | undefined {
  for (const p of query) {
    if (p.name === name || (anyCase && p.name.toLowerCase() === name.toLowerCase())) return decodeQueryComponent(p.rawValue);
  }
  return undefined;
}

function parsePresigned(query: QueryParam[]): ParsedAuth {
  const algorithm = firstParam(query, 'X-Amz-Algorithm');
  const credential = firstParam(query, 'X-Amz-Credential');
  const signature = firstParam(query, 'X-Amz-Signature');
  const signedHeaders = firstParam(query, 'X-Amz-SignedHeaders');
  const amzDate = firstParam(query, 'X-Amz-Date');
  const missing: string[] = [];
  const need = (value: string | undefined, name: string) => {
    if (value === undefined || value === '') missing.push(`AWS query-string parameters must include '${name}'.`);
  };
  need(algorithm, 'X-Amz-Algorithm');
  need(credential, 'X-Amz-Credential');
  need(signature, 'X-Amz-Signature');
  need(signedHeaders, 'X-Amz-SignedHeaders');
  need(amzDate, 'X-Amz-Date');
  if (missing.length > 0) throw incompleteSignature(`${missing.join(' ')} Re-examine the query-string parameters.`);
  if (algorithm !== ALGORITHM) throw incompleteSignature(`X-Amz-Algorithm only supports "${ALGORITHM}"`);

  const scope = parseCredential(credential!);
  const signedAtMs = parseAmzDate(amzDate!);
  if (Number.isNaN(signedAtMs)) throw badDate(amzDate!);
  const expires = firstParam(query, 'X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    if (!/^\d{1,10}$/.test(expires)) throw incompleteSignature('X-Amz-Expires should be a number');
    expiresSeconds = Number(expires);
    if (expiresSeconds > MAX_EXPIRES_SECONDS) {
      throw incompleteSignature(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
    }
  }
  return {
    presigned: true,
    scope,
    signedHeaders: signedHeaders!,
    signature: signature!,
    amzDate: amzDate!,
    signedAtMs,
    expiresSeconds,
    sessionToken: firstParam(query, 'X-Amz-Security-Token'),
    // Signers hoist the x-amz-content-sha256 header into the query keeping its spelling, whatever it was.
    queryContentSha256: firstParam(query, 'X-Amz-Content-Sha256', true),
    query,
  };
}

const PRESIGN_MARKERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'];

/**
 * The SigV4 authentication of a request, or undefined when it carries none (no `Authorization`
 * header and none of `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Signature` in the query).
 */
export function parseAuth(req: { query: string; headers: Headers }): ParsedAuth | undefined {
  const query = parseQuery(req.query);
  const presigned = query.length > 0 && query.some((p) => PRESIGN_MARKERS.includes(p.name));
  const auth = headerText(req.headers['authorization']);
  if (auth !== undefined) {
    if (presigned) {
      throw incompleteSignature(
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header. Only one authentication mechanism may be used.",
      );
    }
    return parseHeaderAuth(auth, req.headers, query);
  }
  return presigned ? parsePresigned(query) : undefined;
}
