import Database from 'better-sqlite3';
import type { Cursor, EventStore, GroupScan, NewEvent, ScanResult, StoredEvent, StreamRead, StreamStats } from './port.js';
import { utf8Bytes } from './utf8.js';

/** Bound larger than any timestamp the room accepts (epoch ms fit in 2^53). */
const FAR = Number.MAX_SAFE_INTEGER;
/** Rows deleted per `maintain` step when reclaiming a dropped group or stream. */
const RECLAIM_STEP = 20_000;
/** Above this many streams a scan filters streams in JS rather than with `sid IN (…)`. */
const MAX_SQL_SIDS = 200;

interface Row { id: number; sid: number; ts: number; ingest: number; msg: string }
interface StatsRow { sid: number; gid: number; first_ts: number; last_ts: number; last_ingest: number; bytes: number; count: number }

const toEvent = (r: Row): StoredEvent => ({ id: r.id, sid: r.sid, timestamp: r.ts, ingestionTime: r.ingest, message: r.msg });

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  gid INTEGER NOT NULL, sid INTEGER NOT NULL, ts INTEGER NOT NULL, ingest INTEGER NOT NULL,
  bytes INTEGER NOT NULL, msg TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_stream ON events (gid, sid, ts, id);
CREATE INDEX IF NOT EXISTS events_by_group ON events (gid, ts, id);
CREATE TABLE IF NOT EXISTS streams (
  sid INTEGER PRIMARY KEY, gid INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,
  last_ingest INTEGER NOT NULL, bytes INTEGER NOT NULL, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dropped (kind TEXT NOT NULL, gid INTEGER NOT NULL, sid INTEGER NOT NULL, PRIMARY KEY (kind, gid, sid));
`;

/**
 * The durable event store: one SQLite database (`logs.db` in the data dir) apart from the
 * StateStore's, in WAL mode. Events are rows indexed by (group, stream, timestamp, id) for
 * GetLogEvents and (group, timestamp, id) for FilterLogEvents and Insights, so reads touch only
 * the pages they return and memory stays bounded by SQLite's page cache whatever the row count.
 * Per-stream statistics live in the same database, updated in the append's own transaction, and
 * are cached in memory (one small record per stream).
 *
 * Durability: synchronous=NORMAL, as the StateStore uses — a committed append survives SIGKILL;
 * `fullSync` asks for an fsync per commit (power-loss durability).
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<number, StreamStats & { gid: number }>();
  /** Streams and groups dropped but not yet reclaimed: never returned by a read. */
  private readonly droppedSids = new Set<number>();
  private readonly droppedGids = new Set<number>();
  private readonly insert: Database.Statement;
  private readonly upsertStats: Database.Statement;
  private readonly appendTx: (gid: number, sid: number, batch: readonly NewEvent[], ingest: number) => StatsRow;
  private readonly scans = new Map<string, Database.Statement>();

  constructor(file: string, options: { fullSync?: boolean } = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.fullSync ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -16000'); // 16 MB of page cache, the bulk of this store's memory
    this.db.exec(SCHEMA);
    for (const r of this.db.prepare('SELECT * FROM streams').iterate() as Iterable<StatsRow>) this.cache.set(r.sid, statsOf(r));
    for (const r of this.db.prepare('SELECT kind, gid, sid FROM dropped').iterate() as Iterable<{ kind: string; gid: number; sid: number }>) {
      if (r.kind === 'g') this.droppedGids.add(r.gid);
      else this.droppedSids.add(r.sid);
    }
    this.insert = this.db.prepare('INSERT INTO events (gid, sid, ts, ingest, bytes, msg) VALUES (?, ?, ?, ?, ?, ?)');
    this.upsertStats = this.db.prepare(
      `INSERT INTO streams (sid, gid, first_ts, last_ts, last_ingest, bytes, count) VALUES (@sid, @gid, @first_ts, @last_ts, @last_ingest, @bytes, @count)
       ON CONFLICT (sid) DO UPDATE SET first_ts = excluded.first_ts, last_ts = excluded.last_ts, last_ingest = excluded.last_ingest,
       bytes = excluded.bytes, count = excluded.count`,
    );
    this.appendTx = this.db.transaction((gid: number, sid: number, batch: readonly NewEvent[], ingest: number): StatsRow => {
      const prev = this.cache.get(sid);
      let first = prev?.firstEventTimestamp ?? FAR;
      let last = prev?.lastEventTimestamp ?? -1;
      let bytes = prev?.storedBytes ?? 0;
      for (const e of batch) {
        const size = utf8Bytes(e.message);
        this.insert.run(gid, sid, e.timestamp, ingest, size, e.message);
        if (e.timestamp < first) first = e.timestamp;
        if (e.timestamp > last) last = e.timestamp;
        bytes += size;
      }
      const row: StatsRow = { sid, gid, first_ts: first, last_ts: last, last_ingest: ingest, bytes, count: (prev?.eventCount ?? 0) + batch.length };
      this.upsertStats.run(row);
      return row;
    });
  }

  append(gid: number, sid: number, batch: readonly NewEvent[], ingestionTime: number): void {
    if (batch.length === 0) return;
    const row = this.appendTx(gid, sid, batch, ingestionTime);
    this.cache.set(sid, statsOf(row)); // only once the transaction has committed
  }

  /**
   * Each query takes one lower and one upper bound on (ts, id): the cursor when it is inside the
   * time range, else the range's end. Giving SQLite both makes it seek to the looser one and walk
   * (a chunked scan would turn quadratic).
   */
  readStream(q: StreamRead): StoredEvent[] {
    if (this.droppedSids.has(q.sid) || this.droppedGids.has(q.gid)) return [];
    const from = q.from ?? -1;
    const to = q.to ?? FAR;
    const c = q.cursor;
    let sql = 'SELECT id, sid, ts, ingest, msg FROM events WHERE gid = ? AND sid = ?';
    const params: unknown[] = [q.gid, q.sid];
    if (q.direction === 'forward') {
      if (c && c.timestamp >= from) {
        sql += ' AND (ts, id) > (?, ?)';
        params.push(c.timestamp, c.id);
      } else {
        sql += ' AND ts >= ?';
        params.push(from);
      }
      sql += ' AND ts < ? ORDER BY ts, id LIMIT ?';
      params.push(to, q.limit);
      return (this.statement(sql).all(...params) as Row[]).map(toEvent);
    }
    sql += ' AND ts >= ?';
    params.push(from);
    if (c && c.timestamp < to) {
      sql += ' AND (ts, id) < (?, ?)';
      params.push(c.timestamp, c.id);
    } else {
      sql += ' AND ts < ?';
      params.push(to);
    }
    sql += ' ORDER BY ts DESC, id DESC LIMIT ?';
    params.push(q.limit);
    return (this.statement(sql).all(...params) as Row[]).map(toEvent).reverse();
  }

  scanGroup(q: GroupScan): ScanResult {
    if (this.droppedGids.has(q.gid)) return { events: [], done: true };
    const from = q.from ?? -1;
    const c = q.after;
    const sqlSids = q.sids && q.sids.length <= MAX_SQL_SIDS ? q.sids : undefined;
    const jsSids = q.sids && !sqlSids ? new Set(q.sids) : undefined;
    let sql = 'SELECT id, sid, ts, ingest, msg FROM events WHERE gid = ?';
    const params: unknown[] = [q.gid];
    if (c && c.timestamp >= from) {
      sql += ' AND (ts, id) > (?, ?)';
      params.push(c.timestamp, c.id);
    } else {
      sql += ' AND ts >= ?';
      params.push(from);
    }
    sql += ' AND ts <= ?';
    params.push(q.to ?? FAR);
    if (sqlSids) {
      sql += ` AND sid IN (${sqlSids.map(() => '?').join(', ')})`;
      params.push(...sqlSids);
    }
    if (q.contains !== undefined && q.contains !== '') {
      sql += ' AND instr(msg, ?) > 0';
      params.push(q.contains);
    }
    sql += ' ORDER BY ts, id LIMIT ?';
    params.push(q.limit);
    const rows = this.statement(sql).all(...params) as Row[];
    const events: StoredEvent[] = [];
    for (const r of rows) {
      if (this.droppedSids.has(r.sid) || (jsSids && !jsSids.has(r.sid))) continue;
      events.push(toEvent(r));
    }
    const tail = rows[rows.length - 1];
    const last: Cursor | undefined = tail ? { timestamp: tail.ts, id: tail.id } : undefined;
    return { events, last, done: rows.length < q.limit };
  }

  stats(sid: number): StreamStats | undefined {
    const s = this.cache.get(sid);
    if (!s || s.eventCount === 0) return undefined;
    const { gid: _gid, ...stats } = s;
    return stats;
  }

  expire(gid: number, before: number, max: number): number {
    const tx = this.db.transaction((): number => {
      const ids = this.statement('SELECT id, sid, bytes FROM events WHERE gid = ? AND ts < ? ORDER BY ts, id LIMIT ?').all(gid, before, max) as {
        id: number; sid: number; bytes: number;
      }[];
      if (ids.length === 0) return 0;
      const perStream = new Map<number, { count: number; bytes: number }>();
      const del = this.statement('DELETE FROM events WHERE id = ?');
      for (const r of ids) {
        del.run(r.id);
        const p = perStream.get(r.sid) ?? { count: 0, bytes: 0 };
        p.count++;
        p.bytes += r.bytes;
        perStream.set(r.sid, p);
      }
      const first = this.statement('SELECT MIN(ts) AS ts FROM events WHERE gid = ? AND sid = ?');
      for (const [sid, p] of perStream) {
        const prev = this.cache.get(sid);
        if (!prev) continue;
        const row: StatsRow = {
          sid, gid, first_ts: (first.get(gid, sid) as { ts: number | null }).ts ?? prev.firstEventTimestamp, last_ts: prev.lastEventTimestamp,
          last_ingest: prev.lastIngestionTime, bytes: prev.storedBytes - p.bytes, count: prev.eventCount - p.count,
        };
        this.upsertStats.run(row);
        this.cache.set(sid, statsOf(row));
      }
      return ids.length;
    });
    return tx();
  }

  dropStream(gid: number, sid: number): void {
    this.db.transaction(() => {
      this.statement('DELETE FROM streams WHERE sid = ?').run(sid);
      this.statement("INSERT OR IGNORE INTO dropped (kind, gid, sid) VALUES ('s', ?, ?)").run(gid, sid);
    })();
    this.cache.delete(sid);
    this.droppedSids.add(sid);
  }

  dropGroup(gid: number): void {
    this.db.transaction(() => {
      this.statement('DELETE FROM streams WHERE gid = ?').run(gid);
      this.statement("INSERT OR IGNORE INTO dropped (kind, gid, sid) VALUES ('g', ?, 0)").run(gid);
    })();
    for (const [sid, s] of this.cache) if (s.gid === gid) this.cache.delete(sid);
    this.droppedGids.add(gid);
  }

  /** Every stored event's group has a `streams` row (written in the append's transaction). */
  retainGroups(live: ReadonlySet<number>): void {
    const gids = new Set([...this.cache.values()].map((s) => s.gid));
    for (const gid of gids) if (!live.has(gid) && !this.droppedGids.has(gid)) this.dropGroup(gid);
  }

  maintain(): boolean {
    const next = this.statement('SELECT kind, gid, sid FROM dropped LIMIT 1').get() as { kind: string; gid: number; sid: number } | undefined;
    if (!next) return false;
    const byGroup = next.kind === 'g';
    const removed = byGroup
      ? this.statement('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE gid = ? LIMIT ?)').run(next.gid, RECLAIM_STEP).changes
      : this.statement('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE gid = ? AND sid = ? LIMIT ?)').run(next.gid, next.sid, RECLAIM_STEP).changes;
    if (removed < RECLAIM_STEP) {
      this.statement('DELETE FROM dropped WHERE kind = ? AND gid = ? AND sid = ?').run(next.kind, next.gid, next.sid);
      if (byGroup) this.droppedGids.delete(next.gid);
      else this.droppedSids.delete(next.sid);
    }
    return true;
  }

  close(): void {
    this.db.close();
  }

  /** Prepared statements, cached by text (scans vary in their `IN` list length). */
  private statement(sql: string): Database.Statement {
    let s = this.scans.get(sql);
    if (!s) this.scans.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}

function statsOf(r: StatsRow): StreamStats & { gid: number } {
  return { gid: r.gid, firstEventTimestamp: r.first_ts, lastEventTimestamp: r.last_ts, lastIngestionTime: r.last_ingest, storedBytes: r.bytes, eventCount: r.count };
}
