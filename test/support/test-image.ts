import { ensureBusyboxImage, ensurePauseImage as ensureBerthPauseImage, PAUSE_IMAGE as BERTH_PAUSE_IMAGE } from '../../src/agent/runtime/busybox-image.js';

/**
 * Tiny local images for tests, built from the host's static busybox (no registry is reachable
 * from the test machine); the builder is the one Berth uses for its own pause image.
 */
export const TEST_IMAGE = 'berth-test/busybox:latest';
export const PAUSE_IMAGE = BERTH_PAUSE_IMAGE;

const APPLETS = [
  'sh', 'httpd', 'sleep', 'echo', 'cat', 'env', 'wget', 'ls', 'true', 'false', 'nc', 'dd', 'head', 'yes',
  // A few more, so test commands can flip files (health checks) and look around.
  'rm', 'touch', 'mkdir', 'ps', 'kill', 'grep', 'test', 'hostname', 'id',
];

/** busybox with sh, httpd (serving /www) and friends; default command `/bin/sh`. */
export function ensureTestImage(): Promise<string> {
  return ensureBusyboxImage(TEST_IMAGE, APPLETS, ['CMD ["/bin/sh"]'], { 'www/index.html': '<html><body>berth test</body></html>\n' });
}

/** Berth's awsvpc pause image. */
export function ensurePauseImage(): Promise<string> {
  return ensureBerthPauseImage();
}
