import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startBerth, type BerthProcess } from '../support/berth.js';

/**
 * The real `aws iam …` / `aws sts …` CLI (botocore's Query serializer, its IAM policy-document
 * decoding, its error parsing) against Berth.
 */
describe('the aws CLI with IAM and STS commands', () => {
  let berth: BerthProcess;
  let acct: string;
  before(async () => {
    berth = await startBerth();
    acct = berth.creds.accountId;
  });
  after(async () => { await berth.stop(); });

  const ok = (args: string[]): any => berth.awsJson(args);

  /** The CLI with temporary credentials (BerthProcess.aws always clears AWS_SESSION_TOKEN). */
  function awsWithSession(args: string[], c: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }): { status: number; stderr: string; json: any } {
    const r = spawnSync(process.env.BERTH_TEST_AWS_CLI ?? 'aws', [...args, '--output', 'json', '--endpoint-url', berth.endpoint], {
      encoding: 'utf8',
      env: {
        ...process.env, AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken,
        AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1',
      },
    });
    return { status: r.status ?? -1, stderr: r.stderr, json: r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
  }

  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] });

  it('create-role and get-role: the CLI decodes the trust policy into JSON', () => {
    const created = ok(['iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document', trust, '--description', 'from the CLI']);
    assert.equal(created.Role.Arn, `arn:aws:iam::${acct}:role/cli-role`);
    const got = ok(['iam', 'get-role', '--role-name', 'cli-role']);
    assert.deepEqual(got.Role.AssumeRolePolicyDocument, JSON.parse(trust));
    assert.equal(got.Role.Description, 'from the CLI');
  });

  it('put-role-policy / get-role-policy / list-role-policies round-trip', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }] };
    ok(['iam', 'put-role-policy', '--role-name', 'cli-role', '--policy-name', 'ecs', '--policy-document', JSON.stringify(policy)]);
    assert.deepEqual(ok(['iam', 'get-role-policy', '--role-name', 'cli-role', '--policy-name', 'ecs']).PolicyDocument, policy);
    assert.deepEqual(ok(['iam', 'list-role-policies', '--role-name', 'cli-role']).PolicyNames, ['ecs']);
  });

  it('list-policies --scope AWS shows the ECS managed policies; attach-role-policy uses one', () => {
    const names = ok(['iam', 'list-policies', '--scope', 'AWS']).Policies.map((p: any) => p.PolicyName);
    assert.ok(names.includes('AmazonECSTaskExecutionRolePolicy'));
    ok(['iam', 'attach-role-policy', '--role-name', 'cli-role', '--policy-arn', 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
    const attached = ok(['iam', 'list-attached-role-policies', '--role-name', 'cli-role']).AttachedPolicies;
    assert.deepEqual(attached.map((p: any) => p.PolicyName), ['AmazonECSTaskExecutionRolePolicy']);
  });

  it('reports IAM errors with their codes', () => {
    const r = berth.aws(['iam', 'get-role', '--role-name', 'absent']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /\(NoSuchEntity\) when calling the GetRole operation: The role with name absent cannot be found\./);
    const dup = berth.aws(['iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document', trust]);
    assert.match(dup.stderr, /\(EntityAlreadyExists\)/);
  });

  it('create-user and create-access-key give working credentials', () => {
    ok(['iam', 'create-user', '--user-name', 'cli-user']);
    const key = ok(['iam', 'create-access-key', '--user-name', 'cli-user']).AccessKey;
    const id = berth.aws(['sts', 'get-caller-identity'], { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
    assert.equal(id.status, 0, id.stderr);
    assert.equal(id.json.Arn, `arn:aws:iam::${acct}:user/cli-user`);
    const denied = berth.aws(['ecs', 'list-clusters'], { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
    assert.match(denied.stderr, /\(AccessDeniedException\) when calling the ListClusters operation: User: .*user\/cli-user is not authorized to perform: ecs:ListClusters/);
  });

  it('sts assume-role gives credentials the CLI uses with AWS_SESSION_TOKEN', () => {
    const r = ok(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${acct}:role/cli-role`, '--role-session-name', 'cli-session', '--duration-seconds', '900']);
    assert.match(r.Credentials.AccessKeyId, /^ASIA/);
    const id = awsWithSession(['sts', 'get-caller-identity'], r.Credentials);
    assert.equal(id.status, 0, id.stderr);
    assert.equal(id.json.Arn, `arn:aws:sts::${acct}:assumed-role/cli-role/cli-session`);
    const clusters = awsWithSession(['ecs', 'list-clusters'], r.Credentials);
    assert.equal(clusters.status, 0, clusters.stderr);
    const iam = awsWithSession(['iam', 'list-roles'], r.Credentials);
    assert.match(iam.stderr, /\(AccessDenied\) when calling the ListRoles operation/);
    const bad = awsWithSession(['sts', 'get-caller-identity'], { ...r.Credentials, SessionToken: 'nope' });
    assert.match(bad.stderr, /\(InvalidClientTokenId\)/);
  });
});
