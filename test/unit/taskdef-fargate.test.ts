import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { AwsError } from '../../src/edge/errors.js';
import { FARGATE_SIZES, fargateSizes, isFargateSize } from '../../src/ecs/taskdef/fargate-sizes.js';
import { buildTaskDefinition, type RegistrationContext } from '../../src/ecs/taskdef/register.js';

// Fargate: the task size table, the Fargate-only rules, and the compatibilities ECS derives.

const ctx: RegistrationContext = {
  accountId: '123456789012', region: 'eu-west-1', revision: 1,
  registeredAt: new Date('2024-05-01T12:00:00Z'), registeredBy: 'arn:aws:iam::123456789012:root',
};
const build = (input: RegisterTaskDefinitionRequest) => buildTaskDefinition(input, ctx);

const app = (over: Partial<ContainerDefinition> = {}): ContainerDefinition => ({ name: 'app', image: 'public.ecr.aws/nginx/nginx:1', ...over });
const fargate = (over: Partial<RegisterTaskDefinitionRequest> = {}): RegisterTaskDefinitionRequest => ({
  family: 'svc', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
  containerDefinitions: [app()], ...over,
});

function rejects(input: RegisterTaskDefinitionRequest, phrase: string, code = 'ClientException'): void {
  assert.throws(() => build(input), (e: unknown) => {
    assert.ok(e instanceof AwsError, `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.ok(e.message.includes(phrase), `message "${e.message}" lacks "${phrase}"`);
    return true;
  });
}

describe('the Fargate task size table', () => {
  const pairs = fargateSizes();

  it('has the documented number of combinations', () => {
    // 3 + 4 + 7 + 13 + 23 + 12 + 12 (Developer Guide "Task CPU and memory").
    assert.equal(pairs.length, 74);
  });

  for (const { cpu, memory } of pairs) {
    it(`accepts ${cpu} CPU with ${memory} MiB`, () => {
      const td = build(fargate({ cpu: String(cpu), memory: String(memory) }));
      assert.deepEqual([td.cpu, td.memory], [String(cpu), String(memory)]);
      assert.ok(td.compatibilities!.includes('FARGATE'));
    });
  }

  // Neighbours: just outside each row, between steps, and cpu values that are not rows.
  const neighbours: Array<[number, number]> = [];
  for (const row of FARGATE_SIZES) {
    const min = row.memory[0]!;
    const max = row.memory[row.memory.length - 1]!;
    neighbours.push([row.cpu, min - 1], [row.cpu, max + 1], [row.cpu, min - 512], [row.cpu, max + 1024]);
    if (row.memory.length > 1) neighbours.push([row.cpu, (row.memory[0]! + row.memory[1]!) / 2]);
  }
  neighbours.push([128, 512], [384, 1024], [768, 2048], [1536, 4096], [3072, 8192], [32768, 65536]);
  for (const [cpu, memory] of neighbours) {
    if (isFargateSize(cpu, memory) || memory <= 0) continue;
    it(`rejects ${cpu} CPU with ${memory} MiB`, () => {
      rejects(fargate({ cpu: String(cpu), memory: String(memory) }),
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`);
    });
  }

  it('accepts the table in vCPU and GB notation', () => {
    const td = build(fargate({ cpu: '4 vCPU', memory: '30 GB' }));
    assert.deepEqual([td.cpu, td.memory], ['4096', '30720']);
  });

  it('Windows gets only the 1, 2 and 4 vCPU rows', () => {
    rejects(fargate({ runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }), 'No Fargate configuration exists for given values: 256 CPU, 512 memory.');
    assert.doesNotThrow(() => build(fargate({ cpu: '1024', memory: '2048', runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } })));
    rejects(fargate({ cpu: '8192', memory: '16384', runtimePlatform: { operatingSystemFamily: 'WINDOWS_SERVER_2019_FULL' } }), 'No Fargate configuration exists');
  });
});

