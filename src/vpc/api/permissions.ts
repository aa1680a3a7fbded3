import { parseCidr } from '../cidr.js';
import { groupNotFound, invalidParameterValue, missingParameter } from '../errors.js';
import { findGroup } from '../resources.js';
import { int, str, structs, type Params } from '../params.js';
import { inScope, type Scope, type SecurityGroup, type SecurityGroupRule, type VpcState } from '../state.js';

/**
 * Reading the rules an Authorize or Revoke call names. Either `IpPermissions.N.*` (with
 * `IpRanges.M.CidrIp`, `Ipv6Ranges.M.CidrIpv6`, `PrefixListIds.M.PrefixListId`, `Groups.M.GroupId`)
 * or the older top-level form (`IpProtocol`, `FromPort`, `ToPort`, `CidrIp`,
 * `SourceSecurityGroupName`). Each permission becomes one rule per peer; `ruleId` is left empty
 * for the caller to fill.
 */
export type RuleSpec = Omit<SecurityGroupRule, 'ruleId'>;

const NAMED: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

/** EC2's protocol forms: a name, `-1` for all, or a number 0–255 (6/17/1/58 become their names). */
export function normalizeProtocol(raw: string): string {
  const p = raw.toLowerCase();
  if (['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(p)) return p;
  if (Object.hasOwn(NAMED, p)) return NAMED[p]!;
  if (/^\d+$/.test(p) && Number(p) <= 255) return String(Number(p));
  throw invalidParameterValue(`Invalid value '${raw}' for IP protocol. Unknown protocol.`);
}

/** Ports as EC2 keeps them: required ranges for tcp/udp, type/code for ICMP, none for the rest. */
function ports(protocol: string, from: number | undefined, to: number | undefined): { fromPort?: number; toPort?: number } {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) {
      throw invalidParameterValue(`Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`);
    }
    if (from < 0 || to > 65535 || from > to) throw invalidParameterValue(`Invalid TCP/UDP port range ${from}-${to}.`);
    return { fromPort: from, toPort: to };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') return { fromPort: from ?? -1, toPort: to ?? -1 };
  return {};
}

function checkCidr(text: string): string {
  if (!parseCidr(text)) throw invalidParameterValue(`CIDR block ${text} is malformed`);
  return text;
}

function checkCidr6(text: string): string {
  if (!/^[0-9a-fA-F:]+\/\d{1,3}$/.test(text) || !text.includes(':')) throw invalidParameterValue(`CIDR block ${text} is malformed`);
  return text.toLowerCase();
}

/** A referenced group by id, or by name within the target group's VPC. */
function peerGroup(state: VpcState, s: Scope, target: SecurityGroup, id: string | undefined, name: string | undefined): SecurityGroup {
  if (id !== undefined) return findGroup(state, s, id);
  const g = inScope(state.securityGroups, s).find((x) => x.vpcId === target.vpcId && x.groupName === name);
  if (!g) throw groupNotFound(name ?? '');
  return g;
}

const desc = (m: Params): { description?: string } => {
  const d = m.get('Description');
  return d === undefined ? {} : { description: d };
};

export function readRules(state: VpcState, s: Scope, p: Params, target: SecurityGroup, isEgress: boolean): RuleSpec[] {
  const out: RuleSpec[] = [];
  const perms = structs(p, 'IpPermissions');
  for (const perm of perms) {
    const protoText = perm.get('IpProtocol');
    if (protoText === undefined) throw missingParameter('ipPermissions.ipProtocol');
    const ipProtocol = normalizeProtocol(protoText);
    const base = { isEgress, ipProtocol, ...ports(ipProtocol, int(perm, 'FromPort'), int(perm, 'ToPort')) };
    const before = out.length;
    for (const r of structs(perm, 'IpRanges')) {
      out.push({ ...base, cidrIpv4: checkCidr(r.get('CidrIp') ?? ''), ...desc(r) });
    }
    for (const r of structs(perm, 'Ipv6Ranges')) {
      out.push({ ...base, cidrIpv6: checkCidr6(r.get('CidrIpv6') ?? ''), ...desc(r) });
    }
    for (const r of structs(perm, 'PrefixListIds')) {
      const id = r.get('PrefixListId');
      if (!id) throw missingParameter('prefixListId');
      out.push({ ...base, prefixListId: id, ...desc(r) });
    }
    for (const r of structs(perm, 'Groups')) {
      const g = peerGroup(state, s, target, r.get('GroupId'), r.get('GroupName'));
      out.push({ ...base, referencedGroupId: g.groupId, referencedUserId: r.get('UserId') ?? g.ownerId, ...desc(r) });
    }
    if (out.length === before) throw missingParameter('ipPermissions.ipRanges');
  }
  if (perms.length > 0) return out;

  // The older flat form: one protocol/port range and one peer.
  const protoText = str(p, 'IpProtocol');
  const cidr = str(p, 'CidrIp');
  const sourceName = str(p, 'SourceSecurityGroupName');
  if (protoText === undefined && cidr === undefined && sourceName === undefined) throw missingParameter('ipPermissions');
  const ipProtocol = normalizeProtocol(protoText ?? '-1');
  const base = { isEgress, ipProtocol, ...ports(ipProtocol, int(p, 'FromPort'), int(p, 'ToPort')) };
  if (cidr !== undefined) out.push({ ...base, cidrIpv4: checkCidr(cidr) });
  if (sourceName !== undefined) {
    const g = peerGroup(state, s, target, undefined, sourceName);
    out.push({ ...base, referencedGroupId: g.groupId, referencedUserId: str(p, 'SourceSecurityGroupOwnerId') ?? g.ownerId });
  }
  if (out.length === 0) throw missingParameter('cidrIp');
  return out;
}

/** Whether two rules are the same rule (descriptions do not count). */
export function sameRule(a: RuleSpec, b: RuleSpec): boolean {
  return a.isEgress === b.isEgress && a.ipProtocol === b.ipProtocol && a.fromPort === b.fromPort && a.toPort === b.toPort &&
    a.cidrIpv4 === b.cidrIpv4 && a.cidrIpv6 === b.cidrIpv6 && a.prefixListId === b.prefixListId &&
    a.referencedGroupId === b.referencedGroupId;
}

/** EC2's text for a rule in InvalidPermission.Duplicate: `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`. */
export function ruleText(r: RuleSpec): string {
  const peer = r.cidrIpv4 ?? r.cidrIpv6 ?? r.prefixListId ?? r.referencedGroupId ?? '';
  const proto = r.ipProtocol === '-1' ? 'ALL' : r.ipProtocol.toUpperCase();
  const range = r.fromPort === undefined ? '' : `, from port: ${r.fromPort}, to port: ${r.toPort}`;
  return `peer: ${peer}, ${proto}${range}, ALLOW`;
}
