import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/crypto/secret-box.js';
import type { RequestContext } from '../../src/edge/surface.js';
import { words } from '../../src/secrets/api/list.js';
import { parseSecretReference } from '../../src/secrets/arn.js';
import { SecretResolutionError, SecretsService, secretsSurface } from '../../src/secrets/surface.js';
import { addVersion, attachStage } from '../../src/secrets/versions.js';
import { MemoryStore } from '../../src/store/memory.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const ctxAt = (now: Date, region = 'us-east-1'): RequestContext => ({
  principal: { accountId: scope.accountId, arn: `arn:aws:iam::${scope.accountId}:root`, userId: scope.accountId, accessKeyId: 'AKIA', isRoot: true },
  region, requestId: 'r', now,
});

function setup(): { service: SecretsService; ops: ReturnType<typeof secretsSurface>['operations'] } {
  const service = new SecretsService(new MemoryStore(), new SecretBox(randomBytes(32)));
  return { service, ops: secretsSurface(service).operations };
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SecretResolutionError) return err.code;
    throw err;
  }
  throw new Error('expected a SecretResolutionError');
};

describe('SecretsService.resolve (ECS secrets[].valueFrom)', () => {
  it('understands full and partial ARNs, json keys, stages and version ids', async () => {
    const { service, ops } = setup();
    const now = new Date();
    const c = (await ops.CreateSecret!({ Name: 'app/db', SecretString: '{"user":"admin","port":5432,"nested":{"a":1}}' }, ctxAt(now))) as { ARN: string; VersionId: string };
    const p = (await ops.PutSecretValue!({ SecretId: 'app/db', SecretString: '{"user":"root"}' }, ctxAt(now))) as { VersionId: string };
    const partial = c.ARN.slice(0, -7);
    assert.equal(service.resolve(scope, c.ARN), '{"user":"root"}');
    assert.equal(service.resolve(scope, partial), '{"user":"root"}');
    assert.equal(service.resolve(scope, 'app/db'), '{"user":"root"}');
    assert.equal(service.resolve(scope, `${c.ARN}:user::`), 'root');
    assert.equal(service.resolve(scope, `${c.ARN}:user:AWSPREVIOUS:`), 'admin');
    assert.equal(service.resolve(scope, `${partial}:user::${c.VersionId}`), 'admin');
    assert.equal(service.resolve(scope, `${c.ARN}::AWSCURRENT:${p.VersionId}`), '{"user":"root"}');
    assert.equal(service.resolve(scope, `${c.ARN}:port:AWSPREVIOUS`), '5432');
    assert.equal(service.resolve(scope, `${c.ARN}:nested:AWSPREVIOUS`), '{"a":1}');
    assert.equal(codeOf(() => service.resolve(scope, `${c.ARN}:password::`)), 'JsonKeyNotFound');
    assert.equal(codeOf(() => service.resolve(scope, `${c.ARN}::AWSPENDING:`)), 'ResourceNotFoundException');
    assert.equal(codeOf(() => service.resolve(scope, `${c.ARN}:::${'0'.repeat(36)}`)), 'ResourceNotFoundException');
    assert.equal(codeOf(() => service.resolve(scope, c.ARN.replace('123456789012', '210987654321'))), 'ResourceNotFoundException');
    assert.equal(codeOf(() => service.resolve(scope, 'app/none')), 'ResourceNotFoundException');
    assert.equal(codeOf(() => service.resolve(scope, 'arn:aws:secretsmanager:us-east-1:123456789012:secret')), 'InvalidParameterException');
  });

  it('reads secrets of another region of the same account by ARN, binary ones not at all, deleted ones not', async () => {
    const { service, ops } = setup();
    const now = new Date();
    const west = (await ops.CreateSecret!({ Name: 'w', SecretString: 'west' }, ctxAt(now, 'us-west-2'))) as { ARN: string };
    assert.equal(service.resolve(scope, west.ARN), 'west');
    assert.equal(codeOf(() => service.resolve(scope, 'w')), 'ResourceNotFoundException');
    await ops.CreateSecret!({ Name: 'bin', SecretBinary: Buffer.from('x').toString('base64') }, ctxAt(now));
    assert.equal(codeOf(() => service.resolve(scope, 'bin')), 'BinarySecret');
    await ops.DeleteSecret!({ SecretId: 'bin', RecoveryWindowInDays: 7 }, ctxAt(now));
    assert.equal(codeOf(() => service.resolve(scope, 'bin')), 'InvalidRequestException');
  });

  it('never puts the value in an error', async () => {
    const { service, ops } = setup();
    await ops.CreateSecret!({ Name: 'j', SecretString: 'not-json-TOPSECRET' }, ctxAt(new Date()));
    assert.throws(() => service.resolve(scope, `arn:aws:secretsmanager:us-east-1:${scope.accountId}:secret:j:key::`), (err: Error) => !err.message.includes('TOPSECRET'));
  });
});

