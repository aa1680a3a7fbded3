import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/edge/errors.js';
import { validateEcsInput } from '../../src/ecs/model/index.js';

/** The AwsError `validateEcsInput` throws, or a failed assertion if it throws nothing or something else. */
function rejection(operation: string, input: unknown): AwsError {
  try {
    validateEcsInput(operation, input);
  } catch (e) {
    assert.ok(e instanceof AwsError, `expected an AwsError, got ${String(e)}`);
    assert.equal(e.status, 400);
    return e;
  }
  assert.fail(`${operation} accepted ${JSON.stringify(input)}`);
}

const container = { name: 'web', image: 'nginx:latest' };
const taskDef = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ family: 'web', containerDefinitions: [container], ...extra });
const tags = (n: number): { key: string; value: string }[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));

interface Rejected {
  name: string;
  operation: string;
  input: unknown;
  code: string;
  message: RegExp;
}

const rejected: Rejected[] = [
  // Required members.
  { name: 'a RegisterTaskDefinition without family', operation: 'RegisterTaskDefinition', input: { containerDefinitions: [container] }, code: 'InvalidParameterException', message: /'family'/ },
  { name: 'a CreateService without serviceName', operation: 'CreateService', input: { cluster: 'c', taskDefinition: 'web:1' }, code: 'InvalidParameterException', message: /'serviceName'/ },
  { name: 'a RegisterTaskDefinition whose family is null', operation: 'RegisterTaskDefinition', input: taskDef({ family: null }), code: 'InvalidParameterException', message: /Missing required parameter 'family'/ },
  { name: 'a nested required member that is missing', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: [{ ...container, dependsOn: [{ containerName: 'db' }] }] }), code: 'InvalidParameterException', message: /'containerDefinitions\[0\]\.dependsOn\[0\]\.condition'/ },
  // Wrong JSON types.
  { name: 'containerDefinitions as a string', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: 'web' }), code: 'SerializationException', message: /^Expected list for 'containerDefinitions' but got string$/ },
  { name: 'cpu as a structure', operation: 'RegisterTaskDefinition', input: taskDef({ cpu: { units: 256 } }), code: 'SerializationException', message: /^Expected string for 'cpu' but got object$/ },
  { name: 'a container cpu as a string', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: [{ ...container, cpu: '256' }] }), code: 'SerializationException', message: /'containerDefinitions\[0\]\.cpu' but got string/ },
  { name: 'tags as a map', operation: 'CreateCluster', input: { clusterName: 'c', tags: { team: 'a' } }, code: 'SerializationException', message: /^Expected list for 'tags' but got object$/ },
  { name: 'a boolean given as a string', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: [{ ...container, essential: 'true' }] }), code: 'SerializationException', message: /Expected boolean for 'containerDefinitions\[0\]\.essential'/ },
  { name: 'maxResults as a string', operation: 'ListClusters', input: { maxResults: '10' }, code: 'SerializationException', message: /Expected number for 'maxResults'/ },
  { name: 'a list element that is null', operation: 'RunTask', input: { taskDefinition: 'web', overrides: { containerOverrides: [null] } }, code: 'SerializationException', message: /'overrides\.containerOverrides\[0\]' but got null/ },
  { name: 'a map value that is not a string', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: [{ ...container, dockerLabels: { tier: 1 } }] }), code: 'SerializationException', message: /'containerDefinitions\[0\]\.dockerLabels\["tier"\]' but got number/ },
  { name: 'a timestamp given as an ISO string', operation: 'ListServiceDeployments', input: { service: 's', createdAt: { after: '2024-01-01T00:00:00Z' } }, code: 'SerializationException', message: /'createdAt\.after'/ },
  // Not an object at all.
  { name: 'a body that is an array', operation: 'ListClusters', input: [], code: 'SerializationException', message: /^Expected structure for the request body but got array$/ },
  { name: 'a body that is a string', operation: 'ListClusters', input: 'hello', code: 'SerializationException', message: /request body but got string/ },
  { name: 'a body that is null', operation: 'ListClusters', input: null, code: 'SerializationException', message: /request body but got null/ },
  // Enums.
  { name: "networkMode 'foo'", operation: 'RegisterTaskDefinition', input: taskDef({ networkMode: 'foo' }), code: 'InvalidParameterException', message: /^Invalid value "foo" for 'networkMode': must be one of awsvpc, bridge, host, none$/ },
  { name: "launchType 'FOO' in ListTasks", operation: 'ListTasks', input: { launchType: 'FOO' }, code: 'InvalidParameterException', message: /'launchType'/ },
  { name: "launchType 'FOO' in RunTask", operation: 'RunTask', input: { taskDefinition: 'web', launchType: 'FOO' }, code: 'InvalidParameterException', message: /'launchType'/ },
  { name: 'a lower-case launch type (enums are case-sensitive)', operation: 'RunTask', input: { taskDefinition: 'web', launchType: 'fargate' }, code: 'InvalidParameterException', message: /'launchType'/ },
  { name: 'an unknown protocol deep in a port mapping', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: [container, { ...container, portMappings: [{ containerPort: 80 }, { containerPort: 53, protocol: 'sctp' }] }] }), code: 'InvalidParameterException', message: /'containerDefinitions\[1\]\.portMappings\[1\]\.protocol'/ },
  { name: 'an unknown value inside an enum list', operation: 'RegisterTaskDefinition', input: taskDef({ requiresCompatibilities: ['FARGATE', 'LAMBDA'] }), code: 'InvalidParameterException', message: /'requiresCompatibilities\[1\]'/ },
  // Documented sizes, lengths and ranges.
  { name: '51 tags', operation: 'CreateCluster', input: { clusterName: 'c', tags: tags(51) }, code: 'InvalidParameterException', message: /^'tags' must have between 0 and 50 items but had 51$/ },
  { name: 'a tag key of 129 characters', operation: 'TagResource', input: { resourceArn: 'arn', tags: [{ key: 'k'.repeat(129), value: 'v' }] }, code: 'InvalidParameterException', message: /^Length of 'tags\[0\]\.key' must be between 1 and 128 characters but was 129$/ },
  { name: 'an empty tag key', operation: 'TagResource', input: { resourceArn: 'arn', tags: [{ key: '', value: 'v' }] }, code: 'InvalidParameterException', message: /'tags\[0\]\.key'/ },
  { name: 'a tag value of 257 characters', operation: 'CreateCluster', input: { tags: [{ key: 'k', value: 'v'.repeat(257) }] }, code: 'InvalidParameterException', message: /'tags\[0\]\.value'/ },
  { name: 'an untag key of 129 characters', operation: 'UntagResource', input: { resourceArn: 'arn', tagKeys: ['k'.repeat(129)] }, code: 'InvalidParameterException', message: /'tagKeys\[0\]'/ },
  { name: 'maxResults 0 on ListClusters', operation: 'ListClusters', input: { maxResults: 0 }, code: 'InvalidParameterException', message: /^Value of 'maxResults' must be between 1 and 100 but was 0$/ },
  { name: 'maxResults 101 on ListClusters', operation: 'ListClusters', input: { maxResults: 101 }, code: 'InvalidParameterException', message: /but was 101$/ },
  { name: 'maxResults 11 on ListAccountSettings', operation: 'ListAccountSettings', input: { maxResults: 11 }, code: 'InvalidParameterException', message: /between 1 and 10 but was 11/ },
  { name: 'a capacity provider weight of 1001', operation: 'RunTask', input: { taskDefinition: 'web', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1001 }] }, code: 'InvalidParameterException', message: /'capacityProviderStrategy\[0\]\.weight'/ },
  { name: 'a capacity provider base of 100001', operation: 'CreateCluster', input: { defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 100001 }] }, code: 'InvalidParameterException', message: /'defaultCapacityProviderStrategy\[0\]\.base'/ },
  // Precedence: a type error anywhere wins over an earlier constraint violation.
  { name: 'a missing family together with a later type error', operation: 'RegisterTaskDefinition', input: { containerDefinitions: 'web' }, code: 'SerializationException', message: /'containerDefinitions'/ },
  // Operations ECS does not have.
  { name: 'an operation ECS does not have', operation: 'LaunchRocket', input: {}, code: 'UnknownOperationException', message: /^$/ },
];

