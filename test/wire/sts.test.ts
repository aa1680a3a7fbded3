import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import {
  AttachRolePolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListRolesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { awsError, BerthProcess, startBerth } from '../support/berth.js';

/**
 * STS AssumeRole and GetSessionToken through @aws-sdk/client-sts: who may assume (trust policy
 * and identity policy), what the session may do, its token, and its expiry. Expiry is tested by
 * restarting the server on the same data with BERTH_CLOCK_OFFSET_SECONDS (a clock 1000 s ahead)
 * and clients whose clocks are shifted the same.
 */
interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

describe('STS temporary credentials', () => {
  let berth: BerthProcess;
  let iam: IAMClient;
  let acct: string;
  before(async () => {
    berth = await startBerth();
    iam = new IAMClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: berth.creds, maxAttempts: 1 });
    acct = berth.creds.accountId;
  });
  after(async () => { await berth.stop(); });

  const opts = (c: Creds, offsetMs = 0) => ({ endpoint: berth.endpoint, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: offsetMs });
  const sts = (c: Creds = berth.creds, offsetMs = 0): STSClient => new STSClient(opts(c, offsetMs));
  const ecs = (c: Creds, offsetMs = 0): ECSClient => new ECSClient(opts(c, offsetMs));
  const trust = (principal: object, action: string | string[] = 'sts:AssumeRole'): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: action }] });
  const roleArn = (name: string): string => `arn:aws:iam::${acct}:role/${name}`;
  const sessionCreds = (r: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Creds =>
    ({ accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! });

  async function user(name: string, statements?: object[]): Promise<Creds & { arn: string }> {
    const u = (await iam.send(new CreateUserCommand({ UserName: name }))).User!;
    if (statements) {
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
    }
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey!, arn: u.Arn! };
  }

  before(async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ecs-operator', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${acct}:root` }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ecs-operator', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess' }));
  });

  it('AssumeRole returns temporary credentials that act as the role', async () => {
    const r = await sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'alice', DurationSeconds: 900 }));
    assert.match(r.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(r.Credentials!.SessionToken!.length > 100);
    const left = r.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(left > 880_000 && left <= 900_000, String(left));
    assert.equal(r.AssumedRoleUser!.Arn, `arn:aws:sts::${acct}:assumed-role/ecs-operator/alice`);
    assert.match(r.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:alice$/);
    const creds = sessionCreds(r);
    const id = await sts(creds).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, `arn:aws:sts::${acct}:assumed-role/ecs-operator/alice`);
    assert.equal(id.UserId, r.AssumedRoleUser!.AssumedRoleId);
    await ecs(creds).send(new ListClustersCommand({}));
    const denied = await awsError(new SecretsManagerClient(opts(creds)).send(new ListSecretsCommand({})));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, new RegExp(`^User: arn:aws:sts::${acct}:assumed-role/ecs-operator/alice is not authorized to perform: secretsmanager:ListSecrets`));
  });

  it('a session token that does not match is refused as AWS refuses it', async () => {
    const r = await sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'bob' }));
    const wrong = { ...sessionCreds(r), sessionToken: 'not-the-token' };
    assert.equal((await awsError(sts(wrong).send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');
    assert.equal((await awsError(ecs(wrong).send(new ListClustersCommand({})))).name, 'UnrecognizedClientException');
    const { sessionToken: _, ...without } = sessionCreds(r);
    assert.equal((await awsError(ecs(without).send(new ListClustersCommand({})))).name, 'UnrecognizedClientException');
  });

  it('the trust policy decides who may assume: a role trusting only ECS tasks refuses a caller', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task-only', AssumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }) }));
    const e = await awsError(sts().send(new AssumeRoleCommand({ RoleArn: roleArn('task-only'), RoleSessionName: 'ss' })));
    assert.equal(e.name, 'AccessDenied');
    assert.equal(e.status, 403);
    assert.equal(e.message, `User: arn:aws:iam::${acct}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn('task-only')}`);
  });

  it('a user trusted through its account needs sts:AssumeRole in its own policies', async () => {
    const plain = await user('plain');
    const e = await awsError(sts(plain).send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'ss' })));
    assert.equal(e.name, 'AccessDenied');
    const allowed = await user('switcher', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn('ecs-operator') }]);
    const r = await sts(allowed).send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'switched' }));
    assert.equal(r.AssumedRoleUser!.Arn, `arn:aws:sts::${acct}:assumed-role/ecs-operator/switched`);
    const other = await awsError(sts(allowed).send(new AssumeRoleCommand({ RoleArn: roleArn('task-only'), RoleSessionName: 'ss' })));
    assert.equal(other.name, 'AccessDenied');
  });

  it('a trust policy naming the user itself is enough within the account', async () => {
    const named = await user('named');
    await iam.send(new CreateRoleCommand({ RoleName: 'for-named', AssumeRolePolicyDocument: trust({ AWS: named.arn }) }));
    await sts(named).send(new AssumeRoleCommand({ RoleArn: roleArn('for-named'), RoleSessionName: 'ss' }));
  });

  it('a session policy narrows what the session may do', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
    const r = await sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'narrow', Policy: policy }));
    assert.ok((r.PackedPolicySize ?? 0) > 0);
    const e = await awsError(ecs(sessionCreds(r)).send(new ListClustersCommand({})));
    assert.match(e.message, /because no session policy allows the ecs:ListClusters action$/);
  });

  it('validates DurationSeconds and the role session name', async () => {
    const short = await awsError(sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 's1', DurationSeconds: 899 })));
    assert.equal(short.name, 'ValidationError');
    const long = await awsError(sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 's1', DurationSeconds: 7200 })));
    assert.equal(long.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const name = await awsError(sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'bad name' })));
    assert.match(name.message, /at 'roleSessionName' failed to satisfy constraint/);
  });

  it('GetSessionToken: the user\'s own permissions, without IAM', async () => {
    const u = await user('tokened', [{ Effect: 'Allow', Action: ['ecs:*', 'iam:*'], Resource: '*' }]);
    const r = await sts(u).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const creds = sessionCreds(r);
    assert.equal((await sts(creds).send(new GetCallerIdentityCommand({}))).Arn, u.arn);
    await ecs(creds).send(new ListClustersCommand({}));
    const e = await awsError(new IAMClient(opts(creds)).send(new ListRolesCommand({})));
    assert.equal(e.name, 'AccessDenied');
    assert.equal((await awsError(sts(creds).send(new GetSessionTokenCommand({})))).name, 'AccessDenied');
  });

  it('temporary credentials expire: ExpiredToken (STS) and ExpiredTokenException (ECS); long-term keys still work', async () => {
    const r = await sts().send(new AssumeRoleCommand({ RoleArn: roleArn('ecs-operator'), RoleSessionName: 'brief', DurationSeconds: 900 }));
    const creds = sessionCreds(r);
    await ecs(creds).send(new ListClustersCommand({}));
    await berth.kill('SIGTERM');
    const later = new BerthProcess(berth.dataDir, { BERTH_CLOCK_OFFSET_SECONDS: '1000' });
    await later.start();
    berth.port = later.port;
    try {
      const skew = 1000_000;
      const e1 = await awsError(sts(creds, skew).send(new GetCallerIdentityCommand({})));
      assert.equal(e1.name, 'ExpiredToken');
      assert.equal(e1.message, 'The security token included in the request is expired');
      assert.equal((await awsError(ecs(creds, skew).send(new ListClustersCommand({})))).name, 'ExpiredTokenException');
      assert.equal((await sts(berth.creds, skew).send(new GetCallerIdentityCommand({}))).Account, acct);
    } finally {
      await later.kill('SIGTERM');
    }
  });
});
