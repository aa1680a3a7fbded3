import type { AwsManagedPolicy } from './catalog.js';

/**
 * The AWS managed policies of Amazon ECS, with the statements AWS documents for them (AWS Managed
 * Policy Reference). Actions of services Berth does not offer (autoscaling, CloudFormation,
 * CodeDeploy, Route 53 …) are left out of AmazonECS_FullAccess: they could never be called here.
 */
export const ECS_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AmazonECSTaskExecutionRolePolicy',
    path: '/service-role/',
    description: 'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
    versionId: 'v1',
    createdAt: '2017-11-16T18:48:22Z',
    updatedAt: '2017-11-16T18:48:22Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage',
            'logs:CreateLogStream', 'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonECS_FullAccess',
    path: '/',
    description:
      'Provides administrative access to Amazon ECS resources and enables ECS features through access to other AWS service resources, including VPCs, Auto Scaling groups, and CloudFormation stacks.',
    versionId: 'v20',
    createdAt: '2017-11-07T21:36:54Z',
    updatedAt: '2023-01-04T16:26:05Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:AssociateRouteTable', 'ec2:AttachInternetGateway', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CancelSpotFleetRequests',
            'ec2:CreateInternetGateway', 'ec2:CreateLaunchTemplate', 'ec2:CreateRoute', 'ec2:CreateRouteTable', 'ec2:CreateSecurityGroup',
            'ec2:CreateSubnet', 'ec2:CreateVpc', 'ec2:DeleteLaunchTemplate', 'ec2:DeleteSubnet', 'ec2:DeleteVpc', 'ec2:Describe*',
            'ec2:DetachInternetGateway', 'ec2:DisassociateRouteTable', 'ec2:ModifySubnetAttribute', 'ec2:ModifyVpcAttribute',
            'ec2:RequestSpotFleet', 'ec2:RunInstances',
            'ecs:*',
            'elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateRule',
            'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DeleteLoadBalancer',
            'elasticloadbalancing:DeleteRule', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups',
            'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfiles', 'iam:ListRoles',
            'logs:CreateLogGroup', 'logs:DescribeLogGroups', 'logs:FilterLogEvents',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
          Resource: 'arn:aws:ssm:*:*:parameter/aws/service/ecs*',
        },
        {
          Effect: 'Allow',
          Action: ['ec2:DeleteInternetGateway', 'ec2:DeleteRoute', 'ec2:DeleteRouteTable', 'ec2:DeleteSecurityGroup'],
          Resource: '*',
          Condition: { StringLike: { 'ec2:ResourceTag/aws:cloudformation:stack-name': 'EC2ContainerService-*' } },
        },
        {
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: '*',
          Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
        {
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: 'arn:aws:iam::*:role/ecsInstanceRole*',
          Condition: { StringLike: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
        },
        {
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: 'arn:aws:iam::*:role/ecsAutoscaleRole*',
          Condition: { StringLike: { 'iam:PassedToService': ['application-autoscaling.amazonaws.com', 'application-autoscaling.amazonaws.com.cn'] } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:CreateServiceLinkedRole',
          Resource: '*',
          Condition: {
            StringLike: {
              'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'ecs.amazonaws.com', 'ecs.application-autoscaling.amazonaws.com', 'spot.amazonaws.com', 'spotfleet.amazonaws.com'],
            },
          },
        },
        {
          Effect: 'Allow',
          Action: ['elasticloadbalancing:AddTags'],
          Resource: '*',
          Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateRule', 'CreateListener', 'CreateLoadBalancer'] } },
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerServiceforEC2Role',
    path: '/service-role/',
    description: 'Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.',
    versionId: 'v7',
    createdAt: '2015-03-19T18:45:18Z',
    updatedAt: '2023-03-06T22:19:04Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:DescribeTags', 'ecs:CreateCluster', 'ecs:DeregisterContainerInstance', 'ecs:DiscoverPollEndpoint', 'ecs:Poll',
            'ecs:RegisterContainerInstance', 'ecs:StartTelemetrySession', 'ecs:UpdateContainerInstancesState', 'ecs:Submit*',
            'ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage',
            'logs:CreateLogStream', 'logs:PutLogEvents',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: 'ecs:TagResource',
          Resource: '*',
          Condition: { StringEquals: { 'ecs:CreateAction': ['CreateCluster', 'RegisterContainerInstance'] } },
        },
      ],
    },
  },
];
