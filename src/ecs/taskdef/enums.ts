import { clientException } from '../errors.js';

/**
 * Enumerated task-definition fields and the values ECS accepts for them (API reference:
 * RegisterTaskDefinition, ContainerDependency). The SDK types already narrow these, but the wire
 * carries plain strings, so the domain checks them again.
 */
export const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'] as const;
export const PID_MODES = ['task', 'host'] as const;
export const IPC_MODES = ['host', 'task', 'none'] as const;
export const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
export const CONTAINER_CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const;
export const PROXY_TYPES = ['APPMESH'] as const;
export const PLACEMENT_CONSTRAINT_TYPES = ['memberOf'] as const;

/**
 * Rejects a value outside `allowed`. The wording is what ECS returns for pidMode
 * (" is not a valid value for pidMode. The value must be one of [task,host]", reported by
 * ecs-cli users); the same form is used for the other enumerations.
 */
export function checkEnum(field: string, value: string | undefined, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (!allowed.includes(value)) {
    throw clientException(`${value} is not a valid value for ${field}. The value must be one of [${allowed.join(',')}]`);
  }
}
