import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateModelJson, SERVICES } from '../../scripts/gen-ecs-model.js';
import { logsModel, logsOperationNames, validateLogsInput } from '../../src/logs/model/index.js';

describe('the generated CloudWatch Logs model', () => {
  const spec = SERVICES.logs!;

  it('is exactly what the generator produces from the installed @aws-sdk/client-cloudwatch-logs (run npm run gen:model -- logs if not)', () => {
    assert.equal(readFileSync(spec.modelPath, 'utf8'), generateModelJson(spec));
  });

  it('references only shapes it defines, and gives every operation an input structure', () => {
    for (const [operation, { input }] of Object.entries(logsModel.operations)) {
      assert.equal(logsModel.shapes[input!]?.type, 'structure', operation);
    }
    for (const [name, def] of Object.entries(logsModel.shapes)) {
      const targets = [...Object.values(def.members ?? {}), def.member, def.key, def.value].filter((t) => t !== undefined);
      for (const target of targets) assert.ok(target in logsModel.shapes, `${name} -> ${target}`);
    }
  });

  it('lists every Logs operation, the built ones and the rest', () => {
    for (const op of ['CreateLogGroup', 'PutLogEvents', 'GetLogEvents', 'FilterLogEvents', 'StartQuery', 'TagResource', 'PutMetricFilter', 'StartLiveTail']) {
      assert.ok(logsOperationNames.has(op), op);
    }
  });

  it('carries the documented constraints and answers them as CloudWatch Logs does', () => {
    const put = logsModel.shapes[logsModel.shapes.PutLogEventsRequest.members!.logEvents];
    assert.deepEqual([put.min, put.max], [1, 10000]);
    const fail = (op: string, input: unknown): string => {
      try {
        validateLogsInput(op, input);
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'ok';
    };
    assert.equal(fail('CreateLogGroup', {}), 'InvalidParameterException');
    assert.equal(fail('CreateLogGroup', { logGroupName: 'x'.repeat(513) }), 'InvalidParameterException');
    assert.equal(fail('CreateLogGroup', { logGroupName: 7 }), 'SerializationException');
    assert.equal(fail('GetLogEvents', { logStreamName: 's', limit: 10001 }), 'InvalidParameterException');
    assert.equal(fail('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [] }), 'InvalidParameterException');
    assert.equal(fail('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1, message: '' }] }), 'InvalidParameterException');
    assert.equal(fail('DescribeLogGroups', { limit: 51 }), 'InvalidParameterException');
    assert.equal(fail('DescribeLogStreams', { logGroupName: 'g', orderBy: 'Size' }), 'InvalidParameterException');
    assert.equal(fail('FilterLogEvents', { logGroupName: 'g', filterPattern: 'x'.repeat(1025) }), 'InvalidParameterException');
    assert.equal(fail('StartQuery', { queryString: 'fields @message', startTime: 0, endTime: 1, logGroupName: 'g' }), 'ok');
  });
});
