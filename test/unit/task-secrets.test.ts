import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { environmentFiles, needsSecrets, placeSecrets, secretRefs } from '../../src/ecs/task/secrets.js';

const def = {
  containerDefinitions: [
    { name: 'app', secrets: [{ name: 'DB', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf' }, { name: 'TOKEN', valueFrom: '/app/token' }] },
    { name: 'log', logConfiguration: { logDriver: 'splunk' as const, secretOptions: [{ name: 'splunk-token', valueFrom: '/app/token' }] } },
    { name: 'plain' },
  ],
};

describe('task secrets (pure)', () => {
  it('lists environment secrets and log driver secret options per container', () => {
    assert.deepEqual(secretRefs(def), [
      { container: 'app', target: 'environment', name: 'DB', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf' },
      { container: 'app', target: 'environment', name: 'TOKEN', valueFrom: '/app/token' },
      { container: 'log', target: 'logOptions', name: 'splunk-token', valueFrom: '/app/token' },
    ]);
  });

  it('reads each valueFrom once and places the values by container and target', () => {
    const asked: string[][] = [];
    const out = placeSecrets(secretRefs(def), (v) => {
      asked.push(v);
      return v.map((x) => `value of ${x}`);
    });
    assert.deepEqual(asked, [['arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf', '/app/token']]);
    assert.deepEqual(out, {
      app: { environment: { DB: 'value of arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf', TOKEN: 'value of /app/token' }, logOptions: {} },
      log: { environment: {}, logOptions: { 'splunk-token': 'value of /app/token' } },
    });
  });

  it('propagates the reader\'s failure (the reason the task stops with)', () => {
    assert.throws(() => placeSecrets(secretRefs(def), () => { throw new Error('denied'); }), /denied/);
  });

  it('knows when a task needs the agent to ask for secrets, environment files included (overrides win)', () => {
    assert.equal(needsSecrets(def, {}), true);
    assert.equal(needsSecrets({ containerDefinitions: [{ name: 'plain' }] }, {}), false);
    const files = { containerDefinitions: [{ name: 'a', environmentFiles: [{ value: 'arn:aws:s3:::b/a.env', type: 's3' as const }] }] };
    assert.deepEqual(environmentFiles(files, {}), ['arn:aws:s3:::b/a.env']);
    assert.deepEqual(environmentFiles(files, { containerOverrides: [{ name: 'a', environmentFiles: [{ value: 'arn:aws:s3:::b/o.env' }] }] }), ['arn:aws:s3:::b/o.env']);
    assert.equal(needsSecrets(files, {}), true);
  });
});
