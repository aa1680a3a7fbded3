import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ownContainerAddresses } from '../../src/agent/agent.js';
import { LABEL_AGENT } from '../../src/agent/engine/container-spec.js';
import { HollowRuntime } from '../../src/agent/runtime/hollow.js';

/**
 * Which containers keep an agent's credential routes alive at its start (agent.ts pruneRoutes):
 * only its own running ones. An address a gone container freed may be held by now by a container
 * of another agent on the same host (or of no agent at all); the stale route must go anyway.
 */
describe('credential routes kept at an agent start', () => {
  it('counts the agent\'s own running containers only', async () => {
    const rt = new HollowRuntime();
    const start = async (name: string, labels: Record<string, string>): Promise<string> => {
      const id = await rt.create({ name, image: 'app', labels, networkMode: 'bridge' });
      await rt.start(id);
      return (await rt.inspect(id))!.networks.bridge!.ipv4Address;
    };
    const mine = await start('mine', { [LABEL_AGENT]: 'agent-a' });
    const theirs = await start('theirs', { [LABEL_AGENT]: 'agent-b' });
    const foreign = await start('foreign', {});
    const stoppedId = await rt.create({ name: 'stopped', image: 'app', labels: { [LABEL_AGENT]: 'agent-a' }, networkMode: 'bridge' });
    const live = await ownContainerAddresses(rt, 'agent-a');
    assert.deepEqual([...live], [mine]);
    assert.ok(!live.has(theirs) && !live.has(foreign));
    assert.ok((await rt.inspect(stoppedId))?.status !== 'running');
  });
});
