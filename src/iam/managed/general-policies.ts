import type { AwsManagedPolicy } from './catalog.js';

/**
 * Job-function and service AWS managed policies ECS users attach, with the statements AWS
 * documents for them, narrowed to the services Berth offers. ReadOnlyAccess in AWS lists read
 * actions of every service; here it lists those of Berth's services, as AWS writes them (note:
 * no `secretsmanager:GetSecretValue`, but `ssm:Get*`).
 */
export const GENERAL_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    versionId: 'v1',
    createdAt: '2015-02-06T18:39:46Z',
    updatedAt: '2015-02-06T18:39:46Z',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources.',
    versionId: 'v87',
    createdAt: '2015-02-06T18:39:48Z',
    updatedAt: '2022-05-23T20:16:18Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:Describe*', 'ec2:Get*',
            'ecr:BatchCheck*', 'ecr:BatchGet*', 'ecr:Describe*', 'ecr:Get*', 'ecr:List*',
            'ecs:Describe*', 'ecs:List*',
            'elasticloadbalancing:Describe*',
            'iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*',
            'logs:Describe*', 'logs:FilterLogEvents', 'logs:Get*', 'logs:ListTagsLogGroup', 'logs:StartQuery', 'logs:StopQuery',
            'logs:TestMetricFilter',
            'secretsmanager:Describe*', 'secretsmanager:GetResourcePolicy', 'secretsmanager:List*',
            'ssm:Describe*', 'ssm:Get*', 'ssm:List*',
            'sts:GetAccessKeyInfo', 'sts:GetCallerIdentity', 'sts:GetSessionToken',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'SecretsManagerReadWrite',
    path: '/',
    description:
      'Provides read/write access to AWS Secrets Manager via the AWS Management Console. Note: this exludes IAM actions, so combine with IAMFullAccess if rotation configuration is required.',
    versionId: 'v6',
    createdAt: '2018-04-04T18:05:29Z',
    updatedAt: '2026-08-25T23:37:10Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'BasePermissions',
          Effect: 'Allow',
          Action: ['secretsmanager:*', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'CloudWatchLogsFullAccess',
    path: '/',
    description: 'Provides full access to CloudWatch Logs',
    versionId: 'v3',
    createdAt: '2015-02-06T18:40:02Z',
    updatedAt: '2025-05-20T17:07:06Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudWatchLogsFullAccess',
          Effect: 'Allow',
          Action: ['logs:*', 'cloudwatch:GenerateQuery', 'cloudwatch:GenerateQueryResultsSummary'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonSSMReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to Amazon SSM.',
    versionId: 'v1',
    createdAt: '2015-05-29T17:44:19Z',
    updatedAt: '2015-05-29T17:44:19Z',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'], Resource: '*' }] },
  },
];
