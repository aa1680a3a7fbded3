import { execFile } from 'node:child_process';

/**
 * The host's NVIDIA GPUs, as the ECS agent finds them: their UUIDs from
 * `nvidia-smi --query-gpu=uuid --format=csv,noheader`. A host without the command (or where it
 * fails) has none.
 */
export function detectNvidiaGpus(command = 'nvidia-smi'): Promise<string[]> {
  return new Promise((ok) => {
    execFile(command, ['--query-gpu=uuid', '--format=csv,noheader'], { timeout: 10_000 }, (err, stdout) => ok(err ? [] : parseGpuIds(String(stdout))));
  });
}

/** One id per line (nvidia-smi's output) or per comma (the `--gpus` flag); blanks dropped, order kept, no duplicates. */
export function parseGpuIds(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\n,]/)) {
    const id = part.trim();
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}
