/**
 * The task CPU and memory combinations Fargate supports (Developer Guide: "Task CPU and memory";
 * Troubleshooting page "task definition invalid CPU or memory errors"; API reference
 * RegisterTaskDefinition "memory"). Memory is in MiB, cpu in CPU units.
 *
 *   256   (.25 vCPU)  512, 1024, 2048                          Linux
 *   512   (.5 vCPU)   1024 - 4096 in 1024 steps                Linux
 *   1024  (1 vCPU)    2048 - 8192 in 1024 steps                Linux, Windows
 *   2048  (2 vCPU)    4096 - 16384 in 1024 steps               Linux, Windows
 *   4096  (4 vCPU)    8192 - 30720 in 1024 steps               Linux, Windows
 *   8192  (8 vCPU)    16384 - 61440 in 4096 steps              Linux (platform 1.4.0+)
 *   16384 (16 vCPU)   32768 - 122880 in 8192 steps             Linux (platform 1.4.0+)
 */

interface FargateSize {
  readonly cpu: number;
  readonly memory: readonly number[];
  readonly windows: boolean;
}

function steps(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let m = min; m <= max; m += step) out.push(m);
  return out;
}

export const FARGATE_SIZES: readonly FargateSize[] = [
  { cpu: 256, memory: [512, 1024, 2048], windows: false },
  { cpu: 512, memory: steps(1024, 4096, 1024), windows: false },
  { cpu: 1024, memory: steps(2048, 8192, 1024), windows: true },
  { cpu: 2048, memory: steps(4096, 16384, 1024), windows: true },
  { cpu: 4096, memory: steps(8192, 30720, 1024), windows: true },
  { cpu: 8192, memory: steps(16384, 61440, 4096), windows: false },
  { cpu: 16384, memory: steps(32768, 122880, 8192), windows: false },
];

/** Every supported (cpu, memory) pair, in table order. */
export function fargateSizes(): Array<{ cpu: number; memory: number }> {
  return FARGATE_SIZES.flatMap((s) => s.memory.map((memory) => ({ cpu: s.cpu, memory })));
}

/**
 * Whether Fargate runs a task of this size. `operatingSystemFamily` is the runtimePlatform value;
 * Windows families (`WINDOWS_SERVER_*`) only get the 1, 2 and 4 vCPU rows.
 */
export function isFargateSize(cpu: number, memory: number, operatingSystemFamily?: string): boolean {
  const row = FARGATE_SIZES.find((s) => s.cpu === cpu);
  if (!row || !row.memory.includes(memory)) return false;
  if (operatingSystemFamily?.startsWith('WINDOWS') && !row.windows) return false;
  return true;
}
