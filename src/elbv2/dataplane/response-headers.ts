/**
 * The response headers an ALB listener sets (listener attributes `routing.http.response.*`),
 * resolved once per applied config into a plan the request paths only read:
 *
 * - each `…header_value` that is not empty adds its header to every response the listener sends
 *   to clients: relayed target responses and the load balancer's own (error pages, fixed
 *   responses, redirects). A target's header of the same name is replaced, as AWS documents
 *   ("if the response from the target includes the header, the load balancer updates its value");
 * - `routing.http.response.server.enabled=false` drops `Server: awselb/2.0` from the load
 *   balancer's own responses. AWS removes the header the load balancer generates; a target's own
 *   Server header is relayed as it is.
 *
 * A listener that sets nothing gets NO_RESPONSE_HEADERS, whose empty block and undefined `names`
 * let the HTTP/1.1 fast path skip all of this with one comparison per header.
 */
import { ELB_SERVER } from './error-pages.js';

/** Listener attribute → the header it sets, in the order the headers are written. */
export const INSERTED_RESPONSE_HEADERS: ReadonlyArray<readonly [attribute: string, header: string]> = [
  ['routing.http.response.strict_transport_security.header_value', 'Strict-Transport-Security'],
  ['routing.http.response.access_control_allow_origin.header_value', 'Access-Control-Allow-Origin'],
  ['routing.http.response.access_control_allow_methods.header_value', 'Access-Control-Allow-Methods'],
  ['routing.http.response.access_control_allow_headers.header_value', 'Access-Control-Allow-Headers'],
  ['routing.http.response.access_control_allow_credentials.header_value', 'Access-Control-Allow-Credentials'],
  ['routing.http.response.access_control_expose_headers.header_value', 'Access-Control-Expose-Headers'],
  ['routing.http.response.access_control_max_age.header_value', 'Access-Control-Max-Age'],
  ['routing.http.response.content_security_policy.header_value', 'Content-Security-Policy'],
  ['routing.http.response.x_content_type_options.header_value', 'X-Content-Type-Options'],
  ['routing.http.response.x_frame_options.header_value', 'X-Frame-Options'],
];

export const SERVER_HEADER_ATTRIBUTE = 'routing.http.response.server.enabled';

export interface ResponseHeaderPlan {
  /** `Name: value\r\n` lines for HTTP/1.1 heads; '' when the listener inserts nothing. */
  readonly block: string;
  /** The same headers as flat name/value pairs (canonical case), for node:http's writeHead. */
  readonly pairs: readonly string[];
  /** Lower-case names of the inserted headers; undefined when there are none. */
  readonly names: ReadonlySet<string> | undefined;
  /** `lengths[n]`: some inserted name is n characters long (a relayed header is lower-cased only then). */
  readonly lengths: readonly boolean[];
  /** The headers of the load balancer's own responses: Server (unless disabled) and the inserted ones. */
  readonly own: Readonly<Record<string, string>>;
  /** Whether the load balancer's own responses carry `Server: awselb/2.0`. */
  readonly server: boolean;
}

export const NO_RESPONSE_HEADERS: ResponseHeaderPlan = { block: '', pairs: [], names: undefined, lengths: [], own: { Server: ELB_SERVER }, server: true };

/** The plan for a listener's attributes (AWS keys; absent or empty values insert nothing). */
export function responseHeaderPlan(attributes: Readonly<Record<string, string>> | undefined): ResponseHeaderPlan {
  const a = attributes ?? {};
  const server = a[SERVER_HEADER_ATTRIBUTE] !== 'false';
  const pairs: string[] = [];
  for (const [attribute, header] of INSERTED_RESPONSE_HEADERS) {
    const value = a[attribute];
    if (value !== undefined && value !== '') pairs.push(header, value);
  }
  if (pairs.length === 0 && server) return NO_RESPONSE_HEADERS;
  let block = '';
  const names = new Set<string>();
  const lengths: boolean[] = [];
  const own: Record<string, string> = server ? { Server: ELB_SERVER } : {};
  for (let i = 0; i < pairs.length; i += 2) {
    block += `${pairs[i]}: ${pairs[i + 1]}\r\n`;
    names.add(pairs[i]!.toLowerCase());
    lengths[pairs[i]!.length] = true;
    own[pairs[i]!] = pairs[i + 1]!;
  }
  return { block, pairs, names: names.size > 0 ? names : undefined, lengths, own, server };
}

/** Whether a relayed header (any case) is one the plan sets, so the target's copy is dropped. */
export function replaces(plan: ResponseHeaderPlan, name: string): boolean {
  return plan.names !== undefined && plan.lengths[name.length] === true && plan.names.has(name.toLowerCase());
}
