import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order inside one transaction each. Append new ones; never edit
 * a migration that has shipped. `PRAGMA user_version` records how many have run.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE records (
     tbl TEXT NOT NULL,
     k   TEXT NOT NULL,
     v   TEXT NOT NULL,
     PRIMARY KEY (tbl, k)
   )`,
];

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the data dir's schema (version ${current}) is newer than this Berth (version ${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
