import { describe, it, beforeEach } from 'node:test';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { AwsError } from '../../src/edge/errors.js';
import type { RequestContext } from '../../src/edge/surface.js';
import { KeyRing } from '../../src/identity/key-ring.js';
import type { Principal } from '../../src/identity/principal.js';
import { openIamRoom, type IamRoom } from '../../src/iam/room.js';
import { MemoryStore } from '../../src/store/memory.js';

/**
 * Who may assume a role (RoleSessions against IAM records made through the IAM operations), in
 * process: trust-policy principal matches, the identity-policy half, explicit denies, durations,
 * role chaining, service principals, GetSessionToken.
 */
const ACCT = '111122223333';
const OTHER = '444455556666';
const NOW = new Date('2030-01-01T00:00:00Z');

let room: IamRoom;
let keys: KeyRing;
let root: Principal;

const ctxOf = (principal: Principal): RequestContext => ({ principal, region: 'us-east-1', requestId: 'r', now: NOW });
function call(action: string, params: Record<string, string>, principal = root): string {
  const op = room.surface.operations[action];
  assert.ok(op, action);
  return op(new Map(Object.entries(params)), ctxOf(principal)) as string;
}
const trust = (principal: unknown, extra: object = {}): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }] });
const policy = (effect: string, action: string, resource = '*'): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: resource }] });
const roleArn = (name: string, acct = ACCT): string => `arn:aws:iam::${acct}:role/${name}`;

function newUser(name: string): Principal {
  call('CreateUser', { UserName: name });
  const xml = call('CreateAccessKey', { UserName: name });
  const id = /<AccessKeyId>(.*?)<\/AccessKeyId>/.exec(xml)![1]!;
  return keys.find(id)!.principal;
}
const assume = (caller: Principal, arn: string, extra: Partial<{ durationSeconds: number; tags: { Key: string; Value: string }[]; policy: string }> = {}) =>
  room.sessions.assumeRole(caller, { roleArn: arn, roleSessionName: 'sess', policyArns: [], tags: [], ...extra }, { now: NOW });
const denied = (f: () => unknown, code = 'AccessDenied'): void =>
  assert.throws(f, (e: unknown) => e instanceof AwsError && e.code === code);

