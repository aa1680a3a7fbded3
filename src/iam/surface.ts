import type { QueryOperation, QuerySurface } from '../edge/surface.js';
import type { Iam, IamOperation } from './api/operation.js';
import { POLICY_OPERATIONS } from './api/policies.js';
import { POLICY_VERSION_OPERATIONS } from './api/policy-versions.js';
import { ROLE_OPERATIONS } from './api/roles.js';
import { SERVER_CERTIFICATE_OPERATIONS } from './api/server-certificates.js';
import { USER_OPERATIONS } from './api/users.js';

export const IAM_VERSION = '2010-05-08';
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

const OPERATIONS: Readonly<Record<string, IamOperation>> = {
  ...ROLE_OPERATIONS, ...USER_OPERATIONS, ...POLICY_OPERATIONS, ...POLICY_VERSION_OPERATIONS, ...SERVER_CERTIFICATE_OPERATIONS,
};

/** IAM actions Berth does not offer yet: they answer NotImplementedException (501), others InvalidAction. */
const KNOWN = new Set([
  'AddClientIDToOpenIDConnectProvider', 'AddRoleToInstanceProfile', 'AddUserToGroup', 'AttachGroupPolicy', 'ChangePassword',
  'CreateAccountAlias', 'CreateGroup', 'CreateInstanceProfile', 'CreateLoginProfile', 'CreateOpenIDConnectProvider',
  'CreateSAMLProvider', 'CreateServiceLinkedRole', 'CreateServiceSpecificCredential', 'CreateVirtualMFADevice',
  'DeactivateMFADevice', 'DeleteAccountAlias', 'DeleteAccountPasswordPolicy', 'DeleteGroup', 'DeleteGroupPolicy',
  'DeleteInstanceProfile', 'DeleteLoginProfile', 'DeleteOpenIDConnectProvider', 'DeleteRolePermissionsBoundary',
  'DeleteSAMLProvider', 'DeleteServiceLinkedRole', 'DeleteServiceSpecificCredential',
  'DeleteSigningCertificate', 'DeleteSSHPublicKey', 'DeleteUserPermissionsBoundary', 'DeleteVirtualMFADevice',
  'DetachGroupPolicy', 'EnableMFADevice', 'GenerateCredentialReport', 'GenerateServiceLastAccessedDetails',
  'GetAccessKeyLastUsed', 'GetAccountAuthorizationDetails', 'GetAccountPasswordPolicy', 'GetAccountSummary',
  'GetContextKeysForCustomPolicy', 'GetContextKeysForPrincipalPolicy', 'GetCredentialReport', 'GetGroup', 'GetGroupPolicy',
  'GetInstanceProfile', 'GetLoginProfile', 'GetOpenIDConnectProvider', 'GetSAMLProvider', 'GetServiceLastAccessedDetails', 'GetServiceLinkedRoleDeletionStatus', 'GetSSHPublicKey', 'ListAccountAliases',
  'ListAttachedGroupPolicies', 'ListEntitiesForPolicy', 'ListGroupPolicies', 'ListGroups', 'ListGroupsForUser',
  'ListInstanceProfiles', 'ListInstanceProfilesForRole', 'ListInstanceProfileTags', 'ListMFADevices',
  'ListOpenIDConnectProviders', 'ListPolicyTags', 'ListSAMLProviders', 'ListServiceSpecificCredentials', 'ListSigningCertificates', 'ListSSHPublicKeys', 'ListVirtualMFADevices',
  'PutGroupPolicy', 'PutRolePermissionsBoundary', 'PutUserPermissionsBoundary', 'RemoveRoleFromInstanceProfile',
  'RemoveUserFromGroup', 'SimulateCustomPolicy', 'SimulatePrincipalPolicy', 'TagInstanceProfile', 'TagPolicy',
  'UntagInstanceProfile', 'UntagPolicy', 'UpdateAccountPasswordPolicy', 'UpdateGroup', 'UpdateLoginProfile',
  'UpdateRoleDescription', 'UpdateUser', 'UploadSigningCertificate', 'UploadSSHPublicKey',
]);

/** IAM, Query protocol (signing name `iam`, API version 2010-05-08). IAM is global: no region in its ARNs or keys. */
export function iamSurface(iam: Iam): QuerySurface {
  const operations: Record<string, QueryOperation> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) operations[name] = (params, ctx) => op(params, ctx, iam);
  return { protocol: 'query', signingName: 'iam', version: IAM_VERSION, xmlNamespace: IAM_NAMESPACE, operations, knownOperations: KNOWN };
}
