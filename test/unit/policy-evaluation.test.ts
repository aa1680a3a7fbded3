import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conditionContext, type ContextValue } from '../../src/iam/policy/context.js';
import { parsePolicy } from '../../src/iam/policy/document.js';
import { decideIdentity } from '../../src/iam/policy/evaluate.js';

/**
 * Policy evaluation, row by row, following the examples of the IAM User Guide ("Policy
 * evaluation logic", "Example IAM identity-based policies", "Condition operators", "Conditions
 * with multiple context keys or values", "Policy variables", "Session policies") and the ECS
 * Developer Guide's identity-based policy examples. Each row is named after the example it
 * follows.
 */
type Expect = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny' | 'ImplicitDeny:session' | 'ExplicitDeny:session';
interface Row {
  doc: string;
  policies: object[];
  session?: object[];
  action: string;
  resource?: string;
  ctx?: Record<string, ContextValue>;
  expect: Expect;
}

const ACCT = '123456789012';
const V = '2012-10-17';
const allow = (Action: unknown, Resource: unknown = '*', Condition?: object): object =>
  ({ Version: V, Statement: [{ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) }] });
const deny = (Action: unknown, Resource: unknown = '*', Condition?: object): object =>
  ({ Version: V, Statement: [{ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) }] });
const ALL = allow('*');
const cluster = (name: string, region = 'us-east-1'): string => `arn:aws:ecs:${region}:${ACCT}:cluster/${name}`;
const secret = (name: string): string => `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:${name}`;
const user = (name: string): string => `arn:aws:iam::${ACCT}:user/${name}`;

