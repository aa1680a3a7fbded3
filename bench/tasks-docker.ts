/**
 * Baselines of the task benchmark: the same containers started without Berth, sequentially, on
 * the same Docker engine in the same run. Two floors are measured for each shape:
 *
 * - the docker CLI (`docker run -d` returns once the container is started) — what a person
 *   typing the command waits for, including the CLI's own process start;
 * - the Engine API through Berth's own `DockerRuntime` (create + start over the unix socket),
 *   i.e. exactly the engine calls Berth's agent makes, with nothing of Berth around them.
 *
 * Everything created here carries the label `berth-bench.run=<run id>`, so `removeLabelled`
 * finds it again whatever failed.
 */
import { execFile } from 'node:child_process';
import { DockerRuntime } from '../src/agent/runtime/docker.js';
import type { ContainerSpec } from '../src/agent/runtime/port.js';

export const RUN_LABEL = 'berth-bench.run';

/**
 * Stop timeout (s) of every container here and of the Berth tasks: SIGTERM ends them at once
 * through their init, except when it lands before the init has set up its signal handling (a
 * container stopped within a millisecond of starting, seen on a loaded host); then SIGKILL
 * follows after this timeout, which is kept short so one such stop does not cost 30 s.
 */
export const STOP_TIMEOUT_SEC = 2;

export interface Timed { startMs: number; stopMs: number }
export interface NetTimed extends Timed { networkMs: number; pauseMs: number; appMs: number }

/** Runs the docker CLI; resolves with its trimmed stdout, rejects with its stderr. */
export function docker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout.trim());
    });
  });
}

const quietly = (p: Promise<unknown>): Promise<void> => p.then(() => undefined, () => undefined);

/** Removes every container, then every network, labelled with this run id. Never throws. */
export async function removeLabelled(runId: string): Promise<void> {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const ids = await docker(['ps', '-aq', '--filter', filter]).catch(() => '');
  if (ids) await quietly(docker(['rm', '-f', ...ids.split('\n')]));
  const nets = await docker(['network', 'ls', '-q', '--filter', filter]).catch(() => '');
  if (nets) await quietly(docker(['network', 'rm', ...nets.split('\n')]));
}

/**
 * A bridge network for the awsvpc baselines, on the first of a few private /24s that no network
 * on this host overlaps (Docker refuses overlapping pools). Returns its name, subnet and a free
 * address for the pause container.
 */
export async function createBaselineNetwork(runId: string, name: string): Promise<{ name: string; subnet: string; gateway: string; ip: string }> {
  let last: unknown;
  for (let third = 201; third < 250; third += 7) {
    const prefix = `10.231.${third}`;
    const net = { name, subnet: `${prefix}.0/24`, gateway: `${prefix}.1`, ip: `${prefix}.10` };
    try {
      await docker(['network', 'create', '--driver', 'bridge', '--subnet', net.subnet, '--gateway', net.gateway, '--label', `${RUN_LABEL}=${runId}`, name]);
      return net;
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`no free private /24 for the baseline network: ${last instanceof Error ? last.message : String(last)}`);
}

/**
 * `docker run -d --init --rm IMAGE sleep 3600`, timed until the CLI returns (the container is
 * started), then `docker stop` + `docker rm -f`, timed together (Berth's stop also removes).
 * `--init` because the Berth task runs with initProcessEnabled: the same container, so SIGTERM
 * ends it at once in both.
 */
export async function cliBridge(runId: string, image: string): Promise<Timed> {
  const t0 = performance.now();
  const id = await docker(['run', '-d', '--init', '--rm', '--label', `${RUN_LABEL}=${runId}`, image, 'sleep', '3600']);
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  await docker(['stop', '-t', String(STOP_TIMEOUT_SEC), id]);
  // --rm may already be removing it: "no such container" / "already in progress" are fine.
  await quietly(docker(['rm', '-f', id]));
  return { startMs, stopMs: performance.now() - t1 };
}

/**
 * The awsvpc shape with the CLI on an existing network: a pause container with a static
 * address, then the app container joined to its network namespace (`--network container:`),
 * timed together; teardown (stop app, remove both) timed as the stop.
 */
export async function cliAwsvpc(runId: string, image: string, pauseImage: string, net: { name: string; ip: string }): Promise<Timed> {
  const label = `${RUN_LABEL}=${runId}`;
  const t0 = performance.now();
  const pause = await docker(['run', '-d', '--label', label, '--network', net.name, '--ip', net.ip, pauseImage]);
  const app = await docker(['run', '-d', '--init', '--label', label, '--network', `container:${pause}`, image, 'sleep', '3600']);
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  await docker(['stop', '-t', String(STOP_TIMEOUT_SEC), app]);
  await docker(['rm', '-f', app, pause]);
  return { startMs, stopMs: performance.now() - t1 };
}

/** Engine-API floor of the bridge shape: create + start, then stop + remove, as the agent calls them. */
export async function apiBridge(rt: DockerRuntime, runId: string, image: string, i: number): Promise<Timed> {
  const spec: ContainerSpec = {
    name: `berth-bench-${runId}-api-${i}`, image, labels: { [RUN_LABEL]: runId }, networkMode: 'bridge',
    cmd: ['sleep', '3600'], init: true, memoryBytes: 32 << 20, cpuShares: 2,
  };
  const t0 = performance.now();
  const id = await rt.create(spec);
  await rt.start(id);
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  await rt.stop(id, STOP_TIMEOUT_SEC);
  await rt.remove(id);
  return { startMs, stopMs: performance.now() - t1 };
}

/**
 * Engine-API floor of the awsvpc shape including what Berth does for a subnet's first task:
 * create the subnet's network, then pause (static address) and app containers; segments are
 * timed apart so the floor can be read with or without the network. Teardown removes all three.
 */
export async function apiAwsvpc(
  rt: DockerRuntime, runId: string, image: string, pauseImage: string, net: { subnet: string; gateway: string; ip: string }, i: number,
): Promise<NetTimed> {
  const labels = { [RUN_LABEL]: runId };
  const netName = `berth-bench-${runId}-apinet`;
  const t0 = performance.now();
  await rt.createNetwork({ name: netName, subnet: net.subnet, gateway: net.gateway, labels });
  const t1 = performance.now();
  const pause = await rt.create({ name: `berth-bench-${runId}-apipause-${i}`, image: pauseImage, labels, networkMode: netName, ipv4Address: net.ip, stopTimeoutSec: 1 });
  await rt.start(pause);
  const t2 = performance.now();
  const app = await rt.create({
    name: `berth-bench-${runId}-apiapp-${i}`, image, labels, networkMode: `container:${pause}`, cmd: ['sleep', '3600'], init: true, cpuShares: 2,
  });
  await rt.start(app);
  const t3 = performance.now();
  await rt.stop(app, STOP_TIMEOUT_SEC);
  await rt.remove(app);
  await rt.remove(pause);
  await rt.removeNetwork(netName);
  return { networkMs: t1 - t0, pauseMs: t2 - t1, appMs: t3 - t2, startMs: t3 - t0, stopMs: performance.now() - t3 };
}
