import type { StateStore, Table } from '../store/port.js';
import { scopeKey, type Scope } from './names.js';

/**
 * The Logs room's metadata, in the StateStore (tables `logs.*`). Events are not here: they live
 * in the EventStore, keyed by the integer ids these records carry. Timestamps are epoch ms.
 */
export interface GroupRecord {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  /** EventStore id of this incarnation of the group; never reused. */
  readonly gid: number;
  readonly creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  /** When true, DeleteLogGroup and DeleteLogStream fail (PutLogGroupDeletionProtection). */
  deletionProtectionEnabled?: boolean;
  tags: Record<string, string>;
}

export interface StreamRecord {
  readonly group: string;
  readonly name: string;
  readonly gid: number;
  /** EventStore id of this incarnation of the stream; never reused. */
  readonly sid: number;
  readonly creationTime: number;
}

/** The last id handed out; one record, so ids survive restarts and never repeat. */
interface IdCounter { last: number }

export const groupKey = (s: Scope, name: string): string => `${scopeKey(s)}:${name}`;

/**
 * Tables plus an in-memory index of each group's streams (rebuilt at start-up), so listing the
 * streams of one group does not walk every stream of every account. The index is changed only
 * after the StateStore transaction that changes the tables has committed.
 */
export class LogsState {
  readonly groups: Table<GroupRecord>;
  private readonly streams: Table<StreamRecord>;
  private readonly ids: Table<IdCounter>;
  /** Group key → stream name → record. */
  private readonly byGroup = new Map<string, Map<string, StreamRecord>>();

  constructor(readonly store: StateStore) {
    this.groups = store.table<GroupRecord>('logs.groups');
    this.streams = store.table<StreamRecord>('logs.streams');
    this.ids = store.table<IdCounter>('logs.ids');
    for (const [key, s] of this.streams.entries()) {
      const gk = key.slice(0, key.length - s.name.length - 1);
      this.index(gk).set(s.name, s);
    }
  }

  group(s: Scope, name: string): GroupRecord | undefined {
    return this.groups.get(groupKey(s, name));
  }

  /** Groups of one account and region, in no particular order. */
  *groupsOf(s: Scope): IterableIterator<GroupRecord> {
    for (const g of this.groups.values()) if (g.accountId === s.accountId && g.region === s.region) yield g;
  }

  stream(s: Scope, group: string, name: string): StreamRecord | undefined {
    return this.byGroup.get(groupKey(s, group))?.get(name);
  }

  streamsOf(s: Scope, group: string): ReadonlyMap<string, StreamRecord> {
    return this.byGroup.get(groupKey(s, group)) ?? new Map();
  }

  /** Every live group id, for the EventStore's start-up clean-up. */
  liveGroupIds(): Set<number> {
    return new Set([...this.groups.values()].map((g) => g.gid));
  }

  /** Inside a transaction: the next id for a group or stream. */
  private nextId(): number {
    const last = (this.ids.get('ids')?.last ?? 0) + 1;
    this.ids.put('ids', { last });
    return last;
  }

  createGroup(s: Scope, name: string, now: number, fields: Pick<GroupRecord, 'kmsKeyId' | 'logGroupClass' | 'tags' | 'deletionProtectionEnabled'>): GroupRecord {
    return this.store.transaction(() => {
      const g: GroupRecord = { accountId: s.accountId, region: s.region, name, gid: this.nextId(), creationTime: now, ...fields };
      if (g.kmsKeyId === undefined) delete g.kmsKeyId;
      if (!g.deletionProtectionEnabled) delete g.deletionProtectionEnabled;
      this.groups.put(groupKey(s, name), g);
      return g;
    });
  }

  /** Writes a changed group record (retention, tags) durably. */
  saveGroup(g: GroupRecord): void {
    this.store.transaction(() => this.groups.put(groupKey(g, g.name), g));
  }

  /** Removes the group and its streams' records; returns the removed streams. */
  deleteGroup(s: Scope, name: string): StreamRecord[] {
    const gk = groupKey(s, name);
    const streams = [...(this.byGroup.get(gk)?.values() ?? [])];
    this.store.transaction(() => {
      for (const st of streams) this.streams.delete(`${gk}:${st.name}`);
      this.groups.delete(gk);
    });
    this.byGroup.delete(gk);
    return streams;
  }

  createStream(s: Scope, g: GroupRecord, name: string, now: number): StreamRecord {
    const gk = groupKey(s, g.name);
    const rec = this.store.transaction(() => {
      const r: StreamRecord = { group: g.name, name, gid: g.gid, sid: this.nextId(), creationTime: now };
      this.streams.put(`${gk}:${name}`, r);
      return r;
    });
    this.index(gk).set(name, rec);
    return rec;
  }

  deleteStream(s: Scope, group: string, name: string): void {
    const gk = groupKey(s, group);
    this.store.transaction(() => this.streams.delete(`${gk}:${name}`));
    this.byGroup.get(gk)?.delete(name);
  }

  private index(gk: string): Map<string, StreamRecord> {
    let m = this.byGroup.get(gk);
    if (!m) this.byGroup.set(gk, (m = new Map()));
    return m;
  }
}
