import type { StateStore } from '../store/port.js';
import { hostAddresses, ipToString, parseCidr } from './cidr.js';
import { ensureDefaults } from './defaults.js';
import { insufficientAddresses, invalidParameterValue } from './errors.js';
import { newId, newMac } from './ids.js';
import { findGroup, findSubnet } from './resources.js';
import { inScope, resourceKey, VpcState, type NetworkInterface, type Scope, type SecurityGroup, type Subnet, type Tag } from './state.js';

export type { NetworkInterface, Scope, SecurityGroup, Subnet, Tag } from './state.js';

/** What ECS reports as the requester of the ENIs it creates for awsvpc tasks. */
export const ECS_REQUESTER_ID = 'amazon-ecs';

export interface EniRequest {
  subnetId: string;
  securityGroupIds: string[];
  /** ECS uses `arn:aws:ecs:<region>:<account>:attachment/<uuid>`. */
  description: string;
  assignPublicIp: boolean;
  tags?: Tag[];
}

/** EC2's private DNS name for an address: `ip-a-b-c-d.ec2.internal` in us-east-1, `….<region>.compute.internal` elsewhere. */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/**
 * The VPC room's internal API for the rest of Berth (the ECS agent places awsvpc tasks through
 * it). Every mutation runs in one store transaction; reads make the account's default network
 * first, so a fresh account has its default subnets and security group.
 */
export class VpcService {
  readonly state: VpcState;

  constructor(store: StateStore, private readonly clock: () => number = Date.now) {
    this.state = new VpcState(store);
  }

  /** The default subnets of the account's default VPC in the region (none if the user deleted it). */
  defaultSubnets(scope: Scope): Subnet[] {
    ensureDefaults(this.state, scope, this.clock());
    return inScope(this.state.subnets, scope).filter((sn) => sn.defaultForAz);
  }

  findSubnet(scope: Scope, subnetId: string): Subnet | undefined {
    ensureDefaults(this.state, scope, this.clock());
    return this.state.subnets.get(resourceKey(scope, subnetId));
  }

  findSecurityGroup(scope: Scope, groupId: string): SecurityGroup | undefined {
    ensureDefaults(this.state, scope, this.clock());
    return this.state.securityGroups.get(resourceKey(scope, groupId));
  }

  /**
   * Allocates an ENI in the subnet with its next free private IP (AWS reserves the first four
   * addresses and the last), attached (status in-use) as ECS's awsvpc ENIs are. With
   * `assignPublicIp` the ENI gets an Association whose public IP is the private IP itself: Berth
   * has no public address space, and the host reaches the task's address directly. Throws the
   * EC2 not-found errors for an unknown subnet or group, InvalidParameterValue for a group of
   * another VPC, and InsufficientFreeAddressesInSubnet when the subnet is full.
   */
  allocateEni(scope: Scope, req: EniRequest): NetworkInterface {
    const now = this.clock();
    ensureDefaults(this.state, scope, now);
    return this.state.store.transaction(() => {
      const subnet = findSubnet(this.state, scope, req.subnetId);
      for (const id of req.securityGroupIds) {
        const g = findGroup(this.state, scope, id);
        if (g.vpcId !== subnet.vpcId) {
          throw invalidParameterValue(`Security group ${id} and subnet ${subnet.subnetId} belong to different networks.`);
        }
      }
      // Subnets of the same CIDR (other accounts' default VPCs are all 172.31.0.0/16) share one
      // Docker network on a host, so their addresses must not collide either.
      const used = new Set(subnet.usedIps);
      for (const other of this.state.subnets.values()) if (other.cidrBlock === subnet.cidrBlock) for (const a of other.usedIps) used.add(a);
      let ip: string | undefined;
      for (const n of hostAddresses(parseCidr(subnet.cidrBlock)!)) {
        const text = ipToString(n);
        if (!used.has(text)) { ip = text; break; }
      }
      if (ip === undefined) throw insufficientAddresses(subnet.subnetId);
      const eni: NetworkInterface = {
        networkInterfaceId: newId('eni'),
        subnetId: subnet.subnetId,
        vpcId: subnet.vpcId,
        availabilityZone: subnet.availabilityZone,
        availabilityZoneId: subnet.availabilityZoneId,
        ownerId: scope.accountId,
        requesterId: ECS_REQUESTER_ID,
        requesterManaged: true,
        description: req.description,
        interfaceType: 'interface',
        status: 'in-use',
        macAddress: newMac(),
        privateIpAddress: ip,
        privateDnsName: privateDnsName(scope.region, ip),
        groupIds: [...req.securityGroupIds],
        sourceDestCheck: true,
        attachment: { attachmentId: newId('ela-attach'), status: 'attached', deviceIndex: 1, attachTime: now },
        tags: req.tags ?? [],
        createdAt: now,
      };
      if (req.assignPublicIp) eni.publicIp = ip;
      this.state.subnets.put(resourceKey(scope, subnet.subnetId), { ...subnet, usedIps: [...subnet.usedIps, ip] });
      this.state.networkInterfaces.put(resourceKey(scope, eni.networkInterfaceId), eni);
      return eni;
    });
  }

  /** Deletes the ENI and frees its address. Idempotent: an unknown id is not an error. */
  releaseEni(scope: Scope, eniId: string): void {
    const key = resourceKey(scope, eniId);
    const eni = this.state.networkInterfaces.get(key);
    if (!eni) return;
    this.state.store.transaction(() => {
      this.state.networkInterfaces.delete(key);
      const skey = resourceKey(scope, eni.subnetId);
      const subnet = this.state.subnets.get(skey);
      if (subnet) this.state.subnets.put(skey, { ...subnet, usedIps: subnet.usedIps.filter((ip) => ip !== eni.privateIpAddress) });
    });
  }

  /** Docker network facts for a subnet: name `berth-<subnet-id>`, its CIDR, gateway = first host address (.1). */
  dockerNetworkFor(subnet: Subnet): { name: string; subnet: string; gateway: string } {
    const c = parseCidr(subnet.cidrBlock)!;
    // Named by CIDR, not subnet id: a host can hold only one bridge network per address range.
    return { name: `berth-net-${subnet.cidrBlock.replace('/', '-')}`, subnet: subnet.cidrBlock, gateway: ipToString(c.base + 1) };
  }
}
