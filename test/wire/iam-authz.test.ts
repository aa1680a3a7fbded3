import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand, RunTaskCommand, DeleteClusterCommand } from '@aws-sdk/client-ecs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateUserCommand,
  DetachUserPolicyCommand, IAMClient, ListRolesCommand, PutUserPolicyCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

/**
 * Every call made with an IAM user's key is authorised by the user's policies; the account root
 * may do everything. Denials come in each service's own shape.
 */
describe('authorization of API calls by identity policies', () => {
  let berth: BerthProcess;
  let iam: IAMClient;
  let acct: string;
  before(async () => {
    berth = await startBerth();
    iam = new IAMClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: berth.creds, maxAttempts: 1 });
    acct = berth.creds.accountId;
    await berth.ecs().send(new CreateClusterCommand({ clusterName: 'prod' }));
  });
  after(async () => { await berth.stop(); });

  const opts = (c: { accessKeyId: string; secretAccessKey: string }) => ({ endpoint: berth.endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1 });
  const doc = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  async function user(name: string, inline?: object[]): Promise<{ accessKeyId: string; secretAccessKey: string }> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    if (inline) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: doc(inline) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  }

  it('a user limited to ecs:Describe* may DescribeClusters and is denied RunTask', async () => {
    const creds = await user('viewer', [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }]);
    const ecs = berth.ecs(creds);
    const d = await ecs.send(new DescribeClustersCommand({ clusters: ['prod'] }));
    assert.equal(d.clusters?.[0]?.clusterName, 'prod');
    const e = await awsError(ecs.send(new RunTaskCommand({ cluster: 'prod', taskDefinition: 'web:1' })));
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.status, 400);
    assert.equal(e.message, `User: arn:aws:iam::${acct}:user/viewer is not authorized to perform: ecs:RunTask on resource: * because no identity-based policy allows the ecs:RunTask action`);
    assert.equal((await awsError(ecs.send(new ListClustersCommand({})))).name, 'AccessDeniedException');
    // GetCallerIdentity needs no permission and names the user.
    const id = await new STSClient(opts(creds)).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, `arn:aws:iam::${acct}:user/viewer`);
    assert.match(id.UserId!, /^AIDA/);
  });

  it('Secrets Manager and SSM calls are authorised on the secret\'s and the parameter\'s ARN', async () => {
    const root = new SecretsManagerClient(opts(berth.creds));
    const mine = (await root.send(new CreateSecretCommand({ Name: 'team/a', SecretString: 'a' }))).ARN!;
    await root.send(new CreateSecretCommand({ Name: 'other/b', SecretString: 'b' }));
    const rootSsm = new SSMClient(opts(berth.creds));
    await rootSsm.send(new PutParameterCommand({ Name: '/team/p', Value: 'p', Type: 'String' }));
    await rootSsm.send(new PutParameterCommand({ Name: '/other/q', Value: 'q', Type: 'String' }));
    const k = await user('scoped', [
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: mine },
      { Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:aws:ssm:us-east-1:${acct}:parameter/team/*` },
    ]);
    const sm = new SecretsManagerClient(opts(k));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'team/a' }))).SecretString, 'a');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: mine }))).SecretString, 'a');
    const denied = await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'other/b' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, /secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:\d+:secret:other\/b-\w{6}/);
    const ssm = new SSMClient(opts(k));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/team/p' }))).Parameter?.Value, 'p');
    assert.equal((await awsError(ssm.send(new GetParameterCommand({ Name: '/other/q' })))).name, 'AccessDeniedException');
    // GetParameters needs every named parameter allowed.
    assert.equal((await awsError(ssm.send(new GetParametersCommand({ Names: ['/team/p', '/other/q'] })))).name, 'AccessDeniedException');
    assert.equal((await ssm.send(new GetParametersCommand({ Names: ['/team/p'] }))).Parameters?.length, 1);
  });

  it('an explicit deny overrides an allow', async () => {
    const creds = await user('operator', [{ Effect: 'Deny', Action: 'ecs:DeleteCluster', Resource: '*' }]);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'operator', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess' }));
    const ecs = berth.ecs(creds);
    await ecs.send(new CreateClusterCommand({ clusterName: 'scratch' }));
    const e = await awsError(ecs.send(new DeleteClusterCommand({ cluster: 'scratch' })));
    assert.equal(e.message, `User: arn:aws:iam::${acct}:user/operator is not authorized to perform: ecs:DeleteCluster on resource: * with an explicit deny in an identity-based policy`);
  });

  it('attaching a managed policy gives its access at once, and detaching takes it away', async () => {
    const creds = await user('reader');
    const ssm = new SSMClient(opts(creds));
    const secrets = new SecretsManagerClient(opts(creds));
    assert.equal((await awsError(ssm.send(new DescribeParametersCommand({})))).name, 'AccessDeniedException');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess' }));
    await ssm.send(new DescribeParametersCommand({}));
    assert.equal((await awsError(secrets.send(new ListSecretsCommand({})))).name, 'AccessDeniedException');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/SecretsManagerReadWrite' }));
    await secrets.send(new CreateSecretCommand({ Name: 'db', SecretString: 'pw' }));
    await iam.send(new DetachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess' }));
    assert.equal((await awsError(ssm.send(new DescribeParametersCommand({})))).name, 'AccessDeniedException');
  });

  it('a customer policy governs by its default version', async () => {
    const creds = await user('versioned');
    const p = (await iam.send(new CreatePolicyCommand({ PolicyName: 'ecs-list', PolicyDocument: doc([{ Effect: 'Allow', Action: 'ecs:ListClusters', Resource: '*' }]) }))).Policy!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'versioned', PolicyArn: p.Arn }));
    const ecs = berth.ecs(creds);
    await ecs.send(new ListClustersCommand({}));
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: doc([{ Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: '*' }]), SetAsDefault: true }));
    assert.equal((await awsError(ecs.send(new ListClustersCommand({})))).name, 'AccessDeniedException');
  });

  it('Query services answer AccessDenied (403); EC2 answers UnauthorizedOperation', async () => {
    const creds = await user('nobody');
    const e = await awsError(new IAMClient(opts(creds)).send(new ListRolesCommand({})));
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.status, 403);
    assert.match(e.message, /is not authorized to perform: iam:ListRoles on resource: \*/);
    const ec2 = await awsError(new EC2Client(opts(creds)).send(new DescribeVpcsCommand({})));
    assert.equal(ec2.name, 'UnauthorizedOperation');
    assert.match(ec2.message, /^You are not authorized to perform this operation\. User: .* ec2:DescribeVpcs/);
  });

  it('an inactive key is not accepted; the root key may do everything', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sleeper' }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'sleeper' }))).AccessKey!;
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'sleeper', AccessKeyId: k.AccessKeyId, Status: 'Inactive' }));
    const creds = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    assert.equal((await awsError(berth.ecs(creds).send(new ListClustersCommand({})))).name, 'UnrecognizedClientException');
    assert.equal((await awsError(new STSClient(opts(creds)).send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
    assert.ok((await berth.ecs().send(new ListClustersCommand({}))).clusterArns!.length >= 1);
  });
});