interface Accepted {
  name: string;
  operation: string;
  input: unknown;
}

const fullTaskDefinition = {
  family: 'web',
  taskRoleArn: 'arn:aws:iam::123456789012:role/task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  networkMode: 'awsvpc',
  containerDefinitions: [
    {
      name: 'web',
      image: 'nginx:1.27',
      cpu: 128,
      memory: 256,
      memoryReservation: 128,
      portMappings: [
        { containerPort: 80, hostPort: 80, protocol: 'tcp', name: 'http', appProtocol: 'http' },
        { containerPort: 53, protocol: 'udp' },
      ],
      essential: true,
      restartPolicy: { enabled: true, ignoredExitCodes: [0, 143], restartAttemptPeriod: 60 },
      entryPoint: ['sh', '-c'],
      command: ['nginx -g "daemon off;"'],
      environment: [{ name: 'MODE', value: 'prod' }],
      environmentFiles: [{ value: 'arn:aws:s3:::bucket/web.env', type: 's3' }],
      mountPoints: [{ sourceVolume: 'data', containerPath: '/data', readOnly: false }],
      volumesFrom: [{ sourceContainer: 'sidecar', readOnly: true }],
      linuxParameters: {
        capabilities: { add: ['NET_ADMIN'], drop: ['MKNOD'] },
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
        initProcessEnabled: true,
        tmpfs: [{ containerPath: '/tmp', size: 64, mountOptions: ['rw'] }],
      },
      secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/token' }],
      dependsOn: [{ containerName: 'sidecar', condition: 'START' }],
      startTimeout: 30,
      stopTimeout: 30,
      user: 'nginx',
      workingDirectory: '/usr/share/nginx',
      readonlyRootFilesystem: false,
      dnsServers: ['10.0.0.2'],
      extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.10' }],
      dockerLabels: { tier: 'front', 'com.example.owner': 'team-a' },
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' }, secretOptions: [] },
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 },
      systemControls: [{ namespace: 'net.core.somaxconn', value: '1024' }],
      resourceRequirements: [{ type: 'GPU', value: '1' }],
    },
    { name: 'sidecar', image: 'busybox', essential: false },
  ],
  volumes: [
    { name: 'data', host: { sourcePath: '/srv/data' } },
    { name: 'shared', dockerVolumeConfiguration: { scope: 'shared', autoprovision: true, driver: 'local', driverOpts: { type: 'tmpfs' }, labels: { a: 'b' } } },
    { name: 'efs', efsVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: '/', transitEncryption: 'ENABLED', authorizationConfig: { accessPointId: 'fsap-1', iam: 'ENABLED' } } },
  ],
  placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }],
  requiresCompatibilities: ['FARGATE', 'EC2'],
  cpu: '256',
  memory: '512',
  tags: tags(50),
  pidMode: 'task',
  ipcMode: 'none',
  proxyConfiguration: { type: 'APPMESH', containerName: 'envoy', properties: [{ name: 'AppPorts', value: '80' }] },
  ephemeralStorage: { sizeInGiB: 21 },
  runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
  enableFaultInjection: false,
};