describe('the recovery window', () => {
  it('ends with the secret gone for good, and its name free again', async () => {
    const { service, ops } = setup();
    const t0 = new Date('2030-01-01T00:00:00Z');
    await ops.CreateSecret!({ Name: 'temp', SecretString: 'x' }, ctxAt(t0));
    await ops.DeleteSecret!({ SecretId: 'temp', RecoveryWindowInDays: 7 }, ctxAt(t0));
    const sixDays = new Date(t0.getTime() + 6 * 86_400_000);
    assert.ok(service.find(scope, 'temp', sixDays.getTime())?.deletedAt);
    const eightDays = new Date(t0.getTime() + 8 * 86_400_000);
    assert.equal(service.find(scope, 'temp', eightDays.getTime()), undefined);
    assert.equal(service.state.secrets.size, 0, 'purged from the table');
    await ops.CreateSecret!({ Name: 'temp', SecretString: 'y' }, ctxAt(eightDays));
  });
});

describe('staging labels', () => {
  const v = (versionId: string, stages: string[] = []) => ({ versionId, stages, kind: 'string' as const, sealed: '', createdAt: 0 });

  it('moves AWSCURRENT and gives AWSPREVIOUS to the version it left', () => {
    let versions = addVersion([], v('a'), ['AWSCURRENT']);
    versions = addVersion(versions, v('b'), ['AWSCURRENT']);
    versions = addVersion(versions, v('c'), ['AWSCURRENT', 'custom']);
    assert.deepEqual(versions.map((x) => [x.versionId, x.stages]), [['a', []], ['b', ['AWSPREVIOUS']], ['c', ['AWSCURRENT', 'custom']]]);
    versions = attachStage(versions, 'custom', 'a');
    assert.deepEqual(versions.map((x) => x.stages), [['custom'], ['AWSPREVIOUS'], ['AWSCURRENT']]);
  });

  it('prunes the oldest deprecated versions past 100', () => {
    let versions = addVersion([], v('v0'), ['AWSCURRENT']);
    versions = addVersion(versions, v('keep'), ['pinned']);
    for (let i = 1; i <= 120; i++) versions = addVersion(versions, v(`v${i}`), ['AWSCURRENT']);
    assert.equal(versions.length, 100);
    assert.ok(versions.some((x) => x.versionId === 'keep'), 'a labelled version is kept');
    assert.equal(versions.at(-1)?.versionId, 'v120');
  });
});

describe('ECS valueFrom and search words', () => {
  it('splits a valueFrom into ARN and suffix fields', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf';
    assert.deepEqual(parseSecretReference(`${arn}:pw:AWSPREVIOUS:`), { arn, parts: { region: 'eu-west-1', accountId: '123456789012', resource: 'db-AbCdEf' }, jsonKey: 'pw', versionStage: 'AWSPREVIOUS', versionId: undefined });
    assert.equal(parseSecretReference(`${arn}:a:b:c:d`), undefined);
    assert.equal(parseSecretReference('arn:aws:ssm:eu-west-1:123456789012:parameter/x'), undefined);
  });

  it('breaks search text into words the way Secrets Manager describes', () => {
    assert.deepEqual(words('credsDatabase#892'), ['creds', 'database', '892']);
    assert.deepEqual(words('My_Secret'), ['my', 'secret']);
    assert.deepEqual(words('prod/DBPassword2'), ['prod', 'db', 'password', '2']);
  });
});
