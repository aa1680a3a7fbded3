import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteTaskDefinitionsCommand, DeregisterTaskDefinitionCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand, paginateListTaskDefinitions, type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

const fargateWeb = (family: string): RegisterTaskDefinitionCommandInput => ({
  family,
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'busybox:latest', portMappings: [{ containerPort: 8080 }], command: ['httpd', '-f'] }],
});

describe('ECS task definitions through @aws-sdk/client-ecs', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  it('registers revisions with ARNs, status, registeredAt and container defaults', async () => {
    const ecs = berth.ecs();
    const before = Date.now();
    const r1 = await ecs.send(new RegisterTaskDefinitionCommand({ ...fargateWeb('web'), tags: [{ key: 'app', value: 'web' }] }));
    const r2 = await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('web')));
    const td = r1.taskDefinition!;
    assert.equal(td.taskDefinitionArn, `arn:aws:ecs:us-east-1:${berth.creds.accountId}:task-definition/web:1`);
    assert.equal(r2.taskDefinition?.revision, 2);
    assert.equal(td.status, 'ACTIVE');
    assert.equal(td.family, 'web');
    assert.ok(td.registeredAt instanceof Date && td.registeredAt.getTime() >= before - 1000);
    assert.equal(td.registeredBy, `arn:aws:iam::${berth.creds.accountId}:root`);
    assert.ok(td.compatibilities?.includes('FARGATE'));
    const c = td.containerDefinitions![0]!;
    assert.equal(c.essential, true);
    assert.equal(c.cpu, 0);
    assert.deepEqual(c.portMappings, [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }]);
    assert.deepEqual(r1.tags, [{ key: 'app', value: 'web' }]);
  });

  it('returns every field it was given', async () => {
    const input: RegisterTaskDefinitionCommandInput = {
      family: 'full',
      taskRoleArn: 'arn:aws:iam::123456789012:role/task',
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      networkMode: 'bridge',
      pidMode: 'task',
      ipcMode: 'none',
      volumes: [{ name: 'data', host: { sourcePath: '/tmp/data' } }, { name: 'scratch', dockerVolumeConfiguration: { scope: 'task', driver: 'local' } }],
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t2.*' }],
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      containerDefinitions: [{
        name: 'app', image: 'busybox', memory: 128, memoryReservation: 64, cpu: 128, essential: true,
        entryPoint: ['sh', '-c'], command: ['echo hi'], workingDirectory: '/tmp', user: 'nobody',
        environment: [{ name: 'A', value: '1' }], environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::bucket/env' }],
        secrets: [{ name: 'S', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' }],
        mountPoints: [{ sourceVolume: 'data', containerPath: '/data', readOnly: true }],
        portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp', name: 'http', appProtocol: 'http' }],
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 3, startPeriod: 1 },
        ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
        dockerLabels: { a: 'b' }, readonlyRootFilesystem: true, stopTimeout: 5,
        linuxParameters: { initProcessEnabled: true, capabilities: { add: ['NET_ADMIN'] } },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'p' } },
      }, {
        name: 'side', image: 'busybox', memory: 64, essential: false,
        dependsOn: [{ containerName: 'app', condition: 'HEALTHY' }], volumesFrom: [{ sourceContainer: 'app', readOnly: true }],
      }],
    };
    const { taskDefinition: td } = await berth.ecs().send(new RegisterTaskDefinitionCommand(input));
    assert.equal(td?.taskRoleArn, input.taskRoleArn);
    assert.equal(td?.executionRoleArn, input.executionRoleArn);
    assert.equal(td?.pidMode, 'task');
    assert.deepEqual(td?.placementConstraints, input.placementConstraints);
    assert.deepEqual(td?.runtimePlatform, input.runtimePlatform);
    const app = td!.containerDefinitions![0]!;
    for (const k of ['entryPoint', 'command', 'workingDirectory', 'user', 'environment', 'environmentFiles', 'secrets', 'mountPoints', 'healthCheck', 'ulimits', 'dockerLabels', 'readonlyRootFilesystem', 'stopTimeout', 'logConfiguration', 'memory', 'memoryReservation'] as const) {
      assert.deepEqual(app[k], input.containerDefinitions![0]![k], k);
    }
    assert.deepEqual(td!.containerDefinitions![1]!.dependsOn, [{ containerName: 'app', condition: 'HEALTHY' }]);
    assert.ok(td?.requiresAttributes?.some((a) => a.name === 'com.amazonaws.ecs.capability.logging-driver.awslogs'));
  });

  it('rejects the mistakes users make, with ECS error classes', async () => {
    const ecs = berth.ecs();
    const cases: [string, RegisterTaskDefinitionCommandInput, string][] = [
      ['Fargate with a CPU/memory pair outside the table', { ...fargateWeb('bad'), cpu: '256', memory: '4096' }, 'ClientException'],
      ['Fargate without awsvpc', { ...fargateWeb('bad'), networkMode: 'bridge' }, 'ClientException'],
      ['memory not above memoryReservation', { family: 'bad', containerDefinitions: [{ name: 'a', image: 'i', memory: 64, memoryReservation: 128 }] }, 'ClientException'],
      ['duplicate container names', { family: 'bad', containerDefinitions: [{ name: 'a', image: 'i', memory: 64 }, { name: 'a', image: 'i', memory: 64 }] }, 'ClientException'],
      ['no essential container', { family: 'bad', containerDefinitions: [{ name: 'a', image: 'i', memory: 64, essential: false }] }, 'ClientException'],
      ['dependsOn an unknown container', { family: 'bad', containerDefinitions: [{ name: 'a', image: 'i', memory: 64, dependsOn: [{ containerName: 'ghost', condition: 'START' }] }] }, 'ClientException'],
      ['awsvpc hostPort different from containerPort', { family: 'bad', networkMode: 'awsvpc', containerDefinitions: [{ name: 'a', image: 'i', memory: 64, portMappings: [{ containerPort: 80, hostPort: 81 }] }] }, 'ClientException'],
    ];
    for (const [why, input, code] of cases) {
      const e = await awsError(ecs.send(new RegisterTaskDefinitionCommand(input)));
      assert.ok([code, 'InvalidParameterException'].includes(e.name), `${why}: got ${e.name}: ${e.message}`);
      assert.equal(e.status, 400, why);
    }
    const list = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'bad' }));
    assert.deepEqual(list.families, [], 'a rejected registration stores nothing');
  });

  it('describes by family, family:revision and ARN, with tags on request', async () => {
    const ecs = berth.ecs();
    await ecs.send(new RegisterTaskDefinitionCommand({ ...fargateWeb('desc'), tags: [{ key: 't', value: '1' }] }));
    const r2 = await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('desc')));
    assert.equal((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'desc' }))).taskDefinition?.revision, 2);
    assert.equal((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'desc:1' }))).taskDefinition?.revision, 1);
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: r2.taskDefinition!.taskDefinitionArn!, include: ['TAGS'] }));
    assert.equal(byArn.taskDefinition?.revision, 2);
    assert.deepEqual(byArn.tags, []);
    const withTags = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'desc:1', include: ['TAGS'] }));
    assert.deepEqual(withTags.tags, [{ key: 't', value: '1' }]);
    const missing = await awsError(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'desc:9' })));
    assert.equal(missing.name, 'ClientException');
  });

  it('deregisters to INACTIVE, falls back to the latest ACTIVE revision, and never reuses a revision number', async () => {
    const ecs = berth.ecs();
    await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('dereg')));
    await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('dereg')));
    const d = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'dereg:2' }));
    assert.equal(d.taskDefinition?.status, 'INACTIVE');
    assert.ok(d.taskDefinition?.deregisteredAt instanceof Date);
    assert.equal((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'dereg' }))).taskDefinition?.revision, 1);
    assert.equal((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'dereg:2' }))).taskDefinition?.status, 'INACTIVE');
    const r3 = await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('dereg')));
    assert.equal(r3.taskDefinition?.revision, 3);
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'dereg', status: 'INACTIVE' }));
    assert.deepEqual(inactive.taskDefinitionArns?.map((a) => a.split('/')[1]), ['dereg:2']);
  });

  it('deletes only INACTIVE revisions: DELETE_IN_PROGRESS, with failures for the rest', async () => {
    const ecs = berth.ecs();
    await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('del')));
    await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('del')));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'del:1' }));
    const r = await ecs.send(new DeleteTaskDefinitionsCommand({ taskDefinitions: ['del:1', 'del:2', 'del:7'] }));
    assert.deepEqual(r.taskDefinitions?.map((t) => [t.revision, t.status]), [[1, 'DELETE_IN_PROGRESS']]);
    assert.ok(r.taskDefinitions?.[0]?.deleteRequestedAt instanceof Date);
    assert.equal(r.failures?.length, 2);
    const dip = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'del', status: 'DELETE_IN_PROGRESS' }));
    assert.equal(dip.taskDefinitionArns?.length, 1);
  });

  it('lists by family and status, sorts both ways, and paginates', async () => {
    const ecs = berth.ecs();
    for (let i = 0; i < 5; i++) await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('listme')));
    await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('listme-too')));
    const asc = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'listme' }));
    assert.deepEqual(asc.taskDefinitionArns?.map((a) => a.split('/')[1]), ['listme:1', 'listme:2', 'listme:3', 'listme:4', 'listme:5']);
    const desc = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'listme', sort: 'DESC' }));
    assert.deepEqual(desc.taskDefinitionArns, [...asc.taskDefinitionArns!].reverse());
    const pages: string[] = [];
    for await (const p of paginateListTaskDefinitions({ client: ecs, pageSize: 2 }, { familyPrefix: 'listme', sort: 'DESC' })) {
      assert.ok((p.taskDefinitionArns?.length ?? 0) <= 2);
      pages.push(...(p.taskDefinitionArns ?? []));
    }
    assert.deepEqual(pages, desc.taskDefinitionArns);
    const fams = await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'listme' }));
    assert.deepEqual(fams.families, ['listme', 'listme-too']);
    const all = await ecs.send(new ListTaskDefinitionsCommand({}));
    assert.ok(all.taskDefinitionArns!.length >= 6);
  });

  it('reports a family INACTIVE once every revision is deregistered', async () => {
    const ecs = berth.ecs();
    await ecs.send(new RegisterTaskDefinitionCommand(fargateWeb('gone')));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'gone:1' }));
    assert.deepEqual((await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'gone' }))).families, []);
    assert.deepEqual((await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'gone', status: 'INACTIVE' }))).families, ['gone']);
    assert.deepEqual((await ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'gone', status: 'ALL' }))).families, ['gone']);
  });
});
