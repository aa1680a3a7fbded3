/**
 * The log event store: where the events themselves live, apart from the group and stream
 * metadata (which is in the StateStore). Events are many and large, so the durable adapter keeps
 * them on disk and memory stays bounded however many are stored.
 *
 * Identity: groups and streams are known here by integer ids (`gid`, `sid`) that the room
 * allocates and never reuses, so a deleted and re-created group or stream of the same name can
 * never see the old events, even while they are still being removed in the background.
 *
 * Order: every event gets an `id` that grows with each append across the whole store. Reads
 * return events in (timestamp, id) order, which is the order GetLogEvents and FilterLogEvents
 * give; a `Cursor` is a position in that order.
 *
 * Contract every adapter honours (test/unit/logs-event-store.test.ts):
 *  - `append` is atomic and durable when it returns (the events and the stream's statistics).
 *  - Reads see every completed append; `stats` reflect appends and expiries at once.
 *  - `dropStream` / `dropGroup` make the events unreadable at once; their space may be reclaimed
 *    later, in `maintain` steps.
 */
export interface NewEvent {
  readonly timestamp: number;
  readonly message: string;
}

export interface StoredEvent {
  readonly id: number;
  readonly sid: number;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

/** A position in (timestamp, id) order. */
export interface Cursor {
  readonly timestamp: number;
  readonly id: number;
}

export interface StreamStats {
  readonly firstEventTimestamp: number;
  readonly lastEventTimestamp: number;
  readonly lastIngestionTime: number;
  /** UTF-8 bytes of the stored messages. */
  readonly storedBytes: number;
  readonly eventCount: number;
}

/** One stream's events, read forward (oldest first) or backward (newest first) from a cursor. */
export interface StreamRead {
  readonly gid: number;
  readonly sid: number;
  /** Inclusive lower timestamp bound. */
  readonly from?: number;
  /** Exclusive upper timestamp bound. */
  readonly to?: number;
  /** Forward: only events strictly after this position. Backward: strictly before it. */
  readonly cursor?: Cursor;
  readonly direction: 'forward' | 'backward';
  readonly limit: number;
}

/** Events of a group across its streams, oldest first, from a cursor. */
export interface GroupScan {
  readonly gid: number;
  /** Only these streams; all of the group's when absent. */
  readonly sids?: readonly number[];
  /** Inclusive timestamp bounds. */
  readonly from?: number;
  readonly to?: number;
  /** Only events strictly after this position. */
  readonly after?: Cursor;
  /**
   * A case-sensitive substring every returned message contains: a pre-filter the caller derives
   * from its pattern so the adapter can skip non-candidates cheaply. Not the whole match.
   */
  readonly contains?: string;
  /** At most this many candidate events (rows that pass every condition above) are examined. */
  readonly limit: number;
}

/** What a group scan found, and where the next scan continues. */
export interface ScanResult {
  /** The candidates, ascending by (timestamp, id). */
  readonly events: StoredEvent[];
  /** The position of the last candidate examined: continue strictly after it. */
  readonly last?: Cursor;
  /** True when no candidate lies beyond `last` (the range is exhausted for now). */
  readonly done: boolean;
}

export interface EventStore {
  /** Appends a batch to a stream (any timestamp order); atomic and durable on return. */
  append(gid: number, sid: number, events: readonly NewEvent[], ingestionTime: number): void;
  /** Events in ascending (timestamp, id) order, whichever the direction of reading. */
  readStream(q: StreamRead): StoredEvent[];
  scanGroup(q: GroupScan): ScanResult;
  /** Statistics of a stream that has events; undefined for a stream that has none. */
  stats(sid: number): StreamStats | undefined;
  /**
   * Deletes up to `max` of the group's events older than `before` (epoch ms) and returns how many
   * went: fewer than `max` means none older is left. Bounded so a sweep never stalls requests.
   */
  expire(gid: number, before: number, max: number): number;
  dropStream(gid: number, sid: number): void;
  dropGroup(gid: number): void;
  /** Forgets every group not in `live` (left behind when a process died mid-delete). */
  retainGroups(live: ReadonlySet<number>): void;
  /** One bounded step of background work (reclaiming dropped events); true when more is left. */
  maintain(): boolean;
  close(): void;
}
