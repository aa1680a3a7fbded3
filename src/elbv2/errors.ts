import { AwsError } from '../edge/errors.js';

/**
 * ELBv2's error codes as its Query API sends them (`<Code>` without the SDK's `Exception`
 * suffix, which the SDKs add), all HTTP 400 as the service model gives them. Messages follow
 * the ones ELBv2 sends where known.
 */
const e = (code: string, status = 400) => (message: string): AwsError => new AwsError(code, message, status);

export const validation = e('ValidationError');
export const loadBalancerNotFound = e('LoadBalancerNotFound');
export const targetGroupNotFound = e('TargetGroupNotFound');
export const listenerNotFound = e('ListenerNotFound');
export const ruleNotFound = e('RuleNotFound');
export const duplicateLoadBalancerName = e('DuplicateLoadBalancerName');
export const duplicateTargetGroupName = e('DuplicateTargetGroupName');
export const duplicateListener = e('DuplicateListener');
export const duplicateTagKeys = e('DuplicateTagKeys');
export const priorityInUse = e('PriorityInUse');
export const resourceInUse = e('ResourceInUse');
export const invalidConfiguration = e('InvalidConfigurationRequest');
export const invalidTarget = e('InvalidTarget');
export const invalidLoadBalancerAction = e('InvalidLoadBalancerAction');
export const incompatibleProtocols = e('IncompatibleProtocols');
export const unsupportedProtocol = e('UnsupportedProtocol');
export const operationNotPermitted = e('OperationNotPermitted');
export const subnetNotFound = e('SubnetNotFound');
export const invalidSubnet = e('InvalidSubnet');
export const invalidSecurityGroup = e('InvalidSecurityGroup');
export const targetGroupAssociationLimit = e('TargetGroupAssociationLimit');
export const tooManyTags = e('TooManyTags');
export const tooManyActions = e('TooManyActions');
export const tooManyCertificates = e('TooManyCertificates');
export const certificateNotFound = e('CertificateNotFound');
export const sslPolicyNotFound = e('SSLPolicyNotFound');
export const alpnPolicyNotFound = e('ALPNPolicyNotFound');

/** The AWS validation message for one member (`1 validation error detected: …`). */
export function memberInvalid(value: string | null, member: string, constraint: string): AwsError {
  const shown = value === null ? 'null' : `'${value}'`;
  return validation(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}
