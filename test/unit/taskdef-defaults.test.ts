import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { buildTaskDefinition, type RegistrationContext } from '../../src/ecs/taskdef/register.js';

// The TaskDefinition RegisterTaskDefinition/DescribeTaskDefinition return: ECS's defaults and
// derived fields, and every field the caller gave.

const ctx: RegistrationContext = {
  accountId: '123456789012', region: 'us-west-2', revision: 1,
  registeredAt: new Date('2024-05-01T12:00:00Z'), registeredBy: 'arn:aws:iam::123456789012:root',
};

describe('defaults and derived fields', () => {
  it('the AWS CLI sleep360 example comes back as ECS shows it', () => {
    // aws ecs register-task-definition example 1: no network mode, no requiresCompatibilities.
    const td = buildTaskDefinition({
      family: 'sleep360',
      containerDefinitions: [{ name: 'sleep', image: 'busybox', cpu: 10, command: ['sleep', '360'], memory: 10, essential: true }],
    }, ctx);
    assert.deepEqual(td, {
      taskDefinitionArn: 'arn:aws:ecs:us-west-2:123456789012:task-definition/sleep360:1',
      containerDefinitions: [{
        name: 'sleep', image: 'busybox', cpu: 10, memory: 10, portMappings: [], essential: true,
        command: ['sleep', '360'], environment: [], mountPoints: [], volumesFrom: [], systemControls: [],
      }],
      family: 'sleep360',
      revision: 1,
      volumes: [],
      status: 'ACTIVE',
      placementConstraints: [],
      compatibilities: ['EXTERNAL', 'EC2'],
      registeredAt: new Date('2024-05-01T12:00:00Z'),
      registeredBy: 'arn:aws:iam::123456789012:root',
      enableFaultInjection: false,
    });
    // Describe omits what was not given and what ECS does not derive.
    for (const absent of ['networkMode', 'requiresCompatibilities', 'cpu', 'memory', 'requiresAttributes', 'tags'] as const) {
      assert.equal(absent in td, false, `${absent} should be absent`);
    }
  });

  it('container defaults: cpu 0, essential true, empty lists', () => {
    const [c] = buildTaskDefinition({ family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] }, ctx).containerDefinitions!;
    assert.equal(c!.cpu, 0);
    assert.equal(c!.essential, true);
    assert.deepEqual([c!.portMappings, c!.environment, c!.mountPoints, c!.volumesFrom, c!.systemControls], [[], [], [], [], []]);
  });

  const mapping = (networkMode: RegisterTaskDefinitionRequest['networkMode'], pm: object) =>
    buildTaskDefinition({ family: 'f', networkMode, containerDefinitions: [{ name: 'a', image: 'x', memory: 64, portMappings: [pm] }] }, ctx)
      .containerDefinitions![0]!.portMappings![0];

  const rows: Array<{ rule: string; mode: RegisterTaskDefinitionRequest['networkMode']; given: object; stored: object }> = [
    { rule: 'awsvpc: hostPort omitted becomes the container port, protocol tcp', mode: 'awsvpc', given: { containerPort: 8501 }, stored: { containerPort: 8501, hostPort: 8501, protocol: 'tcp' } },
    { rule: 'awsvpc: hostPort 0 becomes the container port', mode: 'awsvpc', given: { containerPort: 80, hostPort: 0 }, stored: { containerPort: 80, hostPort: 80, protocol: 'tcp' } },
    { rule: 'host: hostPort omitted becomes the container port', mode: 'host', given: { containerPort: 80, protocol: 'udp' }, stored: { containerPort: 80, hostPort: 80, protocol: 'udp' } },
    { rule: 'bridge: hostPort omitted is dynamic (0)', mode: 'bridge', given: { containerPort: 80 }, stored: { containerPort: 80, hostPort: 0, protocol: 'tcp' } },
    { rule: 'default mode is bridge', mode: undefined, given: { containerPort: 80 }, stored: { containerPort: 80, hostPort: 0, protocol: 'tcp' } },
    { rule: 'bridge: a static hostPort is kept', mode: 'bridge', given: { containerPort: 80, hostPort: 8080 }, stored: { containerPort: 80, hostPort: 8080, protocol: 'tcp' } },
    { rule: 'port range keeps no hostPort', mode: 'awsvpc', given: { containerPortRange: '8000-8010' }, stored: { containerPortRange: '8000-8010', protocol: 'tcp' } },
    { rule: 'name and appProtocol are kept', mode: 'awsvpc', given: { containerPort: 80, name: 'web-80-tcp', appProtocol: 'http' }, stored: { containerPort: 80, hostPort: 80, protocol: 'tcp', name: 'web-80-tcp', appProtocol: 'http' } },
  ];
  for (const row of rows) {
    it(row.rule, () => assert.deepEqual(mapping(row.mode, row.given), row.stored));
  }

  it('keeps every field the input gave', () => {
    const input: RegisterTaskDefinitionRequest = {
      family: 'full', taskRoleArn: 'arn:aws:iam::123456789012:role/task', executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      networkMode: 'awsvpc', requiresCompatibilities: ['EC2'], cpu: '1024', memory: '2048', pidMode: 'task',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' }, ephemeralStorage: { sizeInGiB: 30 },
      proxyConfiguration: { type: 'APPMESH', containerName: 'envoy', properties: [{ name: 'AppPorts', value: '8080' }] },
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }],
      volumes: [{ name: 'efs', efsVolumeConfiguration: { fileSystemId: 'fs-1', transitEncryption: 'ENABLED' } }],
      enableFaultInjection: true,
      containerDefinitions: [
        {
          name: 'app', image: 'app:1', cpu: 512, memory: 1024, memoryReservation: 512, essential: true,
          entryPoint: ['/bin/sh'], command: ['-c', 'run'], environment: [{ name: 'A', value: 'b' }],
          environmentFiles: [{ type: 's3', value: 'arn:aws:s3:::b/app.env' }], mountPoints: [{ sourceVolume: 'efs', containerPath: '/mnt' }],
          linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['NET_RAW'] } }, secrets: [{ name: 'S', valueFrom: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:s' }],
          dependsOn: [{ containerName: 'envoy', condition: 'HEALTHY' }], startTimeout: 30, stopTimeout: 30, versionConsistency: 'disabled',
          user: '1000', workingDirectory: '/app', readonlyRootFilesystem: true, interactive: false, pseudoTerminal: false,
          dockerLabels: { team: 'a' }, ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'us-west-2' } },
          healthCheck: { command: ['CMD', 'true'], interval: 10 }, systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
          restartPolicy: { enabled: true, ignoredExitCodes: [0] }, repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:r' },
        },
        { name: 'envoy', image: 'envoy:1', memory: 256, essential: true, healthCheck: { command: ['CMD', 'true'] } },
      ],
    };
    const td = buildTaskDefinition(input, ctx);
    const { containerDefinitions: givenContainers, ...givenTask } = input;
    for (const [key, value] of Object.entries(givenTask)) assert.deepEqual(td[key as keyof typeof td], value, key);
    givenContainers!.forEach((given, i) => {
      for (const [key, value] of Object.entries(given)) assert.deepEqual(td.containerDefinitions![i]![key as keyof typeof given], value, `${given.name}.${key}`);
    });
  });

  it('drops null members the way ECS ignores them, and leaves the input untouched', () => {
    const input = {
      family: 'f', networkMode: null, ipcMode: null,
      containerDefinitions: [{ name: 'a', image: 'x', memory: 64, hostname: null, links: null, portMappings: [{ containerPort: 80, hostPort: null }] }],
    } as unknown as RegisterTaskDefinitionRequest;
    const before = structuredClone(input);
    const td = buildTaskDefinition(input, ctx);
    assert.deepEqual(input, before);
    assert.equal('networkMode' in td, false);
    assert.equal('hostname' in td.containerDefinitions![0]!, false);
    assert.deepEqual(td.containerDefinitions![0]!.portMappings, [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }]);
  });

  it('leaves tags out (the API returns them beside the definition)', () => {
    const td = buildTaskDefinition({ family: 'f', tags: [{ key: 'k', value: 'v' }], containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] }, ctx);
    assert.equal('tags' in td, false);
  });

  it('stamps ARN, revision, status, registeredAt and registeredBy from the context', () => {
    const td = buildTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] }, { ...ctx, revision: 42 });
    assert.equal(td.taskDefinitionArn, 'arn:aws:ecs:us-west-2:123456789012:task-definition/web:42');
    assert.equal(td.revision, 42);
    assert.equal(td.status, 'ACTIVE');
    assert.deepEqual(td.registeredAt, ctx.registeredAt);
    assert.notEqual(td.registeredAt, ctx.registeredAt, 'a copy, not the caller\'s Date');
    assert.equal(td.registeredBy, ctx.registeredBy);
  });
});
