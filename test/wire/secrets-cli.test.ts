import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { signedJsonCall } from '../../src/cli/signed-call.js';
import { awsError, startBerth, type BerthProcess, type Creds } from '../support/berth.js';

describe('Secrets Manager and Parameter Store through the aws CLI, and between accounts', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  it('runs the everyday aws secretsmanager commands', () => {
    const created = berth.aws(['secretsmanager', 'create-secret', '--name', 'cli/db', '--secret-string', '{"user":"admin","pass":"pw"}', '--tags', 'Key=team,Value=core']);
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.json.ARN, /:secret:cli\/db-[A-Za-z0-9]{6}$/);
    const got = berth.aws(['secretsmanager', 'get-secret-value', '--secret-id', created.json.ARN]);
    assert.equal(JSON.parse(got.json.SecretString).pass, 'pw');
    const put = berth.aws(['secretsmanager', 'put-secret-value', '--secret-id', 'cli/db', '--secret-string', 'rotated']);
    assert.deepEqual(put.json.VersionStages, ['AWSCURRENT']);
    const prev = berth.aws(['secretsmanager', 'get-secret-value', '--secret-id', 'cli/db', '--version-stage', 'AWSPREVIOUS']);
    assert.equal(prev.json.SecretString, '{"user":"admin","pass":"pw"}');
    const listed = berth.aws(['secretsmanager', 'list-secrets', '--filters', 'Key=tag-key,Values=team']);
    assert.deepEqual(listed.json.SecretList.map((s: { Name: string }) => s.Name), ['cli/db']);
    const del = berth.aws(['secretsmanager', 'delete-secret', '--secret-id', 'cli/db', '--recovery-window-in-days', '7']);
    assert.equal(del.status, 0, del.stderr);
    const refused = berth.aws(['secretsmanager', 'get-secret-value', '--secret-id', 'cli/db']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /InvalidRequestException.*marked for deletion/);
    assert.equal(berth.aws(['secretsmanager', 'restore-secret', '--secret-id', 'cli/db']).status, 0);
    assert.equal(berth.aws(['secretsmanager', 'describe-secret', '--secret-id', 'cli/db']).json.DeletedDate, undefined);
    const missing = berth.aws(['secretsmanager', 'describe-secret', '--secret-id', 'cli/none']);
    assert.match(missing.stderr, /ResourceNotFoundException.*can't find the specified secret/);
  });

  it('runs the everyday aws ssm parameter commands, paging through more than one page', async () => {
    const created = berth.aws(['ssm', 'put-parameter', '--name', '/cli/p00', '--value', 'value-0', '--type', 'SecureString']);
    assert.deepEqual([created.status, created.json?.Version, created.json?.Tier], [0, 1, 'Standard'], created.stderr);
    // The rest through the SDK: a CLI start costs most of a second.
    const ssm = new SSMClient({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });
    for (let i = 1; i < 12; i++) await ssm.send(new PutParameterCommand({ Name: `/cli/p${String(i).padStart(2, '0')}`, Value: `value-${i}`, Type: 'String' }));
    const secure = berth.aws(['ssm', 'get-parameter', '--name', '/cli/p00', '--with-decryption']);
    assert.equal(secure.json.Parameter.Value, 'value-0');
    const walked = berth.aws(['ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive']);
    assert.equal(walked.json.Parameters.length, 12, 'the CLI follows NextToken across pages of 10');
    const described = berth.aws(['ssm', 'describe-parameters', '--parameter-filters', 'Key=Name,Option=BeginsWith,Values=/cli/p1']);
    assert.deepEqual(described.json.Parameters.map((p: { Name: string }) => p.Name), ['/cli/p10', '/cli/p11']);
    const overwrite = berth.aws(['ssm', 'put-parameter', '--name', '/cli/p01', '--value', 'new', '--overwrite']);
    assert.equal(overwrite.json.Version, 2);
    const history = berth.aws(['ssm', 'get-parameter-history', '--name', '/cli/p01']);
    assert.deepEqual(history.json.Parameters.map((h: { Value: string }) => h.Value), ['value-1', 'new']);
    assert.equal(berth.aws(['ssm', 'delete-parameter', '--name', '/cli/p01']).status, 0);
    const gone = berth.aws(['ssm', 'get-parameter', '--name', '/cli/p01']);
    assert.notEqual(gone.status, 0);
    assert.match(gone.stderr, /ParameterNotFound/);
  });

  it('keeps accounts apart: same names, no reads across, lists of their own', async () => {
    const out = (await signedJsonCall(berth.endpoint, berth.region, 'berth', 'BerthAdmin.CreateAccount', {}, berth.creds)) as {
      AccountId: string; AccessKeyId: string; SecretAccessKey: string;
    };
    const other: Creds = { accessKeyId: out.AccessKeyId, secretAccessKey: out.SecretAccessKey };
    const opts = (credentials: Creds) => ({ endpoint: berth.endpoint, region: berth.region, credentials, maxAttempts: 1 });
    const [smA, smB] = [new SecretsManagerClient(opts(berth.creds)), new SecretsManagerClient(opts(other))];
    const [ssmA, ssmB] = [new SSMClient(opts(berth.creds)), new SSMClient(opts(other))];

    const a = await smA.send(new CreateSecretCommand({ Name: 'shared/name', SecretString: 'for A' }));
    const b = await smB.send(new CreateSecretCommand({ Name: 'shared/name', SecretString: 'for B' }));
    assert.ok(b.ARN!.includes(`:${out.AccountId}:secret:shared/name-`));
    assert.equal((await smB.send(new GetSecretValueCommand({ SecretId: 'shared/name' }))).SecretString, 'for B');
    assert.equal((await awsError(smB.send(new GetSecretValueCommand({ SecretId: a.ARN })))).name, 'ResourceNotFoundException');
    assert.deepEqual((await smB.send(new ListSecretsCommand({}))).SecretList?.map((s) => s.ARN), [b.ARN]);

    await ssmA.send(new PutParameterCommand({ Name: '/shared/p', Value: 'A', Type: 'String' }));
    await ssmB.send(new PutParameterCommand({ Name: '/shared/p', Value: 'B', Type: 'String' }));
    assert.equal((await ssmB.send(new GetParameterCommand({ Name: '/shared/p' }))).Parameter?.Value, 'B');
    const arnOfA = `arn:aws:ssm:${berth.region}:${berth.creds.accountId}:parameter/shared/p`;
    assert.equal((await awsError(ssmB.send(new GetParameterCommand({ Name: arnOfA })))).name, 'ParameterNotFound');
    assert.deepEqual((await ssmB.send(new DescribeParametersCommand({}))).Parameters?.map((p) => p.Name), ['/shared/p']);

    // Regions are apart too.
    const west = new SSMClient({ ...opts(berth.creds), region: 'us-west-2' });
    assert.deepEqual((await west.send(new DescribeParametersCommand({}))).Parameters, []);
  });
});
