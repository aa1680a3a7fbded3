import type { Attribute, ContainerDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { isEcrImage } from './fargate-rules.js';

/**
 * The container-instance attributes a definition needs (TaskDefinition "requiresAttributes"):
 * ECS derives them from the features the definition uses, and places EC2 tasks only on instances
 * whose agent advertises them. Names are the agent's capability attributes (amazon-ecs-agent
 * `agent_capability.go`). The mapping below is read off real DescribeTaskDefinition outputs where
 * one shows it, otherwise from the parameter docs ("This parameter requires version 1.18 of the
 * Docker Remote API") or the capability's meaning:
 *
 *   observed: awsvpc -> docker-remote-api.1.18 + task-eni; taskRoleArn -> task-iam-role;
 *     ECR image -> ecr-auth (+ execution-role-ecr-pull with an execution role);
 *     awslogs -> logging-driver.awslogs + docker-remote-api.1.19 (+ execution-role-awslogs);
 *     memoryReservation -> docker-remote-api.1.21; healthCheck -> container-health-check;
 *     dependsOn -> container-ordering; SSM / Secrets Manager secrets ->
 *     secrets.ssm / secrets.asm.environment-variables; S3 environmentFiles -> env-files.s3;
 *     EFS -> efs (+ efsAuth).
 *   inferred: awslogs-create-group and healthCheck.startPeriod -> docker-remote-api.1.29 (both
 *     arrived with Docker API 1.29, and outputs using them list it); logConfiguration, dockerLabels,
 *     ulimits -> 1.18 and initProcessEnabled -> 1.25 (parameter docs); the rest by capability name.
 * ECS returns the list in no stable order; Berth returns it in this file's order, without duplicates.
 */
export function requiredAttributes(def: RegisterTaskDefinitionRequest): Attribute[] {
  const names = new Set<string>();
  const add = (name: string): void => { names.add(name); };
  const legacy = (name: string): void => add(`com.amazonaws.ecs.capability.${name}`);
  const cap = (name: string): void => add(`ecs.capability.${name}`);
  const containers = def.containerDefinitions ?? [];

  for (const c of containers) containerAttributes(c, def, legacy, cap);

  if (def.taskRoleArn !== undefined) legacy('task-iam-role');
  if (def.networkMode === 'awsvpc') {
    legacy('docker-remote-api.1.18');
    cap('task-eni');
  }
  if (def.pidMode !== undefined || def.ipcMode !== undefined) cap('pid-ipc-namespace-sharing');
  if (def.proxyConfiguration !== undefined) cap('aws-appmesh');
  if (def.enableFaultInjection === true) cap('fault-injection');
  for (const v of def.volumes ?? []) {
    const efs = v.efsVolumeConfiguration;
    if (efs) {
      cap('efs');
      if (efs.authorizationConfig !== undefined || efs.transitEncryption === 'ENABLED') cap('efsAuth');
    }
    if (v.fsxWindowsFileServerVolumeConfiguration) cap('fsxWindowsFileServer');
    const driver = v.dockerVolumeConfiguration?.driver;
    if (driver !== undefined && driver !== 'local') cap(`docker-plugin.${driver}`);
  }
  return [...names].map((name) => ({ name }));
}

function containerAttributes(
  c: ContainerDefinition, def: RegisterTaskDefinitionRequest,
  legacy: (name: string) => void, cap: (name: string) => void,
): void {
  if (c.image !== undefined && isEcrImage(c.image)) {
    legacy('ecr-auth');
    if (def.executionRoleArn !== undefined) cap('execution-role-ecr-pull');
  }
  const log = c.logConfiguration;
  if (log?.logDriver !== undefined) {
    legacy(`logging-driver.${log.logDriver}`);
    legacy('docker-remote-api.1.18');
    legacy('docker-remote-api.1.19');
    if (log.logDriver === 'awslogs' && def.executionRoleArn !== undefined) cap('execution-role-awslogs');
    if (log.options?.['awslogs-create-group'] !== undefined) legacy('docker-remote-api.1.29');
    for (const s of log.secretOptions ?? []) cap(`secrets.${secretStore(s.valueFrom)}.bootstrap.log-driver`);
  }
  if (c.memoryReservation !== undefined) legacy('docker-remote-api.1.21');
  if (c.dockerLabels !== undefined && Object.keys(c.dockerLabels).length > 0) legacy('docker-remote-api.1.18');
  if ((c.ulimits?.length ?? 0) > 0) legacy('docker-remote-api.1.18');
  if (c.linuxParameters?.initProcessEnabled === true) legacy('docker-remote-api.1.25');
  if (c.healthCheck !== undefined) {
    cap('container-health-check');
    if (c.healthCheck.startPeriod !== undefined) legacy('docker-remote-api.1.29');
  }
  if ((c.dependsOn?.length ?? 0) > 0 || c.startTimeout !== undefined || c.stopTimeout !== undefined) cap('container-ordering');
  for (const s of c.secrets ?? []) cap(`secrets.${secretStore(s.valueFrom)}.environment-variables`);
  if (c.environmentFiles?.some((f) => f.type === 's3')) cap('env-files.s3');
  if (c.repositoryCredentials !== undefined) cap('private-registry-authentication.secretsmanager');
  if (c.privileged === true) legacy('privileged-container');
  for (const opt of c.dockerSecurityOptions ?? []) {
    if (opt.startsWith('label:')) legacy('selinux');
    if (opt.startsWith('apparmor:')) legacy('apparmor');
  }
  const firelens = c.firelensConfiguration;
  if (firelens) {
    cap(`firelens.${firelens.type}`);
    const fileType = firelens.options?.['config-file-type'];
    if (fileType === 's3' || fileType === 'file') cap(`firelens.options.config.${fileType}`);
  }
  if (c.restartPolicy?.enabled === true) cap('container-restart-policy');
  if (c.portMappings?.some((pm) => pm.containerPortRange !== undefined)) cap('network.container-port-range');
  for (const spec of c.credentialSpecs ?? []) cap(spec.startsWith('credentialspecdomainless:') ? 'gmsa-domainless' : 'gmsa');
}

/** Secrets Manager ARNs go to `asm`; anything else is an SSM parameter name or ARN. */
const secretStore = (valueFrom: string | undefined): 'asm' | 'ssm' =>
  valueFrom !== undefined && /^arn:[^:]+:secretsmanager:/.test(valueFrom) ? 'asm' : 'ssm';
