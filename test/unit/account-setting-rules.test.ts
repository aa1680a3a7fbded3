import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SETTING_RULES } from '../../src/ecs/api/account-settings.js';
import { ecsModel } from '../../src/ecs/model/index.js';

describe('account setting rules', () => {
  it('cover every setting name of the ECS model, so a new SDK cannot bring a name Berth has no default for', () => {
    const names = ecsModel.shapes.SettingName!.enum!;
    assert.deepEqual(names.filter((n) => !SETTING_RULES[n]), []);
    assert.deepEqual(Object.keys(SETTING_RULES).filter((n) => !names.includes(n)), []);
  });
  it('list their AWS default among their accepted values', () => {
    for (const [name, rule] of Object.entries(SETTING_RULES)) assert.ok(rule.values.includes(rule.awsDefault), name);
  });
});
