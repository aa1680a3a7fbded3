import { AwsError } from '../edge/errors.js';

/**
 * EC2's error codes with the messages real EC2 sends where they are known. Every EC2 client error
 * answers HTTP 400 except DryRunOperation (412).
 */
const e = (code: string, message: string): AwsError => new AwsError(code, message);

export const vpcNotFound = (id: string): AwsError => e('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
export const subnetNotFound = (id: string): AwsError => e('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
export const groupNotFound = (ref: string): AwsError => e('InvalidGroup.NotFound', `The security group '${ref}' does not exist`);
export const groupNameNotFound = (name: string, defaultVpcId: string | undefined): AwsError =>
  e('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${defaultVpcId ?? 'none'}'`);
export const groupDuplicate = (name: string, vpcId: string): AwsError =>
  e('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
export const eniNotFound = (id: string): AwsError =>
  e('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
export const permissionDuplicate = (rule: string): AwsError =>
  e('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`);
export const permissionNotFound = (): AwsError =>
  e('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
export const ruleIdNotFound = (id: string): AwsError =>
  e('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
export const invalidParameterValue = (message: string): AwsError => e('InvalidParameterValue', message);
export const invalidCidr = (cidr: string): AwsError =>
  invalidParameterValue(`Value (${cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
export const missingParameter = (name: string): AwsError => e('MissingParameter', `The request must contain the parameter ${name}`);
export const subnetConflict = (cidr: string): AwsError => e('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
export const subnetRange = (cidr: string): AwsError => e('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
export const vpcRange = (cidr: string): AwsError => e('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`);
export const dependencyViolation = (message: string): AwsError => e('DependencyViolation', message);
export const cannotDelete = (message: string): AwsError => e('CannotDelete', message);
export const insufficientAddresses = (subnetId: string): AwsError =>
  e('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`);
export const invalidFilter = (name: string): AwsError => invalidParameterValue(`The filter '${name}' is invalid`);
export const dryRun = (): AwsError => new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