const accepted: Accepted[] = [
  { name: 'a full RegisterTaskDefinition with many fields', operation: 'RegisterTaskDefinition', input: fullTaskDefinition },
  { name: 'an empty ListClusters', operation: 'ListClusters', input: {} },
  { name: 'an empty body, taken as {}', operation: 'ListClusters', input: undefined },
  { name: 'maxResults 1 and the name', operation: 'ListClusters', input: { maxResults: 1, nextToken: 't' } },
  { name: 'maxResults 100', operation: 'ListClusters', input: { maxResults: 100 } },
  { name: 'a fractional number where an integer is meant', operation: 'ListClusters', input: { maxResults: 2.5 } },
  { name: 'unknown members at the top level and nested', operation: 'RegisterTaskDefinition', input: taskDef({ futureField: { x: [1] }, containerDefinitions: [{ ...container, notAMember: 'x' }] }) },
  { name: 'null optional members, taken as absent', operation: 'RunTask', input: { taskDefinition: 'web', launchType: null, overrides: null, count: null } },
  { name: 'exactly 50 tags with a 128-character key and a 256-character value', operation: 'TagResource', input: { resourceArn: 'arn', tags: [...tags(49), { key: 'k'.repeat(128), value: 'v'.repeat(256) }] } },
  { name: 'a 128-character tag key made of astral characters (length counts code points)', operation: 'TagResource', input: { resourceArn: 'arn', tags: [{ key: '😀'.repeat(128) }] } },
  { name: 'a CreateService with a deployment configuration', operation: 'CreateService', input: { serviceName: 's', taskDefinition: 'web:1', desiredCount: 2, launchType: 'FARGATE', deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } }, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'ENABLED' } } } },
  { name: 'epoch-second timestamps', operation: 'ListServiceDeployments', input: { service: 's', createdAt: { after: 1700000000.5, before: 1800000000 } } },
  { name: 'a resource requirement with a sharing strategy union', operation: 'RegisterTaskDefinition', input: taskDef({ containerDefinitions: [{ ...container, resourceRequirements: [{ type: 'GPU', sharingStrategy: { nvidiaMps: { memory: 1024 } } }] }] }) },
];

describe('validating ECS requests against the model', () => {
  for (const row of rejected) {
    it(`rejects ${row.name} with ${row.code}`, () => {
      const e = rejection(row.operation, row.input);
      assert.equal(e.code, row.code);
      assert.match(e.message, row.message);
    });
  }

  for (const row of accepted) {
    it(`accepts ${row.name}`, () => {
      assert.doesNotThrow(() => validateEcsInput(row.operation, row.input));
    });
  }

  it('rejects a union with no member set', () => {
    const e = rejection('RegisterTaskDefinition', taskDef({ containerDefinitions: [{ ...container, resourceRequirements: [{ type: 'GPU', sharingStrategy: {} }] }] }));
    assert.equal(e.code, 'InvalidParameterException');
    assert.match(e.message, /'containerDefinitions\[0\]\.resourceRequirements\[0\]\.sharingStrategy' must set exactly one member/);
  });

  it('does not modify the input it validates', () => {
    const input = structuredClone(fullTaskDefinition);
    validateEcsInput('RegisterTaskDefinition', input);
    assert.deepEqual(input, fullTaskDefinition);
  });

  it('reports a fresh path after a previous request failed deep inside', () => {
    rejection('RegisterTaskDefinition', taskDef({ containerDefinitions: [{ ...container, portMappings: [{ protocol: 1 }] }] }));
    const e = rejection('ListClusters', { maxResults: 0 });
    assert.match(e.message, /^Value of 'maxResults'/);
  });
});
