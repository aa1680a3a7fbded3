/**
 * The SigV4 canonical request, rebuilt from the request as the server received it. The rules
 * are those of the AWS SDKs and botocore for non-S3 services, which sign the bytes they put on
 * the wire: the path is dot-normalised and percent-encoded once more (so an `%20` on the wire is
 * `%2520` here), query names and values are brought to RFC 3986 form and sorted, header values
 * are trimmed with inner runs of blanks collapsed.
 */
import { canonicalQueryComponent, uriEncode } from './encoding.js';

/** One `name=value` pair of the query string, raw as received and in canonical encoding. */
export interface QueryParam {
  readonly rawName: string;
  readonly rawValue: string;
  readonly name: string;
  readonly value: string;
}

/** Splits a raw query string (without `?`) into its pairs; a pair without `=` has value `''`. */
export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (rawQuery === '') return params;
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf('&', start);
    if (end === -1) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const rawName = rawQuery.slice(start, hasValue ? eq : end);
      const rawValue = hasValue ? rawQuery.slice(eq + 1, end) : '';
      params.push({ rawName, rawValue, name: canonicalQueryComponent(rawName), value: canonicalQueryComponent(rawValue) });
    }
    start = end + 1;
  }
  return params;
}

function byNameThenValue(a: QueryParam, b: QueryParam): number {
  // Code-unit order equals byte order here: canonical components are plain ASCII.
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return 0;
}

/** Canonical query string; `exclude` names a parameter left out (presigned `X-Amz-Signature`). */
export function canonicalQueryString(params: readonly QueryParam[], exclude?: string): string {
  if (params.length === 0) return '';
  const kept = exclude === undefined ? params.slice() : params.filter((p) => p.name !== exclude);
  kept.sort(byNameThenValue);
  let out = '';
  for (let i = 0; i < kept.length; i++) {
    if (i > 0) out += '&';
    out += kept[i].name + '=' + kept[i].value;
  }
  return out;
}

/**
 * Canonical URI of a non-S3 request from its raw (still percent-encoded) path: empty and `.`
 * segments dropped, `..` removing its predecessor (RFC 3986 section 5.2.4, plus the AWS rule
 * that consecutive slashes collapse), then every segment encoded again.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  const segments: string[] = [];
  let start = rawPath.charCodeAt(0) === 47 ? 1 : 0;
  while (start <= rawPath.length) {
    let end = rawPath.indexOf('/', start);
    if (end === -1) end = rawPath.length;
    const seg = rawPath.slice(start, end);
    if (seg === '..') segments.pop();
    else if (seg !== '' && seg !== '.') segments.push(uriEncode(seg));
    start = end + 1;
  }
  if (segments.length === 0) return '/';
  const leading = rawPath.charCodeAt(0) === 47 ? '/' : '';
  const trailing = rawPath.charCodeAt(rawPath.length - 1) === 47 ? '/' : '';
  return leading + segments.join('/') + trailing;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function trimAndCollapse(v: string): string {
  const n = v.length;
  if (n === 0) return v;
  let clean = !isBlank(v.charCodeAt(0)) && !isBlank(v.charCodeAt(n - 1));
  for (let i = 0; clean && i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 9 || (c === 32 && v.charCodeAt(i + 1) === 32)) clean = false;
  }
  return clean ? v : v.replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * Canonical value of one header: trimmed, inner runs of blanks collapsed to one space; several
 * values (node's `headersDistinct` shape) are each canonicalised and joined with `,`. A signed
 * header missing from the request canonicalises to the empty string.
 */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return trimAndCollapse(value);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ',';
    out += trimAndCollapse(value[i]);
  }
  return out;
}

export interface CanonicalRequestParts {
  readonly method: string;
  readonly rawPath: string;
  readonly query: readonly QueryParam[];
  /** Query parameter excluded from the canonical query string, if any. */
  readonly excludeParam?: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The `SignedHeaders` list exactly as the client sent it (`;`-separated). */
  readonly signedHeaders: string;
  readonly payloadHash: string;
}

export function canonicalRequest(p: CanonicalRequestParts): string {
  let headerBlock = '';
  let start = 0;
  const list = p.signedHeaders;
  while (start <= list.length) {
    let end = list.indexOf(';', start);
    if (end === -1) end = list.length;
    const name = list.slice(start, end);
    const value = p.headers[name] ?? p.headers[name.toLowerCase()];
    headerBlock += name + ':' + canonicalHeaderValue(value) + '\n';
    start = end + 1;
  }
  return (
    p.method + '\n' +
    canonicalUri(p.rawPath) + '\n' +
    canonicalQueryString(p.query, p.excludeParam) + '\n' +
    headerBlock + '\n' +
    p.signedHeaders + '\n' +
    p.payloadHash
  );
}
