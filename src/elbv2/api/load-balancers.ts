import { dnsSuffix, loadBalancerArn, newId } from '../arn.js';
import { loadBalancerAttributes, readLoadBalancerAttributes } from '../attributes.js';
import {
  duplicateLoadBalancerName, invalidConfiguration, invalidSecurityGroup, loadBalancerNotFound, operationNotPermitted, subnetNotFound, validation,
} from '../errors.js';
import { nodes, oneOf, required, strings, tags, type Node } from '../input.js';
import { recordKey, type LoadBalancerRecord, type Scope } from '../state.js';
import { el, list, renderAttributes, renderLoadBalancer } from '../xml.js';
import { createdKey, findLoadBalancer, loadLoadBalancer, paged, type Elbv2, type Elbv2Operation } from './operation.js';

/** Load balancers: create (idempotent for the same settings), describe, delete, attributes. */

export function checkName(name: string, what: 'Load balancer' | 'Target group'): void {
  if (name.length > 32) throw validation(`${what} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw validation(`${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  if (name.startsWith('-') || name.endsWith('-')) throw validation(`${what} name '${name}' cannot begin or end with a hyphen(-)`);
  if (what === 'Load balancer' && name.startsWith('internal-')) throw validation(`Load balancer name '${name}' cannot begin with 'internal-'`);
}

function zonesOf(n: Node, s: Scope, elb: Elbv2, type: LoadBalancerRecord['type']): { vpcId: string; zones: LoadBalancerRecord['zones'] } {
  const ids = [...(strings(n, 'Subnets') ?? []), ...(nodes(n, 'SubnetMappings') ?? []).map((m) => required(m, 'SubnetId', 'subnetMappings.member.subnetId'))];
  if (ids.length === 0) throw validation('At least one subnet must be specified');
  const zones: LoadBalancerRecord['zones'] = [];
  const vpcs = new Set<string>();
  ids.forEach((id, i) => {
    if (!/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw subnetNotFound(`The subnet ID '${id}' is not valid`);
    if (elb.network) {
      const sn = elb.network.subnet(s, id);
      if (!sn) throw subnetNotFound(`The subnet ID '${id}' is not valid`);
      vpcs.add(sn.vpcId);
      zones.push({ subnetId: id, zoneName: sn.availabilityZone });
    } else {
      zones.push({ subnetId: id, zoneName: `${s.region}${'abcdef'[i % 6]}` });
    }
  });
  if (vpcs.size > 1) throw invalidConfiguration('The subnets must all be in the same VPC');
  const names = zones.map((z) => z.zoneName);
  if (new Set(names).size !== names.length) throw invalidConfiguration('A load balancer cannot be attached to multiple subnets in the same Availability Zone');
  if (type === 'application' && zones.length < 2) throw validation('At least two subnets in two different Availability Zones must be specified');
  return { vpcId: [...vpcs][0] ?? '', zones };
}

function securityGroupsOf(n: Node, s: Scope, elb: Elbv2, vpcId: string): string[] {
  const groups = strings(n, 'SecurityGroups') ?? [];
  for (const g of groups) {
    const found = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(g) ? (elb.network ? elb.network.securityGroup(s, g) : { vpcId }) : undefined;
    if (!found) throw invalidSecurityGroup(`Security group '${g}' does not exist`);
    if (vpcId && found.vpcId && found.vpcId !== vpcId) throw invalidSecurityGroup(`Security group '${g}' does not belong to VPC '${vpcId}'`);
  }
  return groups;
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

const CreateLoadBalancer: Elbv2Operation = (n, s, now, elb) => elb.applier.change(() => {
  const name = required(n, 'Name');
  checkName(name, 'Load balancer');
  const type = oneOf(n, 'Type', ['application', 'network', 'gateway'] as const) ?? 'application';
  if (type === 'gateway') throw validation('Gateway Load Balancers are not supported by Berth');
  const scheme = oneOf(n, 'Scheme', ['internet-facing', 'internal'] as const) ?? 'internet-facing';
  const ipAddressType = oneOf(n, 'IpAddressType', ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] as const) ?? 'ipv4';
  const { vpcId, zones } = zonesOf(n, s, elb, type);
  const securityGroups = securityGroupsOf(n, s, elb, vpcId);
  const lbTags = tags(n);
  const existing = elb.state.inScope(elb.state.loadBalancers, s).find((lb) => lb.name === name);
  if (existing) {
    const sameSettings = existing.type === type && existing.scheme === scheme && existing.ipAddressType === ipAddressType &&
      same(existing.zones.map((z) => z.subnetId), zones.map((z) => z.subnetId)) && same(existing.securityGroups, securityGroups);
    if (!sameSettings) throw duplicateLoadBalancerName(`A load balancer with the same name '${name}' exists, but with different settings`);
    return { write: () => undefined, result: list('LoadBalancers', [existing], renderLoadBalancer) };
  }
  const id = newId();
  // A name under .localhost resolves to loopback (RFC 6761), where the listeners are bound.
  const dnsName = `${scheme === 'internal' ? 'internal-' : ''}${name}-${dnsSuffix(type)}.${s.region}.elb.localhost`.toLowerCase();
  const lb: LoadBalancerRecord = {
    accountId: s.accountId, region: s.region, id, arn: loadBalancerArn(s, type, name, id), name, type, scheme, ipAddressType,
    vpcId, zones, securityGroups, dnsName, createdAt: now, attributes: {}, tags: lbTags,
  };
  return { write: () => elb.state.loadBalancers.put(recordKey(s, id), lb), result: list('LoadBalancers', [lb], renderLoadBalancer) };
});

const DescribeLoadBalancers: Elbv2Operation = (n, s, _now, elb) => {
  const arns = strings(n, 'LoadBalancerArns') ?? [];
  const names = strings(n, 'Names') ?? [];
  if (arns.length > 0 && names.length > 0) throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
  let lbs = elb.state.inScope(elb.state.loadBalancers, s);
  if (arns.length > 0) {
    const found = arns.map((a) => findLoadBalancer(elb, s, a));
    const missing = arns.filter((_, i) => !found[i]);
    if (missing.length > 0) throw loadBalancerNotFound(`Load balancers '[${missing.join(', ')}]' not found`);
    lbs = lbs.filter((lb) => arns.includes(lb.arn));
  }
  if (names.length > 0) {
    const missing = names.filter((nm) => !lbs.some((lb) => lb.name === nm));
    if (missing.length > 0) throw loadBalancerNotFound(`Load balancers '[${missing.join(', ')}]' not found`);
    lbs = lbs.filter((lb) => names.includes(lb.name));
  }
  const { page, xml } = paged(n, lbs.sort((a, b) => (createdKey(a) < createdKey(b) ? -1 : 1)), createdKey);
  return list('LoadBalancers', page, renderLoadBalancer) + xml;
};

/** Deletes the load balancer with its listeners and rules; target groups stay. Gone already: success. */
const DeleteLoadBalancer: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const lb = findLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  if (!lb) return { write: () => undefined, result: '' };
  if (loadBalancerAttributes(lb.type, lb.attributes)['deletion_protection.enabled'] === 'true') {
    throw operationNotPermitted(`Load balancer '${lb.arn}' cannot be deleted because deletion protection is enabled`);
  }
  const listeners = elb.state.listenersOf(lb.arn, s);
  const rules = listeners.flatMap((l) => elb.state.rulesOf(l.arn, s));
  return {
    write: () => {
      for (const r of rules) elb.state.rules.delete(recordKey(s, r.id));
      for (const l of listeners) elb.state.listeners.delete(recordKey(s, l.id));
      elb.state.loadBalancers.delete(recordKey(s, lb.id));
    },
    result: '',
  };
});

const DescribeLoadBalancerAttributes: Elbv2Operation = (n, s, _now, elb) => {
  const lb = loadLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  return renderAttributes(loadBalancerAttributes(lb.type, lb.attributes));
};

const ModifyLoadBalancerAttributes: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const lb = loadLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  const attributes = { ...lb.attributes, ...readLoadBalancerAttributes(n, lb.type) };
  const next = { ...lb, attributes };
  return {
    write: () => elb.state.loadBalancers.put(recordKey(s, lb.id), next),
    result: renderAttributes(loadBalancerAttributes(lb.type, attributes)),
    // Idle timeout and HTTP/2 changes rebind the listeners on their own ports.
    binds: elb.state.listenersOf(lb.arn, s).map((l) => l.arn),
  };
});

