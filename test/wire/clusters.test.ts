import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, ListClustersCommand, paginateListClusters,
  PutClusterCapacityProvidersCommand, UpdateClusterCommand, UpdateClusterSettingsCommand, DescribeCapacityProvidersCommand,
  PutAccountSettingDefaultCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

describe('ECS clusters through @aws-sdk/client-ecs', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  it('creates a cluster with the shapes and defaults ECS returns', async () => {
    const ecs = berth.ecs();
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'alpha', tags: [{ key: 'team', value: 'core' }] }));
    const account = berth.creds.accountId;
    assert.equal(cluster?.clusterArn, `arn:aws:ecs:us-east-1:${account}:cluster/alpha`);
    assert.equal(cluster?.clusterName, 'alpha');
    assert.equal(cluster?.status, 'ACTIVE');
    assert.equal(cluster?.registeredContainerInstancesCount, 0);
    assert.equal(cluster?.runningTasksCount, 0);
    assert.equal(cluster?.pendingTasksCount, 0);
    assert.equal(cluster?.activeServicesCount, 0);
    assert.deepEqual(cluster?.settings, [{ name: 'containerInsights', value: 'disabled' }]);
    assert.deepEqual(cluster?.capacityProviders, []);
    assert.deepEqual(cluster?.tags, [{ key: 'team', value: 'core' }]);
  });

  it('returns the existing cluster when CreateCluster is repeated', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: 'same' }));
    const again = await ecs.send(new CreateClusterCommand({ clusterName: 'same' }));
    assert.equal(again.cluster?.status, 'ACTIVE');
    const list = await ecs.send(new ListClustersCommand({}));
    assert.equal(list.clusterArns?.filter((a) => a.endsWith('/same')).length, 1);
  });

  it('creates the default cluster when no name is given', async () => {
    const { cluster } = await berth.ecs().send(new CreateClusterCommand({}));
    assert.equal(cluster?.clusterName, 'default');
    const d = await berth.ecs().send(new DescribeClustersCommand({}));
    assert.equal(d.clusters?.[0]?.clusterName, 'default');
  });

  it('describes by name and ARN, reports MISSING ones as failures, and includes tags and statistics on request', async () => {
    const ecs = berth.ecs();
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'beta', tags: [{ key: 'k', value: 'v' }] }));
    const d = await ecs.send(new DescribeClustersCommand({ clusters: ['beta', cluster!.clusterArn!, 'nope'], include: ['TAGS', 'STATISTICS'] }));
    assert.equal(d.clusters?.length, 2);
    assert.deepEqual(d.clusters?.[0]?.tags, [{ key: 'k', value: 'v' }]);
    assert.ok(d.clusters?.[0]?.statistics?.some((s) => s.name === 'runningFargateTasksCount'));
    assert.deepEqual(d.failures, [{ arn: `arn:aws:ecs:us-east-1:${berth.creds.accountId}:cluster/nope`, reason: 'MISSING' }]);
    const plain = await ecs.send(new DescribeClustersCommand({ clusters: ['beta'] }));
    assert.deepEqual(plain.clusters?.[0]?.tags, []);
  });

  it('rejects invalid cluster names with InvalidParameterException', async () => {
    const e = await awsError(berth.ecs().send(new CreateClusterCommand({ clusterName: 'bad name!' })));
    assert.equal(e.name, 'InvalidParameterException');
    assert.equal(e.status, 400);
  });

  it('updates settings and configuration', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: 'gamma' }));
    const u = await ecs.send(new UpdateClusterSettingsCommand({ cluster: 'gamma', settings: [{ name: 'containerInsights', value: 'enhanced' }] }));
    assert.deepEqual(u.cluster?.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
    const c = await ecs.send(new UpdateClusterCommand({ cluster: 'gamma', configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } } }));
    assert.equal(c.cluster?.configuration?.executeCommandConfiguration?.logging, 'DEFAULT');
    const bad = await awsError(ecs.send(new UpdateClusterSettingsCommand({ cluster: 'gamma', settings: [{ name: 'containerInsights', value: 'sometimes' }] })));
    assert.equal(bad.name, 'InvalidParameterException');
    const missing = await awsError(ecs.send(new UpdateClusterCommand({ cluster: 'nope', settings: [] })));
    assert.equal(missing.name, 'ClusterNotFoundException');
  });

  it('uses the containerInsights account default for new clusters', async () => {
    const ecs = berth.ecs();
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'enabled' }));
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'insightful' }));
    assert.deepEqual(cluster?.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'containerInsights', value: 'disabled' }));
  });

  it('knows the Fargate capacity providers from the start and attaches them to clusters', async () => {
    const ecs = berth.ecs();
    const d = await ecs.send(new DescribeCapacityProvidersCommand({}));
    assert.deepEqual(d.capacityProviders?.map((p) => p.name).sort(), ['FARGATE', 'FARGATE_SPOT']);
    const spotArn = `arn:aws:ecs:us-east-1:${berth.creds.accountId}:capacity-provider/FARGATE_SPOT`;
    const byArn = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [spotArn, 'NOPE'] }));
    assert.deepEqual(byArn.capacityProviders?.map((p) => [p.name, p.capacityProviderArn, p.status]), [['FARGATE_SPOT', spotArn, 'ACTIVE']]);
    assert.deepEqual(byArn.failures, [{ arn: 'NOPE', reason: 'MISSING' }]);
    const { cluster } = await ecs.send(new CreateClusterCommand({
      clusterName: 'fargate', capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }],
    }));
    assert.deepEqual(cluster?.capacityProviders, ['FARGATE', 'FARGATE_SPOT']);
    const put = await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'fargate', capacityProviders: ['FARGATE_SPOT'], defaultCapacityProviderStrategy: [] }));
    assert.deepEqual(put.cluster?.capacityProviders, ['FARGATE_SPOT']);
    const bad = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'x', capacityProviders: ['NOPE'] })));
    assert.equal(bad.name, 'InvalidParameterException');
    const strategy = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'x', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] })));
    assert.equal(strategy.name, 'InvalidParameterException');
  });

  it('deletes a cluster: INACTIVE in the answer and in Describe, gone from List, and a second delete fails', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: 'doomed' }));
    const del = await ecs.send(new DeleteClusterCommand({ cluster: 'doomed' }));
    assert.equal(del.cluster?.status, 'INACTIVE');
    const d = await ecs.send(new DescribeClustersCommand({ clusters: ['doomed'] }));
    assert.equal(d.clusters?.[0]?.status, 'INACTIVE');
    const list = await ecs.send(new ListClustersCommand({}));
    assert.ok(!list.clusterArns?.some((a) => a.endsWith('/doomed')));
    const again = await awsError(ecs.send(new DeleteClusterCommand({ cluster: 'doomed' })));
    assert.equal(again.name, 'ClusterNotFoundException');
    const revived = await ecs.send(new CreateClusterCommand({ clusterName: 'doomed' }));
    assert.equal(revived.cluster?.status, 'ACTIVE');
  });

  it('paginates ListClusters with maxResults and nextToken, and rejects a forged token', async () => {
    const ecs = berth.ecs();
    for (let i = 0; i < 7; i++) await ecs.send(new CreateClusterCommand({ clusterName: `page-${i}` }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListClusters({ client: ecs, pageSize: 3 }, {})) {
      pages++;
      assert.ok((page.clusterArns?.length ?? 0) <= 3);
      seen.push(...(page.clusterArns ?? []));
    }
    const all = await ecs.send(new ListClustersCommand({}));
    assert.deepEqual(seen, all.clusterArns);
    assert.ok(pages >= 3);
    const bad = await awsError(ecs.send(new ListClustersCommand({ nextToken: 'garbage' })));
    assert.equal(bad.name, 'InvalidParameterException');
    const tooMany = await awsError(ecs.send(new ListClustersCommand({ maxResults: 101 })));
    assert.equal(tooMany.name, 'InvalidParameterException');
  });
});
