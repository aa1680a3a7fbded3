import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ecsModelPath, generateEcsModelJson } from '../../scripts/gen-ecs-model.js';
import { ecsModel, ecsOperationNames } from '../../src/ecs/model/index.js';

describe('the generated ECS model', () => {
  it('is exactly what the generator produces from the installed @aws-sdk/client-ecs (run npm run gen:model if not)', () => {
    assert.equal(readFileSync(ecsModelPath, 'utf8'), generateEcsModelJson());
  });

  it('gives every operation an input structure', () => {
    for (const [operation, { input }] of Object.entries(ecsModel.operations)) {
      assert.ok(input !== undefined, operation);
      assert.equal(ecsModel.shapes[input]?.type, 'structure', operation);
    }
  });

  it('references only shapes it defines', () => {
    for (const [name, def] of Object.entries(ecsModel.shapes)) {
      const targets = [...Object.values(def.members ?? {}), def.member, def.key, def.value].filter((t) => t !== undefined);
      for (const target of targets) assert.ok(target in ecsModel.shapes, `${name} -> ${target}`);
      for (const member of def.required ?? []) assert.ok(member in (def.members ?? {}), `${name} requires ${member}`);
    }
  });

  it('lists every ECS operation, including the ones Berth builds first', () => {
    for (const operation of ['CreateCluster', 'RegisterTaskDefinition', 'RunTask', 'CreateService', 'ListTasks', 'TagResource']) {
      assert.ok(ecsOperationNames.has(operation), operation);
    }
    assert.equal(ecsOperationNames.size, Object.keys(ecsModel.operations).length);
  });

  it('links enum members to their value sets and carries the documented constraints', () => {
    assert.deepEqual(ecsModel.shapes[ecsModel.shapes.RegisterTaskDefinitionRequest.members!.networkMode], {
      type: 'string',
      enum: ['awsvpc', 'bridge', 'host', 'none'],
    });
    const tags = ecsModel.shapes[ecsModel.shapes.CreateClusterRequest.members!.tags];
    assert.equal(tags.max, 50);
    const key = ecsModel.shapes[ecsModel.shapes[tags.member!].members!.key];
    assert.deepEqual([key.min, key.max], [1, 128]);
  });
});
