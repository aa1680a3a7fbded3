import type { QueryOperation, QuerySurface, RequestContext } from '../edge/surface.js';
import { LISTENER_ATTRIBUTE_OPERATIONS } from './api/listener-attributes.js';
import { LISTENER_CERTIFICATE_OPERATIONS } from './api/listener-certificates.js';
import { LISTENER_OPERATIONS } from './api/listeners.js';
import { LOAD_BALANCER_OPERATIONS } from './api/load-balancers.js';
import type { Elbv2, Elbv2Operation } from './api/operation.js';
import { RULE_OPERATIONS } from './api/rules.js';
import { TAG_OPERATIONS } from './api/tags.js';
import { TARGET_GROUP_OPERATIONS } from './api/target-groups.js';
import { TARGET_OPERATIONS } from './api/targets.js';
import { decode } from './input.js';
import type { Scope } from './state.js';

export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

const OPERATIONS: Readonly<Record<string, Elbv2Operation>> = {
  ...LOAD_BALANCER_OPERATIONS, ...TARGET_GROUP_OPERATIONS, ...TARGET_OPERATIONS, ...LISTENER_OPERATIONS, ...LISTENER_CERTIFICATE_OPERATIONS,
  ...LISTENER_ATTRIBUTE_OPERATIONS, ...RULE_OPERATIONS,
  ...TAG_OPERATIONS,
};

/** ELBv2 actions Berth does not offer yet: they answer NotImplementedException (501), others InvalidAction. */
const KNOWN = new Set([
  'AddTrustStoreRevocations', 'CreateTrustStore', 'DeleteSharedTrustStoreAssociation', 'DeleteTrustStore',
  'DescribeAccountLimits', 'DescribeCapacityReservation', 'DescribeSSLPolicies', 'DescribeTrustStoreAssociations', 'DescribeTrustStoreRevocations', 'DescribeTrustStores',
  'GetResourcePolicy', 'GetTrustStoreCaCertificatesBundle', 'GetTrustStoreRevocationContent', 'ModifyCapacityReservation',
  'ModifyIpPools', 'ModifyTrustStore', 'RemoveTrustStoreRevocations',
]);

export const operationNames = (): string[] => Object.keys(OPERATIONS);

const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.principal.accountId, region: ctx.region });

/** Elastic Load Balancing v2, Query protocol (signing name `elasticloadbalancing`, API version 2015-12-01). */
export function elbv2Surface(elb: Elbv2): QuerySurface {
  const operations: Record<string, QueryOperation> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    operations[name] = (params, ctx) => op(decode(params), scopeOf(ctx), ctx.now.getTime(), elb);
  }
  return { protocol: 'query', signingName: 'elasticloadbalancing', version: ELBV2_VERSION, xmlNamespace: ELBV2_NAMESPACE, operations, knownOperations: KNOWN };
}
