import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateSsmModelJson, ssmModelSpec } from '../../scripts/gen-model-ssm.js';
import { ssmModel, ssmOperationNames, validateSsmInput } from '../../src/ssm/model/index.js';

describe('the generated SSM model', () => {
  it('is exactly what the generator produces from the installed @aws-sdk/client-ssm (run node dist/scripts/gen-model-ssm.js if not)', () => {
    assert.equal(readFileSync(ssmModelSpec.modelPath, 'utf8'), generateSsmModelJson());
  });

  it('references only shapes it defines, and lists Parameter Store and the rest of SSM', () => {
    for (const [name, def] of Object.entries(ssmModel.shapes)) {
      for (const target of [...Object.values(def.members ?? {}), def.member, def.key, def.value].filter((t) => t !== undefined)) {
        assert.ok(target in ssmModel.shapes, `${name} -> ${target}`);
      }
    }
    for (const op of ['PutParameter', 'GetParametersByPath', 'LabelParameterVersion', 'SendCommand', 'StartSession']) assert.ok(ssmOperationNames.has(op), op);
  });

  it('validates with SSM codes and the documented bounds', () => {
    assert.throws(() => validateSsmInput('GetParameter', { Name: ['x'] }), { code: 'SerializationException' });
    assert.throws(() => validateSsmInput('PutParameter', { Name: '/x' }), { code: 'ValidationException' });
    assert.throws(() => validateSsmInput('PutParameter', { Name: '/x', Value: 'v', Type: 'Number' }), { code: 'ValidationException' });
    assert.throws(() => validateSsmInput('GetParametersByPath', { Path: '/x', MaxResults: 11 }), { code: 'ValidationException' });
    assert.throws(() => validateSsmInput('DescribeParameters', { MaxResults: 51 }), { code: 'ValidationException' });
    assert.throws(() => validateSsmInput('LabelParameterVersion', { Name: '/x', Labels: Array.from({ length: 11 }, (_, i) => `l${i}`) }), { code: 'ValidationException' });
    validateSsmInput('PutParameter', { Name: '/x', Value: 'v', Type: 'SecureString', Tier: 'Intelligent-Tiering' });
  });
});
