import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand,
  CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeletePolicyCommand,
  DeletePolicyVersionCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DeleteUserCommand, DeleteUserPolicyCommand,
  DetachRolePolicyCommand, DetachUserPolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand,
  GetRolePolicyCommand, GetUserCommand, GetUserPolicyCommand, IAMClient, ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, ListPoliciesCommand, ListPolicyVersionsCommand,
  ListRolePoliciesCommand, ListRoleTagsCommand, ListRolesCommand, ListUserPoliciesCommand, ListUsersCommand,
  PutRolePolicyCommand, PutUserPolicyCommand, TagRoleCommand, UntagRoleCommand, UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { NodeSha256 } from '../support/sha256.js';

/** The IAM API through @aws-sdk/client-iam: roles, policies, users, keys, tags, and IAM's errors. */
describe('IAM over the Query protocol', () => {
  let berth: BerthProcess;
  let iam: IAMClient;
  let acct: string;
  before(async () => {
    berth = await startBerth();
    iam = new IAMClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: berth.creds, maxAttempts: 1 });
    acct = berth.creds.accountId;
  });
  after(async () => { await berth.stop(); });

  const trust = (principal: object = { Service: 'ecs-tasks.amazonaws.com' }): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
  const doc = (action: string, effect = 'Allow'): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });

  it('creates, reads and lists roles; IAM names are unique regardless of case', async () => {
    const created = await iam.send(new CreateRoleCommand({
      RoleName: 'web-task', Path: '/ecs/', AssumeRolePolicyDocument: trust(), Description: 'web', MaxSessionDuration: 7200,
      Tags: [{ Key: 'team', Value: 'blue' }],
    }));
    const role = created.Role!;
    assert.equal(role.Arn, `arn:aws:iam::${acct}:role/ecs/web-task`);
    assert.match(role.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), trust());
    assert.equal(role.MaxSessionDuration, 7200);
    assert.deepEqual(role.Tags, [{ Key: 'team', Value: 'blue' }]);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'WEB-TASK' }))).Role!;
    assert.equal(got.RoleName, 'web-task');
    assert.equal(got.Description, 'web');
    const dup = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'Web-Task', AssumeRolePolicyDocument: trust() })));
    assert.equal(dup.name, 'EntityAlreadyExistsException');
    assert.equal(dup.status, 409);
    assert.equal(dup.message, 'Role with name Web-Task already exists.');
    for (const n of ['a1', 'a2', 'a3']) await iam.send(new CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: trust() }));
    const page1 = await iam.send(new ListRolesCommand({ MaxItems: 2 }));
    assert.deepEqual(page1.Roles!.map((r) => r.RoleName), ['a1', 'a2']);
    assert.equal(page1.IsTruncated, true);
    const page2 = await iam.send(new ListRolesCommand({ MaxItems: 2, Marker: page1.Marker }));
    assert.deepEqual(page2.Roles!.map((r) => r.RoleName), ['a3', 'web-task']);
    assert.equal(page2.IsTruncated, false);
    const ecsOnly = await iam.send(new ListRolesCommand({ PathPrefix: '/ecs/' }));
    assert.deepEqual(ecsOnly.Roles!.map((r) => r.RoleName), ['web-task']);
  });

  it('answers NoSuchEntity (404), ValidationError and MalformedPolicyDocument as IAM does', async () => {
    const missing = await awsError(iam.send(new GetRoleCommand({ RoleName: 'nope' })));
    assert.equal(missing.name, 'NoSuchEntityException');
    assert.equal(missing.status, 404);
    assert.equal(missing.message, 'The role with name nope cannot be found.');
    const badName = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: trust() })));
    assert.equal(badName.name, 'ValidationError');
    assert.match(badName.message, /Value 'has space' at 'roleName' failed to satisfy constraint/);
    const malformed = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'm', AssumeRolePolicyDocument: '{"Version":"2012-10-17"' })));
    assert.equal(malformed.name, 'MalformedPolicyDocumentException');
    assert.equal(malformed.message, 'Syntax errors in policy.');
    const ghost = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'm', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${acct}:user/ghost` }) })));
    assert.equal(ghost.message, `Invalid principal in policy: "AWS":"arn:aws:iam::${acct}:user/ghost"`);
    const duration = await awsError(iam.send(new CreateRoleCommand({ RoleName: 'm', AssumeRolePolicyDocument: trust(), MaxSessionDuration: 60 })));
    assert.equal(duration.name, 'ValidationError');
  });

  it('sends errors in the Query ErrorResponse envelope with Type Sender', async () => {
    const url = new URL(berth.endpoint);
    const body = 'Action=GetRole&Version=2010-05-08&RoleName=nope';
    const signer = new SignatureV4({ credentials: berth.creds, region: 'us-east-1', service: 'iam', sha256: NodeSha256 });
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
    });
    const r = await fetch(berth.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body });
    assert.equal(r.status, 404);
    const xml = await r.text();
    assert.match(xml, /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code>/);
  });

  it('keeps inline role policies, URL-encoded as IAM returns them; DeleteRole refuses while policies remain', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'inline', AssumeRolePolicyDocument: trust() }));
    const text = doc('logs:*');
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline', PolicyName: 'logs', PolicyDocument: text }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'logs' }));
    assert.equal(decodeURIComponent(got.PolicyDocument!), text);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline' }))).PolicyNames, ['logs']);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'inline', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'inline' }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }]);
    const conflict = await awsError(iam.send(new DeleteRoleCommand({ RoleName: 'inline' })));
    assert.equal(conflict.name, 'DeleteConflictException');
    assert.equal(conflict.message, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'inline', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    assert.equal((await awsError(iam.send(new DeleteRoleCommand({ RoleName: 'inline' })))).message, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline', PolicyName: 'logs' }));
    assert.equal((await awsError(iam.send(new GetRolePolicyCommand({ RoleName: 'inline', PolicyName: 'logs' })))).name, 'NoSuchEntityException');
    await iam.send(new DeleteRoleCommand({ RoleName: 'inline' }));
    assert.equal((await awsError(iam.send(new GetRoleCommand({ RoleName: 'inline' })))).name, 'NoSuchEntityException');
  });

  it('attaching a policy that does not exist, or detaching one not attached, is NoSuchEntity', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'att', AssumeRolePolicyDocument: trust() }));
    const nope = `arn:aws:iam::${acct}:policy/nope`;
    const e1 = await awsError(iam.send(new AttachRolePolicyCommand({ RoleName: 'att', PolicyArn: nope })));
    assert.equal(e1.message, `Policy ${nope} does not exist or is not attachable.`);
    const e2 = await awsError(iam.send(new DetachRolePolicyCommand({ RoleName: 'att', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })));
    assert.equal(e2.name, 'NoSuchEntityException');
    const bad = await awsError(iam.send(new AttachRolePolicyCommand({ RoleName: 'att', PolicyArn: 'not-an-arn' })));
    assert.equal(bad.name, 'InvalidInputException');
  });

  it('manages customer policies and their versions (five at most, default kept)', async () => {
    const p = (await iam.send(new CreatePolicyCommand({ PolicyName: 'ecs-read', Path: '/team/', PolicyDocument: doc('ecs:Describe*'), Description: 'read' }))).Policy!;
    assert.equal(p.Arn, `arn:aws:iam::${acct}:policy/team/ecs-read`);
    assert.equal(p.DefaultVersionId, 'v1');
    assert.match(p.PolicyId!, /^ANPA/);
    const again = await awsError(iam.send(new CreatePolicyCommand({ PolicyName: 'ECS-READ', PolicyDocument: doc('ecs:*') })));
    assert.equal(again.name, 'EntityAlreadyExistsException');
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: doc('ecs:List*'), SetAsDefault: true }));
    assert.deepEqual([v2.PolicyVersion!.VersionId, v2.PolicyVersion!.IsDefaultVersion], ['v2', true]);
    for (let i = 0; i < 3; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: doc('ecs:List*') }));
    const full = await awsError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: p.Arn, PolicyDocument: doc('ecs:*') })));
    assert.equal(full.name, 'LimitExceededException');
    const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: p.Arn }));
    assert.deepEqual(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v2' }));
    assert.equal(decodeURIComponent(v.PolicyVersion!.Document!), doc('ecs:List*'));
    assert.equal((await awsError(iam.send(new DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: 'v2' })))).name, 'DeleteConflictException');
    assert.equal((await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn })))).name, 'DeleteConflictException');
    for (const id of ['v1', 'v3', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: p.Arn, VersionId: id }));
    await iam.send(new CreateRoleCommand({ RoleName: 'holder', AssumeRolePolicyDocument: trust() }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'holder', PolicyArn: p.Arn }));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: p.Arn }))).Policy!.AttachmentCount, 1);
    assert.equal((await awsError(iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn })))).message, 'Cannot delete a policy attached to entities.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'holder', PolicyArn: p.Arn }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: p.Arn }));
    assert.equal((await awsError(iam.send(new GetPolicyCommand({ PolicyArn: p.Arn })))).name, 'NoSuchEntityException');
  });

  it('lists the AWS managed policies every account has, with their documents', async () => {
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    const arns = aws.Policies!.map((x) => x.Arn);
    for (const name of ['service-role/AmazonECSTaskExecutionRolePolicy', 'AmazonECS_FullAccess', 'ReadOnlyAccess', 'SecretsManagerReadWrite', 'CloudWatchLogsFullAccess', 'AdministratorAccess', 'AmazonSSMReadOnlyAccess']) {
      assert.ok(arns.includes(`arn:aws:iam::aws:policy/${name}`), name);
    }
    const exec = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' }));
    assert.equal(exec.Policy!.Path, '/service-role/');
    const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: exec.Policy!.Arn, VersionId: exec.Policy!.DefaultVersionId }));
    const body = JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!));
    assert.deepEqual(body.Statement[0].Action, ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.ok(local.Policies!.every((x) => x.Arn!.includes(`::${acct}:`)));
    await iam.send(new CreateRoleCommand({ RoleName: 'ro', AssumeRolePolicyDocument: trust() }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ro', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true }));
    assert.deepEqual(attached.Policies!.map((x) => [x.PolicyName, x.AttachmentCount]), [['ReadOnlyAccess', 1]]);
  });

  it('manages users, their access keys (two at most) and policies', async () => {
    const u = (await iam.send(new CreateUserCommand({ UserName: 'deployer', Path: '/ci/' }))).User!;
    assert.equal(u.Arn, `arn:aws:iam::${acct}:user/ci/deployer`);
    assert.match(u.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'deployer' }))).User!.Path, '/ci/');
    assert.ok((await iam.send(new ListUsersCommand({}))).Users!.some((x) => x.UserName === 'deployer'));
    const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!;
    assert.match(k1.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(k1.SecretAccessKey!.length, 40);
    await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }));
    assert.equal((await awsError(iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' })))).name, 'LimitExceededException');
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'deployer', AccessKeyId: k1.AccessKeyId, Status: 'Inactive' }));
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'deployer' }))).AccessKeyMetadata!;
    assert.deepEqual(keys.map((k) => k.Status), ['Inactive', 'Active']);
    await iam.send(new PutUserPolicyCommand({ UserName: 'deployer', PolicyName: 'ecs', PolicyDocument: doc('ecs:*') }));
    assert.equal(decodeURIComponent((await iam.send(new GetUserPolicyCommand({ UserName: 'deployer', PolicyName: 'ecs' }))).PolicyDocument!), doc('ecs:*'));
    assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'deployer' }))).PolicyNames, ['ecs']);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'deployer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess' }));
    assert.equal((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'deployer' }))).AttachedPolicies!.length, 1);
    const conflict = await awsError(iam.send(new DeleteUserCommand({ UserName: 'deployer' })));
    assert.equal(conflict.message, 'Cannot delete entity, must delete access keys first.');
    for (const k of keys) await iam.send(new DeleteAccessKeyCommand({ UserName: 'deployer', AccessKeyId: k.AccessKeyId }));
    assert.equal((await awsError(iam.send(new DeleteAccessKeyCommand({ UserName: 'deployer', AccessKeyId: k1.AccessKeyId })))).name, 'NoSuchEntityException');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'deployer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess' }));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'deployer', PolicyName: 'ecs' }));
    await iam.send(new DeleteUserCommand({ UserName: 'deployer' }));
    assert.equal((await awsError(iam.send(new GetUserCommand({ UserName: 'deployer' })))).message, 'The user with name deployer cannot be found.');
  });

  it('tags roles, and updates the trust policy', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: trust() }));
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'env', Value: 'prod' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags, [{ Key: 'env', Value: 'prod' }]);
    const next = trust({ AWS: `arn:aws:iam::${acct}:root` });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'tagged', PolicyDocument: next }));
    assert.equal(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role!.AssumeRolePolicyDocument!), next);
  });

  it('answers IAM actions Berth does not offer with NotImplementedException (501)', async () => {
    const e = await awsError(iam.send(new CreateGroupCommand({ GroupName: 'g' })));
    assert.equal(e.name, 'NotImplementedException');
    assert.equal(e.status, 501);
  });
});
