import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { AwsError } from '../../src/edge/errors.js';
import { buildTaskDefinition, type RegistrationContext } from '../../src/ecs/taskdef/register.js';

// Validation rules of RegisterTaskDefinition that are not Fargate-specific: each row names the
// ECS rule it proves, the input that breaks it, and the error code and key phrase ECS answers.

const ctx: RegistrationContext = {
  accountId: '123456789012', region: 'us-east-1', revision: 7,
  registeredAt: new Date('2024-05-01T12:00:00Z'), registeredBy: 'arn:aws:iam::123456789012:user/alice',
};

const web = (over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({ name: 'web', image: 'nginx:1.25', memory: 256, ...over });
const sidecar = (over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({ name: 'sidecar', image: 'busybox', memory: 64, essential: false, ...over });
const ec2 = (over: Partial<RegisterTaskDefinitionRequest> = {}): RegisterTaskDefinitionRequest => ({ family: 'app', containerDefinitions: [web()], ...over });

const build = (input: RegisterTaskDefinitionRequest) => buildTaskDefinition(input, ctx);

function rejects(input: RegisterTaskDefinitionRequest, code: string, phrase: string): void {
  assert.throws(() => build(input), (e: unknown) => {
    assert.ok(e instanceof AwsError, `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.status, 400);
    assert.ok(e.message.includes(phrase), `message "${e.message}" lacks "${phrase}"`);
    return true;
  });
}

interface Row { rule: string; input: RegisterTaskDefinitionRequest; phrase: string; code?: string }

const bad: Row[] = [
  // Family: up to 255 letters, numbers, hyphens, underscores.
  { rule: 'family is required', input: ec2({ family: '' }), phrase: 'Family can not be blank.' },
  { rule: 'family rejects dots', input: ec2({ family: 'my.app' }), phrase: 'Family contains invalid characters.' },
  { rule: 'family is at most 255 characters', input: ec2({ family: 'a'.repeat(256) }), phrase: 'Family contains invalid characters.' },
  // Container list: present, at most 10.
  { rule: 'containerDefinitions must not be empty', input: ec2({ containerDefinitions: [] }), phrase: 'Container list cannot be empty.' },
  { rule: 'containerDefinitions is required', input: ec2({ containerDefinitions: undefined }), phrase: 'Container list cannot be empty.' },
  { rule: 'at most 10 containers per task definition', input: ec2({ containerDefinitions: Array.from({ length: 11 }, (_, i) => web({ name: `c${i}` })) }), phrase: 'Too many containers.' },
  // Container name and image.
  { rule: 'container name is required', input: ec2({ containerDefinitions: [web({ name: undefined })] }), phrase: 'Container.name should not be null or empty.' },
  { rule: 'container name pattern', input: ec2({ containerDefinitions: [web({ name: 'my web' })] }), phrase: 'Container.name contains invalid characters.' },
  { rule: 'container names are unique', input: ec2({ containerDefinitions: [web(), web()] }), phrase: 'Container names must be unique within a Task Definition.' },
  { rule: 'image is required', input: ec2({ containerDefinitions: [web({ image: '' })] }), phrase: 'Container.image should not be null or empty.' },
  { rule: 'image characters', input: ec2({ containerDefinitions: [web({ image: '$IMAGE_NAME' })] }), phrase: 'Container.image contains invalid characters.' },
  { rule: 'image digest must be sha256 and 64 hex digits', input: ec2({ containerDefinitions: [web({ image: 'nginx@sha256:abc' })] }), phrase: 'Container.image contains invalid characters.' },
  // Essential: at least one essential container (essential defaults to true).
  { rule: 'at least one essential container', input: ec2({ containerDefinitions: [web({ essential: false })] }), phrase: "doesn't have any essential container" },
  // Container memory.
  { rule: 'EC2 without task memory needs container memory or memoryReservation', input: ec2({ containerDefinitions: [web({ memory: undefined })] }), phrase: "Invalid setting for container 'web'. At least one of 'memory' or 'memoryReservation' must be specified." },
  { rule: 'container memory is at least 6 MiB', input: ec2({ containerDefinitions: [web({ memory: 5 })] }), phrase: "Invalid 'memory' setting for container 'web'." },
  { rule: 'container memoryReservation is at least 6 MiB', input: ec2({ containerDefinitions: [web({ memory: undefined, memoryReservation: 4 })] }), phrase: "Invalid 'memoryReservation' setting for container 'web'." },
  { rule: 'memory must not be below memoryReservation', input: ec2({ containerDefinitions: [web({ memory: 128, memoryReservation: 256 })] }), phrase: "'memory' must be greater than or equal to 'memoryReservation'" },
  { rule: 'container cpu is a non-negative integer', input: ec2({ containerDefinitions: [web({ cpu: -1 })] }), phrase: "Invalid 'cpu' setting for container 'web'." },
  // Containers must fit in the task.
  { rule: 'container memory exceeds task memory', input: ec2({ memory: '512', containerDefinitions: [web({ memory: 1024 })] }), phrase: "The 'memory' setting for container 'web' is greater than for the task." },
  { rule: 'sum of memoryReservation exceeds task memory', input: ec2({ memory: '512', containerDefinitions: [web({ memory: undefined, memoryReservation: 300 }), sidecar({ memory: undefined, memoryReservation: 300 })] }), phrase: "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'." },
  { rule: 'sum of container memory exceeds task memory', input: ec2({ memory: '512', containerDefinitions: [web({ memory: 300 }), sidecar({ memory: 300 })] }), phrase: "The sum of all container 'memory' values cannot be greater than the value of the task 'memory'." },
  { rule: 'sum of container cpu exceeds task cpu', input: ec2({ cpu: '256', containerDefinitions: [web({ cpu: 200 }), sidecar({ cpu: 100 })] }), phrase: "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'." },
  // Task-level cpu/memory text.
  { rule: 'task cpu must be a cpu amount', input: ec2({ cpu: 'lots' }), phrase: "Invalid 'cpu' setting for task." },
  { rule: 'task cpu is at least 128 units', input: ec2({ cpu: '64' }), phrase: "Invalid 'cpu' setting for task." },
  { rule: 'task cpu is at most 192 vCPU', input: ec2({ cpu: '193 vCPU' }), phrase: "Invalid 'cpu' setting for task." },
  { rule: 'task cpu in units is a whole number', input: ec2({ cpu: '1.5' }), phrase: "Invalid 'cpu' setting for task." },
  { rule: 'task memory must be a memory amount', input: ec2({ memory: 'a lot' }), phrase: "Invalid 'memory' setting for task." },
  { rule: 'task memory is positive', input: ec2({ memory: '0' }), phrase: "Invalid 'memory' setting for task." },
  // Enumerations.
  { rule: 'networkMode enumeration', input: ec2({ networkMode: 'nat' as never }), phrase: 'nat is not a valid value for networkMode' },
  { rule: 'pidMode enumeration', input: ec2({ pidMode: 'vm' as never }), phrase: 'vm is not a valid value for pidMode. The value must be one of [task,host]' },
  { rule: 'ipcMode enumeration', input: ec2({ ipcMode: 'shared' as never }), phrase: 'shared is not a valid value for ipcMode' },
  { rule: 'requiresCompatibilities enumeration', input: ec2({ requiresCompatibilities: ['LAMBDA' as never] }), phrase: 'LAMBDA is not a valid value for requiresCompatibilities' },
  // Port mappings and network modes.
  { rule: 'awsvpc: hostPort must equal containerPort', input: ec2({ networkMode: 'awsvpc', containerDefinitions: [web({ portMappings: [{ containerPort: 80, hostPort: 8080 }] })] }), phrase: 'When networkMode=awsvpc, the host ports and container ports in port mappings must match.' },
  { rule: 'host: hostPort must equal containerPort', input: ec2({ networkMode: 'host', containerDefinitions: [web({ portMappings: [{ containerPort: 80, hostPort: 8080 }] })] }), phrase: 'When networkMode=host, the host ports and container ports in port mappings must match.' },
  { rule: 'containerPort is required in a port mapping', input: ec2({ containerDefinitions: [web({ portMappings: [{ hostPort: 7000 }] })] }), phrase: "Invalid 'containerPort' setting for container 'web'." },
  { rule: 'containerPort is 1..65535', input: ec2({ containerDefinitions: [web({ portMappings: [{ containerPort: 70000 }] })] }), phrase: "Invalid 'containerPort' setting for container 'web'." },
  { rule: 'hostPort is 0..65535', input: ec2({ containerDefinitions: [web({ portMappings: [{ containerPort: 80, hostPort: -1 }] })] }), phrase: "Invalid 'hostPort' setting for container 'web'." },
  { rule: 'none: no port mappings', input: ec2({ networkMode: 'none', containerDefinitions: [web({ portMappings: [{ containerPort: 80 }] })] }), phrase: 'Port mappings are not supported when networkMode=none.' },
  { rule: 'bridge: a static host port is used once per task', input: ec2({ containerDefinitions: [web({ portMappings: [{ containerPort: 80, hostPort: 3000 }] }), sidecar({ portMappings: [{ containerPort: 81, hostPort: 3000 }] })] }), phrase: "TCP host port '3000' is mapped multiple times in task." },
  { rule: 'awsvpc: a container port is used once per task and protocol', input: ec2({ networkMode: 'awsvpc', containerDefinitions: [web({ portMappings: [{ containerPort: 53, protocol: 'udp' }] }), sidecar({ portMappings: [{ containerPort: 53, protocol: 'udp' }] })] }), phrase: "UDP host port '53' is mapped multiple times in task." },
  { rule: 'containerPortRange is first-last with first < last', input: ec2({ containerDefinitions: [web({ portMappings: [{ containerPortRange: '9000-8000' }] })] }), phrase: "Invalid 'containerPortRange' setting for container 'web'." },
  { rule: 'containerPortRange only in bridge or awsvpc', input: ec2({ networkMode: 'host', containerDefinitions: [web({ portMappings: [{ containerPortRange: '8000-8010' }] })] }), phrase: 'Port ranges are not supported when networkMode=host.' },
  { rule: 'links are not allowed with awsvpc', input: ec2({ networkMode: 'awsvpc', containerDefinitions: [web({ links: ['sidecar'] }), sidecar()] }), phrase: 'Links are not supported when networkMode=awsvpc.' },
  { rule: 'links name another container', input: ec2({ containerDefinitions: [web({ links: ['db:database'] })] }), phrase: "Invalid 'links' setting. Unknown container: 'db'." },
  { rule: 'hostname is not supported with awsvpc', input: ec2({ networkMode: 'awsvpc', containerDefinitions: [web({ hostname: 'web' })] }), phrase: 'Hostname is not supported when networkMode=awsvpc.' },
  // Volumes, mount points, volumes-from.
  { rule: 'volume names are unique', input: ec2({ volumes: [{ name: 'data' }, { name: 'data' }] }), phrase: 'Volume names must be unique within a Task Definition.' },
  { rule: 'volume name pattern', input: ec2({ volumes: [{ name: 'my data' }] }), phrase: 'Volume.name contains invalid characters.' },
  { rule: 'bind mount host path is not blank', input: ec2({ volumes: [{ name: 'data', host: { sourcePath: '' } }] }), phrase: 'host.sourcePath should not be blank.' },
  { rule: 'mountPoints reference a defined volume', input: ec2({ containerDefinitions: [web({ mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] })] }), phrase: "Unknown volume 'data'." },
  { rule: 'mountPoints need a sourceVolume', input: ec2({ containerDefinitions: [web({ mountPoints: [{ containerPath: '/data' }] })] }), phrase: "Unknown volume 'null'." },
  { rule: 'volumesFrom references an existing container', input: ec2({ containerDefinitions: [web({ volumesFrom: [{ sourceContainer: 'ghost' }] })] }), phrase: "Invalid 'volumesFrom' setting. Unknown container: 'ghost'." },
  // dependsOn.
  { rule: 'dependsOn references an existing container', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'ghost', condition: 'START' }] })] }), phrase: "Cannot depend on container + 'ghost' because it does not exist" },
  { rule: 'a container cannot depend on itself', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'web', condition: 'START' }] })] }), phrase: "Container 'web' cannot depend on itself." },
  { rule: 'dependsOn condition enumeration', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'READY' as never }] }), sidecar()] }), phrase: 'READY is not a valid value for condition' },
  { rule: 'SUCCESS cannot target an essential container', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'SUCCESS' }] }), sidecar({ essential: true })] }), phrase: 'A dependency container with SUCCESS or COMPLETE condition cannot be an essential container' },
  { rule: 'COMPLETE cannot target a container that is essential by default', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'COMPLETE' }] }), sidecar({ essential: undefined })] }), phrase: 'SUCCESS or COMPLETE condition cannot be an essential container' },
  { rule: 'HEALTHY needs a health check on the target', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'HEALTHY' }] }), sidecar()] }), phrase: 'HEALTHY condition must have a health check' },
  { rule: 'dependencies must not form a cycle', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'START' }] }), sidecar({ dependsOn: [{ containerName: 'web', condition: 'START' }] })] }), phrase: 'Container dependencies contain a cycle' },
  // Other task settings.
  { rule: 'ephemeralStorage is at least 21 GiB', input: ec2({ ephemeralStorage: { sizeInGiB: 20 } }), phrase: 'EphemeralStorage size should be at least 21' },
  { rule: 'ephemeralStorage is at most 200 GiB', input: ec2({ ephemeralStorage: { sizeInGiB: 201 } }), phrase: 'EphemeralStorage size should be at most 200' },
  { rule: 'APPMESH proxy names an existing container', input: ec2({ networkMode: 'awsvpc', proxyConfiguration: { type: 'APPMESH', containerName: 'envoy' } }), phrase: "Invalid 'proxyConfiguration' setting. Unknown container: 'envoy'." },
  { rule: 'at most 10 placement constraints', input: ec2({ placementConstraints: Array.from({ length: 11 }, () => ({ type: 'memberOf' as const, expression: 'attribute:ecs.os-type == linux' })) }), phrase: 'Too many placement constraints' },
  { rule: 'secrets need an execution role', input: ec2({ containerDefinitions: [web({ secrets: [{ name: 'DB', valueFrom: '/app/db' }] })] }), phrase: "you must also specify a value for 'executionRoleArn'" },
  { rule: 'awslogs needs region and group', input: ec2({ containerDefinitions: [web({ logConfiguration: { logDriver: 'awslogs', options: {} } })] }), phrase: 'Log driver awslogs requires options: awslogs-region, awslogs-group' },
];

describe('buildTaskDefinition rejects what ECS rejects', () => {
  for (const row of bad) {
    it(row.rule, () => rejects(row.input, row.code ?? 'ClientException', row.phrase));
  }
});

const good: Array<{ rule: string; input: RegisterTaskDefinitionRequest }> = [
  { rule: 'family of 255 letters, digits, hyphens, underscores', input: ec2({ family: `A-_9${'x'.repeat(251)}` }) },
  { rule: 'ten containers', input: ec2({ containerDefinitions: Array.from({ length: 10 }, (_, i) => web({ name: `c${i}` })) }) },
  { rule: 'image by digest', input: ec2({ containerDefinitions: [web({ image: `nginx@sha256:${'a'.repeat(64)}` })] }) },
  { rule: 'essential defaults to true', input: ec2({ containerDefinitions: [web({ essential: undefined }), sidecar()] }) },
  { rule: 'memoryReservation alone is enough', input: ec2({ containerDefinitions: [web({ memory: undefined, memoryReservation: 128 })] }) },
  { rule: 'task memory replaces container memory', input: ec2({ memory: '512', containerDefinitions: [web({ memory: undefined })] }) },
  { rule: 'memory equal to memoryReservation', input: ec2({ containerDefinitions: [web({ memory: 128, memoryReservation: 128 })] }) },
  { rule: 'container memory of 6 MiB', input: ec2({ containerDefinitions: [web({ memory: 6 })] }) },
  { rule: 'containers exactly filling the task', input: ec2({ cpu: '512', memory: '512', containerDefinitions: [web({ cpu: 256, memory: 256 }), sidecar({ cpu: 256, memory: 256 })] }) },
  { rule: 'bridge dynamic ports may repeat', input: ec2({ containerDefinitions: [web({ portMappings: [{ containerPort: 7000 }, { containerPort: 7000 }] })] }) },
  { rule: 'same port on tcp and udp', input: ec2({ networkMode: 'awsvpc', containerDefinitions: [web({ portMappings: [{ containerPort: 53, protocol: 'tcp' }, { containerPort: 53, protocol: 'udp' }] })] }) },
  { rule: 'awsvpc hostPort equal to containerPort', input: ec2({ networkMode: 'awsvpc', containerDefinitions: [web({ portMappings: [{ containerPort: 80, hostPort: 80 }] })] }) },
  { rule: 'bridge links to another container', input: ec2({ containerDefinitions: [web({ links: ['sidecar:side'] }), sidecar()] }) },
  { rule: 'port range in bridge mode', input: ec2({ containerDefinitions: [web({ portMappings: [{ containerPortRange: '8000-8010' }] })] }) },
  { rule: 'volumes, mount points and volumes-from', input: ec2({ volumes: [{ name: 'data', host: { sourcePath: '/srv' } }, { name: 'scratch' }], containerDefinitions: [web({ mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }), sidecar({ volumesFrom: [{ sourceContainer: 'web', readOnly: true }] })] }) },
  { rule: 'COMPLETE on a non-essential container', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'COMPLETE' }] }), sidecar()] }) },
  { rule: 'HEALTHY on a container with a health check', input: ec2({ containerDefinitions: [web({ dependsOn: [{ containerName: 'sidecar', condition: 'HEALTHY' }] }), sidecar({ healthCheck: { command: ['CMD', 'true'] } })] }) },
  { rule: 'ephemeralStorage of 21 and 200 GiB', input: ec2({ ephemeralStorage: { sizeInGiB: 21 } }) },
  { rule: 'APPMESH proxy naming a container', input: ec2({ networkMode: 'awsvpc', proxyConfiguration: { type: 'APPMESH', containerName: 'envoy' }, containerDefinitions: [web(), sidecar({ name: 'envoy' })] }) },
  { rule: 'secrets with an execution role', input: ec2({ executionRoleArn: 'arn:aws:iam::123456789012:role/exec', containerDefinitions: [web({ secrets: [{ name: 'DB', valueFrom: '/app/db' }] })] }) },
  { rule: 'pidMode host and ipcMode on EC2', input: ec2({ pidMode: 'host', ipcMode: 'task' }) },
];

describe('buildTaskDefinition accepts what ECS accepts', () => {
  for (const row of good) {
    it(row.rule, () => assert.doesNotThrow(() => build(row.input)));
  }
  it('ephemeralStorage of 200 GiB', () => assert.doesNotThrow(() => build(ec2({ ephemeralStorage: { sizeInGiB: 200 } }))));
});

describe('task-level cpu and memory are stored as unit strings', () => {
  const rows: Array<[string, string, string]> = [
    // [given cpu, given memory, ...] -> stored as units / MiB (RegisterTaskDefinition "cpu", "memory").
    ['1024', '2048', '1024/2048'],
    ['1 vCPU', '2 GB', '1024/2048'],
    ['2 vcpu', '2GB', '2048/2048'],
    ['.5 vCPU', '0.5 GB', '512/512'],
    ['0.25 vCPU', '512 MiB', '256/512'],
    ['192 vCPU', '1024', '196608/1024'],
  ];
  for (const [cpu, memory, expected] of rows) {
    it(`${cpu} / ${memory} -> ${expected}`, () => {
      const td = build(ec2({ cpu, memory, containerDefinitions: [web({ memory: undefined })] }));
      assert.equal(`${td.cpu}/${td.memory}`, expected);
    });
  }
});
