import { availableIpCount } from './resources.js';
import type { NetworkInterface, Scope, SecurityGroup, SecurityGroupRule, Subnet, Vpc } from './state.js';
import { el, isoTime, set, tagSet, wrap } from './xml.js';

/**
 * Records → EC2 XML members, in the shapes of the EC2 API reference (Vpc, Subnet, SecurityGroup,
 * IpPermission, SecurityGroupRule, NetworkInterface). Fields Berth does not model are given the
 * values a plain IPv4 resource has on AWS.
 */

const blockPublicAccess = wrap('blockPublicAccessStates', el('internetGatewayBlockMode', 'off'));

export function vpcXml(v: Vpc): string {
  return (
    el('vpcId', v.vpcId) + el('ownerId', v.ownerId) + el('state', v.state) + el('cidrBlock', v.cidrBlock) +
    set('cidrBlockAssociationSet', [v], (x) =>
      el('cidrBlock', x.cidrBlock) + el('associationId', x.cidrAssociationId) + wrap('cidrBlockState', el('state', 'associated'))) +
    el('dhcpOptionsId', v.dhcpOptionsId) + el('instanceTenancy', v.instanceTenancy) + el('isDefault', v.isDefault) +
    blockPublicAccess + tagSet(v.tags)
  );
}

export function subnetXml(sn: Subnet): string {
  return (
    el('subnetId', sn.subnetId) + el('subnetArn', `arn:aws:ec2:${sn.region}:${sn.ownerId}:subnet/${sn.subnetId}`) +
    el('state', sn.state) + el('vpcId', sn.vpcId) + el('ownerId', sn.ownerId) + el('cidrBlock', sn.cidrBlock) +
    set('ipv6CidrBlockAssociationSet', [], () => '') +
    el('availableIpAddressCount', availableIpCount(sn)) +
    el('availabilityZone', sn.availabilityZone) + el('availabilityZoneId', sn.availabilityZoneId) +
    el('defaultForAz', sn.defaultForAz) + el('mapPublicIpOnLaunch', sn.mapPublicIpOnLaunch) +
    el('mapCustomerOwnedIpOnLaunch', false) + el('assignIpv6AddressOnCreation', false) +
    el('enableDns64', false) + el('ipv6Native', false) +
    wrap('privateDnsNameOptionsOnLaunch',
      el('hostnameType', 'ip-name') + el('enableResourceNameDnsARecord', false) + el('enableResourceNameDnsAAAARecord', false)) +
    blockPublicAccess + tagSet(sn.tags)
  );
}

/** Rules without ports (`-1`, or protocols other than tcp/udp/icmp/icmpv6) report -1 in rule form. */
const port = (n: number | undefined): number => n ?? -1;

/** One IpPermission item: rules sharing protocol and ports, their peers in the four lists. */
export function permissionXml(rules: readonly SecurityGroupRule[]): string {
  const r0 = rules[0]!;
  const desc = (r: SecurityGroupRule): string => el('description', r.description);
  return (
    el('ipProtocol', r0.ipProtocol) + el('fromPort', r0.fromPort) + el('toPort', r0.toPort) +
    set('groups', rules.filter((r) => r.referencedGroupId), (r) => el('userId', r.referencedUserId) + el('groupId', r.referencedGroupId) + desc(r)) +
    set('ipRanges', rules.filter((r) => r.cidrIpv4), (r) => el('cidrIp', r.cidrIpv4) + desc(r)) +
    set('ipv6Ranges', rules.filter((r) => r.cidrIpv6), (r) => el('cidrIpv6', r.cidrIpv6) + desc(r)) +
    set('prefixListIds', rules.filter((r) => r.prefixListId), (r) => el('prefixListId', r.prefixListId) + desc(r))
  );
}

