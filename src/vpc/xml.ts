import { xmlEscape } from '../edge/query-protocol.js';
import type { AwsError } from '../edge/errors.js';
import type { Tag } from './state.js';

/**
 * EC2's flavour of Query XML. Unlike STS/IAM there is no `<XResult>` wrapper: result members sit
 * directly in `<XResponse>` next to `<requestId>`; element names are lower camel; lists are
 * `<fooSet><item>…</item></fooSet>`; errors are `<Response><Errors><Error>…` with `<RequestID>`.
 */

/** `<name>value</name>`, or nothing when the value is absent. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${typeof value === 'string' ? xmlEscape(value) : String(value)}</${name}>`;
}

/** `<name>inner</name>` around already-encoded XML. */
export const wrap = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

/** `<name><item>…</item>…</name>`; an empty list is an empty element, as EC2 sends it. */
export function set<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return `<${name}>${items.map((i) => `<item>${render(i)}</item>`).join('')}</${name}>`;
}

/** A resource's `tagSet`, left out when it has no tags (EC2 omits it then). */
export const tagSet = (tags: readonly Tag[]): string =>
  tags.length === 0 ? '' : set('tagSet', tags, (t) => el('key', t.Key) + el('value', t.Value));

/** Timestamps go out as ISO 8601 with milliseconds, EC2's dateTime format. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The success envelope: `<XResponse xmlns><requestId/>…members…</XResponse>`. */
export function ec2Response(ns: string, action: string, requestId: string, members: string): string {
  return `${XML_DECL}<${action}Response xmlns="${ns}">${el('requestId', requestId)}${members}</${action}Response>`;
}

/** The error envelope: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`. */
export function ec2Error(err: AwsError, requestId: string): string {
  return `${XML_DECL}<Response><Errors><Error>${el('Code', err.code)}${el('Message', err.message)}</Error></Errors>${el('RequestID', requestId)}</Response>`;
}
