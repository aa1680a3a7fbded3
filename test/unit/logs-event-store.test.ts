import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore } from '../../src/logs/events/memory.js';
import type { EventStore, StoredEvent } from '../../src/logs/events/port.js';
import { SqliteEventStore } from '../../src/logs/events/sqlite.js';

/** The EventStore contract (src/logs/events/port.ts), run against both adapters. */
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Adapter { name: string; open: () => EventStore; reopen?: (s: EventStore) => EventStore }

const adapters: Adapter[] = [
  { name: 'memory', open: () => new MemoryEventStore() },
  (() => {
    const files = new WeakMap<EventStore, string>();
    return {
      name: 'sqlite',
      open: () => {
        const dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
        dirs.push(dir);
        const s = new SqliteEventStore(join(dir, 'logs.db'));
        files.set(s, join(dir, 'logs.db'));
        return s;
      },
      reopen: (s: EventStore) => {
        const file = files.get(s)!;
        s.close();
        const again = new SqliteEventStore(file);
        files.set(again, file);
        return again;
      },
    };
  })(),
];

const msgs = (events: StoredEvent[]): string[] => events.map((e) => e.message);
const batch = (from: number, n: number, prefix = 'm'): { timestamp: number; message: string }[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: from + i, message: `${prefix}${from + i}` }));

for (const a of adapters) {
  describe(`the ${a.name} event store`, () => {
    it('reads a stream forward and backward in (timestamp, id) order, within bounds and from cursors', () => {
      const s = a.open();
      s.append(1, 10, batch(100, 5), 1000);
      s.append(1, 10, [{ timestamp: 102, message: 'late' }], 2000); // same timestamp, later id
      s.append(1, 11, batch(100, 3, 'other'), 1000);
      const all = s.readStream({ gid: 1, sid: 10, direction: 'forward', limit: 100 });
      assert.deepEqual(msgs(all), ['m100', 'm101', 'm102', 'late', 'm103', 'm104']);
      assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 10, direction: 'forward', limit: 2 })), ['m100', 'm101']);
      assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 10, direction: 'backward', limit: 2 })), ['m103', 'm104']);
      const third = all[2];
      assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 10, direction: 'forward', cursor: third, limit: 2 })), ['late', 'm103']);
      assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 10, direction: 'backward', cursor: third, limit: 10 })), ['m100', 'm101']);
      assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 10, direction: 'forward', from: 101, to: 103, limit: 10 })), ['m101', 'm102', 'late']);
      assert.deepEqual(msgs(s.readStream({ gid: 2, sid: 10, direction: 'forward', limit: 10 })), [], 'another group sees nothing');
      s.close();
    });

    it('keeps statistics per stream', () => {
      const s = a.open();
      assert.equal(s.stats(20), undefined);
      s.append(1, 20, [{ timestamp: 50, message: 'héllo' }, { timestamp: 70, message: 'x' }], 900);
      s.append(1, 20, [{ timestamp: 10, message: 'early' }], 950);
      assert.deepEqual(s.stats(20), { firstEventTimestamp: 10, lastEventTimestamp: 70, lastIngestionTime: 950, storedBytes: 6 + 1 + 5, eventCount: 3 });
      s.close();
    });

    it('scans a group across streams in time order, with stream sets, bounds, cursors and a substring pre-filter', () => {
      const s = a.open();
      s.append(1, 1, [{ timestamp: 1, message: 'a1 ERROR' }, { timestamp: 4, message: 'a4' }], 0);
      s.append(1, 2, [{ timestamp: 2, message: 'b2' }, { timestamp: 3, message: 'b3 ERROR' }], 0);
      s.append(2, 3, [{ timestamp: 2, message: 'other group' }], 0);
      assert.deepEqual(msgs(s.scanGroup({ gid: 1, limit: 10 }).events), ['a1 ERROR', 'b2', 'b3 ERROR', 'a4']);
      assert.deepEqual(msgs(s.scanGroup({ gid: 1, sids: [2], limit: 10 }).events), ['b2', 'b3 ERROR']);
      assert.deepEqual(msgs(s.scanGroup({ gid: 1, from: 2, to: 3, limit: 10 }).events), ['b2', 'b3 ERROR']);
      assert.deepEqual(msgs(s.scanGroup({ gid: 1, contains: 'ERROR', limit: 10 }).events), ['a1 ERROR', 'b3 ERROR']);
      const first = s.scanGroup({ gid: 1, limit: 2 });
      assert.equal(first.done, false);
      const rest = s.scanGroup({ gid: 1, after: first.last, limit: 2 });
      assert.deepEqual(msgs(rest.events), ['b3 ERROR', 'a4']);
      const end = s.scanGroup({ gid: 1, after: rest.last, limit: 2 });
      assert.deepEqual([end.events.length, end.done], [0, true]);
      s.close();
    });

    it('expires old events in bounded steps and updates the statistics', () => {
      const s = a.open();
      s.append(1, 1, batch(0, 10), 0);
      s.append(1, 2, batch(5, 10), 0);
      assert.equal(s.expire(1, 8, 4), 4);
      let total = 4;
      for (let n = s.expire(1, 8, 4); n > 0; n = s.expire(1, 8, 4)) total += n;
      assert.equal(total, 8 + 3);
      assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 1, direction: 'forward', limit: 100 })), ['m8', 'm9']);
      assert.equal(s.stats(1)?.firstEventTimestamp, 8);
      assert.equal(s.stats(1)?.eventCount, 2);
      assert.equal(s.stats(2)?.eventCount, 7);
      s.close();
    });

    it('makes dropped streams and groups unreadable at once, and reclaims them in steps', () => {
      const s = a.open();
      s.append(1, 1, batch(0, 3), 0);
      s.append(1, 2, batch(0, 3, 'keep'), 0);
      s.append(2, 3, batch(0, 3), 0);
      s.dropStream(1, 1);
      s.dropGroup(2);
      assert.deepEqual(msgs(s.scanGroup({ gid: 1, limit: 10 }).events), ['keep0', 'keep1', 'keep2']);
      assert.deepEqual(s.readStream({ gid: 2, sid: 3, direction: 'forward', limit: 10 }), []);
      assert.equal(s.stats(1), undefined);
      while (s.maintain()) { /* reclaim */ }
      s.retainGroups(new Set([1]));
      assert.deepEqual(msgs(s.scanGroup({ gid: 1, limit: 10 }).events), ['keep0', 'keep1', 'keep2']);
      s.close();
    });

    if (a.reopen) {
      it('keeps every completed append, the statistics and pending drops across a reopen', () => {
        let s = a.open();
        s.append(1, 1, batch(0, 3), 5);
        s.append(1, 2, batch(0, 2), 5);
        s.dropStream(1, 2);
        s = a.reopen!(s);
        assert.deepEqual(msgs(s.readStream({ gid: 1, sid: 1, direction: 'forward', limit: 10 })), ['m0', 'm1', 'm2']);
        assert.equal(s.stats(1)?.eventCount, 3);
        assert.deepEqual(msgs(s.scanGroup({ gid: 1, limit: 10 }).events), ['m0', 'm1', 'm2']);
        s.append(1, 1, [{ timestamp: 2, message: 'after' }], 6);
        const again = s.readStream({ gid: 1, sid: 1, direction: 'forward', limit: 10 });
        assert.equal(again[again.length - 1].message, 'after', 'ids keep growing after a reopen');
        s.close();
      });
    }
  });
}