/** Rules grouped back into IpPermissions by protocol and port range, in first-seen order. */
export function permissionsOf(rules: readonly SecurityGroupRule[]): SecurityGroupRule[][] {
  const groups = new Map<string, SecurityGroupRule[]>();
  for (const r of rules) {
    const k = `${r.ipProtocol}|${r.fromPort ?? ''}|${r.toPort ?? ''}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()];
}

export const groupArn = (s: Scope, groupId: string): string => `arn:aws:ec2:${s.region}:${s.accountId}:security-group/${groupId}`;

export function securityGroupXml(s: Scope, g: SecurityGroup): string {
  return (
    el('ownerId', g.ownerId) + el('groupId', g.groupId) + el('groupName', g.groupName) + el('groupDescription', g.description) +
    set('ipPermissions', permissionsOf(g.rules.filter((r) => !r.isEgress)), permissionXml) +
    set('ipPermissionsEgress', permissionsOf(g.rules.filter((r) => r.isEgress)), permissionXml) +
    el('vpcId', g.vpcId) + el('securityGroupArn', groupArn(s, g.groupId)) + tagSet(g.tags)
  );
}

/** The SecurityGroupRule shape Authorize* answers with. */
export function securityGroupRuleXml(s: Scope, g: SecurityGroup, r: SecurityGroupRule): string {
  return (
    el('securityGroupRuleId', r.ruleId) + el('groupId', g.groupId) + el('groupOwnerId', g.ownerId) + el('isEgress', r.isEgress) +
    el('ipProtocol', r.ipProtocol) + el('fromPort', port(r.fromPort)) + el('toPort', port(r.toPort)) +
    el('cidrIpv4', r.cidrIpv4) + el('cidrIpv6', r.cidrIpv6) + el('prefixListId', r.prefixListId) +
    (r.referencedGroupId ? wrap('referencedGroupInfo', el('groupId', r.referencedGroupId) + el('userId', r.referencedUserId)) : '') +
    el('description', r.description) +
    el('securityGroupRuleArn', `arn:aws:ec2:${s.region}:${s.accountId}:security-group-rule/${r.ruleId}`)
  );
}

/** The Association of an ENI with a public address (see VpcService.allocateEni for what the address is). */
const associationXml = (eni: NetworkInterface): string =>
  eni.publicIp === undefined ? '' : wrap('association', el('publicIp', eni.publicIp) + el('publicDnsName', '') + el('ipOwnerId', 'amazon'));

/** `groups` are the ENI's security groups with their names, looked up by the caller. */
export function networkInterfaceXml(eni: NetworkInterface, groups: readonly { groupId: string; groupName: string }[]): string {
  const a = eni.attachment;
  return (
    el('networkInterfaceId', eni.networkInterfaceId) + el('subnetId', eni.subnetId) + el('vpcId', eni.vpcId) +
    el('availabilityZone', eni.availabilityZone) + el('availabilityZoneId', eni.availabilityZoneId) +
    el('description', eni.description) + el('ownerId', eni.ownerId) + el('requesterId', eni.requesterId) +
    el('requesterManaged', eni.requesterManaged) + el('status', eni.status) + el('macAddress', eni.macAddress) +
    el('privateIpAddress', eni.privateIpAddress) + el('privateDnsName', eni.privateDnsName) +
    el('sourceDestCheck', eni.sourceDestCheck) +
    set('groupSet', groups, (g) => el('groupId', g.groupId) + el('groupName', g.groupName)) +
    (a ? wrap('attachment',
      el('attachmentId', a.attachmentId) + el('deviceIndex', a.deviceIndex) + el('networkCardIndex', 0) +
      el('instanceOwnerId', 'amazon-aws') + el('status', a.status) + el('attachTime', isoTime(a.attachTime)) +
      el('deleteOnTermination', false)) : '') +
    associationXml(eni) +
    tagSet(eni.tags) +
    set('privateIpAddressesSet', [eni], (x) =>
      el('privateIpAddress', x.privateIpAddress) + el('privateDnsName', x.privateDnsName) + el('primary', true) + associationXml(x)) +
    set('ipv6AddressesSet', [], () => '') +
    el('interfaceType', eni.interfaceType)
  );
}
