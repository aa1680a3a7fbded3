import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DeleteParametersCommand, DescribeDocumentCommand, DescribeParametersCommand,
  GetParameterCommand, GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, LabelParameterVersionCommand,
  ListTagsForResourceCommand, PutParameterCommand, RemoveTagsFromResourceCommand, SSMClient, UnlabelParameterVersionCommand,
  paginateDescribeParameters, paginateGetParametersByPath,
  type DescribeParametersCommandInput, type GetParametersByPathCommandInput,
} from '@aws-sdk/client-ssm';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

describe('SSM Parameter Store through @aws-sdk/client-ssm', () => {
  let berth: BerthProcess;
  let ssm: SSMClient;
  before(async () => {
    berth = await startBerth();
    ssm = new SSMClient({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });
  });
  after(async () => { await berth.stop(); });

  const byPath = async (input: GetParametersByPathCommandInput, pageSize = 10): Promise<string[]> => {
    const out: string[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm, pageSize }, input)) out.push(...(page.Parameters ?? []).map((p) => p.Name!));
    return out;
  };
  const described = async (input: DescribeParametersCommandInput, pageSize = 50): Promise<string[]> => {
    const out: string[] = [];
    for await (const page of paginateDescribeParameters({ client: ssm, pageSize }, input)) out.push(...(page.Parameters ?? []).map((p) => p.Name!));
    return out;
  };

  it('stores String, StringList and SecureString; SecureString reads back opaque unless decrypted', async () => {
    const account = berth.creds.accountId;
    const put = await ssm.send(new PutParameterCommand({ Name: '/app/plain', Value: 'hello', Type: 'String', Description: 'greeting' }));
    assert.deepEqual([put.Version, put.Tier], [1, 'Standard']);
    await ssm.send(new PutParameterCommand({ Name: '/app/list', Value: 'a,b,c', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/secret', Value: 'hunter2', Type: 'SecureString' }));
    const plain = (await ssm.send(new GetParameterCommand({ Name: '/app/plain' }))).Parameter!;
    assert.deepEqual([plain.Name, plain.Type, plain.Value, plain.Version, plain.DataType], ['/app/plain', 'String', 'hello', 1, 'text']);
    assert.equal(plain.ARN, `arn:aws:ssm:us-east-1:${account}:parameter/app/plain`);
    assert.ok(plain.LastModifiedDate instanceof Date);
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/list' }))).Parameter?.Value, 'a,b,c');
    const opaque = (await ssm.send(new GetParameterCommand({ Name: '/app/secret' }))).Parameter!;
    assert.notEqual(opaque.Value, 'hunter2');
    assert.match(opaque.Value!, /^[A-Za-z0-9+/]+={0,2}$/);
    assert.ok(!Buffer.from(opaque.Value!, 'base64').toString('latin1').includes('hunter2'));
    const clear = (await ssm.send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }))).Parameter!;
    assert.equal(clear.Value, 'hunter2');
    const byArn = (await ssm.send(new GetParameterCommand({ Name: plain.ARN!, WithDecryption: true }))).Parameter!;
    assert.equal(byArn.Value, 'hello');
    await ssm.send(new PutParameterCommand({ Name: 'toplevel', Value: 'root', Type: 'String' }));
    const top = (await ssm.send(new GetParameterCommand({ Name: `arn:aws:ssm:us-east-1:${account}:parameter/toplevel` }))).Parameter!;
    assert.deepEqual([top.Name, top.ARN], ['toplevel', `arn:aws:ssm:us-east-1:${account}:parameter/toplevel`]);
    const d = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/secret'] }] }));
    const meta = d.Parameters![0]!;
    assert.deepEqual([meta.Type, meta.KeyId, meta.Tier, meta.Version, meta.LastModifiedUser], ['SecureString', 'alias/aws/ssm', 'Standard', 1, `arn:aws:iam::${account}:root`]);
    assert.equal((meta as Record<string, unknown>).Value, undefined);
  });

  it('versions overwrites, selects versions and labels, and keeps the history', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/hist/p', Value: 'v1', Type: 'SecureString', Description: 'kept' }));
    const exists = await awsError(ssm.send(new PutParameterCommand({ Name: '/hist/p', Value: 'v2', Type: 'SecureString' })));
    assert.deepEqual([exists.name, exists.message], ['ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.']);
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/hist/p', Value: 'v2', Overwrite: true }))).Version, 2);
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/hist/p', Value: 'v3', Overwrite: true }))).Version, 3);
    const label = await ssm.send(new LabelParameterVersionCommand({ Name: '/hist/p', ParameterVersion: 1, Labels: ['stable', '1bad', 'awsNope'] }));
    assert.deepEqual([label.ParameterVersion, label.InvalidLabels], [1, ['1bad', 'awsNope']]);
    const v1 = (await ssm.send(new GetParameterCommand({ Name: '/hist/p:1', WithDecryption: true }))).Parameter!;
    assert.deepEqual([v1.Value, v1.Version, v1.Selector, v1.Name], ['v1', 1, ':1', '/hist/p']);
    const stable = (await ssm.send(new GetParameterCommand({ Name: '/hist/p:stable', WithDecryption: true }))).Parameter!;
    assert.deepEqual([stable.Value, stable.Version, stable.Selector], ['v1', 1, ':stable']);
    const current = (await ssm.send(new GetParameterCommand({ Name: '/hist/p', WithDecryption: true }))).Parameter!;
    assert.deepEqual([current.Value, current.Version], ['v3', 3]);
    const missing = await awsError(ssm.send(new GetParameterCommand({ Name: '/hist/p:9' })));
    assert.equal(missing.name, 'ParameterVersionNotFound');
    // A label is unique within a parameter: labelling v3 moves it off v1.
    await ssm.send(new LabelParameterVersionCommand({ Name: '/hist/p', Labels: ['stable'] }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/hist/p:stable' }))).Parameter?.Version, 3);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p', WithDecryption: true }));
    assert.deepEqual(history.Parameters?.map((h) => [h.Version, h.Value, h.Labels, h.Description]), [
      [1, 'v1', [], 'kept'], [2, 'v2', [], 'kept'], [3, 'v3', ['stable'], 'kept'],
    ]);
    const hidden = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p', MaxResults: 2 }));
    assert.equal(hidden.Parameters?.length, 2);
    assert.ok(hidden.Parameters?.every((h) => h.Value !== 'v1' && h.Value !== 'v2'));
    const rest = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist/p', NextToken: hidden.NextToken }));
    assert.deepEqual(rest.Parameters?.map((h) => h.Version), [3]);

    const labels = Array.from({ length: 10 }, (_, i) => `l${i}`);
    await ssm.send(new LabelParameterVersionCommand({ Name: '/hist/p', ParameterVersion: 2, Labels: labels }));
    const tooMany = await awsError(ssm.send(new LabelParameterVersionCommand({ Name: '/hist/p', ParameterVersion: 2, Labels: ['eleventh'] })));
    assert.equal(tooMany.name, 'ParameterVersionLabelLimitExceeded');
    const unlabel = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/hist/p', ParameterVersion: 2, Labels: ['l0', 'stable'] }));
    assert.deepEqual([unlabel.RemovedLabels, unlabel.InvalidLabels], [['l0'], ['stable']]);
    const noVersion = await awsError(ssm.send(new LabelParameterVersionCommand({ Name: '/hist/p', ParameterVersion: 7, Labels: ['x'] })));
    assert.equal(noVersion.name, 'ParameterVersionNotFound');
  });

  it('enforces the naming, type, tier and pattern rules', async () => {
    const expect = async (input: ConstructorParameters<typeof PutParameterCommand>[0], code: string): Promise<void> => {
      const e = await awsError(ssm.send(new PutParameterCommand(input)));
      assert.equal(e.name, code, JSON.stringify({ ...input, Value: input.Value?.slice(0, 20) }));
    };
    await expect({ Name: '/aws/mine', Value: 'x', Type: 'String' }, 'ValidationException');
    await expect({ Name: 'SSM-thing', Value: 'x', Type: 'String' }, 'ValidationException');
    await expect({ Name: 'a/b', Value: 'x', Type: 'String' }, 'ValidationException');
    await expect({ Name: '/has space', Value: 'x', Type: 'String' }, 'ValidationException');
    await expect({ Name: `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`, Value: 'x', Type: 'String' }, 'HierarchyLevelLimitExceededException');
    await ssm.send(new PutParameterCommand({ Name: `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`, Value: 'x', Type: 'String' }));
    await expect({ Name: '/untyped', Value: 'x' }, 'ValidationException');
    await expect({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String' }, 'ValidationException');
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String', Tier: 'Advanced' }))).Tier, 'Advanced');
    await expect({ Name: '/big', Value: 'y', Overwrite: true, Tier: 'Standard' }, 'ValidationException');
    await expect({ Name: '/keyed', Value: 'x', Type: 'String', KeyId: 'alias/k' }, 'ValidationException');
    await expect({ Name: '/digits', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' }, 'ParameterPatternMismatchException');
    await ssm.send(new PutParameterCommand({ Name: '/digits', Value: '123', Type: 'String', AllowedPattern: '\\d+' }));
    await expect({ Name: '/digits', Value: '12a', Overwrite: true }, 'ParameterPatternMismatchException');
    await ssm.send(new PutParameterCommand({ Name: '/tagged', Value: 'x', Type: 'String', Tags: [{ Key: 'k', Value: 'v' }] }));
    await expect({ Name: '/tagged', Value: 'y', Overwrite: true, Tags: [{ Key: 'k', Value: 'w' }] }, 'ValidationException');
    const lookup = await awsError(ssm.send(new GetParameterCommand({ Name: 'bad/name' })));
    assert.equal(lookup.name, 'ValidationException');
    const notFound = await awsError(ssm.send(new GetParameterCommand({ Name: '/nope' })));
    assert.deepEqual([notFound.name, notFound.status], ['ParameterNotFound', 400]);
  });

  it('gets several parameters at once and reports the missing ones', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/multi/a', Value: 'A', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/multi/b', Value: 'B', Type: 'SecureString' }));
    const r = await ssm.send(new GetParametersCommand({ Names: ['/multi/a', '/multi/nope', '/multi/b', '/multi/a:5'], WithDecryption: true }));
    assert.deepEqual(r.Parameters?.map((p) => [p.Name, p.Value]), [['/multi/a', 'A'], ['/multi/b', 'B']]);
    assert.deepEqual(r.InvalidParameters, ['/multi/nope', '/multi/a:5']);
    const tooMany = await awsError(ssm.send(new GetParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) })));
    assert.equal(tooMany.name, 'ValidationException');
  });

  it('walks a hierarchy one level or recursively, with filters and pages of at most 10', async () => {
    for (let i = 0; i < 12; i++) await ssm.send(new PutParameterCommand({ Name: `/tree/leaf${String(i).padStart(2, '0')}`, Value: `v${i}`, Type: i % 3 ? 'String' : 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/tree/sub/deep', Value: 'd', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/treehouse', Value: 'no', Type: 'String' }));
    const oneLevel = await byPath({ Path: '/tree' }, 5);
    assert.deepEqual(oneLevel, Array.from({ length: 12 }, (_, i) => `/tree/leaf${String(i).padStart(2, '0')}`));
    assert.deepEqual(await byPath({ Path: '/tree/', Recursive: true }), [...oneLevel, '/tree/sub/deep']);
    const secure = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }], WithDecryption: true }));
    assert.deepEqual(secure.Parameters?.map((p) => [p.Name, p.Value]), [['/tree/leaf00', 'v0'], ['/tree/leaf03', 'v3'], ['/tree/leaf06', 'v6'], ['/tree/leaf09', 'v9']]);
    await ssm.send(new PutParameterCommand({ Name: '/tree/leaf01', Value: 'newer', Overwrite: true }));
    await ssm.send(new LabelParameterVersionCommand({ Name: '/tree/leaf01', ParameterVersion: 1, Labels: ['prod'] }));
    const labelled = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Label', Option: 'Equals', Values: ['prod'] }] }));
    assert.deepEqual(labelled.Parameters?.map((p) => [p.Name, p.Value, p.Version]), [['/tree/leaf01', 'v1', 1]]);
    assert.equal((await awsError(ssm.send(new GetParametersByPathCommand({ Path: '/tree', MaxResults: 11 })))).name, 'ValidationException');
    assert.equal((await awsError(ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })))).name, 'InvalidFilterKey');
    assert.equal((await awsError(ssm.send(new GetParametersByPathCommand({ Path: 'tree' })))).name, 'ValidationException');
    assert.deepEqual((await ssm.send(new GetParametersByPathCommand({ Path: '/tree/leaf00' }))).Parameters, []);
  });

  it('describes with ParameterFilters and the older Filters, paginated', async () => {
    for (const n of ['/desc/a/one', '/desc/a/two', '/desc/b/three', '/desc/four']) {
      await ssm.send(new PutParameterCommand({ Name: n, Value: 'x', Type: n.endsWith('two') ? 'SecureString' : 'String', ...(n.endsWith('two') ? { KeyId: 'alias/mine' } : {}) }));
    }
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/desc/'] }] }, 1), ['/desc/a/one', '/desc/a/two', '/desc/b/three', '/desc/four']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc/a'] }] }), ['/desc/a/one', '/desc/a/two']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Path', Values: ['/desc'] }] }), ['/desc/four']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['thr'] }] }), ['/desc/b/three']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'KeyId', Values: ['alias/mine'] }] }), ['/desc/a/two']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }, { Key: 'Type', Values: ['String'] }] }), ['/desc/a/one', '/desc/b/three', '/desc/four']);
    assert.deepEqual(await described({ Filters: [{ Key: 'Name', Values: ['/desc/b'] }] }), ['/desc/b/three']);
    const both = await awsError(ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['x'] }], ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })));
    assert.equal(both.name, 'ValidationException');
    const option = await awsError(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Option: 'Contains', Values: ['String'] }] })));
    assert.equal(option.name, 'InvalidFilterOption');
    const value = await awsError(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Values: ['Number'] }] })));
    assert.equal(value.name, 'InvalidFilterValue');
    const label = await awsError(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] })));
    assert.equal(label.name, 'InvalidFilterKey');
  });

  it('tags parameters and finds them by tag', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/tags/p', Value: 'x', Type: 'String', Tags: [{ Key: 'env', Value: 'prod' }] }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'core' }] }));
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p' }))).TagList, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'core' }]);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'tag:team', Values: ['core'] }] }), ['/tags/p']);
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', TagKeys: ['env'] }));
    assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p' }))).TagList, [{ Key: 'team', Value: 'core' }]);
    assert.equal((await awsError(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/none' })))).name, 'InvalidResourceId');
    assert.equal((await awsError(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'doc' })))).name, 'InvalidResourceId');
  });

  it('deletes one or several parameters', async () => {
    for (const n of ['/del/a', '/del/b', '/del/c']) await ssm.send(new PutParameterCommand({ Name: n, Value: 'x', Type: 'String' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/del/a' }));
    assert.equal((await awsError(ssm.send(new GetParameterCommand({ Name: '/del/a' })))).name, 'ParameterNotFound');
    assert.equal((await awsError(ssm.send(new DeleteParameterCommand({ Name: '/del/a' })))).name, 'ParameterNotFound');
    const many = await ssm.send(new DeleteParametersCommand({ Names: ['/del/b', '/del/a', '/del/c'] }));
    assert.deepEqual([many.DeletedParameters, many.InvalidParameters], [['/del/b', '/del/c'], ['/del/a']]);
    // A deleted name starts over at version 1.
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/del/b', Value: 'again', Type: 'String' }))).Version, 1);
  });

  it('answers NotImplementedException for the rest of SSM', async () => {
    const e = await awsError(ssm.send(new DescribeDocumentCommand({ Name: 'AWS-RunShellScript' })));
    assert.deepEqual([e.name, e.status], ['NotImplementedException', 501]);
  });
});
