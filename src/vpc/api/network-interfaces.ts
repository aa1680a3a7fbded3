import { eniNotFound } from '../errors.js';
import { networkInterfaceXml } from '../render.js';
import { inScope, resourceKey, type NetworkInterface } from '../state.js';
import { describe, type Ec2Operation } from './describe.js';

/**
 * DescribeNetworkInterfaces. ENIs are made by Berth itself (VpcService.allocateEni for awsvpc
 * tasks); CreateNetworkInterface is not offered yet.
 */
export const DescribeNetworkInterfaces: Ec2Operation = (p, s, _now, state) => {
  const groupsOf = (e: NetworkInterface) =>
    e.groupIds.map((groupId) => ({ groupId, groupName: state.securityGroups.get(resourceKey(s, groupId))?.groupName ?? '' }));
  const fields = {
    'network-interface-id': (e: NetworkInterface) => e.networkInterfaceId,
    'addresses.private-ip-address': (e: NetworkInterface) => e.privateIpAddress,
    'addresses.primary': () => true,
    'addresses.association.public-ip': (e: NetworkInterface) => e.publicIp,
    'addresses.association.owner-id': (e: NetworkInterface) => (e.publicIp === undefined ? undefined : 'amazon'),
    'association.public-ip': (e: NetworkInterface) => e.publicIp,
    'association.ip-owner-id': (e: NetworkInterface) => (e.publicIp === undefined ? undefined : 'amazon'),
    'attachment.attachment-id': (e: NetworkInterface) => e.attachment?.attachmentId,
    'attachment.status': (e: NetworkInterface) => e.attachment?.status,
    'attachment.device-index': (e: NetworkInterface) => e.attachment?.deviceIndex,
    'attachment.delete-on-termination': (e: NetworkInterface) => (e.attachment ? false : undefined),
    'attachment.attach-time': (e: NetworkInterface) => (e.attachment ? new Date(e.attachment.attachTime).toISOString() : undefined),
    'availability-zone': (e: NetworkInterface) => e.availabilityZone,
    'availability-zone-id': (e: NetworkInterface) => e.availabilityZoneId,
    description: (e: NetworkInterface) => e.description,
    'group-id': (e: NetworkInterface) => e.groupIds,
    'group-name': (e: NetworkInterface) => groupsOf(e).map((g) => g.groupName),
    'interface-type': (e: NetworkInterface) => e.interfaceType,
    'mac-address': (e: NetworkInterface) => e.macAddress,
    'owner-id': (e: NetworkInterface) => e.ownerId,
    'private-dns-name': (e: NetworkInterface) => e.privateDnsName,
    'private-ip-address': (e: NetworkInterface) => e.privateIpAddress,
    'requester-id': (e: NetworkInterface) => e.requesterId,
    'requester-managed': (e: NetworkInterface) => e.requesterManaged,
    'source-dest-check': (e: NetworkInterface) => e.sourceDestCheck,
    status: (e: NetworkInterface) => e.status,
    'subnet-id': (e: NetworkInterface) => e.subnetId,
    'vpc-id': (e: NetworkInterface) => e.vpcId,
  };
  return describe(p, inScope(state.networkInterfaces, s), {
    idParam: 'NetworkInterfaceId', idOf: (e) => e.networkInterfaceId, notFound: eniNotFound, fields, tagsOf: (e) => e.tags,
    setName: 'networkInterfaceSet', render: (e) => networkInterfaceXml(e, groupsOf(e)),
  });
};
