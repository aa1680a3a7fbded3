import { join } from 'node:path';
import { Agent } from '../agent/agent.js';
import { ensurePauseImage } from '../agent/runtime/busybox-image.js';
import { DockerRuntime } from '../agent/runtime/docker.js';
import { FileAgentState } from '../agent/state-store.js';
import { managedSubject } from '../ecs/agents/tokens.js';
import type { RunningServer } from '../server.js';

/** The managed pool's host id: one embedded agent on the server's own Docker. */
export const LOCAL_MANAGED_HOST = 'fargate-local';

/**
 * Starts the embedded agent that gives `berth up` its Fargate capacity. It speaks the same
 * protocol over loopback as any agent; its state lives in the data dir, so a restarted server
 * adopts the Fargate containers that kept running.
 */
export async function startManagedCapacity(running: RunningServer, dataDir: string, log: (line: string) => void): Promise<Agent | undefined> {
  const runtime = new DockerRuntime();
  try {
    await runtime.info();
  } catch (err) {
    log(`no Docker engine reachable (${err instanceof Error ? err.message : String(err)}): running without managed (Fargate) capacity`);
    return undefined;
  }
  let pauseImage: string;
  try {
    pauseImage = await ensurePauseImage();
  } catch (err) {
    log(`cannot build the pause image (${err instanceof Error ? err.message : String(err)}): running without managed (Fargate) capacity`);
    return undefined;
  }
  const agent = new Agent({
    serverUrl: `http://127.0.0.1:${running.port}`,
    joinToken: running.tokens.issue(managedSubject(LOCAL_MANAGED_HOST)),
    runtime,
    stateStore: new FileAgentState(join(dataDir, 'managed-agent')),
    pauseImage,
    hostname: LOCAL_MANAGED_HOST,
    log,
  });
  await agent.start();
  await agent.ready;
  return agent;
}
