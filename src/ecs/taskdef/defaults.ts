import type { ContainerDefinition, NetworkMode, PortMapping } from '@aws-sdk/client-ecs';

/**
 * The defaults ECS fills in and the shape DescribeTaskDefinition returns (API reference:
 * RegisterTaskDefinition example output; `aws ecs register-task-definition` examples): every
 * container gets `cpu: 0`, `portMappings: []`, `essential: true`, `environment: []`,
 * `mountPoints: []`, `volumesFrom: []` and (in current ECS output) `systemControls: []`.
 */

/**
 * A deep copy without `null`/`undefined` members: JSON inputs exported from the console carry
 * `"hostname": null` and the like, which ECS treats as absent.
 */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => compact(v)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null && v !== undefined) out[k] = compact(v);
    }
    return out as T;
  }
  return value;
}

/** The network mode rules apply to: ECS runs a definition without one in `bridge` mode. */
export const effectiveMode = (mode: NetworkMode | string | undefined): string => mode ?? 'bridge';

/**
 * A port mapping as ECS stores it: `protocol` defaults to `tcp`; in `awsvpc` and `host` mode the
 * host port is the container port (a `0` or missing host port is rewritten); in `bridge` mode a
 * missing host port is stored as `0`, the dynamic-port marker. A `containerPortRange` mapping
 * keeps no host port (ECS assigns the range).
 */
export function normalisePortMapping(pm: PortMapping, mode: string): PortMapping {
  const out: PortMapping = { ...pm, protocol: pm.protocol ?? 'tcp' };
  if (pm.containerPortRange !== undefined && pm.containerPort === undefined) return out;
  if (mode === 'awsvpc' || mode === 'host') {
    if (pm.hostPort === undefined || pm.hostPort === 0) out.hostPort = pm.containerPort;
  } else if (mode === 'bridge' && pm.hostPort === undefined) {
    out.hostPort = 0;
  }
  return out;
}

/** A validated container definition with ECS's defaults filled in; every given field is kept. */
export function withContainerDefaults(c: ContainerDefinition, mode: string): ContainerDefinition {
  return {
    ...c,
    cpu: c.cpu ?? 0,
    portMappings: (c.portMappings ?? []).map((pm) => normalisePortMapping(pm, mode)),
    essential: c.essential ?? true,
    environment: c.environment ?? [],
    mountPoints: c.mountPoints ?? [],
    volumesFrom: c.volumesFrom ?? [],
    systemControls: c.systemControls ?? [],
  };
}
