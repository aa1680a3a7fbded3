/**
 * The data plane's configuration: plain JSON, shaped after the ELBv2 API so the API room can
 * project its records onto it without translation tables. Attributes keep their AWS keys
 * (`deregistration_delay.timeout_seconds`, `idle_timeout.timeout_seconds`, …) as strings, as
 * Modify*Attributes carries them; `resolve*` turns them into typed settings with AWS defaults.
 *
 * The data plane does not validate AWS ranges (interval 5–300 s, priority 1–50000, …): that is
 * the API room's job. It accepts fractions of a second so tests can run health checks quickly.
 */

export type LoadBalancerType = 'application' | 'network';
export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
export type TargetProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
/** AWS checks health over HTTP, HTTPS or TCP only, whatever the group's protocol. */
export type HealthCheckProtocol = 'HTTP' | 'HTTPS' | 'TCP';

/** NLB protocols: traffic is relayed as flows (connections, datagram flows), not requests. */
export const isFlowProtocol = (p: TargetProtocol | ListenerProtocol): boolean => p === 'TCP' || p === 'TLS' || p === 'UDP' || p === 'TCP_UDP';

export interface DataPlaneConfig {
  loadBalancers: LoadBalancerConfig[];
  targetGroups: TargetGroupConfig[];
}

export interface LoadBalancerConfig {
  /** Any stable id (the API room uses the ARN). */
  id: string;
  type: LoadBalancerType;
  /** Address the listeners bind; default 127.0.0.1. */
  host?: string;
  listeners: ListenerConfig[];
  /**
   * `idle_timeout.timeout_seconds` (60), `routing.http.xff_header_processing.mode` (append|preserve|remove),
   * `routing.http2.enabled` (true), `routing.http.x_amzn_tls_version_and_cipher_suite.enabled` (false).
   */
  attributes?: Record<string, string>;
}

export interface ListenerConfig {
  id: string;
  /** 0 binds an ephemeral port; the runtime reports the bound one. */
  port: number;
  protocol: ListenerProtocol;
  /** HTTPS and TLS. PEM text, or paths to PEM files; absent → a generated self-signed certificate. */
  certificate?: CertificateSource;
  /** HTTPS and TLS: the certificates added beside the default one, chosen by the client's SNI name (sni.ts). */
  sniCertificates?: CertificateSource[];
  /** TLS only: an ELBSecurityPolicy-… name (tls-policy.ts); absent → ELBSecurityPolicy-2016-08. */
  sslPolicy?: string;
  /** TLS only: HTTP1Only | HTTP2Only | HTTP2Optional | HTTP2Preferred | None (the default). */
  alpnPolicy?: string;
  defaultActions: Action[];
  rules?: RuleConfig[];
  /**
   * Listener attributes by their AWS keys: `tcp.idle_timeout.seconds` (350; applied to the
   * connections of TCP and TCP_UDP listeners, though the API offers it on TCP listeners only),
   * `routing.http.response.*` (response-headers.ts),
   * `routing.http.request.x_amzn_tls_{version,cipher_suite}.header_name` (HTTPS). Changing them
   * swaps the listener's route; it never rebinds the port.
   */
  attributes?: Record<string, string>;
}

export type CertificateSource =
  | { certPem: string; keyPem: string }
  | { certFile: string; keyFile: string };

export interface RuleConfig {
  id?: string;
  /** Lower is evaluated first; the default actions act as the lowest priority rule. */
  priority: number;
  conditions: Condition[];
  actions: Action[];
}

export type Condition =
  | { field: 'path-pattern'; values: string[] }
  | { field: 'host-header'; values: string[] }
  | { field: 'http-header'; headerName: string; values: string[] }
  | { field: 'http-request-method'; values: string[] }
  | { field: 'query-string'; values: Array<{ key?: string; value: string }> }
  | { field: 'source-ip'; values: string[] };

export interface WeightedTargetGroup { targetGroupId: string; weight?: number }

export interface RedirectConfig {
  protocol?: string;
  host?: string;
  port?: string;
  path?: string;
  query?: string;
  statusCode: 'HTTP_301' | 'HTTP_302';
}

export type Action =
  | { type: 'forward'; targetGroups: WeightedTargetGroup[] }
  | { type: 'redirect'; redirect: RedirectConfig }
  | { type: 'fixed-response'; statusCode: string; contentType?: string; messageBody?: string };

export interface TargetConfig {
  /** IP address of the target. */
  id: string;
  /** Defaults to the target group's port. */
  port?: number;
}

export interface HealthCheckConfig {
  /** Default: the group's protocol for HTTP(S) groups, TCP for NLB groups. */
  protocol?: HealthCheckProtocol;
  /** A number or 'traffic-port' (the default). */
  port?: number | 'traffic-port';
  path?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
  /** HTTP codes: "200", "200,202", "200-299". */
  matcher?: string;
}

