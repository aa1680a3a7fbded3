import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand,
  ListSecretVersionIdsCommand, PutSecretValueCommand, RestoreSecretCommand, RotateSecretCommand, SecretsManagerClient,
  TagResourceCommand, UntagResourceCommand, UpdateSecretCommand, UpdateSecretVersionStageCommand, paginateListSecrets,
  type ListSecretsCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

describe('Secrets Manager through @aws-sdk/client-secrets-manager', () => {
  let berth: BerthProcess;
  let sm: SecretsManagerClient;
  before(async () => {
    berth = await startBerth();
    sm = new SecretsManagerClient({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });
  });
  after(async () => { await berth.stop(); });

  it('creates a secret and reads it by name, full ARN and partial ARN', async () => {
    const account = berth.creds.accountId;
    const created = await sm.send(new CreateSecretCommand({
      Name: 'prod/db/password', SecretString: 's3cr3t', Description: 'The DB password', KmsKeyId: 'alias/custom',
      Tags: [{ Key: 'team', Value: 'core' }],
    }));
    assert.match(created.ARN!, new RegExp(`^arn:aws:secretsmanager:us-east-1:${account}:secret:prod/db/password-[A-Za-z0-9]{6}$`));
    assert.equal(created.Name, 'prod/db/password');
    assert.ok(created.VersionId);
    for (const id of ['prod/db/password', created.ARN!, `arn:aws:secretsmanager:us-east-1:${account}:secret:prod/db/password`]) {
      const v = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      assert.equal(v.SecretString, 's3cr3t', id);
      assert.equal(v.ARN, created.ARN);
      assert.equal(v.VersionId, created.VersionId);
      assert.deepEqual(v.VersionStages, ['AWSCURRENT']);
      assert.ok(v.CreatedDate instanceof Date);
    }
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'prod/db/password' }));
    assert.equal(d.Description, 'The DB password');
    assert.equal(d.KmsKeyId, 'alias/custom');
    assert.deepEqual(d.Tags, [{ Key: 'team', Value: 'core' }]);
    assert.deepEqual(d.VersionIdsToStages, { [created.VersionId!]: ['AWSCURRENT'] });
    assert.ok(d.CreatedDate instanceof Date && d.LastChangedDate instanceof Date);
    assert.equal(d.LastAccessedDate?.getUTCHours(), 0, 'access dates are kept to the day');
    assert.equal(d.DeletedDate, undefined);
    const wrongSuffix = await awsError(sm.send(new GetSecretValueCommand({ SecretId: `${created.ARN!.slice(0, -6)}ZZZZZZ` })));
    assert.deepEqual([wrongSuffix.name, wrongSuffix.message], ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."]);
  });

  it('keeps binary secrets as bytes', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    assert.deepEqual([...v.SecretBinary!], [...bytes]);
    assert.equal(v.SecretString, undefined);
  });

  it('moves AWSCURRENT to each new version and leaves AWSPREVIOUS on the one before', async () => {
    const first = await sm.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'v1' }));
    const second = await sm.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v2' }));
    assert.deepEqual(second.VersionStages, ['AWSCURRENT']);
    const third = await sm.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v3' }));
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
    assert.deepEqual(d.VersionIdsToStages, { [second.VersionId!]: ['AWSPREVIOUS'], [third.VersionId!]: ['AWSCURRENT'] });
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating' }))).SecretString, 'v3');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'v2');
    const old = await sm.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: first.VersionId }));
    assert.deepEqual([old.SecretString, old.VersionStages], ['v1', []]);
    const mismatch = await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: first.VersionId, VersionStage: 'AWSCURRENT' })));
    assert.equal(mismatch.name, 'ResourceNotFoundException');
    const pending = await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPENDING' })));
    assert.deepEqual([pending.name, pending.message], ['ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: AWSPENDING"]);

    const listed = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rotating' }));
    assert.deepEqual(listed.Versions?.map((v) => v.VersionId), [second.VersionId, third.VersionId]);
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rotating', IncludeDeprecated: true, MaxResults: 2 }));
    assert.deepEqual(all.Versions?.map((v) => v.VersionId), [first.VersionId, second.VersionId]);
    assert.deepEqual(all.Versions?.[0]?.KmsKeyIds, ['DefaultEncryptionKey']);
    const rest = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rotating', IncludeDeprecated: true, NextToken: all.NextToken }));
    assert.deepEqual(rest.Versions?.map((v) => v.VersionId), [third.VersionId]);
    assert.equal(rest.NextToken, undefined);
  });

  it('treats a repeated ClientRequestToken as the same request, and a changed value under it as an error', async () => {
    const token = randomUUID();
    const a = await sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'x', ClientRequestToken: token }));
    const again = await sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'x', ClientRequestToken: token }));
    assert.deepEqual([again.ARN, again.VersionId], [a.ARN, token]);
    const exists = await awsError(sm.send(new CreateSecretCommand({ Name: 'idem', SecretString: 'y' })));
    assert.deepEqual([exists.name, exists.message], ['ResourceExistsException', 'The operation failed because the secret idem already exists.']);
    const putToken = randomUUID();
    await sm.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'p', ClientRequestToken: putToken }));
    const repeat = await sm.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'p', ClientRequestToken: putToken }));
    assert.equal(repeat.VersionId, putToken);
    const ids = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'idem', IncludeDeprecated: true }));
    assert.equal(ids.Versions?.length, 2, 'the repeat made no version');
    const changed = await awsError(sm.send(new PutSecretValueCommand({ SecretId: 'idem', SecretString: 'q', ClientRequestToken: putToken })));
    assert.equal(changed.name, 'ResourceExistsException');
  });

  it('answers invalid input the way Secrets Manager does', async () => {
    const both = await awsError(sm.send(new CreateSecretCommand({ Name: 'both', SecretString: 'a', SecretBinary: Uint8Array.of(1) })));
    assert.equal(both.name, 'InvalidParameterException');
    const badName = await awsError(sm.send(new CreateSecretCommand({ Name: 'no spaces', SecretString: 'a' })));
    assert.deepEqual([badName.name, badName.status], ['ValidationException', 400]);
    const long = await awsError(sm.send(new CreateSecretCommand({ Name: 'x'.repeat(513), SecretString: 'a' })));
    assert.equal(long.name, 'ValidationException');
    const noValue = await awsError(sm.send(new PutSecretValueCommand({ SecretId: 'binary' })));
    assert.equal(noValue.name, 'InvalidParameterException');
    const missing = await awsError(sm.send(new DescribeSecretCommand({ SecretId: 'nope' })));
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."]);
    await sm.send(new CreateSecretCommand({ Name: 'empty' }));
    const empty = await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'empty' })));
    assert.equal(empty.name, 'ResourceNotFoundException');
    const rotate = await awsError(sm.send(new RotateSecretCommand({ SecretId: 'empty' })));
    assert.deepEqual([rotate.name, rotate.status], ['NotImplementedException', 501]);
  });

  it('updates description and value, and moves staging labels with UpdateSecretVersionStage', async () => {
    const v1 = await sm.send(new CreateSecretCommand({ Name: 'staged', SecretString: 'one' }));
    const u = await sm.send(new UpdateSecretCommand({ SecretId: 'staged', Description: 'now described', SecretString: 'two' }));
    assert.ok(u.VersionId && u.VersionId !== v1.VersionId);
    const descOnly = await sm.send(new UpdateSecretCommand({ SecretId: 'staged', Description: 'again' }));
    assert.equal(descOnly.VersionId, undefined);
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: 'staged' }))).Description, 'again');

    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'blue', MoveToVersionId: v1.VersionId }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'staged', VersionStage: 'blue' }))).SecretString, 'one');
    const needsFrom = await awsError(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', MoveToVersionId: v1.VersionId })));
    assert.equal(needsFrom.name, 'InvalidParameterException');
    // Roll back: AWSCURRENT returns to v1, and the version it left becomes AWSPREVIOUS.
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'AWSCURRENT', MoveToVersionId: v1.VersionId, RemoveFromVersionId: u.VersionId }));
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'staged' }));
    assert.deepEqual(d.VersionIdsToStages, { [v1.VersionId!]: ['blue', 'AWSCURRENT'], [u.VersionId!]: ['AWSPREVIOUS'] });
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'staged', VersionStage: 'blue', RemoveFromVersionId: v1.VersionId }));
    assert.deepEqual((await sm.send(new GetSecretValueCommand({ SecretId: 'staged' }))).VersionStages, ['AWSCURRENT']);
  });

  it('tags and untags', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'x', Tags: [{ Key: 'a', Value: '1' }] }));
    await sm.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags, [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }]);
    await sm.send(new UntagResourceCommand({ SecretId: 'tagged', TagKeys: ['a', 'zz'] }));
    assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).Tags, [{ Key: 'b', Value: '3' }]);
  });

  it('lists with filters, sorting and pagination', async () => {
    for (let i = 0; i < 7; i++) {
      await sm.send(new CreateSecretCommand({
        Name: `listing/item-${i}`, SecretString: 'x', Description: i % 2 ? 'Odd ONE' : 'even one',
        Tags: [{ Key: i < 3 ? 'low' : 'high', Value: `n${i}` }],
      }));
    }
    const names = async (input: ListSecretsCommandInput): Promise<string[]> => {
      const out: string[] = [];
      for await (const page of paginateListSecrets({ client: sm, pageSize: 3 }, input)) out.push(...(page.SecretList ?? []).map((s) => s.Name!));
      return out;
    };
    const all = await names({ Filters: [{ Key: 'name', Values: ['listing/'] }] });
    assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6].map((i) => `listing/item-${i}`));
    const first = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['listing/'] }], MaxResults: 3 }));
    assert.equal(first.SecretList?.length, 3);
    assert.ok(first.NextToken);
    assert.deepEqual(await names({ Filters: [{ Key: 'name', Values: ['listing/'] }], SortOrder: 'desc' }), [...all].reverse());
    assert.deepEqual(await names({ Filters: [{ Key: 'description', Values: ['odd'] }] }), ['listing/item-1', 'listing/item-3', 'listing/item-5']);
    assert.deepEqual(await names({ Filters: [{ Key: 'tag-key', Values: ['low'] }, { Key: 'tag-value', Values: ['!n1'] }] }), ['listing/item-0', 'listing/item-2']);
    assert.deepEqual(await names({ Filters: [{ Key: 'all', Values: ['item 6'] }] }), ['listing/item-6']);
    assert.deepEqual(await names({ Filters: [{ Key: 'name', Values: ['Listing/'] }] }), [], 'name is case-sensitive');
    const badToken = await awsError(sm.send(new ListSecretsCommand({ NextToken: 'not-a-token' })));
    assert.equal(badToken.name, 'InvalidNextTokenException');
  });

  it('schedules deletion with a recovery window, refuses access meanwhile, and restores', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'keep me' }));
    const tooShort = await awsError(sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 6 })));
    assert.equal(tooShort.name, 'InvalidParameterException');
    const both = await awsError(sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })));
    assert.equal(both.name, 'InvalidParameterException');
    const before = Date.now();
    const del = await sm.send(new DeleteSecretCommand({ SecretId: 'doomed' }));
    const days = (del.DeletionDate!.getTime() - before) / 86_400_000;
    assert.ok(days > 29.9 && days < 30.1, `default window is 30 days, got ${days}`);
    const get = await awsError(sm.send(new GetSecretValueCommand({ SecretId: 'doomed' })));
    assert.deepEqual([get.name, get.message], ['InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion."]);
    assert.equal((await awsError(sm.send(new PutSecretValueCommand({ SecretId: 'doomed', SecretString: 'x' })))).name, 'InvalidRequestException');
    assert.equal((await awsError(sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' })))).name, 'InvalidRequestException');
    assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate instanceof Date);
    const visible = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['doomed'] }] }));
    assert.equal(visible.SecretList?.length, 0);
    const planned = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['doomed'] }], IncludePlannedDeletion: true }));
    assert.ok(planned.SecretList?.[0]?.DeletedDate instanceof Date);
    await sm.send(new RestoreSecretCommand({ SecretId: 'doomed' }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'doomed' }))).SecretString, 'keep me');
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate, undefined);
  });

  it('force-deletes at once, also a secret that does not exist, and a re-created name gets a new ARN', async () => {
    const a = await sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'gone', RecoveryWindowInDays: 7 }));
    const forced = await sm.send(new DeleteSecretCommand({ SecretId: 'gone', ForceDeleteWithoutRecovery: true }));
    assert.equal(forced.Name, 'gone');
    assert.equal((await awsError(sm.send(new DescribeSecretCommand({ SecretId: 'gone' })))).name, 'ResourceNotFoundException');
    assert.equal((await awsError(sm.send(new RestoreSecretCommand({ SecretId: 'gone' })))).name, 'ResourceNotFoundException');
    await sm.send(new DeleteSecretCommand({ SecretId: 'never-was', ForceDeleteWithoutRecovery: true }));
    const b = await sm.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'y' }));
    assert.notEqual(b.ARN, a.ARN);
    assert.equal((await awsError(sm.send(new GetSecretValueCommand({ SecretId: a.ARN })))).name, 'ResourceNotFoundException');
  });
});
