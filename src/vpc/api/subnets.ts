import { dependencyViolation, subnetNotFound } from '../errors.js';
import { availableIpCount, createSubnet, findSubnet } from '../resources.js';
import { required, str, tagsFor } from '../params.js';
import { subnetXml } from '../render.js';
import { inScope, resourceKey, type Subnet } from '../state.js';
import { el, wrap } from '../xml.js';
import { describe, type Ec2Operation } from './describe.js';

/** DescribeSubnets filters with the camel-case aliases the EC2 API reference allows. */
const FIELDS = {
  'availability-zone': (sn: Subnet) => sn.availabilityZone,
  availabilityZone: (sn: Subnet) => sn.availabilityZone,
  'availability-zone-id': (sn: Subnet) => sn.availabilityZoneId,
  availabilityZoneId: (sn: Subnet) => sn.availabilityZoneId,
  'available-ip-address-count': (sn: Subnet) => availableIpCount(sn),
  availableIpAddressCount: (sn: Subnet) => availableIpCount(sn),
  'cidr-block': (sn: Subnet) => sn.cidrBlock,
  cidr: (sn: Subnet) => sn.cidrBlock,
  cidrBlock: (sn: Subnet) => sn.cidrBlock,
  'default-for-az': (sn: Subnet) => sn.defaultForAz,
  defaultForAz: (sn: Subnet) => sn.defaultForAz,
  'map-public-ip-on-launch': (sn: Subnet) => sn.mapPublicIpOnLaunch,
  'enable-dns64': () => false,
  'ipv6-native': () => false,
  'owner-id': (sn: Subnet) => sn.ownerId,
  state: (sn: Subnet) => sn.state,
  'subnet-arn': (sn: Subnet) => `arn:aws:ec2:${sn.region}:${sn.ownerId}:subnet/${sn.subnetId}`,
  'subnet-id': (sn: Subnet) => sn.subnetId,
  'vpc-id': (sn: Subnet) => sn.vpcId,
};

export const DescribeSubnets: Ec2Operation = (p, s, _now, state) =>
  describe(p, inScope(state.subnets, s), {
    idParam: 'SubnetId', idOf: (sn) => sn.subnetId, notFound: subnetNotFound, fields: FIELDS, tagsOf: (sn) => sn.tags,
    setName: 'subnetSet', render: subnetXml,
  });

export const CreateSubnet: Ec2Operation = (p, s, now, state) => {
  const vpcId = required(p, 'VpcId');
  const cidrBlock = required(p, 'CidrBlock');
  const tags = tagsFor(p, 'subnet');
  const subnet = state.store.transaction(() =>
    createSubnet(state, s, { vpcId, cidrBlock, availabilityZone: str(p, 'AvailabilityZone'), availabilityZoneId: str(p, 'AvailabilityZoneId'), tags }, now));
  return wrap('subnet', subnetXml(subnet));
};

/** A subnet with network interfaces in it cannot be deleted (DependencyViolation). */
export const DeleteSubnet: Ec2Operation = (p, s, _now, state) => {
  const subnetId = required(p, 'SubnetId');
  state.store.transaction(() => {
    findSubnet(state, s, subnetId);
    if (inScope(state.networkInterfaces, s).some((e) => e.subnetId === subnetId)) {
      throw dependencyViolation(`The subnet '${subnetId}' has dependencies and cannot be deleted.`);
    }
    state.subnets.delete(resourceKey(s, subnetId));
  });
  return el('return', true);
};
