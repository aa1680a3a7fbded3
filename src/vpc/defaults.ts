import { newId } from './ids.js';
import { createSubnet, createVpc } from './resources.js';
import { scopeKey, type Scope, type ScopeRecord, type VpcState } from './state.js';
import { zonesOf } from './zones.js';

/** The default VPC's block and its default subnets' blocks, one per zone, as AWS lays them out. */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
export const DEFAULT_SUBNET_CIDRS = ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20'] as const;

/**
 * Makes an account's default network in a region the first time anything there asks: a default
 * VPC (172.31.0.0/16) with its `default` security group and one default subnet per zone
 * (mapPublicIpOnLaunch true). Done once and recorded in `vpc.scopes`, so it is stable across
 * restarts, and a default VPC the user deletes stays deleted, as on AWS.
 */
export function ensureDefaults(state: VpcState, s: Scope, now: number): ScopeRecord {
  const existing = state.scopes.get(scopeKey(s));
  if (existing) return existing;
  return state.store.transaction(() => {
    const dhcpOptionsId = newId('dopt');
    const vpc = createVpc(state, s, dhcpOptionsId, { cidrBlock: DEFAULT_VPC_CIDR, isDefault: true }, now);
    zonesOf(s.region).forEach((zone, i) => {
      createSubnet(state, s, { vpcId: vpc.vpcId, cidrBlock: DEFAULT_SUBNET_CIDRS[i]!, availabilityZone: zone.zoneName, defaultForAz: true }, now);
    });
    const record: ScopeRecord = { defaultsCreatedAt: now, defaultVpcId: vpc.vpcId, dhcpOptionsId };
    state.scopes.put(scopeKey(s), record);
    return record;
  });
}
