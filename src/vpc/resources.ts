import { cidrToString, contains, overlaps, parseCidr, RESERVED_PER_SUBNET, size, type Cidr } from './cidr.js';
import {
  groupNotFound, eniNotFound, invalidCidr, invalidParameterValue, subnetConflict, subnetNotFound, subnetRange, vpcNotFound, vpcRange,
} from './errors.js';
import { newId } from './ids.js';
import {
  inScope, resourceKey, type NetworkInterface, type Scope, type SecurityGroup, type SecurityGroupRule, type Subnet, type Tag,
  type Vpc, type VpcState,
} from './state.js';
import { zonesOf } from './zones.js';

/**
 * The VPC room's domain rules: creating and finding VPCs, subnets and security groups. Callers run
 * the mutating functions inside `store.transaction`.
 */

export function findVpc(state: VpcState, s: Scope, id: string): Vpc {
  const v = state.vpcs.get(resourceKey(s, id));
  if (!v) throw vpcNotFound(id);
  return v;
}

export function findSubnet(state: VpcState, s: Scope, id: string): Subnet {
  const v = state.subnets.get(resourceKey(s, id));
  if (!v) throw subnetNotFound(id);
  return v;
}

export function findGroup(state: VpcState, s: Scope, id: string): SecurityGroup {
  const v = state.securityGroups.get(resourceKey(s, id));
  if (!v) throw groupNotFound(id);
  return v;
}

export function findEni(state: VpcState, s: Scope, id: string): NetworkInterface {
  const v = state.networkInterfaces.get(resourceKey(s, id));
  if (!v) throw eniNotFound(id);
  return v;
}

export const defaultVpcOf = (state: VpcState, s: Scope): Vpc | undefined => inScope(state.vpcs, s).find((v) => v.isDefault);

export const availableIpCount = (sn: Subnet): number =>
  size(parseCidr(sn.cidrBlock)!) - RESERVED_PER_SUBNET - sn.usedIps.length;

/** A VPC's CIDR as EC2 checks it: well-formed, then a /16 to /28. */
function vpcCidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw invalidCidr(text);
  if (c.prefix < 16 || c.prefix > 28) throw vpcRange(text);
  return c;
}

export interface NewVpc { cidrBlock: string; instanceTenancy?: string; isDefault?: boolean; tags?: Tag[] }

/** Creates a VPC and its `default` security group. */
export function createVpc(state: VpcState, s: Scope, dhcpOptionsId: string, req: NewVpc, now: number): Vpc {
  vpcCidr(req.cidrBlock);
  const tenancy = req.instanceTenancy ?? 'default';
  if (tenancy !== 'default' && tenancy !== 'dedicated') {
    throw invalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid. Expected: 'default' or 'dedicated'.`);
  }
  const vpc: Vpc = {
    vpcId: newId('vpc'),
    ownerId: s.accountId,
    cidrBlock: req.cidrBlock,
    cidrAssociationId: newId('vpc-cidr-assoc'),
    dhcpOptionsId,
    instanceTenancy: tenancy,
    isDefault: req.isDefault ?? false,
    state: 'available',
    tags: req.tags ?? [],
    createdAt: now,
  };
  state.vpcs.put(resourceKey(s, vpc.vpcId), vpc);
  const sg = newGroup(s, vpc.vpcId, 'default', 'default VPC security group', [], now);
  // The default group lets its members talk to each other: all traffic in from itself.
  sg.rules.unshift({ ruleId: newId('sgr'), isEgress: false, ipProtocol: '-1', referencedGroupId: sg.groupId, referencedUserId: s.accountId });
  state.securityGroups.put(resourceKey(s, sg.groupId), sg);
  return vpc;
}

/** A new group record (not stored) with EC2's default egress rule: all traffic out to 0.0.0.0/0. */
export function newGroup(s: Scope, vpcId: string, groupName: string, description: string, tags: Tag[], now: number): SecurityGroup {
  const egress: SecurityGroupRule = { ruleId: newId('sgr'), isEgress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' };
  return { groupId: newId('sg'), groupName, description, vpcId, ownerId: s.accountId, rules: [egress], tags, createdAt: now };
}

export interface NewSubnet {
  vpcId: string;
  cidrBlock: string;
  availabilityZone?: string;
  availabilityZoneId?: string;
  defaultForAz?: boolean;
  tags?: Tag[];
}

/** Creates a subnet: inside its VPC's CIDR, a /16 to /28, overlapping no other subnet of the VPC. */
export function createSubnet(state: VpcState, s: Scope, req: NewSubnet, now: number): Subnet {
  const vpc = findVpc(state, s, req.vpcId);
  const c = parseCidr(req.cidrBlock);
  if (!c) throw invalidCidr(req.cidrBlock);
  if (c.prefix < 16 || c.prefix > 28 || !contains(parseCidr(vpc.cidrBlock)!, c)) throw subnetRange(req.cidrBlock);
  const siblings = inScope(state.subnets, s).filter((sn) => sn.vpcId === vpc.vpcId);
  if (siblings.some((sn) => overlaps(parseCidr(sn.cidrBlock)!, c))) throw subnetConflict(cidrToString(c));
  const zones = zonesOf(s.region);
  const zone = req.availabilityZone !== undefined
    ? zones.find((z) => z.zoneName === req.availabilityZone)
    : req.availabilityZoneId !== undefined
      ? zones.find((z) => z.zoneId === req.availabilityZoneId)
      : zones[siblings.length % zones.length];
  if (!zone) {
    const [param, value] = req.availabilityZone !== undefined ? ['availabilityZone', req.availabilityZone] : ['availabilityZoneId', req.availabilityZoneId];
    throw invalidParameterValue(
      `Value (${value}) for parameter ${param} is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.zoneName).join(', ')}.`,
    );
  }
  const subnet: Subnet = {
    subnetId: newId('subnet'),
    vpcId: vpc.vpcId,
    ownerId: s.accountId,
    region: s.region,
    cidrBlock: req.cidrBlock,
    availabilityZone: zone.zoneName,
    availabilityZoneId: zone.zoneId,
    defaultForAz: req.defaultForAz ?? false,
    mapPublicIpOnLaunch: req.defaultForAz ?? false,
    state: 'available',
    usedIps: [],
    tags: req.tags ?? [],
    createdAt: now,
  };
  state.subnets.put(resourceKey(s, subnet.subnetId), subnet);
  return subnet;
}
