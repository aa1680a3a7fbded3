/**
 * Child process of bench/services.ts: N hollow agents (HollowRuntime, MemoryAgentState, no
 * metadata endpoint, no credentials route) registered into one cluster with a join token. They
 * live in this process, apart from the server, so the server can be SIGKILLed and started again
 * on the same port: each agent then reconnects (with its backoff) under the identity it was
 * issued, and its hollow containers keep "running" meanwhile.
 *
 * Environment: SVC_AGENTS_URL, SVC_AGENTS_TOKEN, SVC_AGENTS_N. Prints `ready <n>` on stdout once
 * every agent is welcomed; runs until SIGTERM/SIGINT. Resources are declared large (the bench
 * measures the scheduler, not bin packing).
 */
import { Agent } from '../src/agent/agent.js';
import { HollowRuntime } from '../src/agent/runtime/hollow.js';
import { MemoryAgentState } from '../src/agent/state-store.js';

const url = process.env.SVC_AGENTS_URL!;
const token = process.env.SVC_AGENTS_TOKEN!;
const n = Number(process.env.SVC_AGENTS_N ?? 50);

const agents: Agent[] = [];
const stop = (): void => {
  for (const a of agents) a.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
// The parent's end of stdout closing means the parent is gone: do not outlive it.
process.stdout.on('error', stop);
process.on('disconnect', stop);

let next = 0;
await Promise.all(Array.from({ length: Math.min(32, n) }, async () => {
  while (next < n) {
    const i = next++;
    const agent = new Agent({
      serverUrl: url, joinToken: token, runtime: new HollowRuntime(), stateStore: new MemoryAgentState(),
      pauseImage: 'berth/pause:latest', metadata: false, credentialsRoute: false, hostname: `svc-hollow-${i}`,
      resources: { cpu: 1_000_000, memory: 1_000_000 },
    });
    agents.push(agent);
    await agent.start();
    await agent.ready;
  }
}));
process.stdout.write(`ready ${agents.length}\n`);
setInterval(() => {
  // Reports how many agents are connected, for the parent's log.
  process.stdout.write(`connected ${agents.filter((a) => a.connected).length}\n`);
}, 5000);
