import { REJECTION, type InstanceView, type Rejection, type TaskNeed } from './types.js';

/**
 * Feasibility checks: can this instance run this task at all? Each is a pure predicate over one
 * snapshot, returning the ECS reason it rejects with, or undefined. The order they run in, and why,
 * is in pipeline.ts. `shortfall` says how far a rejected instance is from passing (0 = passes,
 * 1 = as far as it gets), to find the "closest matching container-instance" ECS names.
 */
export type Check = (need: TaskNeed, instance: InstanceView) => Rejection | undefined;

/**
 * AGENT: the agent must be connected and the instance ACTIVE. ECS sends no new tasks to DRAINING
 * instances (nor REGISTERING, DEREGISTERING, INACTIVE ones); it reports them as AGENT.
 */
export const agentCheck: Check = (_need, i) => (agentReady(i) ? undefined : REJECTION.agent);

export const agentReady = (i: InstanceView): boolean => i.connected && i.status === 'ACTIVE';

/** ATTRIBUTE: every requiresAttributes entry present, with the same value when one is given. */
export const attributeCheck: Check = (need, i) => {
  const req = need.requiresAttributes;
  for (let k = 0; k < req.length; k++) {
    const r = req[k];
    if (r.value === undefined ? !i.attributes.has(r.name) : i.attributes.get(r.name) !== r.value) return REJECTION.attribute;
  }
  return undefined;
};

export const cpuCheck: Check = (need, i) => (i.remaining.cpu >= need.cpu ? undefined : REJECTION.cpu);

export const memoryCheck: Check = (need, i) => (i.remaining.memory >= need.memory ? undefined : REJECTION.memory);

/** awsvpc tasks sit on their own network interface: they hold no host port, so never collide. */
export const holdsHostPorts = (need: TaskNeed): boolean => need.networkMode !== 'awsvpc';

/** RESOURCE:PORTS: no fixed host port of the task (TCP or UDP) already in use on the instance. */
export const portsCheck: Check = (need, i) => {
  if (!holdsHostPorts(need)) return undefined;
  for (let k = 0; k < need.ports.length; k++) if (i.remaining.ports.has(need.ports[k])) return REJECTION.ports;
  for (let k = 0; k < need.portsUdp.length; k++) if (i.remaining.portsUdp.has(need.portsUdp[k])) return REJECTION.ports;
  return undefined;
};

/** RESOURCE:GPU: enough free GPUs (whole GPUs; ECS assigns them by id). */
export const gpuCheck: Check = (need, i) => (i.remaining.gpus.length >= need.gpus ? undefined : REJECTION.gpu);

/** How far `instance` is from passing the check that gave `reason`: the missing fraction, in (0, 1]. */
export function shortfall(reason: Rejection, need: TaskNeed, i: InstanceView): number {
  switch (reason) {
    case REJECTION.cpu: return need.cpu > 0 ? Math.min(1, (need.cpu - i.remaining.cpu) / need.cpu) : 1;
    case REJECTION.memory: return need.memory > 0 ? Math.min(1, (need.memory - i.remaining.memory) / need.memory) : 1;
    case REJECTION.gpu: return need.gpus > 0 ? Math.min(1, (need.gpus - i.remaining.gpus.length) / need.gpus) : 1;
    case REJECTION.ports: {
      const total = need.ports.length + need.portsUdp.length;
      let taken = 0;
      for (const p of need.ports) if (i.remaining.ports.has(p)) taken++;
      for (const p of need.portsUdp) if (i.remaining.portsUdp.has(p)) taken++;
      return total > 0 ? taken / total : 1;
    }
    default: return 1;
  }
}
