import Database from 'better-sqlite3';
import { MemoryStore, type Change, type ChangeSink } from './memory.js';
import { migrate } from './migrations.js';

/**
 * SQLite adapter: every record lives in one `records(tbl, k, v)` table as JSON, loaded into
 * memory at start-up and written through on each commit. WAL with synchronous=NORMAL makes a
 * commit durable against a killed process (the OS holds the pages) without an fsync per request;
 * `BERTH_SQLITE_SYNC=full` asks for fsync on every commit, for power-loss durability.
 */
export function openSqliteStore(file: string, options: { fullSync?: boolean } = {}): MemoryStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.fullSync ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const upsert = db.prepare('INSERT INTO records (tbl, k, v) VALUES (?, ?, ?) ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v');
  const remove = db.prepare('DELETE FROM records WHERE tbl = ? AND k = ?');
  const write = db.transaction((changes: readonly Change[]) => {
    for (const c of changes) {
      if (c.value === undefined) remove.run(c.table, c.key);
      else upsert.run(c.table, c.key, JSON.stringify(c.value));
    }
  });
  const sink: ChangeSink = { commit: (changes) => write(changes) };

  const store = new MemoryStore(sink);
  // Insertion order in memory follows rowid, i.e. the order records were first written.
  for (const row of db.prepare('SELECT tbl, k, v FROM records ORDER BY rowid').iterate() as Iterable<{ tbl: string; k: string; v: string }>) {
    store.load(row.tbl, row.k, JSON.parse(row.v));
  }
  const close = store.close.bind(store);
  store.close = () => { close(); db.close(); };
  return store;
}
