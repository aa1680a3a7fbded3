import { dependencyViolation, missingParameter, vpcNotFound } from '../errors.js';
import { createVpc, findVpc } from '../resources.js';
import { required, str, tagsFor } from '../params.js';
import { vpcXml } from '../render.js';
import { inScope, resourceKey, scopeKey, type Vpc } from '../state.js';
import { el, wrap } from '../xml.js';
import { describe, type Ec2Operation } from './describe.js';

/** DescribeVpcs filters, as the EC2 API reference lists them (plus `tag:`, `tag-key`). */
const FIELDS = {
  'vpc-id': (v: Vpc) => v.vpcId,
  cidr: (v: Vpc) => v.cidrBlock,
  'cidr-block-association.cidr-block': (v: Vpc) => v.cidrBlock,
  'cidr-block-association.association-id': (v: Vpc) => v.cidrAssociationId,
  'cidr-block-association.state': () => 'associated',
  'dhcp-options-id': (v: Vpc) => v.dhcpOptionsId,
  'is-default': (v: Vpc) => v.isDefault,
  // The camel-case alias older scripts use (`Name=isDefault,Values=true`).
  isDefault: (v: Vpc) => v.isDefault,
  'owner-id': (v: Vpc) => v.ownerId,
  state: (v: Vpc) => v.state,
};

export const DescribeVpcs: Ec2Operation = (p, s, _now, state) =>
  describe(p, inScope(state.vpcs, s), {
    idParam: 'VpcId', idOf: (v) => v.vpcId, notFound: vpcNotFound, fields: FIELDS, tagsOf: (v) => v.tags, setName: 'vpcSet', render: vpcXml,
  });

export const CreateVpc: Ec2Operation = (p, s, now, state) => {
  const cidrBlock = str(p, 'CidrBlock');
  if (cidrBlock === undefined) throw missingParameter('cidrBlock');
  const tags = tagsFor(p, 'vpc');
  const dhcp = state.scopes.get(scopeKey(s))!.dhcpOptionsId;
  const vpc = state.store.transaction(() => createVpc(state, s, dhcp, { cidrBlock, instanceTenancy: str(p, 'InstanceTenancy'), tags }, now));
  return wrap('vpc', vpcXml(vpc));
};

/**
 * Deletes a VPC with its default security group. Subnets, other security groups and network
 * interfaces are dependencies that must go first (DependencyViolation), as on EC2.
 */
export const DeleteVpc: Ec2Operation = (p, s, _now, state) => {
  const vpcId = required(p, 'VpcId');
  state.store.transaction(() => {
    findVpc(state, s, vpcId);
    const groups = inScope(state.securityGroups, s).filter((g) => g.vpcId === vpcId);
    const blocked =
      inScope(state.subnets, s).some((sn) => sn.vpcId === vpcId) ||
      inScope(state.networkInterfaces, s).some((e) => e.vpcId === vpcId) ||
      groups.some((g) => g.groupName !== 'default');
    if (blocked) throw dependencyViolation(`The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    for (const g of groups) state.securityGroups.delete(resourceKey(s, g.groupId));
    state.vpcs.delete(resourceKey(s, vpcId));
  });
  return el('return', true);
};
