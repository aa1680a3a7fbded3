import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small local images built from the host's static busybox with `docker import`: Berth's own
 * awsvpc pause image, and the test image. No registry is needed (none may be reachable).
 * Idempotent and safe when two processes build at once: a missing image is imported under a
 * private temporary tag and then tagged.
 */

/** Where Debian's busybox-static package installs a statically linked busybox. */
export const BUSYBOX = '/bin/busybox';

export const PAUSE_IMAGE = 'berth/pause:latest';
/**
 * The pause container: sleeps until SIGTERM and exits 0 at once (PID 1 has no default signal
 * handling, hence the trap; `wait` is interruptible, `sleep` alone is not).
 */
const PAUSE_CMD = `CMD ["/bin/sh","-c","trap 'exit 0' TERM INT; sleep 2147483647 & wait"]`;

const building = new Map<string, Promise<string>>();

export function ensurePauseImage(): Promise<string> {
  return ensureBusyboxImage(PAUSE_IMAGE, ['sh', 'sleep'], [PAUSE_CMD]);
}

/** Builds `tag` once per process when the engine lacks it. */
export function ensureBusyboxImage(tag: string, applets: readonly string[], changes: readonly string[], files: Record<string, string> = {}): Promise<string> {
  let p = building.get(tag);
  if (!p) {
    p = Promise.resolve().then(() => build(tag, applets, changes, files));
    building.set(tag, p);
    p.catch(() => building.delete(tag));
  }
  return p;
}

function imageExists(tag: string): boolean {
  return spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0;
}

function build(tag: string, applets: readonly string[], changes: readonly string[], files: Record<string, string>): string {
  if (imageExists(tag)) return tag;
  if (!existsSync(BUSYBOX)) {
    throw new Error(`${BUSYBOX} is missing: install the busybox-static package (apt-get install -y busybox-static) to build ${tag}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'berth-rootfs-'));
  const tempTag = `${tag.split(':')[0]}:building-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeRootfs(dir, applets, files);
    const tar = spawnSync('tar', ['-c', '--owner=0', '--group=0', '--numeric-owner', '-C', dir, '.'], { maxBuffer: 64 << 20 });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
    execFileSync('docker', ['import', ...changes.flatMap((c) => ['--change', c]), '-', tempTag], { input: tar.stdout, stdio: ['pipe', 'ignore', 'pipe'] });
    execFileSync('docker', ['tag', tempTag, tag], { stdio: 'ignore' });
  } finally {
    spawnSync('docker', ['rmi', tempTag], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
  return tag;
}

function writeRootfs(dir: string, applets: readonly string[], files: Record<string, string>): void {
  for (const d of ['bin', 'etc', 'dev', 'proc', 'sys', 'root']) mkdirSync(join(dir, d));
  mkdirSync(join(dir, 'tmp'));
  chmodSync(join(dir, 'tmp'), 0o1777);
  copyFileSync(BUSYBOX, join(dir, 'bin/busybox'));
  chmodSync(join(dir, 'bin/busybox'), 0o755);
  for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nnobody:x:65534:\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}
