import { permissionDuplicate, permissionNotFound, ruleIdNotFound } from '../errors.js';
import { newId } from '../ids.js';
import { list, required, type Params } from '../params.js';
import { permissionsOf, permissionXml, securityGroupRuleXml } from '../render.js';
import { findGroup, defaultVpcOf } from '../resources.js';
import { inScope, resourceKey, type Scope, type SecurityGroup, type SecurityGroupRule, type VpcState } from '../state.js';
import { el, set, wrap } from '../xml.js';
import { describe, type Ec2Operation } from './describe.js';
import { readRules, ruleText, sameRule, type RuleSpec } from './permissions.js';
import { targetGroup } from './security-groups.js';

/** Adds rules; any rule the group already has (or the request repeats) is InvalidPermission.Duplicate. */
function authorize(state: VpcState, s: Scope, p: Params, isEgress: boolean): string {
  return state.store.transaction(() => {
    const g = isEgress ? findGroup(state, s, required(p, 'GroupId')) : targetGroup(state, s, p);
    const added: SecurityGroupRule[] = [];
    for (const spec of readRules(state, s, p, g, isEgress)) {
      if ([...g.rules, ...added].some((r) => sameRule(r, spec))) throw permissionDuplicate(ruleText(spec));
      added.push({ ruleId: newId('sgr'), ...spec });
    }
    state.securityGroups.put(resourceKey(s, g.groupId), { ...g, rules: [...g.rules, ...added] });
    return el('return', true) + set('securityGroupRuleSet', added, (r) => securityGroupRuleXml(s, g, r));
  });
}

/**
 * Removes rules named by `SecurityGroupRuleId.N` or by their properties. In a default VPC a
 * rule that does not exist is reported back in `unknownIpPermissionSet` (and `return` is false);
 * elsewhere it is InvalidPermission.NotFound and nothing is revoked, as the EC2 reference says.
 */
function revoke(state: VpcState, s: Scope, p: Params, isEgress: boolean): string {
  return state.store.transaction(() => {
    const g = isEgress ? findGroup(state, s, required(p, 'GroupId')) : targetGroup(state, s, p);
    const mine = g.rules.filter((r) => r.isEgress === isEgress);
    const removed: SecurityGroupRule[] = [];
    const unknown: RuleSpec[] = [];
    const ruleIds = list(p, 'SecurityGroupRuleId');
    if (ruleIds.length > 0) {
      for (const id of ruleIds) {
        const r = mine.find((x) => x.ruleId === id);
        if (!r) throw ruleIdNotFound(id);
        removed.push(r);
      }
    } else {
      for (const spec of readRules(state, s, p, g, isEgress)) {
        const r = mine.find((x) => sameRule(x, spec));
        if (r) removed.push(r);
        else unknown.push(spec);
      }
      if (unknown.length > 0 && defaultVpcOf(state, s)?.vpcId !== g.vpcId) throw permissionNotFound();
    }
    const gone = new Set(removed.map((r) => r.ruleId));
    state.securityGroups.put(resourceKey(s, g.groupId), { ...g, rules: g.rules.filter((r) => !gone.has(r.ruleId)) });
    const unknownXml = unknown.length === 0 ? '' : set('unknownIpPermissionSet', permissionsOf(unknown.map((u) => ({ ruleId: '', ...u }))), permissionXml);
    return el('return', unknown.length === 0) + unknownXml +
      set('revokedSecurityGroupRuleSet', removed, (r) =>
        el('securityGroupRuleId', r.ruleId) + el('groupId', g.groupId) + el('isEgress', r.isEgress) + el('ipProtocol', r.ipProtocol) +
        el('fromPort', r.fromPort ?? -1) + el('toPort', r.toPort ?? -1) + el('cidrIpv4', r.cidrIpv4) + el('cidrIpv6', r.cidrIpv6) +
        el('prefixListId', r.prefixListId) + el('referencedGroupId', r.referencedGroupId) + el('description', r.description));
  });
}

export const AuthorizeSecurityGroupIngress: Ec2Operation = (p, s, _now, state) => authorize(state, s, p, false);
export const AuthorizeSecurityGroupEgress: Ec2Operation = (p, s, _now, state) => authorize(state, s, p, true);
export const RevokeSecurityGroupIngress: Ec2Operation = (p, s, _now, state) => revoke(state, s, p, false);
export const RevokeSecurityGroupEgress: Ec2Operation = (p, s, _now, state) => revoke(state, s, p, true);

interface RuleRow { group: SecurityGroup; rule: SecurityGroupRule }

/** DescribeSecurityGroupRules: every rule of every group, one item per rule. */
export const DescribeSecurityGroupRules: Ec2Operation = (p, s, _now, state) => {
  const rows: RuleRow[] = inScope(state.securityGroups, s).flatMap((group) => group.rules.map((rule) => ({ group, rule })));
  return describe(p, rows, {
    idParam: 'SecurityGroupRuleId',
    idOf: (x) => x.rule.ruleId,
    notFound: ruleIdNotFound,
    fields: { 'group-id': (x: RuleRow) => x.group.groupId, 'security-group-rule-id': (x: RuleRow) => x.rule.ruleId },
    setName: 'securityGroupRuleSet',
    render: (x) => securityGroupRuleXml(s, x.group, x.rule) + wrap('tagSet', ''),
  });
};
