import { xmlEscape } from '../edge/query-protocol.js';
import { el, list, wrap } from '../edge/query-xml.js';
import { canonicalHostedZoneId } from './zones.js';
import type { ActionRecord, ConditionRecord, ListenerRecord, LoadBalancerRecord, RuleRecord, Tag, TargetGroupRecord } from './state.js';

/**
 * ELBv2's Query XML: members in `<XResult>`, lists as `<Name><member>…</member></Name>`,
 * timestamps ISO 8601 with milliseconds, booleans `true`/`false`.
 */
export { el, list, wrap };

const strings = (name: string, items: readonly string[]): string => list(name, items, (s) => xmlEscape(s));

export const isoTime = (ms: number): string => new Date(ms).toISOString();

export const renderTags = (tags: readonly Tag[]): string => list('Tags', tags, (t) => el('Key', t.Key) + el('Value', t.Value));

export function renderLoadBalancer(lb: LoadBalancerRecord): string {
  return el('LoadBalancerArn', lb.arn) + el('DNSName', lb.dnsName) +
    el('CanonicalHostedZoneId', canonicalHostedZoneId(lb.region, lb.type)) + el('CreatedTime', isoTime(lb.createdAt)) +
    el('LoadBalancerName', lb.name) + el('Scheme', lb.scheme) + el('VpcId', lb.vpcId) +
    // Berth binds the listeners synchronously, so a load balancer is active as soon as it exists.
    wrap('State', el('Code', 'active')) + el('Type', lb.type) +
    list('AvailabilityZones', lb.zones, (z) => el('ZoneName', z.zoneName) + el('SubnetId', z.subnetId) + '<LoadBalancerAddresses/>') +
    (lb.type === 'application' || lb.securityGroups.length > 0 ? strings('SecurityGroups', lb.securityGroups) : '') +
    el('IpAddressType', lb.ipAddressType);
}

export function renderTargetGroup(tg: TargetGroupRecord, loadBalancerArns: readonly string[]): string {
  const hc = tg.healthCheck;
  return el('TargetGroupArn', tg.arn) + el('TargetGroupName', tg.name) + el('Protocol', tg.protocol) + el('Port', tg.port) +
    el('VpcId', tg.vpcId) + el('HealthCheckProtocol', hc.protocol) + el('HealthCheckPort', hc.port) +
    el('HealthCheckEnabled', hc.enabled) + el('HealthCheckIntervalSeconds', hc.intervalSeconds) +
    el('HealthCheckTimeoutSeconds', hc.timeoutSeconds) + el('HealthyThresholdCount', hc.healthyThreshold) +
    el('UnhealthyThresholdCount', hc.unhealthyThreshold) + el('HealthCheckPath', hc.path) +
    (hc.matcher !== undefined ? wrap('Matcher', el('HttpCode', hc.matcher)) : '') +
    strings('LoadBalancerArns', loadBalancerArns) + el('TargetType', tg.targetType) + el('ProtocolVersion', tg.protocolVersion) +
    el('IpAddressType', tg.ipAddressType);
}

export function renderAction(a: ActionRecord): string {
  const f = a.ForwardConfig;
  const r = a.RedirectConfig;
  const x = a.FixedResponseConfig;
  return el('Type', a.Type) + el('TargetGroupArn', a.TargetGroupArn) + el('Order', a.Order) +
    (r ? wrap('RedirectConfig', el('Protocol', r.Protocol) + el('Port', r.Port) + el('Host', r.Host) + el('Path', r.Path) + el('Query', r.Query) + el('StatusCode', r.StatusCode)) : '') +
    (x ? wrap('FixedResponseConfig', el('MessageBody', x.MessageBody) + el('StatusCode', x.StatusCode) + el('ContentType', x.ContentType)) : '') +
    (f ? wrap('ForwardConfig',
      list('TargetGroups', f.TargetGroups, (g) => el('TargetGroupArn', g.TargetGroupArn) + el('Weight', g.Weight)) +
      wrap('TargetGroupStickinessConfig', el('Enabled', f.TargetGroupStickinessConfig.Enabled) + el('DurationSeconds', f.TargetGroupStickinessConfig.DurationSeconds))) : '');
}

export const renderActions = (name: string, actions: readonly ActionRecord[]): string => list(name, actions, renderAction);

export function renderCondition(c: ConditionRecord): string {
  const values = (name: string, cfg: { Values: string[] } | undefined): string => (cfg ? wrap(name, strings('Values', cfg.Values)) : '');
  return el('Field', c.Field) + (c.Values ? strings('Values', c.Values) : '') +
    values('HostHeaderConfig', c.HostHeaderConfig) + values('PathPatternConfig', c.PathPatternConfig) +
    (c.HttpHeaderConfig ? wrap('HttpHeaderConfig', el('HttpHeaderName', c.HttpHeaderConfig.HttpHeaderName) + strings('Values', c.HttpHeaderConfig.Values)) : '') +
    (c.QueryStringConfig ? wrap('QueryStringConfig', list('Values', c.QueryStringConfig.Values, (kv) => el('Key', kv.Key) + el('Value', kv.Value))) : '') +
    values('HttpRequestMethodConfig', c.HttpRequestMethodConfig) + values('SourceIpConfig', c.SourceIpConfig);
}

export function renderListener(l: ListenerRecord): string {
  return el('ListenerArn', l.arn) + el('LoadBalancerArn', l.loadBalancerArn) + el('Port', l.port) + el('Protocol', l.protocol) +
    (l.certificates.length > 0 ? list('Certificates', l.certificates, (c) => el('CertificateArn', c.CertificateArn)) : '') +
    el('SslPolicy', l.sslPolicy) + renderActions('DefaultActions', l.defaultActions) +
    (l.alpnPolicy ? strings('AlpnPolicy', l.alpnPolicy) : '');
}

export function renderRule(r: RuleRecord): string {
  return el('RuleArn', r.arn) + el('Priority', String(r.priority)) + list('Conditions', r.conditions, renderCondition) +
    renderActions('Actions', r.actions) + el('IsDefault', false);
}

/** The listener's default rule, as DescribeRules shows it. */
export function renderDefaultRule(l: ListenerRecord, arn: string): string {
  return el('RuleArn', arn) + el('Priority', 'default') + '<Conditions/>' + renderActions('Actions', l.defaultActions) + el('IsDefault', true);
}

/** `<Attributes>` from a key → value map, keys sorted. */
export const renderAttributes = (attrs: Record<string, string>): string =>
  list('Attributes', Object.keys(attrs).sort(), (k) => el('Key', k) + el('Value', attrs[k]!));
