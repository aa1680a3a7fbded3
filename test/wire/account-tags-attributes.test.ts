import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, DeleteAccountSettingCommand, DeleteAttributesCommand, ListAccountSettingsCommand, ListAttributesCommand,
  ListTagsForResourceCommand, PutAccountSettingCommand, PutAccountSettingDefaultCommand, PutAttributesCommand,
  RegisterTaskDefinitionCommand, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

describe('ECS account settings, tags and attributes through @aws-sdk/client-ecs', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  it('lists AWS defaults as effective settings, and user settings over them', async () => {
    const ecs = berth.ecs();
    const eff = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: 'awsvpcTrunking' }));
    assert.deepEqual(eff.settings?.map((s) => [s.name, s.value, s.type]), [['awsvpcTrunking', 'disabled', 'aws_managed']]);
    const put = await ecs.send(new PutAccountSettingCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
    assert.equal(put.setting?.value, 'enabled');
    assert.equal(put.setting?.principalArn, `arn:aws:iam::${berth.creds.accountId}:root`);
    const after1 = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: 'awsvpcTrunking' }));
    assert.equal(after1.settings?.[0]?.value, 'enabled');
    const own = await ecs.send(new ListAccountSettingsCommand({}));
    assert.ok(own.settings?.some((s) => s.name === 'awsvpcTrunking' && s.value === 'enabled'));
    await ecs.send(new DeleteAccountSettingCommand({ name: 'awsvpcTrunking' }));
    const after2 = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: 'awsvpcTrunking' }));
    assert.equal(after2.settings?.[0]?.value, 'disabled');
  });

  it('applies a principal\'s own setting over the account default', async () => {
    const ecs = berth.ecs();
    const user = `arn:aws:iam::${berth.creds.accountId}:user/dev`;
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'enabled' }));
    await ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enhanced', principalArn: user }));
    const forUser = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: 'containerInsights', principalArn: user }));
    assert.equal(forUser.settings?.[0]?.value, 'enhanced');
    const forRoot = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, name: 'containerInsights' }));
    assert.equal(forRoot.settings?.[0]?.value, 'enabled');
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'disabled' }));
  });

  it('paginates effective settings ten at a time at most', async () => {
    const first = await berth.ecs().send(new ListAccountSettingsCommand({ effectiveSettings: true, maxResults: 4 }));
    assert.equal(first.settings?.length, 4);
    assert.ok(first.nextToken);
    const second = await berth.ecs().send(new ListAccountSettingsCommand({ effectiveSettings: true, maxResults: 4, nextToken: first.nextToken }));
    assert.ok(!second.settings?.some((s) => first.settings!.some((f) => f.name === s.name)));
  });

  it('rejects bad setting values with InvalidParameterException', async () => {
    const e = await awsError(berth.ecs().send(new PutAccountSettingCommand({ name: 'taskLongArnFormat', value: 'maybe' })));
    assert.equal(e.name, 'InvalidParameterException');
    const enumErr = await awsError(berth.ecs().send(new PutAccountSettingCommand({ name: 'noSuchSetting' as never, value: 'enabled' })));
    assert.equal(enumErr.name, 'InvalidParameterException');
  });

  it('tags and untags clusters and task definitions', async () => {
    const ecs = berth.ecs();
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'tagged' }));
    const arn = cluster!.clusterArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] }));
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'a', value: '3' }] }));
    assert.deepEqual((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ key: 'a', value: '3' }, { key: 'b', value: '2' }]);
    await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    assert.deepEqual((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ key: 'b', value: '2' }]);
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'tagtd', containerDefinitions: [{ name: 'a', image: 'busybox', memory: 32 }] }));
    const tdArn = td.taskDefinition!.taskDefinitionArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: tdArn, tags: [{ key: 'x', value: 'y' }] }));
    assert.deepEqual((await ecs.send(new ListTagsForResourceCommand({ resourceArn: tdArn }))).tags, [{ key: 'x', value: 'y' }]);
  });

  it('enforces the 50-tag limit and the reserved aws: prefix', async () => {
    const ecs = berth.ecs();
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'many-tags' }));
    const arn = cluster!.clusterArn!;
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: fifty }));
    const over = await awsError(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'one-more', value: 'v' }] })));
    assert.equal(over.name, 'InvalidParameterException');
    const reserved = await awsError(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'aws:owner', value: 'me' }] })));
    assert.equal(reserved.name, 'InvalidParameterException');
    assert.equal((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags?.length, 50);
    const keyless = await awsError(ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ value: 'v' }] })));
    assert.equal(keyless.name, 'InvalidParameterException');
    const missing = await awsError(ecs.send(new ListTagsForResourceCommand({ resourceArn: arn.replace('many-tags', 'nope') })));
    assert.equal(missing.name, 'ClusterNotFoundException');
  });

  it('answers attribute calls for unknown container instances with TargetNotFoundException', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: 'attrs' }));
    const e = await awsError(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', value: 'prod', targetId: 'a1b2c3' }] })));
    assert.equal(e.name, 'TargetNotFoundException');
    const d = await awsError(ecs.send(new DeleteAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'stack', targetId: 'a1b2c3' }] })));
    assert.equal(d.name, 'TargetNotFoundException');
    const list = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance' }));
    assert.deepEqual(list.attributes, []);
    const tooMany = await awsError(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: Array.from({ length: 11 }, (_, i) => ({ name: `a${i}`, targetId: 'x' })) })));
    assert.equal(tooMany.name, 'AttributeLimitExceededException');
    const noCluster = await awsError(ecs.send(new ListAttributesCommand({ cluster: 'nope', targetType: 'container-instance' })));
    assert.equal(noCluster.name, 'ClusterNotFoundException');
  });
});
