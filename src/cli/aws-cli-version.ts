import { spawnSync } from 'node:child_process';

/**
 * Whether an `aws --version` line names a CLI that reads AWS_ENDPOINT_URL: v1 from 1.29 (its
 * botocore 1.31), v2 from 2.13. Debian bookworm's `awscli` package is 2.9, which does not: for
 * it `berth env` also defines a shell function that passes --endpoint-url.
 */
export function readsEndpointUrlEnv(versionLine: string): boolean {
  const m = /aws-cli\/(\d+)\.(\d+)\./.exec(versionLine);
  if (!m) return true; // not an aws CLI we know: assume a modern one rather than shadow it
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major === 1 ? minor >= 29 : major === 2 ? minor >= 13 : major > 2;
}

/** The installed CLI's version line, or undefined when there is no `aws` on PATH. */
export function installedAwsCliVersion(): string | undefined {
  const r = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return undefined;
  return (r.stdout || r.stderr).trim();
}
