import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CreateClusterCommand, DescribeClustersCommand, ECSClient, ListClustersCommand, ListServicesByNamespaceCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { signedFetch } from '../support/signed-fetch.js';

describe('the edge: health, SigV4 authentication, accounts, unknown and unimplemented operations', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  const clusterNames = async (): Promise<string[]> =>
    ((await berth.ecs().send(new ListClustersCommand({}))).clusterArns ?? []).map((a) => a.split('/')[1]!);

  it('answers GET /health with 200 when ready', async () => {
    const r = await fetch(`${berth.endpoint}/health`);
    assert.equal(r.status, 200);
  });

  it('rejects an unsigned request with MissingAuthenticationTokenException and changes nothing', async () => {
    const r = await fetch(berth.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.CreateCluster' },
      body: JSON.stringify({ clusterName: 'unsigned' }),
    });
    assert.equal(r.status, 403);
    const body = (await r.json()) as { __type: string };
    assert.equal(body.__type, 'MissingAuthenticationTokenException');
    assert.ok(!(await clusterNames()).includes('unsigned'));
  });

  it('rejects a wrong secret with InvalidSignatureException and changes nothing', async () => {
    const ecs = berth.ecs({ accessKeyId: berth.creds.accessKeyId, secretAccessKey: 'not-the-secret' });
    const e = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'missigned' })));
    assert.equal(e.name, 'InvalidSignatureException');
    assert.match(e.message, /signature we calculated does not match/);
    assert.ok(!(await clusterNames()).includes('missigned'));
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const ecs = berth.ecs({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' });
    const e = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'stranger' })));
    assert.equal(e.name, 'UnrecognizedClientException');
    assert.ok(!(await clusterNames()).includes('stranger'));
  });

  it('rejects a signature more than 15 minutes old as expired', async () => {
    const ecs = new ECSClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: berth.creds, maxAttempts: 1, systemClockOffset: -20 * 60 * 1000 });
    const e = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'stale' })));
    assert.equal(e.name, 'InvalidSignatureException');
    assert.match(e.message, /Signature expired/);
    assert.ok(!(await clusterNames()).includes('stale'));
  });

  it('accepts a signature within the allowed skew', async () => {
    const ecs = new ECSClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: berth.creds, maxAttempts: 1, systemClockOffset: -10 * 60 * 1000 });
    await ecs.send(new CreateClusterCommand({ clusterName: 'skewed' }));
    assert.ok((await clusterNames()).includes('skewed'));
  });

  it('answers a known but unimplemented ECS operation with NotImplementedException, never success', async () => {
    const e = await awsError(berth.ecs().send(new ListServicesByNamespaceCommand({ namespace: 'x' })));
    assert.equal(e.name, 'NotImplementedException');
    assert.equal(e.status, 501);
    assert.match(e.message, /ListServicesByNamespace is not implemented/);
  });

  it('answers an unknown target with UnknownOperationException', async () => {
    const r = await signedFetch(berth, 'AmazonEC2ContainerServiceV20141113.NoSuchThing');
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { __type: string }).__type, 'UnknownOperationException');
  });

  it('serves STS GetCallerIdentity over the Query protocol, and refuses AssumeRole of a foreign unknown role', async () => {
    const sts = new STSClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: berth.creds, maxAttempts: 1 });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, berth.creds.accountId);
    assert.equal(id.Arn, `arn:aws:iam::${berth.creds.accountId}:root`);
    // A role of another account that does not exist: STS refuses, as AWS does.
    const e = await awsError(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session' })));
    assert.equal(e.name, 'AccessDenied');
  });

  it('keeps accounts apart: a second account sees none of the first one\'s clusters, even by ARN', async () => {
    const ecs = berth.ecs();
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'private' }));
    const created = spawnSync(process.execPath, ['dist/src/cli/main.js', 'account', 'create'], {
      encoding: 'utf8', env: { ...process.env, BERTH_PORT: String(berth.port), BERTH_DATA_DIR: berth.dataDir },
    });
    assert.equal(created.status, 0, created.stderr);
    const other = JSON.parse(created.stdout) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
    assert.notEqual(other.AccountId, berth.creds.accountId);
    const ecs2 = berth.ecs({ accessKeyId: other.AccessKeyId, secretAccessKey: other.SecretAccessKey });
    assert.deepEqual((await ecs2.send(new ListClustersCommand({}))).clusterArns, []);
    const d = await ecs2.send(new DescribeClustersCommand({ clusters: [cluster!.clusterArn!] }));
    assert.deepEqual(d.clusters, []);
    assert.deepEqual(d.failures, [{ arn: cluster!.clusterArn!, reason: 'MISSING' }]);
    const mine = await ecs2.send(new CreateClusterCommand({ clusterName: 'private' }));
    assert.equal(mine.cluster?.clusterArn, `arn:aws:ecs:us-east-1:${other.AccountId}:cluster/private`);
    const sts = new STSClient({ endpoint: berth.endpoint, region: 'us-east-1', credentials: { accessKeyId: other.AccessKeyId, secretAccessKey: other.SecretAccessKey }, maxAttempts: 1 });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, other.AccountId);
  });

  it('keeps regions apart: resources live in the region the request was signed for', async () => {
    await berth.ecs().send(new CreateClusterCommand({ clusterName: 'east-only' }));
    const west = new ECSClient({ endpoint: berth.endpoint, region: 'us-west-2', credentials: berth.creds, maxAttempts: 1 });
    const list = await west.send(new ListClustersCommand({}));
    assert.ok(!(list.clusterArns ?? []).some((a) => a.endsWith('/east-only')));
  });
});