describe('RoleSessions: AssumeRole', () => {
  beforeEach(() => {
    const store = new MemoryStore();
    keys = new KeyRing(store, { accountId: ACCT, accessKeyId: 'AKIAROOTROOTROOTROOT', secretAccessKey: 's' });
    root = keys.find('AKIAROOTROOTROOTROOT')!.principal;
    room = openIamRoom({ store, keys, box: new SecretBox(randomBytes(32)), clock: () => NOW });
  });

  it('issues ASIA credentials and the assumed-role user to root when the trust policy names the account', () => {
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCT}:root` }) });
    const r = assume(root, roleArn('app'));
    assert.match(r.credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(r.assumedRoleUser.arn, `arn:aws:sts::${ACCT}:assumed-role/app/sess`);
    assert.match(r.assumedRoleUser.assumedRoleId, /^AROA[A-Z2-7]{17}:sess$/);
    assert.equal(r.credentials.expiration.getTime(), NOW.getTime() + 3600_000);
    const key = keys.find(r.credentials.accessKeyId)!;
    assert.equal(key.sessionToken, r.credentials.sessionToken);
    assert.equal(key.principal.kind, 'assumed-role');
  });

  it('an account-level trust needs the caller\'s identity policy to allow sts:AssumeRole', () => {
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: ACCT }) });
    const alice = newUser('alice');
    denied(() => assume(alice, roleArn('app')));
    call('PutUserPolicy', { UserName: 'alice', PolicyName: 'p', PolicyDocument: policy('Allow', 'sts:AssumeRole', roleArn('app')) });
    assert.ok(assume(alice, roleArn('app')).credentials.sessionToken);
  });

  it('a trust policy naming the user is enough within the account', () => {
    const bob = newUser('bob');
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: bob.arn }) });
    assert.ok(assume(bob, roleArn('app')));
    const carol = newUser('carol');
    call('PutUserPolicy', { UserName: 'carol', PolicyName: 'p', PolicyDocument: policy('Allow', 'sts:AssumeRole') });
    denied(() => assume(carol, roleArn('app')));
  });

  it('an explicit deny in the identity policy wins over the trust policy', () => {
    const bob = newUser('bob');
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: bob.arn }) });
    call('PutUserPolicy', { UserName: 'bob', PolicyName: 'no', PolicyDocument: policy('Deny', 'sts:*') });
    assert.throws(() => assume(bob, roleArn('app')), /with an explicit deny in an identity-based policy/);
  });

  it('an explicit deny in the trust policy wins', () => {
    call('CreateRole', {
      RoleName: 'app',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Principal: { AWS: ACCT }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'sts:ExternalId': 'secret' } } },
      ] }),
    });
    assert.throws(() => assume(root, roleArn('app')), /explicit deny in a resource-based policy/);
    assert.ok(room.sessions.assumeRole(root, { roleArn: roleArn('app'), roleSessionName: 's', policyArns: [], tags: [], externalId: 'secret' }, { now: NOW }));
  });

  it('answers AccessDenied for a role that does not exist, without saying so', () => {
    assert.throws(() => assume(root, roleArn('ghost')), /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/ghost/);
  });

  it('limits durations to the role maximum and chained sessions to an hour', () => {
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: ACCT }), MaxSessionDuration: '7200' });
    denied(() => assume(root, roleArn('app'), { durationSeconds: 7201 }), 'ValidationError');
    const session = keys.find(assume(root, roleArn('app'), { durationSeconds: 7200 }).credentials.accessKeyId)!.principal;
    call('PutRolePolicy', { RoleName: 'app', PolicyName: 'chain', PolicyDocument: policy('Allow', 'sts:AssumeRole') });
    assert.throws(() => assume(session, roleArn('app'), { durationSeconds: 3601 }), /role chaining/);
    const chained = assume(session, roleArn('app'), { durationSeconds: 900 });
    assert.equal(keys.find(chained.credentials.accessKeyId)!.principal.session?.chained, true);
  });

  it('session tags need sts:TagSession in the trust policy', () => {
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: ACCT }) });
    denied(() => assume(root, roleArn('app'), { tags: [{ Key: 'team', Value: 'a' }] }));
    call('UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCT }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }) });
    const r = assume(root, roleArn('app'), { tags: [{ Key: 'team', Value: 'a' }] });
    assert.deepEqual(keys.find(r.credentials.accessKeyId)!.principal.session?.tags, [{ Key: 'team', Value: 'a' }]);
  });

  it('cross-account: the other account must be trusted and its principal allowed by its own policies', () => {
    call('CreateRole', { RoleName: 'shared', AssumeRolePolicyDocument: trust({ AWS: OTHER }) });
    const otherRoot: Principal = { accountId: OTHER, arn: `arn:aws:iam::${OTHER}:root`, userId: OTHER, accessKeyId: 'AKIAOTHER', isRoot: true, kind: 'root' };
    assert.ok(assume(otherRoot, roleArn('shared')));
    const stranger: Principal = { ...otherRoot, accountId: '777788889999', arn: 'arn:aws:iam::777788889999:root', userId: '777788889999' };
    denied(() => assume(stranger, roleArn('shared')));
  });

  it('rejects a malformed session policy', () => {
    call('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trust({ AWS: ACCT }) });
    denied(() => assume(root, roleArn('app'), { policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' }), 'MalformedPolicyDocument');
  });
});

describe('RoleSessions: service principals and GetSessionToken', () => {
  beforeEach(() => {
    const store = new MemoryStore();
    keys = new KeyRing(store, { accountId: ACCT, accessKeyId: 'AKIAROOTROOTROOTROOT', secretAccessKey: 's' });
    root = keys.find('AKIAROOTROOTROOTROOT')!.principal;
    room = openIamRoom({ store, keys, box: new SecretBox(randomBytes(32)), clock: () => NOW });
  });

  it('assumeRoleForService follows the trust policy\'s Service principals and conditions', () => {
    call('CreateRole', { RoleName: 'task', AssumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': ACCT } } }) });
    const r = room.sessions.assumeRoleForService({ accountId: ACCT }, roleArn('task'), 'ecs-tasks.amazonaws.com', 'task-1');
    assert.equal(r.assumedRoleUser.arn, `arn:aws:sts::${ACCT}:assumed-role/task/task-1`);
    assert.equal(keys.find(r.credentials.accessKeyId)!.principal.session?.service, 'ecs-tasks.amazonaws.com');
    denied(() => room.sessions.assumeRoleForService({ accountId: ACCT }, roleArn('task'), 'lambda.amazonaws.com', 'x'));
    denied(() => assume(root, roleArn('task')));
  });

  it('GetSessionToken: a user\'s own identity, not from session credentials; root capped at an hour', () => {
    const alice = newUser('alice');
    const c = room.sessions.getSessionToken(alice, undefined, { now: NOW });
    const p = keys.find(c.accessKeyId)!.principal;
    assert.equal(p.arn, alice.arn);
    assert.equal(c.expiration.getTime(), NOW.getTime() + 43200_000);
    assert.throws(() => room.sessions.getSessionToken(p, 900, { now: NOW }), /session credentials/);
    assert.equal(room.sessions.getSessionToken(root, 7200, { now: NOW }).expiration.getTime(), NOW.getTime() + 3600_000);
  });

  it('the authorizer reads identity, attached managed and session policies', () => {
    const alice = newUser('alice');
    const facts = { now: NOW };
    assert.equal(room.authorizer.decide(alice, 'ecs:RunTask', '*', facts).effect, 'Deny');
    call('AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess' });
    assert.equal(room.authorizer.decide(alice, 'ecs:RunTask', '*', facts).effect, 'Allow');
    assert.equal(room.authorizer.decide(alice, 'secretsmanager:GetSecretValue', '*', facts).effect, 'Deny');
    call('PutUserPolicy', { UserName: 'alice', PolicyName: 'no', PolicyDocument: policy('Deny', 'ecs:RunTask') });
    assert.deepEqual(room.authorizer.decide(alice, 'ecs:RunTask', '*', facts), { effect: 'Deny', explicit: true, policyType: 'identity-based' });
    // iam:PassRole with the managed policy's iam:PassedToService condition.
    assert.equal(room.authorizer.decide(alice, 'iam:PassRole', roleArn('x'), facts, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }).effect, 'Allow');
    assert.equal(room.authorizer.decide(alice, 'iam:PassRole', roleArn('x'), facts, { 'iam:PassedToService': 'lambda.amazonaws.com' }).effect, 'Deny');
  });
});
