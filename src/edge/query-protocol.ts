import type { ServerResponse } from 'node:http';
import type { AwsError } from './errors.js';

/**
 * The AWS Query protocol (STS, IAM, ELBv2; EC2's variant differs in its error envelope): flat
 * form-encoded parameters in, XML out.
 */
export function parseQueryParams(raw: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw)) params.set(k, v);
  return params;
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;'));
}

export function sendQueryResult(res: ServerResponse, ns: string, action: string, requestId: string, resultXml: string): void {
  const body =
    `<${action}Response xmlns="${ns}">` +
    `<${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

export function sendQueryError(res: ServerResponse, ns: string, requestId: string, err: AwsError): void {
  const body =
    `<ErrorResponse xmlns="${ns}"><Error><Type>${err.fault === 'client' ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(err.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

/** Query protocol lists: `prefix.member.N` scalars in index order. */
export function queryMembers(p: ReadonlyMap<string, string>, prefix: string): string[] {
  const found: [number, string][] = [];
  const head = `${prefix}.member.`;
  for (const [k, v] of p) if (k.startsWith(head) && /^\d+$/.test(k.slice(head.length))) found.push([Number(k.slice(head.length)), v]);
  return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Query protocol lists of structures: `prefix.member.N.Field`, in index order, each a map of its fields. */
export function queryMemberStructs(p: ReadonlyMap<string, string>, prefix: string): Map<string, string>[] {
  const byIndex = new Map<number, Map<string, string>>();
  const head = `${prefix}.member.`;
  for (const [k, v] of p) {
    if (!k.startsWith(head)) continue;
    const m = /^(\d+)\.(.+)$/.exec(k.slice(head.length));
    if (!m) continue;
    const i = Number(m[1]);
    if (!byIndex.has(i)) byIndex.set(i, new Map());
    byIndex.get(i)!.set(m[2]!, v);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
}
