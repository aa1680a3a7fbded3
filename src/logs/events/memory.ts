import type { Cursor, EventStore, GroupScan, NewEvent, ScanResult, StoredEvent, StreamRead, StreamStats } from './port.js';
import { utf8Bytes } from './utf8.js';

/** Is `e` strictly after position `c` in (timestamp, id) order? */
const after = (e: StoredEvent, c: Cursor): boolean => e.timestamp > c.timestamp || (e.timestamp === c.timestamp && e.id > c.id);

const compare = (a: StoredEvent, b: StoredEvent): number => a.timestamp - b.timestamp || a.id - b.id;

/** First index in a sorted array whose event is strictly after `c` (binary search). */
function firstAfter(events: readonly StoredEvent[], c: Cursor): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(events[mid], c)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Stream {
  gid: number;
  /** Sorted by (timestamp, id). */
  events: StoredEvent[];
  stats?: StreamStats;
}

/**
 * The in-memory event store, for unit tests and `BERTH_STORE=memory`: nothing survives the
 * process, and memory grows with the events (the SQLite adapter is the bounded one).
 */
export class MemoryEventStore implements EventStore {
  private readonly streams = new Map<number, Stream>();
  private nextId = 1;

  append(gid: number, sid: number, batch: readonly NewEvent[], ingestionTime: number): void {
    if (batch.length === 0) return;
    let s = this.streams.get(sid);
    if (!s) this.streams.set(sid, (s = { gid, events: [] }));
    const tail = s.events.length > 0 ? s.events[s.events.length - 1].timestamp : -Infinity;
    let bytes = 0;
    let last = s.stats?.lastEventTimestamp ?? -Infinity;
    let sorted = batch[0].timestamp >= tail;
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i];
      if (i > 0 && e.timestamp < batch[i - 1].timestamp) sorted = false;
      if (e.timestamp > last) last = e.timestamp;
      s.events.push({ id: this.nextId++, sid, timestamp: e.timestamp, ingestionTime, message: e.message });
      bytes += utf8Bytes(e.message);
    }
    if (!sorted) s.events.sort(compare);
    s.stats = {
      firstEventTimestamp: s.events[0].timestamp,
      lastEventTimestamp: last,
      lastIngestionTime: ingestionTime,
      storedBytes: (s.stats?.storedBytes ?? 0) + bytes,
      eventCount: s.events.length,
    };
  }

  readStream(q: StreamRead): StoredEvent[] {
    const s = this.streams.get(q.sid);
    if (!s || s.gid !== q.gid) return [];
    const from = q.from ?? -Infinity;
    const to = q.to ?? Infinity;
    const out: StoredEvent[] = [];
    if (q.direction === 'forward') {
      const start = firstAfter(s.events, q.cursor ?? { timestamp: -Infinity, id: 0 });
      for (let i = start; i < s.events.length && out.length < q.limit; i++) {
        const e = s.events[i];
        if (e.timestamp >= to) break;
        if (e.timestamp >= from) out.push(e);
      }
      return out;
    }
    const end = q.cursor ? firstAfter(s.events, { timestamp: q.cursor.timestamp, id: q.cursor.id - 1 }) : s.events.length;
    for (let i = end - 1; i >= 0 && out.length < q.limit; i--) {
      const e = s.events[i];
      if (e.timestamp < from) break;
      if (e.timestamp < to) out.push(e);
    }
    return out.reverse();
  }

  scanGroup(q: GroupScan): ScanResult {
    const wanted = q.sids ? new Set(q.sids) : undefined;
    const from = q.from ?? -Infinity;
    const to = q.to ?? Infinity;
    const cursor = q.after ?? { timestamp: from, id: -1 };
    // A k-way merge over the group's streams, each entered at its first event after the cursor.
    const heads: { events: StoredEvent[]; i: number }[] = [];
    for (const [sid, s] of this.streams) {
      if (s.gid !== q.gid || (wanted && !wanted.has(sid))) continue;
      const i = firstAfter(s.events, cursor);
      if (i < s.events.length) heads.push({ events: s.events, i });
    }
    const events: StoredEvent[] = [];
    let last: Cursor | undefined;
    for (;;) {
      let best = -1;
      for (let h = 0; h < heads.length; h++) {
        const head = heads[h];
        if (head.i >= head.events.length || head.events[head.i].timestamp > to) continue;
        if (best < 0 || compare(head.events[head.i], heads[best].events[heads[best].i]) < 0) best = h;
      }
      if (best < 0) return { events, last, done: true };
      if (events.length >= q.limit) return { events, last, done: false };
      const e = heads[best].events[heads[best].i++];
      if (e.timestamp < from || (q.contains !== undefined && !e.message.includes(q.contains))) continue;
      events.push(e);
      last = { timestamp: e.timestamp, id: e.id };
    }
  }

  stats(sid: number): StreamStats | undefined {
    return this.streams.get(sid)?.stats;
  }

  expire(gid: number, before: number, max: number): number {
    let removed = 0;
    for (const s of this.streams.values()) {
      if (s.gid !== gid || removed >= max) continue;
      let n = 0;
      while (n < s.events.length && s.events[n].timestamp < before && removed + n < max) n++;
      if (n === 0) continue;
      const gone = s.events.splice(0, n);
      removed += n;
      if (s.events.length === 0) {
        s.stats = undefined;
        continue;
      }
      const bytes = gone.reduce((sum, e) => sum + utf8Bytes(e.message), 0);
      s.stats = { ...s.stats!, firstEventTimestamp: s.events[0].timestamp, storedBytes: s.stats!.storedBytes - bytes, eventCount: s.events.length };
    }
    return removed;
  }

  dropStream(_gid: number, sid: number): void {
    this.streams.delete(sid);
  }

  dropGroup(gid: number): void {
    for (const [sid, s] of this.streams) if (s.gid === gid) this.streams.delete(sid);
  }

  retainGroups(live: ReadonlySet<number>): void {
    for (const [sid, s] of this.streams) if (!live.has(s.gid)) this.streams.delete(sid);
  }

  maintain(): boolean {
    return false;
  }

  close(): void {
    this.streams.clear();
  }
}
