import { validation } from './errors.js';
import { nodes, required, str, type Node } from './input.js';
import type { LoadBalancerType } from './state.js';

/**
 * Load balancer and target group attributes: the keys each kind has, their AWS defaults and the
 * values they accept. Records store only what callers set; Describe* shows defaults merged.
 */
type Check = (v: string) => boolean;

const boolean: Check = (v) => v === 'true' || v === 'false';
const range = (min: number, max: number): Check => (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const anyOf = (...values: string[]): Check => (v) => values.includes(v);
const any: Check = () => true;

interface Spec { dflt: string; check: Check }

const ALB: Record<string, Spec> = {
  'deletion_protection.enabled': { dflt: 'false', check: boolean },
  'access_logs.s3.enabled': { dflt: 'false', check: boolean },
  'access_logs.s3.bucket': { dflt: '', check: any },
  'access_logs.s3.prefix': { dflt: '', check: any },
  'idle_timeout.timeout_seconds': { dflt: '60', check: range(1, 4000) },
  'client_keep_alive.seconds': { dflt: '3600', check: range(60, 604800) },
  'routing.http2.enabled': { dflt: 'true', check: boolean },
  'routing.http.drop_invalid_header_fields.enabled': { dflt: 'false', check: boolean },
  'routing.http.preserve_host_header.enabled': { dflt: 'false', check: boolean },
  'routing.http.xff_client_port.enabled': { dflt: 'false', check: boolean },
  'routing.http.xff_header_processing.mode': { dflt: 'append', check: anyOf('append', 'preserve', 'remove') },
  'routing.http.desync_mitigation_mode': { dflt: 'defensive', check: anyOf('monitor', 'defensive', 'strictest') },
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': { dflt: 'false', check: boolean },
  'waf.fail_open.enabled': { dflt: 'false', check: boolean },
  'load_balancing.cross_zone.enabled': { dflt: 'true', check: boolean },
};

const NLB: Record<string, Spec> = {
  'deletion_protection.enabled': { dflt: 'false', check: boolean },
  'access_logs.s3.enabled': { dflt: 'false', check: boolean },
  'access_logs.s3.bucket': { dflt: '', check: any },
  'access_logs.s3.prefix': { dflt: '', check: any },
  'load_balancing.cross_zone.enabled': { dflt: 'false', check: boolean },
  'dns_record.client_routing_policy': { dflt: 'any_availability_zone', check: anyOf('availability_zone_affinity', 'partial_availability_zone_affinity', 'any_availability_zone') },
};

const slowStart: Check = (v) => v === '0' || range(30, 900)(v);

const HTTP_GROUP: Record<string, Spec> = {
  'deregistration_delay.timeout_seconds': { dflt: '300', check: range(0, 3600) },
  'stickiness.enabled': { dflt: 'false', check: boolean },
  'stickiness.type': { dflt: 'lb_cookie', check: anyOf('lb_cookie', 'app_cookie') },
  'stickiness.lb_cookie.duration_seconds': { dflt: '86400', check: range(1, 604800) },
  'stickiness.app_cookie.cookie_name': { dflt: '', check: any },
  'stickiness.app_cookie.duration_seconds': { dflt: '86400', check: range(1, 604800) },
  'slow_start.duration_seconds': { dflt: '0', check: slowStart },
  'load_balancing.algorithm.type': { dflt: 'round_robin', check: anyOf('round_robin', 'least_outstanding_requests', 'weighted_random') },
  'load_balancing.algorithm.anomaly_mitigation': { dflt: 'off', check: anyOf('on', 'off') },
  'load_balancing.cross_zone.enabled': { dflt: 'use_load_balancer_configuration', check: anyOf('true', 'false', 'use_load_balancer_configuration') },
};

const TCP_GROUP: Record<string, Spec> = {
  'deregistration_delay.timeout_seconds': { dflt: '300', check: range(0, 3600) },
  'deregistration_delay.connection_termination.enabled': { dflt: 'false', check: boolean },
  'stickiness.enabled': { dflt: 'false', check: boolean },
  'stickiness.type': { dflt: 'source_ip', check: anyOf('source_ip') },
  'proxy_protocol_v2.enabled': { dflt: 'false', check: boolean },
  'preserve_client_ip.enabled': { dflt: 'true', check: boolean },
  'load_balancing.cross_zone.enabled': { dflt: 'use_load_balancer_configuration', check: anyOf('true', 'false', 'use_load_balancer_configuration') },
};

const specsOfLoadBalancer = (type: LoadBalancerType): Record<string, Spec> => (type === 'application' ? ALB : NLB);
/** NLB groups (TCP, TLS, UDP, TCP_UDP) share one set of attributes; ALB groups (HTTP, HTTPS) another. */
const specsOfGroup = (protocol: string): Record<string, Spec> => (protocol === 'HTTP' || protocol === 'HTTPS' ? HTTP_GROUP : TCP_GROUP);

function withDefaults(specs: Record<string, Spec>, set: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = set[k] ?? s.dflt;
  return out;
}

export const loadBalancerAttributes = (type: LoadBalancerType, set: Record<string, string>): Record<string, string> =>
  withDefaults(specsOfLoadBalancer(type), set);
export const targetGroupAttributes = (protocol: string, set: Record<string, string>): Record<string, string> =>
  withDefaults(specsOfGroup(protocol), set);

/** `Attributes.member.N.Key/Value`, each checked against the kind's keys and values. */
function read(n: Node, specs: Record<string, Spec>, what: string): Record<string, string> {
  const list = nodes(n, 'Attributes') ?? [];
  if (list.length === 0) throw validation('1 validation error detected: Value null at \'attributes\' failed to satisfy constraint: Member must not be null');
  const out: Record<string, string> = {};
  for (const a of list) {
    const key = required(a, 'Key', 'attributes.member.key');
    const value = str(a, 'Value') ?? '';
    const spec = specs[key];
    if (!spec) throw validation(`${what} attribute key '${key}' is not recognized`);
    if (!spec.check(value)) throw validation(`${what} attribute '${key}' value '${value}' is not valid`);
    out[key] = value;
  }
  return out;
}

export const readLoadBalancerAttributes = (n: Node, type: LoadBalancerType): Record<string, string> =>
  read(n, specsOfLoadBalancer(type), 'Load balancer');
export const readTargetGroupAttributes = (n: Node, protocol: string): Record<string, string> =>
  read(n, specsOfGroup(protocol), 'Target group');
