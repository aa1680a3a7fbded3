import type { QueryOperation, QuerySurface, RequestContext } from '../edge/surface.js';
import { DescribeAvailabilityZones } from './api/availability-zones.js';
import type { Ec2Operation } from './api/describe.js';
import { DescribeNetworkInterfaces } from './api/network-interfaces.js';
import {
  AuthorizeSecurityGroupEgress, AuthorizeSecurityGroupIngress, DescribeSecurityGroupRules, RevokeSecurityGroupEgress,
  RevokeSecurityGroupIngress,
} from './api/security-group-rules.js';
import { CreateSecurityGroup, DeleteSecurityGroup, DescribeSecurityGroups } from './api/security-groups.js';
import { CreateSubnet, DeleteSubnet, DescribeSubnets } from './api/subnets.js';
import { CreateTags, DeleteTags, DescribeTags } from './api/tags.js';
import { CreateVpc, DeleteVpc, DescribeVpcs } from './api/vpcs.js';
import { ensureDefaults } from './defaults.js';
import { dryRun } from './errors.js';
import { bool } from './params.js';
import type { VpcService } from './service.js';
import type { Scope } from './state.js';
import { ec2Error, ec2Response } from './xml.js';

export const EC2_VERSION = '2016-11-15';
export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const OPERATIONS: Readonly<Record<string, Ec2Operation>> = {
  DescribeVpcs, CreateVpc, DeleteVpc,
  DescribeSubnets, CreateSubnet, DeleteSubnet,
  DescribeSecurityGroups, CreateSecurityGroup, DeleteSecurityGroup,
  AuthorizeSecurityGroupIngress, AuthorizeSecurityGroupEgress, RevokeSecurityGroupIngress, RevokeSecurityGroupEgress,
  DescribeSecurityGroupRules,
  DescribeNetworkInterfaces,
  DescribeAvailabilityZones,
  CreateTags, DeleteTags, DescribeTags,
};

/** Common EC2 actions Berth does not offer yet: they answer NotImplementedException (501), others InvalidAction. */
const KNOWN = new Set([
  'RunInstances', 'DescribeInstances', 'TerminateInstances', 'StartInstances', 'StopInstances', 'RebootInstances',
  'DescribeInstanceTypes', 'DescribeImages', 'DescribeKeyPairs', 'CreateKeyPair', 'ImportKeyPair', 'DeleteKeyPair',
  'DescribeRegions', 'DescribeAccountAttributes', 'CreateDefaultVpc', 'CreateDefaultSubnet',
  'DescribeVpcAttribute', 'ModifyVpcAttribute', 'ModifySubnetAttribute', 'AssociateVpcCidrBlock',
  'CreateNetworkInterface', 'DeleteNetworkInterface', 'AttachNetworkInterface', 'DetachNetworkInterface',
  'ModifyNetworkInterfaceAttribute', 'DescribeNetworkInterfaceAttribute',
  'ModifySecurityGroupRules', 'UpdateSecurityGroupRuleDescriptionsIngress', 'UpdateSecurityGroupRuleDescriptionsEgress',
  'DescribeRouteTables', 'CreateRouteTable', 'DeleteRouteTable', 'CreateRoute', 'DeleteRoute', 'AssociateRouteTable', 'DisassociateRouteTable',
  'DescribeInternetGateways', 'CreateInternetGateway', 'DeleteInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway',
  'DescribeNatGateways', 'CreateNatGateway', 'DeleteNatGateway',
  'DescribeAddresses', 'AllocateAddress', 'ReleaseAddress', 'AssociateAddress', 'DisassociateAddress',
  'DescribeDhcpOptions', 'DescribeNetworkAcls', 'DescribePrefixLists', 'DescribeManagedPrefixLists',
  'DescribeVpcEndpoints', 'CreateVpcEndpoint', 'DeleteVpcEndpoints',
  'DescribeLaunchTemplates', 'CreateLaunchTemplate', 'DeleteLaunchTemplate', 'DescribeLaunchTemplateVersions',
  'DescribeVolumes', 'CreateVolume', 'DeleteVolume', 'AttachVolume', 'DetachVolume', 'DescribeSnapshots',
]);

const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.principal.accountId, region: ctx.region });

/**
 * The EC2 VPC subset, EC2 Query protocol (signing name `ec2`). Every operation first makes the
 * caller's default network in the region (see defaults.ts); `DryRun=true` answers
 * DryRunOperation without doing anything, as the caller is always allowed.
 */
export function ec2Surface(vpc: VpcService): QuerySurface {
  const state = vpc.state;
  const operations: Record<string, QueryOperation> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    operations[name] = (params, ctx) => {
      if (bool(params, 'DryRun')) throw dryRun();
      const s = scopeOf(ctx);
      const now = ctx.now.getTime();
      ensureDefaults(state, s, now);
      return op(params, s, now, state);
    };
  }
  return {
    protocol: 'query',
    signingName: 'ec2',
    version: EC2_VERSION,
    xmlNamespace: EC2_NAMESPACE,
    operations,
    knownOperations: KNOWN,
    encodeResult: (action, requestId, members) => ec2Response(EC2_NAMESPACE, action, requestId, members),
    encodeError: ec2Error,
  };
}
