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
