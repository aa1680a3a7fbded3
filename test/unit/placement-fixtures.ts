import type { InstanceView, TaskNeed } from '../../src/ecs/placement/types.js';

/** Builders shared by the placement tests: an ACTIVE, connected, empty-ish instance and a small need. */
export interface InstanceSpec {
  id?: string; status?: InstanceView['status']; connected?: boolean;
  attributes?: Record<string, string | undefined>; cpu?: number; memory?: number;
  ports?: number[]; portsUdp?: number[]; gpus?: string[]; groups?: Record<string, number>;
}

export const arn = (id: string): string => `arn:aws:ecs:us-east-1:123456789012:container-instance/c1/${id}`;

export function instance(spec: InstanceSpec = {}): InstanceView {
  const id = spec.id ?? 'a';
  const groups = new Map(Object.entries(spec.groups ?? {}));
  return {
    id: arn(id), ec2InstanceId: `i-${id}`, status: spec.status ?? 'ACTIVE', connected: spec.connected ?? true,
    attributes: new Map(Object.entries(spec.attributes ?? {})),
    remaining: {
      cpu: spec.cpu ?? 1024, memory: spec.memory ?? 2048, ports: new Set(spec.ports ?? []), portsUdp: new Set(spec.portsUdp ?? []), gpus: spec.gpus ?? [],
    },
    taskGroups: groups,
    runningTasksCount: [...groups.values()].reduce((a, b) => a + b, 0),
  };
}

export function need(over: Partial<TaskNeed> = {}): TaskNeed {
  return { cpu: 256, memory: 512, ports: [], portsUdp: [], gpus: 0, requiresAttributes: [], group: 'service:web', ...over };
}
