/**
 * The ELBv2 data plane: ALB (HTTP/HTTPS with HTTP/2, WebSocket) and NLB (TCP, TLS, UDP, TCP_UDP)
 * on real sockets.
 * Self-contained: it imports nothing from the rest of Berth. The API room projects its records
 * onto a DataPlaneConfig and calls `apply`; DescribeTargetHealth and CloudWatch read back
 * through `describeTargetHealth` and `metrics`.
 */
export * from './config.js';
export { LoadBalancerRuntime, type ListenerAddress, type RuntimeOptions } from './runtime.js';
export type { TargetHealthDescription } from './target-pool.js';
export type { Clock, HealthProbe, CertificateIssuer, KeyPairPem } from './ports.js';
export { nodeHealthProbe } from './health-probe.js';
export { selfSignedCertificate, selfSignedIssuer } from './self-signed.js';
export { compileRules, matchRule, type RequestView, type RuleTable } from './rules.js';
export { buildRedirectUrl } from './redirect.js';
export { nextHealth, parseMatcher, REASON, type TargetHealth, type TargetState, type ProbeResult } from './target-health.js';
export { pickTarget, pickWeighted } from './selection.js';
export { HttpCounters, FlowCounters, type DataPlaneMetrics } from './metrics.js';
export { ALPN_POLICIES, DEFAULT_SSL_POLICY, alpnProtocols, tlsVersions } from './tls-policy.js';
export { FlowTable } from './udp-flow-table.js';
