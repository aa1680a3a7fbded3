import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/crypto/secret-box.js';
import type { RequestContext } from '../../src/edge/surface.js';
import { checkNewName, isValidLabel, isWellFormed, normalizePath, parameterArn, parseReference, underPath } from '../../src/ssm/names.js';
import { ParameterResolutionError, ParameterStore, ssmSurface } from '../../src/ssm/surface.js';
import { MemoryStore } from '../../src/store/memory.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const ctx = (region = 'us-east-1'): RequestContext => ({
  principal: { accountId: scope.accountId, arn: `arn:aws:iam::${scope.accountId}:root`, userId: scope.accountId, accessKeyId: 'AKIA', isRoot: true },
  region, requestId: 'r', now: new Date(),
});
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  throw new Error('expected an error');
};

describe('parameter names', () => {
  it('accepts what SSM accepts and refuses the rest, with the SSM error code', () => {
    for (const ok of ['plain', '/a/b-c/d_e.f', 'x.y-z', '/Dev/Production/East/Project-ABC/MyParameter']) checkNewName(ok);
    const cases: [string, string][] = [
      ['aws-thing', 'ValidationException'], ['/AWS/x', 'ValidationException'], ['/ssm', 'ValidationException'], ['Ssm1', 'ValidationException'],
      ['a/b', 'ValidationException'], ['/a//b', 'ValidationException'], ['/a/', 'ValidationException'], ['/a b', 'ValidationException'],
      ['/a@b', 'ValidationException'], [`/${'x/'.repeat(15)}y`, 'HierarchyLevelLimitExceededException'],
    ];
    for (const [name, code] of cases) assert.equal(codeOf(() => checkNewName(name)), code, name);
    checkNewName(`/${'x/'.repeat(14)}y`);
    assert.equal(isWellFormed('/aws/service/ami'), true, 'public /aws/ names can be looked up (and are not found)');
  });

  it('normalizes paths and tells one level from any depth', () => {
    assert.equal(normalizePath('/a/b/'), '/a/b');
    assert.equal(normalizePath('/'), '/');
    for (const bad of ['a', '/aws', '/a//b', '']) assert.equal(codeOf(() => normalizePath(bad)), 'ValidationException', bad);
    assert.ok(underPath('/a/b', '/a', false));
    assert.ok(!underPath('/a/b/c', '/a', false));
    assert.ok(underPath('/a/b/c', '/a', true));
    assert.ok(!underPath('/ab', '/a', true));
    assert.ok(underPath('/x', '/', false) && !underPath('x', '/', true));
  });

  it('reads names, ARNs and selectors', () => {
    assert.deepEqual(parseReference('/a/b:3'), { candidates: ['/a/b'], selector: '3' });
    assert.deepEqual(parseReference('/a/b'), { candidates: ['/a/b'] });
    assert.deepEqual(parseReference('arn:aws:ssm:eu-west-1:123456789012:parameter/a/b:prod'), {
      candidates: ['/a/b'], scope: { region: 'eu-west-1', accountId: '123456789012' }, selector: 'prod',
    });
    assert.deepEqual(parseReference('arn:aws:ssm:eu-west-1:123456789012:parameter/top')?.candidates, ['top', '/top']);
    assert.equal(parseReference('arn:aws:secretsmanager:eu-west-1:123456789012:secret:x'), undefined);
    assert.equal(parameterArn(scope, '/a/b'), 'arn:aws:ssm:us-east-1:123456789012:parameter/a/b');
    assert.equal(parameterArn(scope, 'top'), 'arn:aws:ssm:us-east-1:123456789012:parameter/top');
  });

  it('knows a valid label', () => {
    for (const ok of ['prod', 'Release_1.2-b', 'a'.repeat(100)]) assert.ok(isValidLabel(ok), ok);
    for (const bad of ['1st', 'awsx', 'SSMy', 'a/b', 'a b', '', 'a'.repeat(101)]) assert.ok(!isValidLabel(bad), bad);
  });
});

describe('ParameterStore.resolve (ECS secrets[].valueFrom)', () => {
  it('returns plaintext by name, ARN, version and label, across regions of the account', async () => {
    const params = new ParameterStore(new MemoryStore(), new SecretBox(randomBytes(32)));
    const ops = ssmSurface(params).operations;
    await ops.PutParameter!({ Name: '/app/token', Value: 'one', Type: 'SecureString' }, ctx());
    await ops.PutParameter!({ Name: '/app/token', Value: 'two', Overwrite: true }, ctx());
    await ops.LabelParameterVersion!({ Name: '/app/token', ParameterVersion: 1, Labels: ['old'] }, ctx());
    await ops.PutParameter!({ Name: 'top', Value: 'plain', Type: 'String' }, ctx('eu-west-1'));
    assert.equal(params.resolve(scope, '/app/token'), 'two');
    assert.equal(params.resolve(scope, '/app/token:1'), 'one');
    assert.equal(params.resolve(scope, '/app/token:old'), 'one');
    assert.equal(params.resolve(scope, `arn:aws:ssm:us-east-1:${scope.accountId}:parameter/app/token`), 'two');
    assert.equal(params.resolve(scope, `arn:aws:ssm:eu-west-1:${scope.accountId}:parameter/top`), 'plain');
    const fail = (ref: string): ParameterResolutionError => {
      try {
        params.resolve(scope, ref);
      } catch (err) {
        assert.ok(err instanceof ParameterResolutionError);
        return err;
      }
      throw new Error(`${ref} resolved`);
    };
    assert.deepEqual([fail('/app/none').code, fail('/app/none').message], ['ParameterNotFound', 'Parameter /app/none not found.']);
    assert.equal(fail('/app/token:7').code, 'ParameterVersionNotFound');
    assert.equal(fail('top').code, 'ParameterNotFound', 'another region needs the ARN');
    assert.equal(fail(`arn:aws:ssm:us-east-1:210987654321:parameter/app/token`).code, 'ParameterNotFound');
    assert.equal(fail('bad name').code, 'ValidationException');
  });

  it('keeps a hundred versions and refuses to drop a labelled oldest one', async () => {
    const params = new ParameterStore(new MemoryStore(), new SecretBox(randomBytes(32)));
    const ops = ssmSurface(params).operations;
    await ops.PutParameter!({ Name: '/v', Value: 'v1', Type: 'String' }, ctx());
    for (let i = 2; i <= 100; i++) await ops.PutParameter!({ Name: '/v', Value: `v${i}`, Overwrite: true }, ctx());
    await ops.PutParameter!({ Name: '/v', Value: 'v101', Overwrite: true }, ctx());
    const versions = params.get(scope, '/v')!.versions;
    assert.deepEqual([versions.length, versions[0]!.version, versions.at(-1)!.version], [100, 2, 101]);
    await ops.LabelParameterVersion!({ Name: '/v', ParameterVersion: 2, Labels: ['pin'] }, ctx());
    assert.equal(codeOf(() => ops.PutParameter!({ Name: '/v', Value: 'v102', Overwrite: true }, ctx())), 'ParameterMaxVersionLimitExceeded');
  });
});
