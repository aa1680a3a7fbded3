import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { buildTaskDefinition, type RegistrationContext } from '../../src/ecs/taskdef/register.js';

// requiresAttributes as ECS derives them. The first rows replay task definitions whose real
// DescribeTaskDefinition output is public, and expect exactly the attributes ECS listed (ECS's
// order is not stable, so they compare as sets).

const ctx: RegistrationContext = {
  accountId: '123456789012', region: 'us-east-1', revision: 1,
  registeredAt: new Date('2024-05-01T12:00:00Z'), registeredBy: 'arn:aws:iam::123456789012:root',
};
const attributes = (input: RegisterTaskDefinitionRequest): string[] =>
  (buildTaskDefinition(input, ctx).requiresAttributes ?? []).map((a) => a.name!).sort();
const sorted = (names: string[]): string[] => [...names].sort();

const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const exec = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const awslogs = (extra: Record<string, string> = {}): ContainerDefinition['logConfiguration'] =>
  ({ logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', ...extra } });

describe('requiresAttributes of published task definitions', () => {
  it('Fargate, ECR image, execution role, no logging (streamlit example)', () => {
    const input: RegisterTaskDefinitionRequest = {
      family: 'streamlit-example', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512',
      executionRoleArn: exec,
      containerDefinitions: [{ name: 'streamlit-example', image: `${ecr}/streamlit-example:1`, essential: true, portMappings: [{ containerPort: 8501 }] }],
    };
    assert.deepEqual(attributes(input), sorted([
      'com.amazonaws.ecs.capability.ecr-auth', 'ecs.capability.execution-role-ecr-pull',
      'com.amazonaws.ecs.capability.docker-remote-api.1.18', 'ecs.capability.task-eni',
    ]));
  });

  it('Fargate with awslogs and awslogs-create-group', () => {
    const input: RegisterTaskDefinitionRequest = {
      family: 'golangapp', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', executionRoleArn: exec,
      containerDefinitions: [{ name: 'goapp', image: `${ecr}/golangapp`, essential: true, portMappings: [{ containerPort: 8080, name: 'goapp-8080-tcp', appProtocol: 'http' }], ulimits: [], logConfiguration: awslogs({ 'awslogs-create-group': 'true' }) }],
    };
    assert.deepEqual(attributes(input), sorted([
      'com.amazonaws.ecs.capability.logging-driver.awslogs', 'ecs.capability.execution-role-awslogs', 'com.amazonaws.ecs.capability.ecr-auth',
      'com.amazonaws.ecs.capability.docker-remote-api.1.19', 'ecs.capability.execution-role-ecr-pull', 'com.amazonaws.ecs.capability.docker-remote-api.1.18',
      'ecs.capability.task-eni', 'com.amazonaws.ecs.capability.docker-remote-api.1.29',
    ]));
  });

  it('two containers with dependsOn HEALTHY, secrets, memoryReservation and health checks', () => {
    const health = { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 5, retries: 5, startPeriod: 10 };
    const input: RegisterTaskDefinitionRequest = {
      family: 'rails_on_docker', taskRoleArn: exec, executionRoleArn: exec, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '512', memory: '1024',
      containerDefinitions: [
        { name: 'nginx', image: `${ecr}/nginx:1`, cpu: 0, dependsOn: [{ containerName: 'app', condition: 'HEALTHY' }], volumesFrom: [{ sourceContainer: 'app', readOnly: true }], logConfiguration: awslogs(), portMappings: [{ protocol: 'tcp', containerPort: 80 }], healthCheck: health },
        { name: 'app', image: `${ecr}/app:1`, cpu: 0, memoryReservation: 500, healthCheck: health, secrets: [{ name: 'SECRET_KEY_BASE', valueFrom: 'rails_on_docker.app.secret_key_base' }], logConfiguration: awslogs() },
      ],
    };
    assert.deepEqual(attributes(input), sorted([
      'ecs.capability.execution-role-awslogs', 'com.amazonaws.ecs.capability.ecr-auth', 'com.amazonaws.ecs.capability.docker-remote-api.1.21',
      'com.amazonaws.ecs.capability.task-iam-role', 'ecs.capability.container-health-check', 'ecs.capability.execution-role-ecr-pull',
      'ecs.capability.secrets.ssm.environment-variables', 'com.amazonaws.ecs.capability.docker-remote-api.1.18', 'ecs.capability.task-eni',
      'com.amazonaws.ecs.capability.docker-remote-api.1.29', 'com.amazonaws.ecs.capability.logging-driver.awslogs',
      'com.amazonaws.ecs.capability.docker-remote-api.1.19', 'ecs.capability.container-ordering',
    ]));
  });

  it('EC2 awsvpc with task role and S3 environment files; compatibilities EC2 and Managed Instances', () => {
    const input: RegisterTaskDefinitionRequest = {
      family: 'renter-web', taskRoleArn: 'arn:aws:iam::123456789012:role/S3Role', executionRoleArn: exec, networkMode: 'awsvpc',
      requiresCompatibilities: ['EC2'], cpu: '512', memory: '717', runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [{
        name: 'server', image: `${ecr}/renter:738ef28`, cpu: 0, essential: true, portMappings: [{ containerPort: 8000, hostPort: 8000, protocol: 'tcp' }],
        environmentFiles: [{ value: 'arn:aws:s3:::renter-bucket-env/renter.env', type: 's3' }], logConfiguration: awslogs({ 'awslogs-create-group': 'true' }),
      }],
    };
    const td = buildTaskDefinition(input, ctx);
    assert.deepEqual(td.compatibilities, ['EC2', 'MANAGED_INSTANCES']);
    assert.deepEqual(attributes(input), sorted([
      'com.amazonaws.ecs.capability.logging-driver.awslogs', 'ecs.capability.execution-role-awslogs', 'com.amazonaws.ecs.capability.ecr-auth',
      'com.amazonaws.ecs.capability.docker-remote-api.1.19', 'ecs.capability.env-files.s3', 'com.amazonaws.ecs.capability.task-iam-role',
      'ecs.capability.execution-role-ecr-pull', 'com.amazonaws.ecs.capability.docker-remote-api.1.18', 'ecs.capability.task-eni',
      'com.amazonaws.ecs.capability.docker-remote-api.1.29',
    ]));
  });

  it('a plain bridge definition needs nothing, and Describe omits the field', () => {
    const td = buildTaskDefinition({ family: 'sleep360', containerDefinitions: [{ name: 'sleep', image: 'busybox', memory: 10 }] }, ctx);
    assert.equal('requiresAttributes' in td, false);
  });
});

describe('requiresAttributes by feature', () => {
  const base = (over: Partial<RegisterTaskDefinitionRequest> = {}, c: Partial<ContainerDefinition> = {}): RegisterTaskDefinitionRequest =>
    ({ family: 'f', containerDefinitions: [{ name: 'a', image: 'busybox', memory: 64, ...c }], ...over });
  const rows: Array<{ feature: string; input: RegisterTaskDefinitionRequest; includes: string[] }> = [
    { feature: 'pidMode/ipcMode need namespace sharing', input: base({ pidMode: 'task' }), includes: ['ecs.capability.pid-ipc-namespace-sharing'] },
    { feature: 'App Mesh proxy', input: base({ networkMode: 'awsvpc', proxyConfiguration: { type: 'APPMESH', containerName: 'a' } }), includes: ['ecs.capability.aws-appmesh', 'ecs.capability.task-eni'] },
    { feature: 'Secrets Manager secrets', input: base({ executionRoleArn: exec }, { secrets: [{ name: 'S', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' }] }), includes: ['ecs.capability.secrets.asm.environment-variables'] },
    { feature: 'secret log options', input: base({ executionRoleArn: exec }, { logConfiguration: { logDriver: 'splunk', secretOptions: [{ name: 'splunk-token', valueFrom: '/splunk/token' }] } }), includes: ['ecs.capability.secrets.ssm.bootstrap.log-driver', 'com.amazonaws.ecs.capability.logging-driver.splunk'] },
    { feature: 'EFS with IAM authorization', input: base({ volumes: [{ name: 'v', efsVolumeConfiguration: { fileSystemId: 'fs-1', authorizationConfig: { iam: 'ENABLED' } } }] }), includes: ['ecs.capability.efs', 'ecs.capability.efsAuth'] },
    { feature: 'Docker volume plugin', input: base({ volumes: [{ name: 'v', dockerVolumeConfiguration: { driver: 'rexray/ebs', scope: 'shared' } }] }), includes: ['ecs.capability.docker-plugin.rexray/ebs'] },
    { feature: 'FireLens with an S3 config file', input: base({}, { firelensConfiguration: { type: 'fluentbit', options: { 'config-file-type': 's3', 'config-file-value': 'arn:aws:s3:::b/f.conf' } } }), includes: ['ecs.capability.firelens.fluentbit', 'ecs.capability.firelens.options.config.s3'] },
    { feature: 'privileged container', input: base({}, { privileged: true }), includes: ['com.amazonaws.ecs.capability.privileged-container'] },
    { feature: 'private registry credentials', input: base({}, { repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:r' } }), includes: ['ecs.capability.private-registry-authentication.secretsmanager'] },
    { feature: 'container restart policy', input: base({}, { restartPolicy: { enabled: true } }), includes: ['ecs.capability.container-restart-policy'] },
    { feature: 'stop timeout orders containers', input: base({}, { stopTimeout: 30 }), includes: ['ecs.capability.container-ordering'] },
    { feature: 'init process needs Docker API 1.25', input: base({}, { linuxParameters: { initProcessEnabled: true } }), includes: ['com.amazonaws.ecs.capability.docker-remote-api.1.25'] },
    { feature: 'docker labels need Docker API 1.18', input: base({}, { dockerLabels: { a: 'b' } }), includes: ['com.amazonaws.ecs.capability.docker-remote-api.1.18'] },
    { feature: 'port ranges', input: base({}, { portMappings: [{ containerPortRange: '8000-8010' }] }), includes: ['ecs.capability.network.container-port-range'] },
    { feature: 'domainless gMSA', input: base({}, { credentialSpecs: ['credentialspecdomainless:arn:aws:s3:::b/spec.json'] }), includes: ['ecs.capability.gmsa-domainless'] },
    { feature: 'fault injection', input: base({ enableFaultInjection: true }), includes: ['ecs.capability.fault-injection'] },
  ];
  for (const row of rows) {
    it(row.feature, () => {
      const got = attributes(row.input);
      for (const name of row.includes) assert.ok(got.includes(name), `${name} missing from ${got.join(', ')}`);
    });
  }

  it('lists each attribute once', () => {
    const names = attributes(base({ networkMode: 'awsvpc' }, { dockerLabels: { a: 'b' }, ulimits: [{ name: 'nofile', softLimit: 1, hardLimit: 2 }] }));
    assert.equal(names.filter((n) => n.endsWith('docker-remote-api.1.18')).length, 1);
  });
});