export interface TargetGroupConfig {
  id: string;
  protocol: TargetProtocol;
  port?: number;
  targets: TargetConfig[];
  healthCheck?: HealthCheckConfig;
  /**
   * `deregistration_delay.timeout_seconds` (300), `load_balancing.algorithm.type`
   * (round_robin | least_outstanding_requests), `slow_start.duration_seconds` (0 = off),
   * `stickiness.enabled` (false), `stickiness.type` (lb_cookie), `stickiness.lb_cookie.duration_seconds` (86400).
   */
  attributes?: Record<string, string>;
}

export type Algorithm = 'round_robin' | 'least_outstanding_requests';

export interface HealthCheckSettings {
  protocol: HealthCheckProtocol;
  port: number | 'traffic-port';
  path: string;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}

export interface TargetGroupSettings {
  id: string;
  protocol: TargetProtocol;
  port: number;
  healthCheck: HealthCheckSettings;
  deregistrationDelayMs: number;
  algorithm: Algorithm;
  slowStartMs: number;
  stickiness: { enabled: boolean; durationSeconds: number };
}

export interface LoadBalancerSettings {
  idleTimeoutMs: number;
  xffMode: 'append' | 'preserve' | 'remove';
  http2: boolean;
  /** HTTPS listeners add the client's TLS version and cipher suite to requests (OpenSSL names). */
  tlsHeaders: boolean;
}

export interface ListenerSettings {
  /** The idle timeout of a TCP (or TCP_UDP) listener's connections; TLS listeners keep NLB's fixed 350 s. */
  tcpIdleTimeoutMs: number;
  /** The request header names for the TLS version and cipher suite (renamable on HTTPS listeners). */
  tlsHeaderNames: { version: string; cipherSuite: string };
}

function num(v: string | undefined, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? n : dflt;
}

/**
 * Health check defaults as AWS documents them: HTTP(S) groups check `/` every 30 s with a 5 s
 * timeout, healthy after 5 passes and unhealthy after 2 failures, expecting 200; NLB groups (TCP,
 * TLS, UDP, TCP_UDP) check with a TCP connect and a 10 s timeout.
 */
export function resolveTargetGroup(tg: TargetGroupConfig): TargetGroupSettings {
  const hc = tg.healthCheck ?? {};
  const a = tg.attributes ?? {};
  const hcProtocol: HealthCheckProtocol = hc.protocol ?? (tg.protocol === 'HTTP' || tg.protocol === 'HTTPS' ? tg.protocol : 'TCP');
  const algorithm = a['load_balancing.algorithm.type'] === 'least_outstanding_requests' ? 'least_outstanding_requests' : 'round_robin';
  return {
    id: tg.id,
    protocol: tg.protocol,
    port: tg.port ?? 80,
    healthCheck: {
      protocol: hcProtocol,
      port: hc.port ?? 'traffic-port',
      path: hc.path ?? '/',
      intervalMs: (hc.intervalSeconds ?? 30) * 1000,
      timeoutMs: (hc.timeoutSeconds ?? (hcProtocol === 'TCP' ? 10 : 5)) * 1000,
      healthyThreshold: hc.healthyThreshold ?? 5,
      unhealthyThreshold: hc.unhealthyThreshold ?? 2,
      matcher: hc.matcher ?? '200',
    },
    deregistrationDelayMs: num(a['deregistration_delay.timeout_seconds'], 300) * 1000,
    algorithm,
    // Slow start does not combine with least outstanding requests in AWS; it is ignored there.
    slowStartMs: algorithm === 'round_robin' ? num(a['slow_start.duration_seconds'], 0) * 1000 : 0,
    stickiness: {
      enabled: a['stickiness.enabled'] === 'true' && (a['stickiness.type'] ?? 'lb_cookie') === 'lb_cookie',
      durationSeconds: num(a['stickiness.lb_cookie.duration_seconds'], 86400),
    },
  };
}

export function resolveLoadBalancer(lb: LoadBalancerConfig): LoadBalancerSettings {
  const a = lb.attributes ?? {};
  const mode = a['routing.http.xff_header_processing.mode'];
  return {
    idleTimeoutMs: num(a['idle_timeout.timeout_seconds'], 60) * 1000,
    xffMode: mode === 'preserve' || mode === 'remove' ? mode : 'append',
    http2: a['routing.http2.enabled'] !== 'false',
    tlsHeaders: a['routing.http.x_amzn_tls_version_and_cipher_suite.enabled'] === 'true',
  };
}

/** NLB's TCP idle timeout when the listener sets none (`tcp.idle_timeout.seconds`). */
export const NLB_TCP_IDLE_SECONDS = 350;

export function resolveListener(l: ListenerConfig): ListenerSettings {
  const a = l.attributes ?? {};
  return {
    tcpIdleTimeoutMs: num(a['tcp.idle_timeout.seconds'], NLB_TCP_IDLE_SECONDS) * 1000,
    tlsHeaderNames: {
      version: a['routing.http.request.x_amzn_tls_version.header_name'] || 'X-Amzn-Tls-Version',
      cipherSuite: a['routing.http.request.x_amzn_tls_cipher_suite.header_name'] || 'X-Amzn-Tls-Cipher-Suite',
    },
  };
}

/** The key a target is known by inside a group: `ip:port`. */
export function targetKey(t: TargetConfig, groupPort: number): string {
  return `${t.id}:${t.port ?? groupPort}`;
}
