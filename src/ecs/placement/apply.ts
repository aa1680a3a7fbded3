import { holdsHostPorts } from './checks.js';
import type { InstanceView, TaskNeed } from './types.js';

/**
 * What placing one task does to an instance: a new snapshot with the task's CPU, memory, host ports
 * and GPUs taken and its group counted; the given one is left as it was. The pipeline uses it on its
 * working copy between the tasks of one request; callers can use it to keep a snapshot current.
 */
export function applyPlacement(i: InstanceView, need: TaskNeed, gpuIds: readonly string[]): InstanceView {
  const r = i.remaining;
  const hostPorts = holdsHostPorts(need);
  const taskGroups = new Map(i.taskGroups);
  taskGroups.set(need.group, (taskGroups.get(need.group) ?? 0) + 1);
  return {
    id: i.id,
    ec2InstanceId: i.ec2InstanceId,
    status: i.status,
    connected: i.connected,
    attributes: i.attributes,
    remaining: {
      cpu: r.cpu - need.cpu,
      memory: r.memory - need.memory,
      ports: hostPorts && need.ports.length > 0 ? union(r.ports, need.ports) : r.ports,
      portsUdp: hostPorts && need.portsUdp.length > 0 ? union(r.portsUdp, need.portsUdp) : r.portsUdp,
      gpus: gpuIds.length > 0 ? r.gpus.filter((g) => !gpuIds.includes(g)) : r.gpus,
    },
    taskGroups,
    runningTasksCount: i.runningTasksCount + 1,
  };
}

function union(a: ReadonlySet<number>, b: readonly number[]): ReadonlySet<number> {
  const s = new Set(a);
  for (const p of b) s.add(p);
  return s;
}