const ROWS: Row[] = [
  // Policy evaluation logic: the basics.
  { doc: 'evaluation logic: a request no policy allows is implicitly denied', policies: [], action: 'ecs:ListClusters', expect: 'ImplicitDeny' },
  { doc: 'evaluation logic: an identity policy that allows the action allows it', policies: [allow('ecs:*')], action: 'ecs:RunTask', expect: 'Allow' },
  { doc: 'evaluation logic: an explicit deny overrides an allow in the same policy', policies: [{ Version: V, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ecs:RunTask', Resource: '*' }] }], action: 'ecs:RunTask', expect: 'ExplicitDeny' },
  { doc: 'evaluation logic: an explicit deny in one policy overrides an allow in another', policies: [ALL, deny('ecs:RunTask')], action: 'ecs:RunTask', expect: 'ExplicitDeny' },
  { doc: 'evaluation logic: a deny of another action does not affect this one', policies: [ALL, deny('ecs:RunTask')], action: 'ecs:StopTask', expect: 'Allow' },
  { doc: 'AdministratorAccess: Action "*" on Resource "*" allows everything', policies: [ALL], action: 'iam:CreateUser', expect: 'Allow' },
  // Action element.
  { doc: 'Action element: action names are case-insensitive', policies: [allow('ECS:describeclusters')], action: 'ecs:DescribeClusters', expect: 'Allow' },
  { doc: 'Action element: ecs:Describe* allows DescribeClusters', policies: [allow('ecs:Describe*')], action: 'ecs:DescribeClusters', expect: 'Allow' },
  { doc: 'Action element: ecs:Describe* does not allow RunTask', policies: [allow('ecs:Describe*')], action: 'ecs:RunTask', expect: 'ImplicitDeny' },
  { doc: 'Action element: ? matches exactly one character', policies: [allow('ecs:ListCluster?')], action: 'ecs:ListClusters', expect: 'Allow' },
  { doc: 'Action element: ? does not match two characters', policies: [allow('ecs:ListCluste?')], action: 'ecs:ListClusters', expect: 'ImplicitDeny' },
  { doc: 'Action element: a list of actions is a logical OR', policies: [allow(['logs:CreateLogStream', 'logs:PutLogEvents'])], action: 'logs:PutLogEvents', expect: 'Allow' },
  { doc: 'Action element: the service prefix must match', policies: [allow('ecs:*')], action: 'ecr:BatchGetImage', expect: 'ImplicitDeny' },
  // NotAction.
  { doc: 'NotAction: allow all services except IAM allows ECS', policies: [{ Version: V, Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }], action: 'ecs:RunTask', expect: 'Allow' },
  { doc: 'NotAction: allow all services except IAM does not allow IAM', policies: [{ Version: V, Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }], action: 'iam:CreateUser', expect: 'ImplicitDeny' },
  { doc: 'NotAction with Deny: deny everything except IAM and STS denies ECS', policies: [ALL, { Version: V, Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*' }] }], action: 'ecs:RunTask', expect: 'ExplicitDeny' },
  { doc: 'NotAction with Deny: deny everything except IAM and STS leaves IAM allowed', policies: [ALL, { Version: V, Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*' }] }], action: 'iam:ListUsers', expect: 'Allow' },
  // Resource element.
  { doc: 'Resource element: a specific secret ARN allows that secret', policies: [allow('secretsmanager:GetSecretValue', secret('db-AbCdEf'))], action: 'secretsmanager:GetSecretValue', resource: secret('db-AbCdEf'), expect: 'Allow' },
  { doc: 'Resource element: a specific secret ARN does not allow another secret', policies: [allow('secretsmanager:GetSecretValue', secret('db-AbCdEf'))], action: 'secretsmanager:GetSecretValue', resource: secret('api-XyZ123'), expect: 'ImplicitDeny' },
  { doc: 'Resource element: resource ARNs are case-sensitive', policies: [allow('ecs:DescribeClusters', cluster('Prod'))], action: 'ecs:DescribeClusters', resource: cluster('prod'), expect: 'ImplicitDeny' },
  { doc: 'Resource element: cluster/* allows any cluster of the account', policies: [allow('ecs:*', `arn:aws:ecs:us-east-1:${ACCT}:cluster/*`)], action: 'ecs:DeleteCluster', resource: cluster('anything'), expect: 'Allow' },
  { doc: 'Resource element: a wildcard region segment allows every region', policies: [allow('ecs:*', `arn:aws:ecs:*:${ACCT}:cluster/prod`)], action: 'ecs:DescribeClusters', resource: cluster('prod', 'eu-west-1'), expect: 'Allow' },
  { doc: 'Resource element: a * ending a segment may extend past colon boundaries', policies: [allow('ecs:*', 'arn:aws:ecs:us-*')], action: 'ecs:DescribeClusters', resource: cluster('prod', 'us-west-2'), expect: 'Allow' },
  { doc: 'Resource element: a * inside a segment stays within it', policies: [allow('ecs:*', 'arn:aws:ecs:*1:cluster/prod')], action: 'ecs:DescribeClusters', resource: 'arn:aws:ecs:us-east-1:111122223331:cluster/prod', expect: 'ImplicitDeny' },
  { doc: 'Resource element (CloudWatch Logs): log-group:name:* covers the group\'s streams', policies: [allow('logs:PutLogEvents', `arn:aws:logs:*:${ACCT}:log-group:/ecs/web:*`)], action: 'logs:PutLogEvents', resource: `arn:aws:logs:us-east-1:${ACCT}:log-group:/ecs/web:log-stream:ecs/app/abc`, expect: 'Allow' },
  { doc: 'Resource element: a list of resources is a logical OR', policies: [allow('secretsmanager:GetSecretValue', [secret('a-1'), secret('b-2')])], action: 'secretsmanager:GetSecretValue', resource: secret('b-2'), expect: 'Allow' },
  // NotResource.
  { doc: 'NotResource: allow everything except prod secrets allows a dev secret', policies: [{ Version: V, Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', NotResource: secret('prod-*') }] }], action: 'secretsmanager:GetSecretValue', resource: secret('dev-db'), expect: 'Allow' },
  { doc: 'NotResource: allow everything except prod secrets does not allow a prod secret', policies: [{ Version: V, Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', NotResource: secret('prod-*') }] }], action: 'secretsmanager:GetSecretValue', resource: secret('prod-db'), expect: 'ImplicitDeny' },
  // Policy variables.
  { doc: 'policy variables: users manage their own access keys (user/${aws:username})', policies: [allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}')], action: 'iam:CreateAccessKey', resource: user('alice'), ctx: { 'aws:username': 'alice' }, expect: 'Allow' },
  { doc: 'policy variables: ${aws:username} does not match another user', policies: [allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}')], action: 'iam:CreateAccessKey', resource: user('bob'), ctx: { 'aws:username': 'alice' }, expect: 'ImplicitDeny' },
  { doc: 'policy variables: Version 2008-10-17 treats ${aws:username} as literal text', policies: [{ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' }] }], action: 'iam:CreateAccessKey', resource: user('alice'), ctx: { 'aws:username': 'alice' }, expect: 'ImplicitDeny' },
  { doc: 'policy variables: a variable with no value in the request matches nothing (role sessions have no aws:username)', policies: [allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}')], action: 'iam:CreateAccessKey', resource: user('alice'), expect: 'ImplicitDeny' },
  { doc: 'policy variables: a default value applies when the key is absent', policies: [allow('iam:GetUser', "arn:aws:iam::*:user/${aws:username, 'guest'}")], action: 'iam:GetUser', resource: user('guest'), expect: 'Allow' },
  { doc: 'policy variables: ${*} is a literal asterisk, not a wildcard (matching)', policies: [allow('secretsmanager:GetSecretValue', secret('a${*}b'))], action: 'secretsmanager:GetSecretValue', resource: secret('a*b'), expect: 'Allow' },
  { doc: 'policy variables: ${*} is a literal asterisk, not a wildcard (not matching)', policies: [allow('secretsmanager:GetSecretValue', secret('a${*}b'))], action: 'secretsmanager:GetSecretValue', resource: secret('axb'), expect: 'ImplicitDeny' },
  { doc: 'policy variables in conditions: StringLike s3:prefix home/${aws:username}/*', policies: [allow('s3:ListBucket', 'arn:aws:s3:::bucket', { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } })], action: 's3:ListBucket', resource: 'arn:aws:s3:::bucket', ctx: { 'aws:username': 'alice', 's3:prefix': 'home/alice/docs' }, expect: 'Allow' },
  { doc: 'policy variables in conditions: another user\'s home prefix is not matched', policies: [allow('s3:ListBucket', 'arn:aws:s3:::bucket', { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } })], action: 's3:ListBucket', resource: 'arn:aws:s3:::bucket', ctx: { 'aws:username': 'alice', 's3:prefix': 'home/bob/docs' }, expect: 'ImplicitDeny' },
  // aws:SourceIp.
  { doc: 'aws:SourceIp: deny requests from outside the allowed ranges lets an inside address through', policies: [ALL, deny('*', '*', { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } })], action: 'ecs:RunTask', ctx: { 'aws:SourceIp': '192.0.2.10' }, expect: 'Allow' },
  { doc: 'aws:SourceIp: deny requests from outside the allowed ranges denies an outside address', policies: [ALL, deny('*', '*', { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } })], action: 'ecs:RunTask', ctx: { 'aws:SourceIp': '198.51.100.7' }, expect: 'ExplicitDeny' },
  { doc: 'aws:SourceIp: NotIpAddress holds when the request has no source IP', policies: [ALL, deny('*', '*', { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } })], action: 'ecs:RunTask', expect: 'ExplicitDeny' },
  { doc: 'IpAddress: IPv6 ranges', policies: [allow('ecs:*', '*', { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } })], action: 'ecs:ListClusters', ctx: { 'aws:SourceIp': '2001:db8:1234:5678::1' }, expect: 'Allow' },
  { doc: 'IpAddress: a single address without a mask is a /32', policies: [allow('ecs:*', '*', { IpAddress: { 'aws:SourceIp': '203.0.113.5' } })], action: 'ecs:ListClusters', ctx: { 'aws:SourceIp': '203.0.113.6' }, expect: 'ImplicitDeny' },
  // Bool and IfExists.
  { doc: 'aws:SecureTransport: deny requests that do not use TLS', policies: [ALL, deny('*', '*', { Bool: { 'aws:SecureTransport': 'false' } })], action: 'secretsmanager:GetSecretValue', ctx: { 'aws:SecureTransport': 'false' }, expect: 'ExplicitDeny' },
  { doc: 'aws:SecureTransport: requests over TLS are not denied', policies: [ALL, deny('*', '*', { Bool: { 'aws:SecureTransport': 'false' } })], action: 'secretsmanager:GetSecretValue', ctx: { 'aws:SecureTransport': 'true' }, expect: 'Allow' },
  { doc: 'MFA: BoolIfExists aws:MultiFactorAuthPresent false denies long-term keys (key absent)', policies: [ALL, deny('ec2:StopInstances', '*', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })], action: 'ec2:StopInstances', expect: 'ExplicitDeny' },
  { doc: 'MFA: Bool without IfExists does not match when the key is absent', policies: [ALL, deny('ec2:StopInstances', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'false' } })], action: 'ec2:StopInstances', expect: 'Allow' },
  { doc: 'MFA: BoolIfExists denies temporary credentials without MFA', policies: [ALL, deny('ec2:StopInstances', '*', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } })], action: 'ec2:StopInstances', ctx: { 'aws:MultiFactorAuthPresent': 'false' }, expect: 'ExplicitDeny' },
  { doc: 'condition values: JSON booleans compare as strings', policies: [allow('ecs:*', '*', { Bool: { 'aws:SecureTransport': true } })], action: 'ecs:ListClusters', ctx: { 'aws:SecureTransport': 'true' }, expect: 'Allow' },
  // Null.
  { doc: 'Null: aws:TokenIssueTime "true" matches long-term credentials', policies: [allow('ecs:*', '*', { Null: { 'aws:TokenIssueTime': 'true' } })], action: 'ecs:ListClusters', expect: 'Allow' },
  { doc: 'Null: aws:TokenIssueTime "true" does not match temporary credentials', policies: [allow('ecs:*', '*', { Null: { 'aws:TokenIssueTime': 'true' } })], action: 'ecs:ListClusters', ctx: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, expect: 'ImplicitDeny' },
  { doc: 'Null: deny creating without a required request tag', policies: [ALL, deny('ecs:CreateCluster', '*', { Null: { 'aws:RequestTag/owner': 'true' } })], action: 'ecs:CreateCluster', expect: 'ExplicitDeny' },
  { doc: 'Null: a create carrying the required tag is not denied', policies: [ALL, deny('ecs:CreateCluster', '*', { Null: { 'aws:RequestTag/owner': 'true' } })], action: 'ecs:CreateCluster', ctx: { 'aws:RequestTag/owner': 'alice' }, expect: 'Allow' },
  // Dates and numbers.
  { doc: 'aws:CurrentTime: allow access within a date range (inside)', policies: [allow('ecs:*', '*', { DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' } })], action: 'ecs:ListClusters', ctx: { 'aws:CurrentTime': '2020-05-15T12:00:00Z' }, expect: 'Allow' },
  { doc: 'aws:CurrentTime: allow access within a date range (after it)', policies: [allow('ecs:*', '*', { DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' }, DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' } })], action: 'ecs:ListClusters', ctx: { 'aws:CurrentTime': '2020-07-01T00:00:00Z' }, expect: 'ImplicitDeny' },
  { doc: 'Date operators accept epoch seconds', policies: [allow('ecs:*', '*', { DateLessThan: { 'aws:EpochTime': '1700000000' } })], action: 'ecs:ListClusters', ctx: { 'aws:EpochTime': '1600000000' }, expect: 'Allow' },
  { doc: 'aws:TokenIssueTime: deny sessions issued before a revocation time', policies: [ALL, deny('*', '*', { DateLessThan: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } })], action: 'ecs:ListClusters', ctx: { 'aws:TokenIssueTime': '2023-12-31T10:00:00Z' }, expect: 'ExplicitDeny' },
  { doc: 'NumericLessThanEquals: s3:max-keys at the limit', policies: [allow('s3:ListBucket', '*', { NumericLessThanEquals: { 's3:max-keys': '10' } })], action: 's3:ListBucket', ctx: { 's3:max-keys': '10' }, expect: 'Allow' },
  { doc: 'NumericLessThanEquals: s3:max-keys above the limit', policies: [allow('s3:ListBucket', '*', { NumericLessThanEquals: { 's3:max-keys': '10' } })], action: 's3:ListBucket', ctx: { 's3:max-keys': '11' }, expect: 'ImplicitDeny' },
  { doc: 'NumericGreaterThanIfExists: an absent key satisfies IfExists', policies: [ALL, deny('*', '*', { NumericGreaterThanIfExists: { 'aws:MultiFactorAuthAge': '3600' } })], action: 'ecs:ListClusters', expect: 'ExplicitDeny' },
  // Strings.
  { doc: 'Region restriction: StringNotEquals aws:RequestedRegion lets a listed Region through', policies: [ALL, deny('*', '*', { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } })], action: 'ecs:RunTask', ctx: { 'aws:RequestedRegion': 'eu-west-1' }, expect: 'Allow' },
  { doc: 'Region restriction: StringNotEquals with several values denies a Region matching none (NOR)', policies: [ALL, deny('*', '*', { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } })], action: 'ecs:RunTask', ctx: { 'aws:RequestedRegion': 'ap-south-1' }, expect: 'ExplicitDeny' },
  { doc: 'multiple values for one key are a logical OR', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } })], action: 'ecs:RunTask', ctx: { 'aws:RequestedRegion': 'us-west-2' }, expect: 'Allow' },
  { doc: 'StringEquals is case-sensitive', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:PrincipalTag/team': 'Platform' } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalTag/team': 'platform' }, expect: 'ImplicitDeny' },
  { doc: 'StringEqualsIgnoreCase ignores case', policies: [allow('ecs:*', '*', { StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Platform' } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalTag/team': 'platform' }, expect: 'Allow' },
  { doc: 'condition key names are case-insensitive', policies: [allow('ecs:*', '*', { StringEquals: { 'AWS:PRINCIPALACCOUNT': ACCT } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalAccount': ACCT }, expect: 'Allow' },
  { doc: 'StringNotLike holds when the key is absent', policies: [allow('ecs:*', '*', { StringNotLike: { 'aws:PrincipalTag/env': 'prod*' } })], action: 'ecs:RunTask', expect: 'Allow' },
  { doc: 'StringLike: ? matches one character', policies: [allow('ecs:*', '*', { StringLike: { 'aws:userid': 'AIDA????????????????:*' } })], action: 'ecs:RunTask', ctx: { 'aws:userid': 'AIDAAAAABBBBCCCCDDDD:s' }, expect: 'Allow' },
  // Multiple keys and operators.
  { doc: 'multiple keys in one operator are a logical AND (all match)', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:PrincipalTag/department': 'eng', 'aws:PrincipalTag/role': 'dev' } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalTag/department': 'eng', 'aws:PrincipalTag/role': 'dev' }, expect: 'Allow' },
  { doc: 'multiple keys in one operator are a logical AND (one differs)', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:PrincipalTag/department': 'eng', 'aws:PrincipalTag/role': 'dev' } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalTag/department': 'eng', 'aws:PrincipalTag/role': 'ops' }, expect: 'ImplicitDeny' },
  { doc: 'multiple operators are a logical AND', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:PrincipalTag/department': 'eng' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalTag/department': 'eng', 'aws:SourceIp': '192.168.1.1' }, expect: 'ImplicitDeny' },
  // ABAC with tags.
  { doc: 'ABAC: aws:ResourceTag/project must equal ${aws:PrincipalTag/project} (same)', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:ResourceTag/project': '${aws:PrincipalTag/project}' } })], action: 'ecs:StopTask', ctx: { 'aws:ResourceTag/project': 'blue', 'aws:PrincipalTag/project': 'blue' }, expect: 'Allow' },
  { doc: 'ABAC: aws:ResourceTag/project must equal ${aws:PrincipalTag/project} (different)', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:ResourceTag/project': '${aws:PrincipalTag/project}' } })], action: 'ecs:StopTask', ctx: { 'aws:ResourceTag/project': 'red', 'aws:PrincipalTag/project': 'blue' }, expect: 'ImplicitDeny' },
  { doc: 'ABAC: a principal without the tag matches nothing through the variable', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:ResourceTag/project': '${aws:PrincipalTag/project}' } })], action: 'ecs:StopTask', ctx: { 'aws:ResourceTag/project': 'red' }, expect: 'ImplicitDeny' },
  { doc: 'aws:RequestTag: allow creating only with env=dev', policies: [allow('ecs:CreateCluster', '*', { StringEquals: { 'aws:RequestTag/env': 'dev' } })], action: 'ecs:CreateCluster', ctx: { 'aws:RequestTag/env': 'dev' }, expect: 'Allow' },
  // Set operators.
  { doc: 'ForAllValues:StringEquals aws:TagKeys allows only listed tag keys (all listed)', policies: [allow('ecs:TagResource', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } })], action: 'ecs:TagResource', ctx: { 'aws:TagKeys': ['env'] }, expect: 'Allow' },
  { doc: 'ForAllValues:StringEquals aws:TagKeys allows only listed tag keys (one unlisted)', policies: [allow('ecs:TagResource', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } })], action: 'ecs:TagResource', ctx: { 'aws:TagKeys': ['env', 'cost'] }, expect: 'ImplicitDeny' },
  { doc: 'ForAllValues holds when the key is absent from the request', policies: [allow('ecs:TagResource', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } })], action: 'ecs:TagResource', expect: 'Allow' },
  { doc: 'ForAllValues holds for an empty set of values', policies: [allow('ecs:TagResource', '*', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } })], action: 'ecs:TagResource', ctx: { 'aws:TagKeys': [] }, expect: 'Allow' },
  { doc: 'ForAnyValue:StringEquals aws:TagKeys requires one listed key (present)', policies: [allow('ecs:TagResource', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } })], action: 'ecs:TagResource', ctx: { 'aws:TagKeys': ['env', 'x'] }, expect: 'Allow' },
  { doc: 'ForAnyValue fails when the key is absent from the request', policies: [allow('ecs:TagResource', '*', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } })], action: 'ecs:TagResource', expect: 'ImplicitDeny' },
  { doc: 'ForAnyValue:StringLike: deny tag keys with the reserved aws: prefix', policies: [ALL, deny('ecs:TagResource', '*', { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'aws:*' } })], action: 'ecs:TagResource', ctx: { 'aws:TagKeys': ['team', 'aws:cloudformation:stack-name'] }, expect: 'ExplicitDeny' },
  { doc: 'ForAllValues:StringNotEquals: none of the request values may be listed', policies: [allow('ecs:TagResource', '*', { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['owner'] } })], action: 'ecs:TagResource', ctx: { 'aws:TagKeys': ['env', 'owner'] }, expect: 'ImplicitDeny' },
  // ARN conditions and principals.
  { doc: 'ArnLike aws:PrincipalArn matches roles by name prefix', policies: [allow('ecs:*', '*', { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin*' } })], action: 'ecs:RunTask', ctx: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/AdminOps` }, expect: 'Allow' },
  { doc: 'ArnNotLike: deny everyone but the break-glass role', policies: [ALL, deny('iam:*', '*', { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/BreakGlass` } })], action: 'iam:CreateUser', ctx: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/Developer` }, expect: 'ExplicitDeny' },
  { doc: 'ArnNotLike: the break-glass role itself is not denied', policies: [ALL, deny('iam:*', '*', { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/BreakGlass` } })], action: 'iam:CreateUser', ctx: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/BreakGlass` }, expect: 'Allow' },
  { doc: 'ECS: ecs:cluster ArnEquals allows RunTask in the default cluster', policies: [allow('ecs:RunTask', '*', { ArnEquals: { 'ecs:cluster': cluster('default') } })], action: 'ecs:RunTask', ctx: { 'ecs:cluster': cluster('default') }, expect: 'Allow' },
  { doc: 'ECS: ecs:cluster ArnEquals does not allow RunTask in another cluster', policies: [allow('ecs:RunTask', '*', { ArnEquals: { 'ecs:cluster': cluster('default') } })], action: 'ecs:RunTask', ctx: { 'ecs:cluster': cluster('prod') }, expect: 'ImplicitDeny' },
  { doc: 'ECS: ecs:cluster ArnLike with a wildcard cluster name', policies: [allow('ecs:StartTask', '*', { ArnLike: { 'ecs:cluster': `arn:aws:ecs:*:${ACCT}:cluster/dev-*` } })], action: 'ecs:StartTask', ctx: { 'ecs:cluster': cluster('dev-7', 'us-west-2') }, expect: 'Allow' },
  { doc: 'aws:PrincipalAccount: allow only principals of the account', policies: [allow('ecs:*', '*', { StringEquals: { 'aws:PrincipalAccount': ACCT } })], action: 'ecs:ListClusters', ctx: { 'aws:PrincipalAccount': '210987654321' }, expect: 'ImplicitDeny' },
  // Session policies.
  { doc: 'session policies: the session may do what both identity and session policies allow', policies: [allow('ecs:*')], session: [allow('ecs:Describe*')], action: 'ecs:DescribeClusters', expect: 'Allow' },
  { doc: 'session policies: what the session policy does not allow is denied', policies: [allow('ecs:*')], session: [allow('ecs:Describe*')], action: 'ecs:RunTask', expect: 'ImplicitDeny:session' },
  { doc: 'session policies cannot grant more than the identity policies', policies: [allow('ecs:Describe*')], session: [allow('ecs:*')], action: 'ecs:RunTask', expect: 'ImplicitDeny' },
  { doc: 'session policies: an explicit deny in a session policy wins', policies: [ALL], session: [ALL, deny('ecs:RunTask')], action: 'ecs:RunTask', expect: 'ExplicitDeny:session' },
];

describe('policy evaluation: the IAM documentation\'s examples', () => {
  it('has at least 60 rows', () => assert.ok(ROWS.length >= 60, `${ROWS.length} rows`));
  for (const row of ROWS) {
    it(row.doc, () => {
      const docs = row.policies.map((p) => parsePolicy(JSON.stringify(p), 'identity'));
      const session = row.session?.map((p) => parsePolicy(JSON.stringify(p), 'identity'));
      const d = decideIdentity({ action: row.action, resource: row.resource ?? '*', context: conditionContext(row.ctx ?? {}) }, docs, session);
      const got = d.effect === 'Allow' ? 'Allow' : `${d.explicit ? 'Explicit' : 'Implicit'}Deny${d.policyType === 'session' ? ':session' : ''}`;
      assert.equal(got, row.expect);
    });
  }
});
