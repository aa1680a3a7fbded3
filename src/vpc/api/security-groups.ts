import { AwsError } from '../../edge/errors.js';
import {
  cannotDelete, dependencyViolation, groupDuplicate, groupNameNotFound, groupNotFound, invalidParameterValue,
} from '../errors.js';
import { defaultVpcOf, findGroup, findVpc, newGroup } from '../resources.js';
import { list, required, str, tagsFor, type Params } from '../params.js';
import { groupArn, securityGroupXml } from '../render.js';
import { inScope, resourceKey, type Scope, type SecurityGroup, type SecurityGroupRule, type VpcState } from '../state.js';
import { el, tagSet } from '../xml.js';
import { describe, type Ec2Operation } from './describe.js';

const rulesOf = (g: SecurityGroup, egress: boolean): SecurityGroupRule[] => g.rules.filter((r) => r.isEgress === egress);

/** The `ip-permission.*` (ingress) or `egress.ip-permission.*` filters of DescribeSecurityGroups. */
function permissionFields(prefix: string, egress: boolean, nameOf: (id: string) => string | undefined) {
  return {
    [`${prefix}cidr`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.cidrIpv4),
    [`${prefix}ipv6-cidr`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.cidrIpv6),
    [`${prefix}prefix-list-id`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.prefixListId),
    [`${prefix}from-port`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.fromPort),
    [`${prefix}to-port`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.toPort),
    [`${prefix}protocol`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.ipProtocol),
    [`${prefix}group-id`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.referencedGroupId),
    [`${prefix}group-name`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.referencedGroupId && nameOf(r.referencedGroupId)),
    [`${prefix}user-id`]: (g: SecurityGroup) => rulesOf(g, egress).map((r) => r.referencedUserId),
  };
}

/**
 * A group named by `GroupName` alone: EC2 looks it up in the default VPC only, and says so in
 * the error when it is not there.
 */
export function groupByName(state: VpcState, s: Scope, name: string): SecurityGroup {
  const vpc = defaultVpcOf(state, s);
  const g = vpc && inScope(state.securityGroups, s).find((x) => x.vpcId === vpc.vpcId && x.groupName === name);
  if (!g) throw groupNameNotFound(name, vpc?.vpcId);
  return g;
}

/** The group a request targets by `GroupId`, else by `GroupName` in the default VPC. */
export function targetGroup(state: VpcState, s: Scope, p: Params): SecurityGroup {
  const id = str(p, 'GroupId');
  if (id !== undefined) return findGroup(state, s, id);
  return groupByName(state, s, required(p, 'GroupName', 'groupName or groupId'));
}

export const DescribeSecurityGroups: Ec2Operation = (p, s, _now, state) => {
  let all = inScope(state.securityGroups, s);
  const names = list(p, 'GroupName');
  if (names.length > 0) {
    const wanted = new Set(names.map((n) => groupByName(state, s, n).groupId));
    all = all.filter((g) => wanted.has(g.groupId));
  }
  const nameOf = (id: string): string | undefined => state.securityGroups.get(resourceKey(s, id))?.groupName;
  const fields = {
    description: (g: SecurityGroup) => g.description,
    'group-id': (g: SecurityGroup) => g.groupId,
    'group-name': (g: SecurityGroup) => g.groupName,
    'owner-id': (g: SecurityGroup) => g.ownerId,
    'vpc-id': (g: SecurityGroup) => g.vpcId,
    ...permissionFields('ip-permission.', false, nameOf),
    ...permissionFields('egress.ip-permission.', true, nameOf),
  };
  return describe(p, all, {
    idParam: 'GroupId', idOf: (g) => g.groupId, notFound: groupNotFound, fields, tagsOf: (g) => g.tags,
    setName: 'securityGroupInfo', render: (g) => securityGroupXml(s, g),
  });
};

/** Creates a group in the named VPC, or the default VPC; names are unique per VPC. */
export const CreateSecurityGroup: Ec2Operation = (p, s, now, state) => {
  const groupName = required(p, 'GroupName');
  const description = required(p, 'GroupDescription');
  if (groupName.length > 255) throw invalidParameterValue(`Invalid security group name. Names can be at most 255 characters.`);
  if (description.length > 255) throw invalidParameterValue(`Invalid security group description. Descriptions can be at most 255 characters.`);
  if (/^sg-/i.test(groupName)) throw invalidParameterValue('Group names may not be in the format sg-*');
  if (groupName === 'default') throw invalidParameterValue('Cannot use reserved security group name: default');
  const tags = tagsFor(p, 'security-group');
  const g = state.store.transaction(() => {
    const vpcIdParam = str(p, 'VpcId');
    const vpc = vpcIdParam !== undefined ? findVpc(state, s, vpcIdParam) : defaultVpcOf(state, s);
    if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
    if (inScope(state.securityGroups, s).some((x) => x.vpcId === vpc.vpcId && x.groupName === groupName)) {
      throw groupDuplicate(groupName, vpc.vpcId);
    }
    const group = newGroup(s, vpc.vpcId, groupName, description, tags, now);
    state.securityGroups.put(resourceKey(s, group.groupId), group);
    return group;
  });
  return el('return', true) + el('groupId', g.groupId) + el('securityGroupArn', groupArn(s, g.groupId)) + tagSet(g.tags);
};

/**
 * Deletes a group. A VPC's `default` group cannot be deleted (CannotDelete); a group in use by a
 * network interface or referenced by another group's rule is a DependencyViolation.
 */
export const DeleteSecurityGroup: Ec2Operation = (p, s, _now, state) => {
  const g = state.store.transaction(() => {
    const group = targetGroup(state, s, p);
    if (group.groupName === 'default') {
      throw cannotDelete(`the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
    }
    const inUse =
      inScope(state.networkInterfaces, s).some((e) => e.groupIds.includes(group.groupId)) ||
      inScope(state.securityGroups, s).some((x) => x.groupId !== group.groupId && x.rules.some((r) => r.referencedGroupId === group.groupId));
    if (inUse) throw dependencyViolation(`resource ${group.groupId} has a dependent object`);
    state.securityGroups.delete(resourceKey(s, group.groupId));
    return group;
  });
  return el('return', true) + el('groupId', g.groupId);
};
