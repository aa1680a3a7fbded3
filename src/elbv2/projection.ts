import type {
  Action, CertificateSource, Condition, DataPlaneConfig, HealthCheckConfig, ListenerConfig, LoadBalancerConfig, TargetGroupConfig,
} from './dataplane/index.js';
import { loadBalancerAttributes, targetGroupAttributes } from './attributes.js';
import { listenerAttributes } from './listener-attributes.js';
import type { ActionRecord, ConditionRecord, Elbv2State, ListenerRecord, LoadBalancerRecord, Scope, TargetGroupRecord } from './state.js';

/**
 * The data plane's config derived from the store (pure): every load balancer of every account
 * with its listeners and rules, every target group with its registered targets. Ids are ARNs.
 * Listeners in `skip` are left out (ones that could not bind at start; see applier.ts).
 */
export interface ProjectionOptions {
  host?: string;
  skip?: ReadonlySet<string>;
  /** The PEM pair for a listener certificate ARN; undefined → the data plane's self-signed one. */
  certificate?: (scope: Scope, arn: string) => CertificateSource | undefined;
}

export function project(state: Elbv2State, opts: ProjectionOptions = {}): DataPlaneConfig {
  const listenersByLb = new Map<string, ListenerRecord[]>();
  for (const l of state.listeners.values()) {
    if (opts.skip?.has(l.arn)) continue;
    const list = listenersByLb.get(l.loadBalancerArn) ?? [];
    list.push(l);
    listenersByLb.set(l.loadBalancerArn, list);
  }
  const rulesByListener = new Map<string, ListenerConfig['rules'] & object>();
  for (const r of state.rules.values()) {
    const list = rulesByListener.get(r.listenerArn) ?? [];
    list.push({ id: r.arn, priority: r.priority, conditions: r.conditions.map(condition), actions: r.actions.map(action) });
    rulesByListener.set(r.listenerArn, list);
  }
  const loadBalancers = [...state.loadBalancers.values()].map((lb): LoadBalancerConfig => ({
    id: lb.arn,
    type: lb.type,
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    attributes: loadBalancerAttributes(lb.type, lb.attributes),
    listeners: (listenersByLb.get(lb.arn) ?? []).map((l) => listener(lb, l, rulesByListener.get(l.arn) ?? [], opts)),
  }));
  return { loadBalancers, targetGroups: [...state.targetGroups.values()].map(targetGroup) };
}

function listener(lb: LoadBalancerRecord, l: ListenerRecord, rules: NonNullable<ListenerConfig['rules']>, opts: ProjectionOptions): ListenerConfig {
  const arn = l.certificates[0]?.CertificateArn;
  const certificate = arn !== undefined ? opts.certificate?.(lb, arn) : undefined;
  // Listed certificates without PEM material (ACM ARNs: Berth has no ACM) add nothing to serve.
  const sniCertificates = (l.sniCertificates ?? []).flatMap((a) => opts.certificate?.(lb, a) ?? []);
  return {
    id: l.arn,
    port: l.port,
    protocol: l.protocol as ListenerConfig['protocol'],
    ...(certificate ? { certificate } : {}),
    ...(sniCertificates.length > 0 ? { sniCertificates } : {}),
    // The security and ALPN policies are applied on NLB TLS listeners; HTTPS keeps node's defaults.
    ...(l.protocol === 'TLS' && l.sslPolicy !== undefined ? { sslPolicy: l.sslPolicy } : {}),
    ...(l.protocol === 'TLS' && l.alpnPolicy?.[0] !== undefined ? { alpnPolicy: l.alpnPolicy[0] } : {}),
    defaultActions: l.defaultActions.map(action),
    rules,
    attributes: listenerAttributes(l.protocol, l.attributes ?? {}),
  };
}

function targetGroup(tg: TargetGroupRecord): TargetGroupConfig {
  const hc = tg.healthCheck;
  const healthCheck: HealthCheckConfig = {
    protocol: hc.protocol as HealthCheckConfig['protocol'],
    port: hc.port === 'traffic-port' ? 'traffic-port' : Number(hc.port),
    ...(hc.path !== undefined ? { path: hc.path } : {}),
    intervalSeconds: hc.intervalSeconds,
    timeoutSeconds: hc.timeoutSeconds,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
    ...(hc.matcher !== undefined ? { matcher: hc.matcher } : {}),
  };
  return {
    id: tg.arn,
    protocol: tg.protocol as TargetGroupConfig['protocol'],
    port: tg.port,
    targets: tg.targets.map((t) => ({ id: t.ip, port: t.port })),
    healthCheck,
    attributes: targetGroupAttributes(tg.protocol, tg.attributes),
  };
}

export function action(a: ActionRecord): Action {
  if (a.Type === 'forward') {
    return { type: 'forward', targetGroups: (a.ForwardConfig?.TargetGroups ?? []).map((g) => ({ targetGroupId: g.TargetGroupArn, weight: g.Weight })) };
  }
  if (a.Type === 'redirect') {
    const r = a.RedirectConfig!;
    return { type: 'redirect', redirect: { protocol: r.Protocol, host: r.Host, port: r.Port, path: r.Path, query: r.Query, statusCode: r.StatusCode } };
  }
  const f = a.FixedResponseConfig!;
  return {
    type: 'fixed-response', statusCode: f.StatusCode,
    ...(f.ContentType !== undefined ? { contentType: f.ContentType } : {}), ...(f.MessageBody !== undefined ? { messageBody: f.MessageBody } : {}),
  };
}

export function condition(c: ConditionRecord): Condition {
  switch (c.Field) {
    case 'host-header': return { field: 'host-header', values: c.HostHeaderConfig?.Values ?? c.Values ?? [] };
    case 'path-pattern': return { field: 'path-pattern', values: c.PathPatternConfig?.Values ?? c.Values ?? [] };
    case 'http-header': return { field: 'http-header', headerName: c.HttpHeaderConfig!.HttpHeaderName, values: c.HttpHeaderConfig!.Values };
    case 'http-request-method': return { field: 'http-request-method', values: c.HttpRequestMethodConfig!.Values };
    case 'query-string': return { field: 'query-string', values: c.QueryStringConfig!.Values.map((v) => ({ ...(v.Key !== undefined ? { key: v.Key } : {}), value: v.Value })) };
    default: return { field: 'source-ip', values: c.SourceIpConfig!.Values };
  }
}
