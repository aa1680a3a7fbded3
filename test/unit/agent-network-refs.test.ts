import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkRefs } from '../../src/agent/engine/network-refs.js';

/** A subnet's Docker network shared by its awsvpc tasks (agent/engine/network-refs.ts). */
describe('NetworkRefs', () => {
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  it('creates the network for its first user only, and removes it after the last one, without making it wait', async () => {
    const refs = new NetworkRefs(10);
    let creates = 0;
    let removes = 0;
    let removing: (() => void) | undefined;
    const create = async (): Promise<void> => { creates++; };
    const remove = (): Promise<void> => new Promise((ok) => { removes++; removing = ok; });
    for (let i = 0; i < 5; i++) await refs.acquire('net', create);
    assert.equal(creates, 1);
    for (let i = 0; i < 4; i++) await refs.release('net', remove);
    assert.equal(removes, 0, 'users are left');
    await refs.release('net', remove);
    await sleep(5);
    assert.equal(removes, 1, 'the last release queued the removal');
    assert.ok(removing, 'and returned while the removal is still going');
    // A task arriving meanwhile waits for the removal, then creates the network again.
    const back = refs.acquire('net', create);
    removing!();
    await back;
    assert.equal(creates, 2);
  });

  it('tries a failed removal again while nobody uses the network, and gives it up once someone does', async () => {
    const refs = new NetworkRefs(10, 4);
    let tries = 0;
    const failing = async (): Promise<void> => { tries++; throw new Error('active endpoints'); };
    await refs.acquire('a', async () => undefined);
    await refs.release('a', failing);
    await sleep(200);
    assert.equal(tries, 4, 'every attempt made, then given up');

    let later = 0;
    await refs.acquire('b', async () => undefined);
    await refs.release('b', async () => { later++; if (later === 1) throw new Error('active endpoints'); });
    await refs.settled('b');
    assert.equal(later, 1);
    await refs.acquire('b', async () => undefined);
    await sleep(60);
    assert.equal(later, 1, 'no removal while the network has a user again');
  });
});
