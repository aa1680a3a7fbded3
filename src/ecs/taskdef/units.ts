import { clientException } from '../errors.js';

/**
 * Task-level `cpu` and `memory` as RegisterTaskDefinition accepts them (API reference:
 * RegisterTaskDefinition, "cpu" and "memory"): cpu as CPU units (`1024`) or vCPUs (`1 vCPU`,
 * `1 vcpu`, `.25 vCPU`); memory as MiB (`1024`) or GB (`1GB`, `1 GB`). ECS converts both to unit
 * strings when it registers the definition ("String values are converted to an integer ...").
 * Accepting `MiB`/`MB`/`GiB` suffixes is Berth's reading; the docs only show the GB form.
 */

const CPU_FORM = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(vcpus?)?\s*$/i;
const MEMORY_FORM = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(gb|gib|mb|mib)?\s*$/i;

/** EC2/External task cpu bounds: 128 units (0.125 vCPU) to 196608 units (192 vCPU). */
export const TASK_CPU_MIN = 128;
export const TASK_CPU_MAX = 196608;

/** The whole number `x` is within floating-point noise of, or undefined. */
function whole(x: number): number | undefined {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : undefined;
}

/** CPU units for a task-level cpu string, or undefined when the text is not a cpu amount. */
export function cpuUnits(raw: string): number | undefined {
  const m = CPU_FORM.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2]) return whole(n * 1024);
  return /^\d+$/.test(m[1]!) ? n : undefined;
}

/** MiB for a task-level memory string, or undefined when the text is not a memory amount. */
export function memoryMiB(raw: string): number | undefined {
  const m = MEMORY_FORM.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === 'gb' || unit === 'gib') return whole(n * 1024);
  return whole(n);
}

/**
 * The stored form of a task-level cpu: a unit string. Throws ClientException
 * "Invalid 'cpu' setting for task." (Troubleshooting page "task definition invalid CPU or memory
 * errors") for malformed text or a value outside 128..196608 units.
 */
export function normaliseTaskCpu(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const units = cpuUnits(raw);
  if (units === undefined || units < TASK_CPU_MIN || units > TASK_CPU_MAX) {
    throw clientException("Invalid 'cpu' setting for task.");
  }
  return String(units);
}

/** The stored form of a task-level memory: a MiB string. Throws "Invalid 'memory' setting for task.". */
export function normaliseTaskMemory(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const mib = memoryMiB(raw);
  if (mib === undefined || mib <= 0) throw clientException("Invalid 'memory' setting for task.");
  return String(mib);
}
