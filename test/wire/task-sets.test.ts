import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateServiceCommand, CreateTaskSetCommand, DeleteServiceCommand, DeleteTaskSetCommand, DescribeServicesCommand,
  DescribeTaskSetsCommand, ListTagsForResourceCommand, RegisterTaskDefinitionCommand, TagResourceCommand, UntagResourceCommand, UpdateServiceCommand, UpdateServicePrimaryTaskSetCommand, UpdateTaskSetCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { waitFor } from '../support/tasks.js';

const CLUSTER = 'ts';

describe('ECS task sets and the EXTERNAL deployment controller through @aws-sdk/client-ecs and the aws CLI (no agents)', () => {
  let berth: BerthProcess;
  let ecs: ECSClient;
  let td1: string;
  let td2: string;
  before(async () => {
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    for (const family of ['ts-a', 'ts-b']) {
      await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, portMappings: [{ containerPort: 80 }] }] }));
    }
    td1 = `arn:aws:ecs:us-east-1:${berth.creds.accountId}:task-definition/ts-a:1`;
    td2 = `arn:aws:ecs:us-east-1:${berth.creds.accountId}:task-definition/ts-b:1`;
  });
  after(async () => { await berth.stop(); });

  const external = async (name: string, desiredCount = 4): Promise<void> => {
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, desiredCount, deploymentController: { type: 'EXTERNAL' } }));
  };

  it('CreateService with EXTERNAL needs no task definition and shows task sets instead of deployments', async () => {
    const { service } = await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'ext', desiredCount: 4, deploymentController: { type: 'EXTERNAL' } }));
    assert.equal(service!.status, 'ACTIVE');
    assert.deepEqual(service!.deploymentController, { type: 'EXTERNAL' });
    assert.equal(service!.deployments, undefined);
    assert.equal(service!.taskDefinition, undefined);
    assert.deepEqual(service!.taskSets, []);
    const cd = await awsError(ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'cd', taskDefinition: td1, deploymentController: { type: 'CODE_DEPLOY' } })));
    assert.equal(cd.name, 'NotImplementedException');
    assert.match(cd.message, /CODE_DEPLOY.*no CodeDeploy/);
  });

  it('CreateTaskSet answers ECS\'s TaskSet shape; UpdateTaskSet, UpdateServicePrimaryTaskSet and DescribeServices follow', async () => {
    const account = berth.creds.accountId;
    const { taskSet } = await ecs.send(new CreateTaskSetCommand({
      cluster: CLUSTER, service: 'ext', taskDefinition: 'ts-a', externalId: 'blue', scale: { value: 50, unit: 'PERCENT' }, tags: [{ key: 'color', value: 'blue' }],
    }));
    assert.match(taskSet!.id!, /^ecs-svc\/\d{19}$/);
    assert.equal(taskSet!.taskSetArn, `arn:aws:ecs:us-east-1:${account}:task-set/${CLUSTER}/ext/${taskSet!.id}`);
    assert.equal(taskSet!.serviceArn, `arn:aws:ecs:us-east-1:${account}:service/${CLUSTER}/ext`);
    assert.equal(taskSet!.clusterArn, `arn:aws:ecs:us-east-1:${account}:cluster/${CLUSTER}`);
    assert.deepEqual(
      [taskSet!.status, taskSet!.taskDefinition, taskSet!.computedDesiredCount, taskSet!.runningCount, taskSet!.pendingCount, taskSet!.externalId, taskSet!.launchType],
      ['ACTIVE', td1, 2, 0, 0, 'blue', 'EC2'],
    );
    assert.deepEqual(taskSet!.scale, { value: 50, unit: 'PERCENT' });
    assert.equal(taskSet!.stabilityStatus, 'STABILIZING');
    assert.ok(taskSet!.createdAt instanceof Date && taskSet!.stabilityStatusAt instanceof Date);
    assert.deepEqual([taskSet!.loadBalancers, taskSet!.serviceRegistries, taskSet!.startedBy], [[], [], undefined]);
    assert.deepEqual(taskSet!.tags, [{ key: 'color', value: 'blue' }]);

    // Without a scale ECS runs nothing: 0 %.
    const green = (await ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskDefinition: td2 }))).taskSet!;
    assert.deepEqual([green.scale, green.computedDesiredCount], [{ value: 0, unit: 'PERCENT' }, 0]);

    const updated = (await ecs.send(new UpdateTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskSet: green.taskSetArn, scale: { value: 25, unit: 'PERCENT' } }))).taskSet!;
    assert.deepEqual([updated.computedDesiredCount, updated.scale!.value], [1, 25]);

    const primary = (await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: CLUSTER, service: 'ext', primaryTaskSet: green.id }))).taskSet!;
    assert.equal(primary.status, 'PRIMARY');
    const s = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['ext'] }))).services![0]!;
    assert.equal(s.taskDefinition, td2, 'the primary set\'s task definition is the service\'s');
    assert.deepEqual(s.taskSets!.map((t) => [t.id, t.status]), [[taskSet!.id, 'ACTIVE'], [green.id, 'PRIMARY']]);
    assert.equal(s.deployments, undefined);

    // The desired count drives every set's computed desired count.
    const scaled = (await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'ext', desiredCount: 8 }))).service!;
    assert.deepEqual(scaled.taskSets!.map((t) => t.computedDesiredCount), [4, 2]);
  });

  it('DescribeTaskSets filters by id or ARN, includes tags on request, and reports the missing ones', async () => {
    const all = (await ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: 'ext' }))).taskSets!;
    assert.equal(all.length, 2);
    assert.equal(all[0]!.tags, undefined);
    const missing = 'ecs-svc/1234567890123456789';
    const r = await ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: 'ext', taskSets: [all[0]!.id!, all[1]!.taskSetArn!, missing], include: ['TAGS'] }));
    assert.deepEqual(r.taskSets!.map((t) => t.id), [all[0]!.id, all[1]!.id]);
    assert.deepEqual(r.taskSets![0]!.tags, [{ key: 'color', value: 'blue' }]);
    assert.deepEqual(r.taskSets![1]!.tags, []);
    assert.deepEqual(r.failures, [{ arn: `arn:aws:ecs:us-east-1:${berth.creds.accountId}:task-set/${CLUSTER}/ext/${missing}`, reason: 'MISSING' }]);
    const bad = await awsError(ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: 'ext', taskSets: [`arn:aws:ecs:us-east-1:${berth.creds.accountId}:task/${CLUSTER}/abc`] })));
    assert.deepEqual([bad.name, bad.message], ['InvalidParameterException', 'Task Set Identifier is invalid']);
  });

  it('TagResource, UntagResource and ListTagsForResource take service and task set ARNs', async () => {
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['ext'] }))).services![0]!;
    const set = svc.taskSets![1]!;
    for (const arn of [svc.serviceArn!, set.taskSetArn!]) {
      await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'team', value: 'web' }, { key: 'tier', value: 'front' }] }));
      await ecs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['tier'] }));
      const { tags } = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
      assert.ok(tags!.some((t) => t.key === 'team' && t.value === 'web') && !tags!.some((t) => t.key === 'tier'), `${arn}: ${JSON.stringify(tags)}`);
    }
    const withTags = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['ext'], include: ['TAGS'] }))).services![0]!;
    assert.ok(withTags.tags!.some((t) => t.key === 'team'));
    const gone = await awsError(ecs.send(new ListTagsForResourceCommand({ resourceArn: `${svc.serviceArn!.replace('/ext', '/nope')}` })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const noSet = await awsError(ecs.send(new TagResourceCommand({ resourceArn: set.taskSetArn!.replace(/\d+$/, '1234567890123456789'), tags: [{ key: 'a', value: 'b' }] })));
    assert.equal(noSet.name, 'ResourceNotFoundException');
  });

  it('DeleteTaskSet: the PRIMARY or a scaled set needs force; the set drains, then is gone', async () => {
    const [blue, green] = (await ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: 'ext' }))).taskSets!;
    const p = await awsError(ecs.send(new DeleteTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskSet: green!.id })));
    assert.equal(p.name, 'InvalidParameterException');
    assert.match(p.message, /primary task set/);
    const scaled = await awsError(ecs.send(new DeleteTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskSet: blue!.id })));
    assert.equal(scaled.name, 'InvalidParameterException');
    assert.match(scaled.message, /scaled above 0/);
    await ecs.send(new UpdateTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskSet: blue!.id, scale: { value: 0, unit: 'PERCENT' } }));
    const deleted = (await ecs.send(new DeleteTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskSet: blue!.taskSetArn }))).taskSet!;
    assert.deepEqual([deleted.status, deleted.computedDesiredCount], ['DRAINING', 0]);
    await waitFor('the drained set to disappear', async () => {
      const r = await ecs.send(new DescribeTaskSetsCommand({ cluster: CLUSTER, service: 'ext', taskSets: [blue!.id!] }));
      return r.failures?.length === 1 ? r : undefined;
    });
    const forced = (await ecs.send(new DeleteTaskSetCommand({ cluster: CLUSTER, service: 'ext', taskSet: green!.id, force: true }))).taskSet!;
    assert.equal(forced.status, 'DRAINING');
  });

  it('answers ECS\'s errors', async () => {
    await external('errs', 1);
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'plain', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'rolling', taskDefinition: 'plain', desiredCount: 0 }));
    // Each call is made when its case is checked: a rejection left waiting would count as unhandled.
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      ['a service of the ECS controller', () => ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'rolling', taskDefinition: 'ts-a' })), 'InvalidParameterException', /^Amazon ECS only supports task set management on services configured to use external deployment controllers\.$/],
      ['an unknown service', () => ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'nope', taskDefinition: 'ts-a' })), 'ServiceNotFoundException', /^Service not found\.$/],
      ['an unknown cluster', () => ecs.send(new DescribeTaskSetsCommand({ cluster: 'nope', service: 'errs' })), 'ClusterNotFoundException', /^Cluster not found\.$/],
      ['an unknown task set', () => ecs.send(new UpdateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskSet: 'ecs-svc/1111111111111111111', scale: { value: 1, unit: 'PERCENT' } })), 'TaskSetNotFoundException', /task set/],
      ['an unknown task definition', () => ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'nope' })), 'InvalidParameterException', /^TaskDefinition not found\.$/],
      ['a scale above 100', () => ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-a', scale: { value: 150, unit: 'PERCENT' } })), 'InvalidParameterException', /between 0 and 100/],
      ['a new task definition through UpdateService', () => ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-b' })), 'InvalidParameterException', /^Unable to update task definition on services with a EXTERNAL deployment controller\./],
      ['a new network through UpdateService', () => ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'errs', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } })), 'InvalidParameterException', /^Unable to update network parameters on services with a EXTERNAL/],
    ];
    for (const [what, p, code, message] of cases) {
      const e = await awsError(p());
      assert.equal(e.name, code, what);
      assert.match(e.message, message, what);
    }
    // What ECS lets UpdateService change on an EXTERNAL service.
    const ok = (await ecs.send(new UpdateServiceCommand({
      cluster: CLUSTER, service: 'errs', desiredCount: 2, healthCheckGracePeriodSeconds: 30, enableExecuteCommand: true, propagateTags: 'SERVICE',
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 150 },
    }))).service!;
    assert.deepEqual([ok.desiredCount, ok.healthCheckGracePeriodSeconds, ok.enableExecuteCommand, ok.propagateTags, ok.deploymentConfiguration!.maximumPercent], [2, 30, true, 'SERVICE', 150]);
    assert.equal(ok.deployments, undefined);

    // At most five task sets per service; a retried request (same clientToken) creates none.
    const first = (await ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-a', clientToken: 'tok-1' }))).taskSet!;
    const again = (await ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-a', clientToken: 'tok-1' }))).taskSet!;
    assert.equal(again.id, first.id);
    for (let i = 0; i < 4; i++) await ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-a' }));
    const six = await awsError(ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-a' })));
    assert.deepEqual([six.name, six.message], ['InvalidParameterException', '5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.']);

    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'errs', force: true }));
    const notActive = await awsError(ecs.send(new CreateTaskSetCommand({ cluster: CLUSTER, service: 'errs', taskDefinition: 'ts-a' })));
    assert.ok(['ServiceNotActiveException', 'ServiceNotFoundException'].includes(notActive.name), notActive.name);
  });

  it('aws ecs create-task-set, update-service-primary-task-set, describe-task-sets (aws CLI), and the sets survive a restart', async () => {
    await external('cli', 2);
    const created = berth.aws(['ecs', 'create-task-set', '--cluster', CLUSTER, '--service', 'cli', '--task-definition', 'ts-a', '--external-id', 'v1', '--scale', 'value=100,unit=PERCENT', '--launch-type', 'EC2']);
    assert.equal(created.status, 0, created.stderr);
    const ts = created.json.taskSet;
    assert.match(ts.id, /^ecs-svc\/\d{19}$/);
    assert.deepEqual([ts.status, ts.computedDesiredCount, ts.scale], ['ACTIVE', 2, { value: 100, unit: 'PERCENT' }]);
    const primary = berth.aws(['ecs', 'update-service-primary-task-set', '--cluster', CLUSTER, '--service', 'cli', '--primary-task-set', ts.taskSetArn]);
    assert.equal(primary.status, 0, primary.stderr);
    assert.equal(primary.json.taskSet.status, 'PRIMARY');
    const refused = berth.aws(['ecs', 'delete-task-set', '--cluster', CLUSTER, '--service', 'cli', '--task-set', ts.id]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /InvalidParameterException/);

    await berth.kill('SIGKILL');
    await berth.start(true);
    const described = berth.aws(['ecs', 'describe-task-sets', '--cluster', CLUSTER, '--service', 'cli', '--task-sets', ts.id]);
    assert.equal(described.status, 0, described.stderr);
    assert.deepEqual(described.json.taskSets.map((t: { id: string; status: string; externalId: string }) => [t.id, t.status, t.externalId]), [[ts.id, 'PRIMARY', 'v1']]);
    assert.deepEqual(described.json.failures, []);
  });
});
