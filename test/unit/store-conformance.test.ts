import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../../src/store/memory.js';
import type { StateStore } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

/**
 * The StateStore contract (src/store/port.ts), run against every adapter. Durable adapters also
 * get `reopen`, which must see exactly what was committed.
 */
interface Adapter { name: string; open: () => StateStore; reopen?: (s: StateStore) => StateStore }

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const adapters: Adapter[] = [
  { name: 'memory', open: () => new MemoryStore() },
  (() => {
    const files = new WeakMap<StateStore, string>();
    return {
      name: 'sqlite',
      open: () => {
        const dir = mkdtempSync(join(tmpdir(), 'berth-store-'));
        dirs.push(dir);
        const s = openSqliteStore(join(dir, 'db'));
        files.set(s, join(dir, 'db'));
        return s;
      },
      reopen: (s: StateStore) => {
        const file = files.get(s)!;
        s.close();
        const again = openSqliteStore(file);
        files.set(again, file);
        return again;
      },
    };
  })(),
];

for (const a of adapters) {
  describe(`the ${a.name} store`, () => {
    it('reads back what was put, and forgets what was deleted', () => {
      const s = a.open();
      const t = s.table<{ n: number }>('t');
      t.put('a', { n: 1 });
      t.put('b', { n: 2 });
      assert.deepEqual(t.get('a'), { n: 1 });
      assert.equal(t.size, 2);
      assert.equal(t.delete('a'), true);
      assert.equal(t.delete('a'), false);
      assert.equal(t.has('a'), false);
      assert.deepEqual([...t.values()], [{ n: 2 }]);
      s.close();
    });

    it('keeps insertion order when iterating', () => {
      const s = a.open();
      const t = s.table<string>('order');
      for (const k of ['z', 'a', 'm']) t.put(k, k);
      assert.deepEqual([...t.entries()].map(([k]) => k), ['z', 'a', 'm']);
      s.close();
    });

    it('undoes every write of a transaction that throws, in memory', () => {
      const s = a.open();
      const t = s.table<number>('tx');
      t.put('kept', 1);
      t.put('changed', 1);
      assert.throws(() => s.transaction(() => {
        t.put('changed', 2);
        t.put('new', 3);
        t.delete('kept');
        throw new Error('boom');
      }), /boom/);
      assert.deepEqual([...t.entries()], [['kept', 1], ['changed', 1]]);
      s.close();
    });

    it('treats a nested transaction as part of the outer one', () => {
      const s = a.open();
      const t = s.table<number>('nested');
      assert.throws(() => s.transaction(() => {
        s.transaction(() => t.put('inner', 1));
        throw new Error('outer fails');
      }));
      assert.equal(t.has('inner'), false);
      s.close();
    });

    const reopen = a.reopen;
    if (reopen) {
      it('after a reopen, holds exactly the committed writes, and none of a failed transaction', () => {
        let s = a.open();
        const t = s.table<{ v: string }>('durable');
        t.put('one', { v: '1' });
        s.transaction(() => { t.put('two', { v: '2' }); t.put('three', { v: '3' }); });
        t.delete('one');
        assert.throws(() => s.transaction(() => { t.put('four', { v: '4' }); throw new Error('no'); }));
        s.table<number>('other').put('x', 7);
        s = reopen(s);
        const again = s.table<{ v: string }>('durable');
        assert.deepEqual([...again.entries()], [['two', { v: '2' }], ['three', { v: '3' }]]);
        assert.equal(s.table<number>('other').get('x'), 7);
        s.close();
      });
    }
  });
}
