import { validation } from './errors.js';
import { bool, int, node, oneOf, str, type Node } from './input.js';
import type { HealthCheckRecord } from './state.js';

/**
 * Target group health checks with AWS's defaults: every 30 s; HTTP(S) checks `/` with a 5 s
 * timeout expecting 200 (200-399 when an NLB group checks over HTTP), TCP checks with a 10 s
 * timeout; healthy after 5 passes, unhealthy after 2 failures. Ranges: interval 5–300 s,
 * timeout 2–120 s (and below the interval), thresholds 2–10. ip and instance groups are always
 * health checked.
 *
 * Checks run over HTTP, HTTPS or TCP only: NLB groups (TCP, TLS, UDP, TCP_UDP) default to TCP
 * (a UDP group's targets need a TCP or HTTP(S) port to answer on), HTTP(S) groups to their own
 * protocol and cannot use TCP. GENEVE, TLS, UDP and TCP_UDP are refused as check protocols.
 */
const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'] as const;

const isNlbGroup = (protocol: string): boolean => protocol === 'TCP' || protocol === 'TLS' || protocol === 'UDP' || protocol === 'TCP_UDP';

export function readHealthCheck(n: Node, protocol: string, prior?: HealthCheckRecord): HealthCheckRecord {
  const nlb = isNlbGroup(protocol);
  const hcProtocol = oneOf(n, 'HealthCheckProtocol', PROTOCOLS) ?? prior?.protocol ?? (nlb ? 'TCP' : protocol);
  if (hcProtocol !== 'HTTP' && hcProtocol !== 'HTTPS' && hcProtocol !== 'TCP') {
    throw validation(`Health check protocol '${hcProtocol}' is not supported; the GENEVE, TLS, UDP and TCP_UDP protocols are not supported for health checks`);
  }
  if (!nlb && hcProtocol === 'TCP') throw validation(`Health check protocol 'TCP' is not supported for target groups with the ${protocol} protocol`);
  const http = hcProtocol !== 'TCP';
  const protocolChanged = prior !== undefined && prior.protocol !== hcProtocol;
  const enabled = bool(n, 'HealthCheckEnabled');
  if (enabled === false) throw validation('Health checks cannot be disabled for target groups with target type instance or ip');
  const port = str(n, 'HealthCheckPort') ?? prior?.port ?? 'traffic-port';
  if (port !== 'traffic-port' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw validation(`Health check port '${port}' must be 'traffic-port' or a number between 1 and 65535`);
  }
  const path = str(n, 'HealthCheckPath');
  if (path !== undefined && !http) throw validation('You cannot specify a health check path for a TCP health check');
  if (path !== undefined && (!path.startsWith('/') || path.length > 1024)) throw validation(`Health check path '${path}' must start with '/' and be at most 1024 characters`);
  const matcher = node(n, 'Matcher');
  const code = matcher ? str(matcher, 'HttpCode') : undefined;
  if (code !== undefined && !http) throw validation('You cannot specify a matcher for a TCP health check');
  if (code !== undefined && !/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(code)) throw validation(`Health check matcher HTTP code '${code}' must be a code, a list or a range between 200 and 599`);
  const keep = <T>(v: T | undefined, old: T | undefined, dflt: T): T => v ?? (protocolChanged ? dflt : old ?? dflt);
  const hc: HealthCheckRecord = {
    enabled: true,
    protocol: hcProtocol,
    port,
    ...(http ? { path: path ?? (protocolChanged ? undefined : prior?.path) ?? '/' } : {}),
    intervalSeconds: int(n, 'HealthCheckIntervalSeconds', 5, 300) ?? prior?.intervalSeconds ?? 30,
    timeoutSeconds: keep(int(n, 'HealthCheckTimeoutSeconds', 2, 120), prior?.timeoutSeconds, http ? 5 : 10),
    healthyThreshold: int(n, 'HealthyThresholdCount', 2, 10) ?? prior?.healthyThreshold ?? 5,
    unhealthyThreshold: int(n, 'UnhealthyThresholdCount', 2, 10) ?? prior?.unhealthyThreshold ?? 2,
    ...(http ? { matcher: code ?? (protocolChanged ? undefined : prior?.matcher) ?? (nlb ? '200-399' : '200') } : {}),
  };
  if (hc.timeoutSeconds >= hc.intervalSeconds) throw validation('Health check interval must be greater than the timeout.');
  return hc;
}
