/**
 * Capacity provider managed scaling ("Amazon ECS cluster auto scaling") — pure, no I/O, no clock.
 *
 * ECS publishes, per capacity provider, `CapacityProviderReservation = M / N × 100` where
 * - N: the instances in the provider's Auto Scaling group that are running;
 * - M: the instances needed to run every task of the provider — the instances running at least
 *   one (non-daemon) task, plus those needed for the tasks that could not be placed for lack of
 *   capacity (ECS's PROVISIONING tasks).
 * Special cases: N = 0 and M > 0 → 200 (scale out); M = 0 and N = 0 → 100 (nothing to do).
 * A target tracking policy keeps the metric at `targetCapacity`: the group is sized to
 * ⌈M × 100 / targetCapacity⌉ instances, moving at least minimumScalingStepSize and at most
 * maximumScalingStepSize instances per scale-out, at most maximumScalingStepSize per scale-in,
 * and never above `maxSize` (the Auto Scaling group's maximum, which Berth's providers do not
 * carry: the caller chooses it).
 *
 * Scale-in takes instances running no non-daemon task first, oldest first. With managed
 * termination protection ENABLED only those may go (ECS protects the others from scale-in); with
 * it DISABLED, when the group must shrink below the instances that run tasks (its maximum was
 * lowered), the Auto Scaling group terminates them too, whatever they run — which is why the
 * protection exists.
 */

export interface ScalingConfig {
  /** 1..100: the reservation the provider aims at. */
  targetCapacity: number;
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
  managedTerminationProtection: boolean;
  /** The group's maximum size (≥ 0). */
  maxSize: number;
}

/** An instance of the group as scaling sees it. */
export interface GroupInstance {
  id: string;
  /** Non-daemon tasks on it that are not STOPPED. */
  tasks: number;
  /** Registration time (epoch ms): scale-in takes the oldest first. */
  registeredAt: number;
}

export interface Size { cpu: number; memory: number }

export interface ScalingInput {
  instances: readonly GroupInstance[];
  /** Instances asked for and not yet registered: counted in N, never terminated. */
  launching?: number;
  /** What each task waiting for capacity needs. */
  waiting: readonly Size[];
  /** One new instance's resources (unknown: one instance per waiting task). */
  instanceSize?: Size;
  config: ScalingConfig;
}

export interface ScalingDecision {
  /** CapacityProviderReservation, percent. */
  reservation: number;
  m: number;
  n: number;
  /** The group size wanted after this step. */
  desired: number;
  /** Instances to add. */
  launch: number;
  /** Instances to remove (ids), oldest first. */
  terminate: string[];
}

/** ECS's CapacityProviderReservation for M instances needed and N running. */
export function capacityProviderReservation(m: number, n: number): number {
  if (n === 0) return m > 0 ? 200 : 100;
  return (m / n) * 100;
}

/**
 * Instances needed for tasks waiting for capacity: first-fit decreasing onto new instances of
 * `size`. A task larger than an instance, or an unknown size, takes an instance of its own.
 */
export function instancesFor(waiting: readonly Size[], size?: Size): number {
  if (waiting.length === 0) return 0;
  if (!size || size.cpu <= 0 || size.memory <= 0) return waiting.length;
  const sorted = [...waiting].sort((a, b) => b.memory / size.memory + b.cpu / size.cpu - (a.memory / size.memory + a.cpu / size.cpu));
  const bins: Size[] = [];
  let alone = 0;
  for (const t of sorted) {
    if (t.cpu > size.cpu || t.memory > size.memory) { alone++; continue; }
    const bin = bins.find((b) => b.cpu >= t.cpu && b.memory >= t.memory);
    if (bin) { bin.cpu -= t.cpu; bin.memory -= t.memory; } else bins.push({ cpu: size.cpu - t.cpu, memory: size.memory - t.memory });
  }
  return bins.length + alone;
}

/** The group size target tracking asks for, one step from `n`. */
export function desiredSize(m: number, n: number, c: ScalingConfig): number {
  const target = Math.max(1, Math.min(100, c.targetCapacity));
  const wanted = Math.max(0, Math.ceil((m * 100) / target - 1e-9));
  const minStep = Math.max(1, c.minimumScalingStepSize);
  const maxStep = Math.max(minStep, c.maximumScalingStepSize);
  const cap = Math.max(0, c.maxSize);
  let next = wanted > n ? n + Math.min(maxStep, Math.max(minStep, wanted - n)) : Math.max(wanted, n - maxStep);
  // Never above the group's maximum; coming down to it is one step at a time too.
  if (next > cap) next = n > cap ? Math.max(cap, n - maxStep) : cap;
  return next;
}

/** One scaling evaluation of a provider. */
export function decideScaling(input: ScalingInput): ScalingDecision {
  const launching = Math.max(0, input.launching ?? 0);
  const n = input.instances.length + launching;
  const busy = input.instances.filter((i) => i.tasks > 0).length;
  const m = busy + instancesFor(input.waiting, input.instanceSize);
  const reservation = capacityProviderReservation(m, n);
  const desired = desiredSize(m, n, input.config);
  const launch = Math.max(0, desired - n);
  let terminate: string[] = [];
  if (desired < n) {
    const removable = [...input.instances]
      .filter((i) => !input.config.managedTerminationProtection || i.tasks === 0)
      .sort((a, b) => Number(a.tasks > 0) - Number(b.tasks > 0) || a.registeredAt - b.registeredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    terminate = removable.slice(0, n - desired).map((i) => i.id);
  }
  return { reservation, m, n, desired, launch, terminate };
}
