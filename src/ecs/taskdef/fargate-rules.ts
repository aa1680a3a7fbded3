import type { ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { AwsError } from '../../edge/errors.js';
import { clientException } from '../errors.js';
import { isFargateSize } from './fargate-sizes.js';

/**
 * What keeps a definition off Fargate (Developer Guide: "Amazon ECS task definition differences
 * for Fargate"; "Task CPU and memory"). `def` is the compacted request with cpu/memory already
 * normalised to unit strings. Returns the first problem, in the order ECS reports them as far as
 * users' reports show, or undefined when the definition runs on Fargate.
 *
 * Confirmed messages: network mode, task cpu/memory, the size table, pidMode, ipcMode,
 * host.sourcePath, and the two execution-role ones. The "Tasks using the Fargate launch type do
 * not support X." form is ECS's for ipcMode; Berth uses it for the other unsupported parameters.
 */
export function fargateProblem(def: RegisterTaskDefinitionRequest): AwsError | undefined {
  // ECS's message uses typographic quotes (aws/amazon-ecs-cli#1145).
  if (def.networkMode !== 'awsvpc') return clientException('Fargate only supports network mode \u2018awsvpc\u2019.');
  if (def.cpu === undefined) return clientException("Fargate requires that 'cpu' be defined at the task level.");
  if (def.memory === undefined) return clientException("Fargate requires that 'memory' be defined at the task level.");
  if (!isFargateSize(Number(def.cpu), Number(def.memory), def.runtimePlatform?.operatingSystemFamily)) {
    return clientException(
      `No Fargate configuration exists for given values: ${def.cpu} CPU, ${def.memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  }
  if (def.pidMode === 'host') {
    return clientException("Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.");
  }
  if (def.ipcMode !== undefined) return clientException('Tasks using the Fargate launch type do not support ipcMode.');
  if ((def.placementConstraints?.length ?? 0) > 0) return unsupported('placementConstraints');
  for (const v of def.volumes ?? []) {
    // "Fargate tasks only support bind mount host volumes" without a host path
    // (cloudposse/terraform-aws-ecs-alb-service-task#174).
    if (v.host?.sourcePath !== undefined) return clientException('Fargate compatible task definitions do not support sourcePath');
    if (v.dockerVolumeConfiguration !== undefined) {
      return clientException('Fargate compatible task definitions do not support dockerVolumeConfiguration');
    }
  }
  for (const c of def.containerDefinitions ?? []) {
    const problem = containerProblem(c);
    if (problem) return problem;
  }
  const containers = def.containerDefinitions ?? [];
  if (def.executionRoleArn === undefined) {
    // Fargate pulls ECR images and ships awslogs with the execution role
    // (virtual-kubelet/virtual-kubelet#193, jenkinsci/amazon-ecs-plugin#62).
    if (containers.some((c) => c.logConfiguration?.logDriver === 'awslogs')) {
      return clientException('Fargate requires task definition to have execution role ARN to support log driver awslogs.');
    }
    if (containers.some((c) => c.image !== undefined && isEcrImage(c.image))) {
      return clientException('Fargate requires task definition to have execution role ARN to support ECR images.');
    }
  }
  return undefined;
}

const unsupported = (param: string): AwsError => clientException(`Tasks using the Fargate launch type do not support ${param}.`);

/** Log drivers Fargate supports (API reference: LogConfiguration "logDriver"). */
export const FARGATE_LOG_DRIVERS: readonly string[] = ['awslogs', 'splunk', 'awsfirelens'];

/** The only capability a Fargate container may add (KernelCapabilities "add"). */
const FARGATE_CAPABILITIES = new Set(['SYS_PTRACE', 'CAP_SYS_PTRACE']);

function containerProblem(c: ContainerDefinition): AwsError | undefined {
  if (c.privileged === true) return unsupported('privileged');
  if (c.disableNetworking !== undefined) return unsupported('disableNetworking');
  if ((c.dnsServers?.length ?? 0) > 0) return unsupported('dnsServers');
  if ((c.dnsSearchDomains?.length ?? 0) > 0) return unsupported('dnsSearchDomains');
  if ((c.dockerSecurityOptions?.length ?? 0) > 0) return unsupported('dockerSecurityOptions');
  if ((c.extraHosts?.length ?? 0) > 0) return unsupported('extraHosts');
  if (c.resourceRequirements?.some((r) => r.type === 'GPU')) return unsupported('gpu');
  const lp = c.linuxParameters;
  if (lp) {
    if ((lp.devices?.length ?? 0) > 0) return unsupported('devices');
    if (lp.sharedMemorySize !== undefined) return unsupported('sharedMemorySize');
    if ((lp.tmpfs?.length ?? 0) > 0) return unsupported('tmpfs');
    if (lp.maxSwap !== undefined) return unsupported('maxSwap');
    if (lp.swappiness !== undefined) return unsupported('swappiness');
    if (lp.capabilities?.add?.some((cap) => !FARGATE_CAPABILITIES.has(cap))) return unsupported('capabilities other than SYS_PTRACE');
  }
  const driver = c.logConfiguration?.logDriver;
  if (driver !== undefined && !FARGATE_LOG_DRIVERS.includes(driver)) return unsupported(`log driver ${driver}`);
  return undefined;
}

/** An image in a private Amazon ECR registry: `<account>.dkr.ecr.<region>.amazonaws.com/...`. */
export function isEcrImage(image: string): boolean {
  return /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(image);
}
