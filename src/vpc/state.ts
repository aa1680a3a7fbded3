import type { StateStore, Table } from '../store/port.js';

/**
 * The VPC room's tables and record types. Records are plain JSON (timestamps as epoch
 * milliseconds), keyed `account:region:<resource id>`, so they read the same from memory as after
 * a restart. Field names follow EC2's own (lower camel), without the XML list wrappers.
 */

/** Where a resource lives. Structurally the same as the ECS room's Scope, so either can be passed. */
export interface Scope { readonly accountId: string; readonly region: string }

export const scopeKey = (s: Scope): string => `${s.accountId}:${s.region}`;
export const resourceKey = (s: Scope, id: string): string => `${scopeKey(s)}:${id}`;

export interface Tag { Key: string; Value: string }

export interface Vpc {
  vpcId: string;
  ownerId: string;
  cidrBlock: string;
  /** The association id of the primary CIDR block (`vpc-cidr-assoc-…`). */
  cidrAssociationId: string;
  dhcpOptionsId: string;
  instanceTenancy: string;
  isDefault: boolean;
  state: 'available';
  tags: Tag[];
  createdAt: number;
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  ownerId: string;
  region: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  state: 'available';
  /** Private IPs held by network interfaces; availableIpAddressCount is derived from it. */
  usedIps: string[];
  tags: Tag[];
  createdAt: number;
}

/**
 * One rule of a security group, as EC2 models rules since security-group-rule ids: exactly one
 * peer (IPv4 CIDR, IPv6 CIDR, prefix list or group). Describe output groups rules back into
 * IpPermissions by protocol and port range.
 */
export interface SecurityGroupRule {
  ruleId: string;
  isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number as text. */
  ipProtocol: string;
  /** Absent for `-1` and protocols without ports. */
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  /** The account of the referenced group. */
  referencedUserId?: string;
  description?: string;
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ownerId: string;
  rules: SecurityGroupRule[];
  tags: Tag[];
  createdAt: number;
}

export interface NetworkInterface {
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  ownerId: string;
  requesterId: string;
  requesterManaged: boolean;
  description: string;
  interfaceType: string;
  status: 'available' | 'in-use';
  macAddress: string;
  privateIpAddress: string;
  privateDnsName: string;
  groupIds: string[];
  sourceDestCheck: boolean;
  /** The public address, when the ENI was allocated with assignPublicIp (see VpcService.allocateEni). */
  publicIp?: string;
  attachment?: { attachmentId: string; status: 'attached' | 'detached'; deviceIndex: number; attachTime: number };
  tags: Tag[];
  createdAt: number;
}

/** Per account and region: whether the defaults were made (once; deleting the default VPC keeps it gone). */
export interface ScopeRecord { defaultsCreatedAt: number; defaultVpcId: string; dhcpOptionsId: string }

export class VpcState {
  readonly scopes: Table<ScopeRecord>;
  readonly vpcs: Table<Vpc>;
  readonly subnets: Table<Subnet>;
  readonly securityGroups: Table<SecurityGroup>;
  readonly networkInterfaces: Table<NetworkInterface>;

  constructor(readonly store: StateStore) {
    this.scopes = store.table('vpc.scopes');
    this.vpcs = store.table('vpc.vpcs');
    this.subnets = store.table('vpc.subnets');
    this.securityGroups = store.table('vpc.security_groups');
    this.networkInterfaces = store.table('vpc.network_interfaces');
  }
}

/** The records of one account and region, in insertion order. */
export function inScope<T>(table: Table<T>, s: Scope): T[] {
  const prefix = `${scopeKey(s)}:`;
  const out: T[] = [];
  for (const [k, v] of table.entries()) if (k.startsWith(prefix)) out.push(v);
  return out;
}