/**
 * Replaces a load balancer's security groups. An NLB created without any cannot take some later
 * (nor lose all of them once it has some), as AWS has it. The groups are kept and shown; Berth's
 * listeners bind on the host, so they filter no traffic.
 */
const SetSecurityGroups: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const lb = loadLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  if (nodes(n, 'SecurityGroups') === undefined) throw validation("1 validation error detected: Value null at 'securityGroups' failed to satisfy constraint: Member must not be null");
  const securityGroups = securityGroupsOf(n, s, elb, lb.vpcId);
  if (lb.type === 'network' && lb.securityGroups.length === 0 && securityGroups.length > 0) {
    throw invalidConfiguration('You cannot set security groups on a Network Load Balancer which was created without any security groups.');
  }
  if (lb.type === 'network' && lb.securityGroups.length > 0 && securityGroups.length === 0) {
    throw invalidConfiguration('You cannot remove all security groups from a Network Load Balancer which was created with security groups.');
  }
  const enforce = oneOf(n, 'EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic', ['on', 'off'] as const);
  if (enforce !== undefined && lb.type !== 'network') throw validation('EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is supported only for Network Load Balancers');
  return {
    write: () => elb.state.loadBalancers.put(recordKey(s, lb.id), { ...lb, securityGroups }),
    result: list('SecurityGroupIds', securityGroups, (g) => g) +
      (lb.type === 'network' ? el('EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic', enforce ?? 'on') : ''),
  };
});

