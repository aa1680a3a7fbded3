import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../src/edge/errors.js';
import { parseTaskDefinitionRef, taskDefinitionArn } from '../../src/ecs/taskdef/register.js';
import { cpuUnits, memoryMiB } from '../../src/ecs/taskdef/units.js';

// What DescribeTaskDefinition/DeregisterTaskDefinition accept as `taskDefinition`: `family`,
// `family:revision` or a full ARN.

describe('taskDefinitionArn', () => {
  it('is arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>', () => {
    assert.equal(taskDefinitionArn('eu-west-1', '123456789012', 'web', 3), 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3');
  });
});

describe('parseTaskDefinitionRef', () => {
  const ok: Array<{ rule: string; ref: string; expected: ReturnType<typeof parseTaskDefinitionRef> }> = [
    { rule: 'a family names its latest ACTIVE revision', ref: 'web', expected: { family: 'web' } },
    { rule: 'family:revision names one revision', ref: 'web:3', expected: { family: 'web', revision: 3 } },
    { rule: 'a full ARN carries account and region', ref: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12', expected: { family: 'web', revision: 12, accountId: '123456789012', region: 'us-east-1' } },
    { rule: 'an ARN without a revision', ref: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web', expected: { family: 'web', accountId: '123456789012', region: 'us-east-1' } },
    { rule: 'another partition', ref: 'arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web_app-1:1', expected: { family: 'web_app-1', revision: 1, accountId: '123456789012', region: 'cn-north-1' } },
  ];
  for (const row of ok) it(row.rule, () => assert.deepEqual(parseTaskDefinitionRef(row.ref), row.expected));

  const bad: Array<{ rule: string; ref: string; code: string; phrase: string }> = [
    { rule: 'a revision that is not a number', ref: 'web:x', code: 'ClientException', phrase: "Invalid revision number: 'x'" },
    { rule: 'revision 0 (revisions start at 1)', ref: 'web:0', code: 'ClientException', phrase: "Invalid revision number: '0'" },
    { rule: 'a negative revision', ref: 'web:-1', code: 'ClientException', phrase: "Invalid revision number: '-1'" },
    { rule: 'an empty revision', ref: 'web:', code: 'ClientException', phrase: "Invalid revision number: ''" },
    { rule: 'a bad revision inside an ARN', ref: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:foo', code: 'ClientException', phrase: "Invalid revision number: 'foo'" },
    { rule: 'a blank reference', ref: '', code: 'ClientException', phrase: 'can not be blank' },
    { rule: 'a revision without a family', ref: ':3', code: 'ClientException', phrase: 'Family can not be blank.' },
    { rule: 'an ARN of another resource type', ref: 'arn:aws:ecs:us-east-1:123456789012:cluster/default', code: 'InvalidParameterException', phrase: 'Invalid task definition ARN' },
    { rule: 'an ARN of another service', ref: 'arn:aws:s3:::bucket', code: 'InvalidParameterException', phrase: 'Invalid task definition ARN' },
  ];
  for (const row of bad) {
    it(`rejects ${row.rule}`, () => {
      assert.throws(() => parseTaskDefinitionRef(row.ref), (e: unknown) => {
        assert.ok(e instanceof AwsError);
        assert.equal(e.code, row.code);
        assert.ok(e.message.includes(row.phrase), e.message);
        return true;
      });
    });
  }
});

describe('task cpu/memory text', () => {
  const cpu: Array<[string, number | undefined]> = [['1024', 1024], ['1 vCPU', 1024], ['1vcpu', 1024], ['0.25 vCPU', 256], ['.5 vcpu', 512], ['1.5', undefined], ['x', undefined], ['0.1 vCPU', undefined]];
  for (const [text, units] of cpu) it(`cpu "${text}" -> ${units}`, () => assert.equal(cpuUnits(text), units));
  const mem: Array<[string, number | undefined]> = [['512', 512], ['1GB', 1024], ['1 GB', 1024], ['0.5 gb', 512], ['30 GB', 30720], ['512 MiB', 512], ['1.5', undefined], ['lots', undefined]];
  for (const [text, mib] of mem) it(`memory "${text}" -> ${mib}`, () => assert.equal(memoryMiB(text), mib));
});