describe('Fargate rules', () => {
  const bad: Array<{ rule: string; input: RegisterTaskDefinitionRequest; phrase: string }> = [
    { rule: 'Fargate requires awsvpc', input: fargate({ networkMode: 'bridge' }), phrase: 'Fargate only supports network mode \u2018awsvpc\u2019.' },
    { rule: 'Fargate requires an explicit network mode', input: fargate({ networkMode: undefined }), phrase: 'Fargate only supports network mode \u2018awsvpc\u2019.' },
    { rule: 'Fargate requires task cpu', input: fargate({ cpu: undefined }), phrase: "Fargate requires that 'cpu' be defined at the task level." },
    { rule: 'Fargate requires task memory', input: fargate({ memory: undefined, containerDefinitions: [app({ memory: 512 })] }), phrase: "Fargate requires that 'memory' be defined at the task level." },
    { rule: 'container memory is checked before the Fargate task-level rules', input: fargate({ memory: undefined }), phrase: "At least one of 'memory' or 'memoryReservation' must be specified." },
    { rule: 'Fargate rejects pidMode host', input: fargate({ pidMode: 'host' }), phrase: "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'." },
    { rule: 'Fargate rejects ipcMode', input: fargate({ ipcMode: 'task' }), phrase: 'Tasks using the Fargate launch type do not support ipcMode.' },
    { rule: 'Fargate rejects placement constraints', input: fargate({ placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }] }), phrase: 'do not support placementConstraints' },
    { rule: 'Fargate rejects host paths on volumes', input: fargate({ volumes: [{ name: 'v', host: { sourcePath: '/data' } }] }), phrase: 'Fargate compatible task definitions do not support sourcePath' },
    { rule: 'Fargate rejects Docker volumes', input: fargate({ volumes: [{ name: 'v', dockerVolumeConfiguration: { driver: 'local' } }] }), phrase: 'do not support dockerVolumeConfiguration' },
    { rule: 'Fargate rejects privileged containers', input: fargate({ containerDefinitions: [app({ privileged: true })] }), phrase: 'do not support privileged' },
    { rule: 'Fargate rejects dnsServers', input: fargate({ containerDefinitions: [app({ dnsServers: ['10.0.0.2'] })] }), phrase: 'do not support dnsServers' },
    { rule: 'Fargate rejects linux devices', input: fargate({ containerDefinitions: [app({ linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] } })] }), phrase: 'do not support devices' },
    { rule: 'Fargate adds only SYS_PTRACE', input: fargate({ containerDefinitions: [app({ linuxParameters: { capabilities: { add: ['NET_ADMIN'] } } })] }), phrase: 'do not support capabilities other than SYS_PTRACE' },
    { rule: 'Fargate log drivers are awslogs, splunk and awsfirelens', input: fargate({ containerDefinitions: [app({ logConfiguration: { logDriver: 'json-file' } })] }), phrase: 'do not support log driver json-file' },
    { rule: 'Fargate needs an execution role for awslogs', input: fargate({ containerDefinitions: [app({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'eu-west-1' } } })] }), phrase: 'Fargate requires task definition to have execution role ARN to support log driver awslogs.' },
    { rule: 'Fargate needs an execution role for ECR images', input: fargate({ containerDefinitions: [app({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1' })] }), phrase: 'Fargate requires task definition to have execution role ARN to support ECR images.' },
  ];
  for (const row of bad) it(row.rule, () => rejects(row.input, row.phrase));

  it('EC2 and FARGATE both required: validated against both', () => {
    rejects(fargate({ requiresCompatibilities: ['EC2', 'FARGATE'], cpu: '300' }), 'No Fargate configuration exists for given values: 300 CPU, 512 memory.');
  });

  it('pidMode task, SYS_PTRACE and awslogs with an execution role are fine', () => {
    assert.doesNotThrow(() => build(fargate({
      pidMode: 'task', executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      containerDefinitions: [app({
        linuxParameters: { capabilities: { add: ['SYS_PTRACE'] } },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' } },
      })],
    })));
  });
});

describe('compatibilities', () => {
  const c = (input: RegisterTaskDefinitionRequest) => build(input).compatibilities;
  const ec2 = (over: Partial<RegisterTaskDefinitionRequest> = {}): RegisterTaskDefinitionRequest =>
    ({ family: 'f', containerDefinitions: [app({ memory: 128 })], ...over });

  const rows: Array<{ rule: string; input: RegisterTaskDefinitionRequest; expected: string[] }> = [
    { rule: 'no network mode: EXTERNAL and EC2 (AWS CLI example output)', input: ec2(), expected: ['EXTERNAL', 'EC2'] },
    { rule: 'bridge: EXTERNAL and EC2', input: ec2({ networkMode: 'bridge' }), expected: ['EXTERNAL', 'EC2'] },
    { rule: 'none: EXTERNAL and EC2', input: ec2({ networkMode: 'none' }), expected: ['EXTERNAL', 'EC2'] },
    { rule: 'host: EXTERNAL, EC2 and Managed Instances', input: ec2({ networkMode: 'host' }), expected: ['EXTERNAL', 'EC2', 'MANAGED_INSTANCES'] },
    { rule: 'awsvpc without a Fargate size: EC2 and Managed Instances', input: ec2({ networkMode: 'awsvpc', cpu: '512', memory: '717' }), expected: ['EC2', 'MANAGED_INSTANCES'] },
    { rule: 'awsvpc with a Fargate size: EC2, FARGATE, Managed Instances', input: ec2({ networkMode: 'awsvpc', cpu: '256', memory: '512' }), expected: ['EC2', 'FARGATE', 'MANAGED_INSTANCES'] },
    { rule: 'required FARGATE', input: fargate(), expected: ['EC2', 'FARGATE', 'MANAGED_INSTANCES'] },
    { rule: 'a Fargate-only feature gap drops FARGATE', input: ec2({ networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [app({ memory: 128, privileged: true })] }), expected: ['EC2', 'MANAGED_INSTANCES'] },
    { rule: 'a log driver Managed Instances lacks drops it', input: ec2({ networkMode: 'host', containerDefinitions: [app({ memory: 128, logConfiguration: { logDriver: 'syslog' } })] }), expected: ['EXTERNAL', 'EC2'] },
  ];
  for (const row of rows) it(row.rule, () => assert.deepEqual(c(row.input), row.expected));

  it('requiresCompatibilities is returned as given, and absent when not given', () => {
    assert.deepEqual(build(fargate({ requiresCompatibilities: ['EC2', 'FARGATE'] })).requiresCompatibilities, ['EC2', 'FARGATE']);
    assert.equal('requiresCompatibilities' in build(ec2()), false);
  });

  it('required EXTERNAL rejects awsvpc', () => rejects(ec2({ requiresCompatibilities: ['EXTERNAL'], networkMode: 'awsvpc' }), 'External only supports network modes'));
  it('required MANAGED_INSTANCES rejects bridge', () => rejects(ec2({ requiresCompatibilities: ['MANAGED_INSTANCES'] }), 'Managed Instances only supports network modes'));
  it('required EC2 accepts a non-Fargate size', () => assert.doesNotThrow(() => build(ec2({ requiresCompatibilities: ['EC2'], networkMode: 'awsvpc', cpu: '300', memory: '300' }))));
});
