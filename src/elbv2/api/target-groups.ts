import { newId, targetGroupArn } from '../arn.js';
import { readTargetGroupAttributes, targetGroupAttributes } from '../attributes.js';
import { duplicateTargetGroupName, resourceInUse, targetGroupNotFound, unsupportedProtocol, validation } from '../errors.js';
import { readHealthCheck } from '../health-check.js';
import { int, oneOf, required, str, strings, tags } from '../input.js';
import { recordKey, type Scope, type TargetGroupRecord } from '../state.js';
import { list, renderAttributes, renderTargetGroup } from '../xml.js';
import { checkName } from './load-balancers.js';
import { createdKey, findTargetGroup, loadLoadBalancer, loadTargetGroup, paged, type Elbv2, type Elbv2Operation } from './operation.js';

/** Target groups: create (idempotent for the same settings), describe, modify health checks, delete, attributes. */

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'] as const;

export const renderGroup = (elb: Elbv2, s: Scope) => (tg: TargetGroupRecord): string =>
  renderTargetGroup(tg, elb.state.loadBalancersOfGroup(tg.arn, s));

const CreateTargetGroup: Elbv2Operation = (n, s, now, elb) => elb.applier.change(() => {
  const name = required(n, 'Name');
  checkName(name, 'Target group');
  const targetType = oneOf(n, 'TargetType', ['instance', 'ip', 'lambda', 'alb'] as const) ?? 'instance';
  if (targetType === 'lambda' || targetType === 'alb') throw validation(`Target type '${targetType}' is not supported by Berth`);
  const protocol = oneOf(n, 'Protocol', PROTOCOLS);
  if (protocol === undefined) throw validation('A protocol must be specified');
  if (protocol === 'GENEVE' || protocol === 'QUIC' || protocol === 'TCP_QUIC') {
    throw unsupportedProtocol(`Protocol '${protocol}' is not supported by Berth; use HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP`);
  }
  const port = int(n, 'Port', 1, 65535);
  if (port === undefined) throw validation('A port must be specified');
  const vpcId = str(n, 'VpcId');
  if (vpcId === undefined) throw validation('A VPC ID must be specified');
  if (!/^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(vpcId)) throw validation(`The VPC ID '${vpcId}' is not found`);
  const http = protocol === 'HTTP' || protocol === 'HTTPS';
  const protocolVersion = !http ? undefined : oneOf(n, 'ProtocolVersion', ['HTTP1', 'HTTP2', 'GRPC'] as const) ?? 'HTTP1';
  const ipAddressType = oneOf(n, 'IpAddressType', ['ipv4', 'ipv6'] as const) ?? 'ipv4';
  const healthCheck = readHealthCheck(n, protocol);
  const tgTags = tags(n);
  const existing = elb.state.inScope(elb.state.targetGroups, s).find((tg) => tg.name === name);
  if (existing) {
    const sameSettings = existing.protocol === protocol && existing.port === port && existing.vpcId === vpcId && existing.targetType === targetType &&
      JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
    if (!sameSettings) throw duplicateTargetGroupName(`A target group with the same name '${name}' exists, but with different settings`);
    return { write: () => undefined, result: list('TargetGroups', [existing], renderGroup(elb, s)) };
  }
  const id = newId();
  const tg: TargetGroupRecord = {
    accountId: s.accountId, region: s.region, id, arn: targetGroupArn(s, name, id), name, protocol,
    ...(protocolVersion !== undefined ? { protocolVersion } : {}), port, vpcId, targetType, ipAddressType, healthCheck,
    createdAt: now, attributes: {}, targets: [], tags: tgTags,
  };
  return { write: () => elb.state.targetGroups.put(recordKey(s, id), tg), result: list('TargetGroups', [tg], renderGroup(elb, s)) };
});

const DescribeTargetGroups: Elbv2Operation = (n, s, _now, elb) => {
  const lbArn = str(n, 'LoadBalancerArn');
  const arns = strings(n, 'TargetGroupArns') ?? [];
  const names = strings(n, 'Names') ?? [];
  if ([lbArn !== undefined, arns.length > 0, names.length > 0].filter(Boolean).length > 1) {
    throw validation('Only one of load balancer ARN, target group ARNs or names can be specified');
  }
  let groups = elb.state.inScope(elb.state.targetGroups, s);
  if (lbArn !== undefined) {
    loadLoadBalancer(elb, s, lbArn);
    groups = groups.filter((tg) => elb.state.loadBalancersOfGroup(tg.arn, s).includes(lbArn));
  }
  if (arns.length > 0) {
    if (arns.some((a) => !findTargetGroup(elb, s, a))) throw targetGroupNotFound('One or more target groups not found');
    groups = groups.filter((tg) => arns.includes(tg.arn));
  }
  if (names.length > 0) {
    if (names.some((nm) => !groups.some((tg) => tg.name === nm))) throw targetGroupNotFound('One or more target groups not found');
    groups = groups.filter((tg) => names.includes(tg.name));
  }
  const { page, xml } = paged(n, groups.sort((a, b) => (createdKey(a) < createdKey(b) ? -1 : 1)), createdKey);
  return list('TargetGroups', page, renderGroup(elb, s)) + xml;
};

const ModifyTargetGroup: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const tg = loadTargetGroup(elb, s, required(n, 'TargetGroupArn'));
  const next: TargetGroupRecord = { ...tg, healthCheck: readHealthCheck(n, tg.protocol, tg.healthCheck) };
  return { write: () => elb.state.targetGroups.put(recordKey(s, tg.id), next), result: list('TargetGroups', [next], renderGroup(elb, s)) };
});

/** Deleting a group a listener or rule forwards to is ResourceInUse; an unknown group: success. */
const DeleteTargetGroup: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const tg = findTargetGroup(elb, s, required(n, 'TargetGroupArn'));
  if (!tg) return { write: () => undefined, result: '' };
  if (elb.state.loadBalancersOfGroup(tg.arn, s).length > 0) throw resourceInUse(`Target group '${tg.arn}' is currently in use by a listener or a rule`);
  return { write: () => { elb.state.targetGroups.delete(recordKey(s, tg.id)); }, result: '' };
});

const DescribeTargetGroupAttributes: Elbv2Operation = (n, s, _now, elb) => {
  const tg = loadTargetGroup(elb, s, required(n, 'TargetGroupArn'));
  return renderAttributes(targetGroupAttributes(tg.protocol, tg.attributes));
};

const ModifyTargetGroupAttributes: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const tg = loadTargetGroup(elb, s, required(n, 'TargetGroupArn'));
  const attributes = { ...tg.attributes, ...readTargetGroupAttributes(n, tg.protocol) };
  const merged = targetGroupAttributes(tg.protocol, attributes);
  if (merged['slow_start.duration_seconds'] !== '0' && merged['load_balancing.algorithm.type'] === 'least_outstanding_requests') {
    throw validation('Slow start mode is not supported with the least outstanding requests algorithm');
  }
  const next = { ...tg, attributes };
  return { write: () => elb.state.targetGroups.put(recordKey(s, tg.id), next), result: renderAttributes(merged) };
});

export const TARGET_GROUP_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = {
  CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup, DescribeTargetGroupAttributes, ModifyTargetGroupAttributes,
};
