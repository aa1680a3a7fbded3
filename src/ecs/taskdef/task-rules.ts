import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';
import { PLACEMENT_CONSTRAINT_TYPES, PROXY_TYPES, checkEnum } from './enums.js';

/** Family: up to 255 letters, numbers, hyphens and underscores (API reference: RegisterTaskDefinition "family"). */
export const FAMILY_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * ECS's messages: "Family can not be blank." and "Family contains invalid characters."
 * (aws-actions/amazon-ecs-deploy-task-definition#630, aws/amazon-ecs-cli#37). A name over 255
 * characters gets the invalid-characters answer too (Berth's reading of the pattern).
 */
export function checkFamily(family: string | undefined): void {
  if (family === undefined || family === '') throw clientException('Family can not be blank.');
  if (!FAMILY_PATTERN.test(family)) throw clientException('Family contains invalid characters.');
}

/** The limit on placement constraints (RegisterTaskDefinition "placementConstraints": "a maximum of 10"). */
export const MAX_PLACEMENT_CONSTRAINTS = 10;

/**
 * Task-level settings other than size and network: ephemeral storage, the App Mesh proxy,
 * placement constraints, and what secrets and awslogs need. Messages are Berth's wording unless
 * noted.
 */
export function checkTaskSettings(def: RegisterTaskDefinitionRequest): void {
  const size = def.ephemeralStorage?.sizeInGiB;
  if (def.ephemeralStorage !== undefined) {
    // EphemeralStorage "sizeInGiB": "The minimum supported value is 21 GiB and the maximum
    // supported value is 200 GiB." The "at least 21" wording is what users see through
    // CloudFormation (guardian/cdk#1101).
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 21) {
      throw clientException('EphemeralStorage size should be at least 21');
    }
    if (size > 200) throw clientException('EphemeralStorage size should be at most 200');
  }

  const proxy = def.proxyConfiguration;
  if (proxy !== undefined) {
    checkEnum('type', proxy.type, PROXY_TYPES);
    // ProxyConfiguration "containerName": the App Mesh proxy container, which must be defined.
    const names = new Set((def.containerDefinitions ?? []).map((c) => c.name));
    if (proxy.containerName === undefined || !names.has(proxy.containerName)) {
      throw clientException(`Invalid 'proxyConfiguration' setting. Unknown container: '${proxy.containerName ?? 'null'}'.`);
    }
  }

  const constraints = def.placementConstraints ?? [];
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) {
    throw clientException(`Too many placement constraints. A task definition can have at most ${MAX_PLACEMENT_CONSTRAINTS}.`);
  }
  for (const pc of constraints) checkEnum('type', pc.type, PLACEMENT_CONSTRAINT_TYPES);

  for (const c of def.containerDefinitions ?? []) {
    // Secrets are fetched with the task execution role (Developer Guide "Pass sensitive data to
    // a container"). ECS's message ends "... you must also specify a value for
    // 'executionRoleArn'." (seen truncated in user reports; the opening is Berth's).
    const usesSecrets = (c.secrets?.length ?? 0) > 0 || (c.logConfiguration?.secretOptions?.length ?? 0) > 0;
    if (usesSecrets && def.executionRoleArn === undefined) {
      throw clientException("When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
    }
    // awslogs needs a group and a region (LogConfiguration "options": awslogs-region and
    // awslogs-group "Required: Yes"). ECS: "Log driver awslogs requires options:
    // awslogs-region, awslogs-group" (klothoplatform/klotho#892); Berth lists the missing ones.
    const log = c.logConfiguration;
    if (log?.logDriver === 'awslogs') {
      const missing = ['awslogs-region', 'awslogs-group'].filter((o) => log.options?.[o] === undefined || log.options[o] === '');
      if (missing.length > 0) throw clientException(`Log driver awslogs requires options: ${missing.join(', ')}`);
    }
  }
}
