import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateCapacityProviderCommand, CreateClusterCommand, DeleteCapacityProviderCommand, DeleteClusterCommand,
  DescribeCapacityProvidersCommand, DescribeClustersCommand, ListTagsForResourceCommand, PutClusterCapacityProvidersCommand,
  TagResourceCommand, UpdateCapacityProviderCommand,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

const groupArn = (name: string): string =>
  `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:5098c24f-d26e-4e9c-9bd8-8d88de1ec613:autoScalingGroupName/${name}`;

describe('ECS capacity providers through @aws-sdk/client-ecs and the aws CLI', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  it('creates a provider with the documented defaults, tags it, and describes it beside FARGATE', async () => {
    const ecs = berth.ecs();
    const { capacityProvider: cp } = await ecs.send(new CreateCapacityProviderCommand({
      name: 'web', autoScalingGroupProvider: { autoScalingGroupArn: groupArn('web-asg') }, tags: [{ key: 'team', value: 'core' }],
    }));
    const arn = `arn:aws:ecs:us-east-1:${berth.creds.accountId}:capacity-provider/web`;
    assert.equal(cp?.capacityProviderArn, arn);
    assert.equal(cp?.status, 'ACTIVE');
    assert.equal(cp?.updateStatus, 'CREATE_COMPLETE');
    assert.equal(cp?.type, 'EC2_AUTOSCALING');
    assert.deepEqual(cp?.autoScalingGroupProvider, {
      autoScalingGroupArn: groupArn('web-asg'),
      managedScaling: { status: 'DISABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 300 },
      managedTerminationProtection: 'DISABLED',
      managedDraining: 'ENABLED',
    });
    assert.deepEqual(cp?.tags, [{ key: 'team', value: 'core' }]);

    const all = await ecs.send(new DescribeCapacityProvidersCommand({}));
    assert.deepEqual(all.capacityProviders?.map((p) => p.name), ['FARGATE', 'FARGATE_SPOT', 'web']);
    const byArn = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [arn, 'nope'], include: ['TAGS'] }));
    assert.deepEqual(byArn.capacityProviders?.map((p) => [p.name, p.tags]), [['web', [{ key: 'team', value: 'core' }]]]);
    assert.deepEqual(byArn.failures, [{ arn: 'nope', reason: 'MISSING' }]);
    const plain = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['web'] }));
    assert.equal(plain.capacityProviders?.[0]?.tags, undefined);

    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'dev' }] }));
    const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(tags.tags, [{ key: 'team', value: 'core' }, { key: 'env', value: 'dev' }]);
  });

  it('updates managed scaling, keeping what the update leaves out', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateCapacityProviderCommand({
      name: 'batch', autoScalingGroupProvider: { autoScalingGroupArn: groupArn('batch-asg'), managedScaling: { status: 'ENABLED', targetCapacity: 80 } },
    }));
    const { capacityProvider: cp } = await ecs.send(new UpdateCapacityProviderCommand({
      name: 'batch', autoScalingGroupProvider: { managedScaling: { instanceWarmupPeriod: 60 }, managedDraining: 'DISABLED' },
    }));
    assert.equal(cp?.updateStatus, 'UPDATE_COMPLETE');
    assert.deepEqual(cp?.autoScalingGroupProvider?.managedScaling, {
      status: 'ENABLED', targetCapacity: 80, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 60,
    });
    assert.equal(cp?.autoScalingGroupProvider?.managedDraining, 'DISABLED');
    assert.equal(cp?.autoScalingGroupProvider?.autoScalingGroupArn, groupArn('batch-asg'));
    const missing = await awsError(ecs.send(new UpdateCapacityProviderCommand({ name: 'ghost', autoScalingGroupProvider: {} })));
    assert.equal(missing.name, 'ClientException');
    const reserved = await awsError(ecs.send(new UpdateCapacityProviderCommand({ name: 'FARGATE', autoScalingGroupProvider: {} })));
    assert.equal(reserved.name, 'ClientException');
  });

  it('rejects what ECS rejects, with its error codes', async () => {
    const ecs = berth.ecs();
    const create = (name: string, arn = groupArn(`${name}-asg`), extra = {}) =>
      awsError(ecs.send(new CreateCapacityProviderCommand({ name, autoScalingGroupProvider: { autoScalingGroupArn: arn, ...extra } })));
    for (const reserved of ['aws-x', 'ECSthing', 'Fargate2', 'bad name']) {
      const e = await create(reserved);
      assert.equal(e.name, 'ClientException', reserved);
      assert.equal(e.status, 400);
      assert.match(e.message, /cannot be prefixed with "aws", "ecs", or "fargate"/);
    }
    const dup = await create('web');
    assert.equal(dup.name, 'ClientException');
    assert.match(dup.message, /already exists/);
    const sameGroup = await create('web2', groupArn('web-asg'));
    assert.equal(sameGroup.name, 'ClientException');
    assert.match(sameGroup.message, /already being used by another capacity provider/);
    const badArn = await create('odd', 'arn:aws:ec2:us-east-1:123456789012:instance/i-1');
    assert.equal(badArn.name, 'ClientException');
    for (const managedScaling of [{ targetCapacity: 0 }, { targetCapacity: 101 }, { maximumScalingStepSize: 10001 }]) {
      const e = await create('ranges', groupArn('ranges-asg'), { managedScaling });
      assert.equal(e.name, 'InvalidParameterException', JSON.stringify(managedScaling));
    }
    const noGroup = await awsError(ecs.send(new CreateCapacityProviderCommand({ name: 'nogroup' })));
    assert.equal(noGroup.name, 'InvalidParameterException');
  });

  it('associates a provider with one cluster, uses it in the default strategy, and guards its removal', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateCapacityProviderCommand({ name: 'fleet', autoScalingGroupProvider: { autoScalingGroupArn: groupArn('fleet-asg') } }));
    const { cluster } = await ecs.send(new CreateClusterCommand({
      clusterName: 'cp-one', capacityProviders: ['fleet', 'FARGATE'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'fleet', base: 2, weight: 1 }, { capacityProvider: 'FARGATE', weight: 3 }],
    }));
    assert.deepEqual(cluster?.capacityProviders, ['fleet', 'FARGATE']);
    assert.deepEqual(cluster?.defaultCapacityProviderStrategy, [{ capacityProvider: 'fleet', base: 2, weight: 1 }, { capacityProvider: 'FARGATE', weight: 3 }]);

    const scoped = await ecs.send(new DescribeCapacityProvidersCommand({ cluster: 'cp-one' }));
    assert.deepEqual(scoped.capacityProviders?.map((p) => p.name), ['FARGATE', 'fleet']);

    await ecs.send(new CreateClusterCommand({ clusterName: 'cp-two' }));
    const taken = await awsError(ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-two', capacityProviders: ['fleet'], defaultCapacityProviderStrategy: [] })));
    assert.equal(taken.name, 'InvalidParameterException');
    assert.match(taken.message, /already associated with cluster cp-one/);
    const shared = await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-two', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [] }));
    assert.deepEqual(shared.cluster?.capacityProviders, ['FARGATE']);

    const unknown = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'cp-x', capacityProviders: ['nothing'] })));
    assert.equal(unknown.name, 'InvalidParameterException');
    const tooMany = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'cp-x', capacityProviders: Array.from({ length: 21 }, (_, i) => `p${i}`) })));
    assert.equal(tooMany.name, 'InvalidParameterException');
    assert.match(tooMany.message, /maximum number of capacity providers per cluster/);
  });

  it('fails to delete an associated provider with DELETE_FAILED, then deletes it once removed', async () => {
    const ecs = berth.ecs();
    const failed = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'fleet' }));
    assert.equal(failed.capacityProvider?.status, 'ACTIVE');
    assert.equal(failed.capacityProvider?.updateStatus, 'DELETE_FAILED');
    assert.equal(failed.capacityProvider?.updateStatusReason,
      'The capacity provider cannot be deleted because it is associated with cluster: cp-one. Remove the capacity provider from the cluster and try again.');

    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-one', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [] }));
    const deleted = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'fleet' }));
    assert.equal(deleted.capacityProvider?.status, 'INACTIVE');
    assert.equal(deleted.capacityProvider?.updateStatus, 'DELETE_COMPLETE');
    assert.equal(deleted.capacityProvider?.updateStatusReason, undefined);
    const d = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['fleet'] }));
    assert.equal(d.capacityProviders?.[0]?.status, 'INACTIVE');

    const again = await awsError(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'fleet' })));
    assert.equal(again.name, 'ClientException');
    const inactive = await awsError(ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-one', capacityProviders: ['fleet'], defaultCapacityProviderStrategy: [] })));
    assert.equal(inactive.name, 'InvalidParameterException');
    const fargate = await awsError(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'FARGATE' })));
    assert.equal(fargate.name, 'ClientException');

    // The name and the group are free again once the provider is INACTIVE.
    const back = await ecs.send(new CreateCapacityProviderCommand({ name: 'fleet', autoScalingGroupProvider: { autoScalingGroupArn: groupArn('fleet-asg') } }));
    assert.equal(back.capacityProvider?.status, 'ACTIVE');
  });

  it('frees a provider when its cluster is deleted', async () => {
    const ecs = berth.ecs();
    await ecs.send(new CreateCapacityProviderCommand({ name: 'short-lived', autoScalingGroupProvider: { autoScalingGroupArn: groupArn('short-asg') } }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'cp-gone', capacityProviders: ['short-lived'] }));
    await ecs.send(new DeleteClusterCommand({ cluster: 'cp-gone' }));
    const put = await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-two', capacityProviders: ['short-lived'], defaultCapacityProviderStrategy: [{ capacityProvider: 'short-lived', weight: 1 }] }));
    assert.deepEqual(put.cluster?.capacityProviders, ['short-lived']);
    const d = await ecs.send(new DescribeClustersCommand({ clusters: ['cp-two'] }));
    assert.deepEqual(d.clusters?.[0]?.defaultCapacityProviderStrategy, [{ capacityProvider: 'short-lived', weight: 1 }]);
  });

  it('drives the lifecycle through the aws CLI', () => {
    const create = berth.aws(['ecs', 'create-capacity-provider', '--name', 'cli-cp',
      '--auto-scaling-group-provider', `autoScalingGroupArn=${groupArn('cli-asg')},managedScaling={status=ENABLED,targetCapacity=75},managedTerminationProtection=DISABLED`,
      '--tags', 'key=via,value=cli']);
    assert.equal(create.status, 0, create.stderr);
    assert.equal(create.json.capacityProvider.autoScalingGroupProvider.managedScaling.targetCapacity, 75);
    const update = berth.aws(['ecs', 'update-capacity-provider', '--name', 'cli-cp', '--auto-scaling-group-provider', 'managedScaling={targetCapacity=90}']);
    assert.equal(update.status, 0, update.stderr);
    assert.equal(update.json.capacityProvider.updateStatus, 'UPDATE_COMPLETE');
    const d = berth.aws(['ecs', 'describe-capacity-providers', '--capacity-providers', 'cli-cp', '--include', 'TAGS']);
    assert.equal(d.json.capacityProviders[0].autoScalingGroupProvider.managedScaling.targetCapacity, 90);
    assert.deepEqual(d.json.capacityProviders[0].tags, [{ key: 'via', value: 'cli' }]);
    const bad = berth.aws(['ecs', 'create-capacity-provider', '--name', 'ecs-nope', '--auto-scaling-group-provider', `autoScalingGroupArn=${groupArn('x')}`]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /ClientException/);
    const del = berth.aws(['ecs', 'delete-capacity-provider', '--capacity-provider', 'cli-cp']);
    assert.equal(del.status, 0, del.stderr);
    assert.equal(del.json.capacityProvider.status, 'INACTIVE');
  });

  it('keeps providers and their associations across a SIGKILL restart', async () => {
    await berth.kill('SIGKILL');
    await berth.start();
    const ecs = berth.ecs();
    const d = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['web', 'short-lived', 'cli-cp'], include: ['TAGS'] }));
    assert.deepEqual(d.capacityProviders?.map((p) => [p.name, p.status]), [['cli-cp', 'INACTIVE'], ['short-lived', 'ACTIVE'], ['web', 'ACTIVE']]);
    assert.deepEqual(d.capacityProviders?.find((p) => p.name === 'web')?.tags, [{ key: 'team', value: 'core' }, { key: 'env', value: 'dev' }]);
    const taken = await awsError(ecs.send(new CreateClusterCommand({ clusterName: 'cp-three', capacityProviders: ['short-lived'] })));
    assert.equal(taken.name, 'InvalidParameterException');
  });

  it('pages DescribeCapacityProviders in name order with maxResults and nextToken', async () => {
    const ecs = berth.ecs();
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 2, nextToken }));
      assert.ok((page.capacityProviders?.length ?? 0) <= 2);
      seen.push(...(page.capacityProviders ?? []).map((p) => p.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(seen, ['FARGATE', 'FARGATE_SPOT', 'batch', 'cli-cp', 'fleet', 'short-lived', 'web']);
    assert.equal(pages, 4);
    const tooMany = await awsError(ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 11 })));
    assert.equal(tooMany.name, 'InvalidParameterException');
  });
});
