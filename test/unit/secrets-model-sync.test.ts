import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateModelJson } from '../../scripts/gen-ecs-model.js';
import { secretsModelSpec } from '../../scripts/gen-model-secrets.js';
import { secretsModel, secretsOperationNames, validateSecretsInput } from '../../src/secrets/model/index.js';

describe('the generated Secrets Manager model', () => {
  it('is exactly what the generator produces from the installed @aws-sdk/client-secrets-manager (run node dist/scripts/gen-model-secrets.js if not)', () => {
    assert.equal(readFileSync(secretsModelSpec.modelPath, 'utf8'), generateModelJson(secretsModelSpec));
  });

  it('references only shapes it defines, and lists the operations Berth builds', () => {
    for (const [name, def] of Object.entries(secretsModel.shapes)) {
      for (const target of [...Object.values(def.members ?? {}), def.member, def.key, def.value].filter((t) => t !== undefined)) {
        assert.ok(target in secretsModel.shapes, `${name} -> ${target}`);
      }
    }
    for (const op of ['CreateSecret', 'GetSecretValue', 'PutSecretValue', 'ListSecrets', 'RotateSecret', 'BatchGetSecretValue']) {
      assert.ok(secretsOperationNames.has(op), op);
    }
  });

  it('validates with Secrets Manager codes: SerializationException for types, ValidationException for constraints', () => {
    assert.throws(() => validateSecretsInput('GetSecretValue', { SecretId: 5 }), { code: 'SerializationException' });
    assert.throws(() => validateSecretsInput('GetSecretValue', {}), { code: 'ValidationException' });
    assert.throws(() => validateSecretsInput('CreateSecret', { Name: 'x'.repeat(513) }), { code: 'ValidationException' });
    assert.throws(() => validateSecretsInput('ListSecrets', { Filters: [{ Key: 'colour', Values: ['x'] }] }), { code: 'ValidationException' });
    assert.throws(() => validateSecretsInput('ListSecrets', { MaxResults: 101 }), { code: 'ValidationException' });
    validateSecretsInput('CreateSecret', { Name: 'ok', SecretString: 'v', Tags: [{ Key: 'k', Value: '' }] });
  });
});