/** Replaces the subnets (Availability Zones) of a load balancer: an ALB needs two zones, an NLB keeps its VPC. */
const SetSubnets: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const lb = loadLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  const { vpcId, zones } = zonesOf(n, s, elb, lb.type);
  if (vpcId && lb.vpcId && vpcId !== lb.vpcId) throw invalidConfiguration(`The subnets must be in the load balancer's VPC '${lb.vpcId}'`);
  const ipAddressType = oneOf(n, 'IpAddressType', ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] as const) ?? lb.ipAddressType;
  const next = { ...lb, zones, ipAddressType };
  return {
    write: () => elb.state.loadBalancers.put(recordKey(s, lb.id), next),
    result: list('AvailabilityZones', zones, (z) => el('ZoneName', z.zoneName) + el('SubnetId', z.subnetId) + '<LoadBalancerAddresses/>') +
      el('IpAddressType', ipAddressType),
  };
});

const SetIpAddressType: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const lb = loadLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  const ipAddressType = oneOf(n, 'IpAddressType', ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] as const);
  if (ipAddressType === undefined) throw validation("1 validation error detected: Value null at 'ipAddressType' failed to satisfy constraint: Member must not be null");
  if (ipAddressType === 'dualstack-without-public-ipv4' && (lb.type !== 'application' || lb.scheme !== 'internet-facing')) {
    throw validation("IP address type 'dualstack-without-public-ipv4' is supported only for internet-facing Application Load Balancers");
  }
  return { write: () => elb.state.loadBalancers.put(recordKey(s, lb.id), { ...lb, ipAddressType }), result: el('IpAddressType', ipAddressType) };
});

export const LOAD_BALANCER_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = {
  CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, DescribeLoadBalancerAttributes, ModifyLoadBalancerAttributes,
  SetSecurityGroups, SetSubnets, SetIpAddressType,
};
