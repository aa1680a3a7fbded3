import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand, DescribeServicesCommand,
  ListServiceDeploymentsCommand, RegisterTaskDefinitionCommand, StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { waitFor } from '../support/tasks.js';

async function register(ecs: ECSClient, family: string): Promise<string> {
  const r = await ecs.send(new RegisterTaskDefinitionCommand({
    family, requiresCompatibilities: ['EC2'], containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, essential: true }],
  }));
  return r.taskDefinition!.taskDefinitionArn!;
}

describe('ECS service deployments and revisions through @aws-sdk/client-ecs (no agents)', () => {
  let berth: BerthProcess;
  let td1: string;
  let td2: string;
  before(async () => {
    berth = await startBerth();
    const ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: 'hist' }));
    td1 = await register(ecs, 'hist-a');
    td2 = await register(ecs, 'hist-b');
  });
  after(async () => { await berth.stop(); });

  it('records one IN_PROGRESS deployment at CreateService, and stops it when UpdateService supersedes it', async () => {
    const ecs = berth.ecs();
    const { service } = await ecs.send(new CreateServiceCommand({ cluster: 'hist', serviceName: 'web', taskDefinition: td1, desiredCount: 2, launchType: 'EC2' }));
    const list1 = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'web' }));
    assert.equal(list1.serviceDeployments?.length, 1);
    const first = list1.serviceDeployments![0]!;
    const account = berth.creds.accountId;
    assert.match(first.serviceDeploymentArn!, new RegExp(`^arn:aws:ecs:us-east-1:${account}:service-deployment/hist/web/\\d+$`));
    assert.match(first.targetServiceRevisionArn!, new RegExp(`^arn:aws:ecs:us-east-1:${account}:service-revision/hist/web/\\d+$`));
    assert.equal(first.status, 'IN_PROGRESS');
    assert.equal(first.serviceArn, service!.serviceArn);
    assert.ok(first.createdAt instanceof Date);

    const d1 = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [first.serviceDeploymentArn!] }));
    const sd = d1.serviceDeployments![0]!;
    assert.equal(sd.targetServiceRevision?.arn, first.targetServiceRevisionArn);
    assert.equal(sd.targetServiceRevision?.requestedTaskCount, 2);
    assert.deepEqual(sd.sourceServiceRevisions, []);
    assert.equal(sd.deploymentCircuitBreaker?.status, 'DISABLED');
    assert.equal(sd.deploymentConfiguration?.maximumPercent, 200);

    await ecs.send(new UpdateServiceCommand({ cluster: 'hist', service: 'web', taskDefinition: td2 }));
    const list2 = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: service!.serviceArn }));
    assert.equal(list2.serviceDeployments?.length, 2);
    const [newest, oldest] = list2.serviceDeployments!;
    assert.equal(oldest!.serviceDeploymentArn, first.serviceDeploymentArn);
    assert.equal(newest!.status, 'IN_PROGRESS');
    assert.equal(oldest!.status, 'STOPPED');
    assert.ok(oldest!.finishedAt instanceof Date);

    const revs = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [oldest!.targetServiceRevisionArn!, newest!.targetServiceRevisionArn!] }));
    assert.deepEqual(revs.serviceRevisions?.map((r) => r.taskDefinition), [td1, td2]);
    assert.equal(revs.serviceRevisions?.[0]?.launchType, 'EC2');
    assert.deepEqual(revs.failures, []);
    const d2 = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest!.serviceDeploymentArn!] }));
    assert.deepEqual(d2.serviceDeployments![0]!.sourceServiceRevisions?.map((r) => r.arn), [oldest!.targetServiceRevisionArn]);

    const onlyStopped = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'web', status: ['STOPPED'] }));
    assert.deepEqual(onlyStopped.serviceDeployments?.map((x) => x.serviceDeploymentArn), [first.serviceDeploymentArn]);
    const none = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'web', createdAt: { before: new Date(Date.now() - 3_600_000) } }));
    assert.deepEqual(none.serviceDeployments, []);
    const page = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'web', maxResults: 1 }));
    assert.equal(page.serviceDeployments?.[0]?.serviceDeploymentArn, newest!.serviceDeploymentArn);
    const page2 = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'web', maxResults: 1, nextToken: page.nextToken! }));
    assert.equal(page2.serviceDeployments?.[0]?.serviceDeploymentArn, first.serviceDeploymentArn);
    assert.equal(page2.nextToken, undefined);
  });

  it('reports unknown ARNs as MISSING failures', async () => {
    const ecs = berth.ecs();
    const a = `arn:aws:ecs:us-east-1:${berth.creds.accountId}:service-deployment/hist/web/123`;
    const r = `arn:aws:ecs:us-east-1:${berth.creds.accountId}:service-revision/hist/web/123`;
    const d = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [a] }));
    assert.deepEqual(d.serviceDeployments, []);
    assert.deepEqual(d.failures, [{ arn: a, reason: 'MISSING' }]);
    const v = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [r] }));
    assert.deepEqual(v.serviceRevisions, []);
    assert.deepEqual(v.failures, [{ arn: r, reason: 'MISSING' }]);
    const e = await awsError(ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'nope' })));
    assert.equal(e.name, 'ServiceNotFoundException');
  });

  it('StopServiceDeployment rolls an in-progress deployment back to the last successful one and refuses finished ones', async () => {
    const ecs = berth.ecs();
    // desiredCount 0 completes without any instance.
    await ecs.send(new CreateServiceCommand({ cluster: 'hist', serviceName: 'api', taskDefinition: td1, desiredCount: 0, launchType: 'EC2' }));
    const done = await waitFor('the first deployment to succeed', async () => {
      const l = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'api', status: ['SUCCESSFUL'] }));
      return l.serviceDeployments?.[0];
    });
    const refused = await awsError(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: done.serviceDeploymentArn!, stopType: 'ROLLBACK' })));
    assert.equal(refused.name, 'ConflictException');

    await ecs.send(new UpdateServiceCommand({ cluster: 'hist', service: 'api', taskDefinition: td2, desiredCount: 1 }));
    const l = await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'hist', service: 'api', status: ['IN_PROGRESS'] }));
    const current = l.serviceDeployments![0]!;
    const r = await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: current.serviceDeploymentArn!, stopType: 'ROLLBACK' }));
    assert.equal(r.serviceDeploymentArn, current.serviceDeploymentArn);
    const d = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [current.serviceDeploymentArn!] }));
    const sd = d.serviceDeployments![0]!;
    assert.equal(sd.status, 'ROLLBACK_IN_PROGRESS');
    assert.equal(sd.rollback?.serviceRevisionArn, done.targetServiceRevisionArn);
    assert.ok(sd.rollback?.startedAt instanceof Date);
    const svc = await ecs.send(new DescribeServicesCommand({ cluster: 'hist', services: ['api'] }));
    assert.equal(svc.services?.[0]?.taskDefinition, td1);
    // Asking again while it rolls back is accepted.
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: current.serviceDeploymentArn! }));

    const unknown = await awsError(ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${current.serviceDeploymentArn!}9` })));
    assert.equal(unknown.name, 'ServiceDeploymentNotFoundException');
  });
});
