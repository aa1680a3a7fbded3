import { groupExists as groupExistsError, groupNotFound, invalidParameter, streamExists, streamNotFound, validation } from './errors.js';
import type { EventStore, NewEvent } from './events/port.js';
import { checkBatch, type RejectedLogEventsInfo } from './ingest.js';
import { checkGroupName, checkStreamName, type Scope } from './names.js';
import { LogsState, type GroupRecord, type StreamRecord } from './state.js';
import { sequenceToken } from './tokens.js';

export type { Scope } from './names.js';
export type { RejectedLogEventsInfo } from './ingest.js';

export interface PutEventsResult {
  nextSequenceToken: string;
  rejectedLogEventsInfo?: RejectedLogEventsInfo;
}

/** Events removed per retention step: bounded, so a sweep never holds the event loop long. */
const EXPIRE_STEP = 50_000;

/**
 * The Logs room's domain: groups, streams and events, with CloudWatch Logs' rules. The API
 * operations (src/logs/api/) and, later, the agent's awslogs shipper (through the server's
 * wiring, never by importing this room) both go through it, so events get the same validation
 * and rejection either way.
 *
 * Time comes from the injected clock (the request's arrival time for API calls).
 */
export class LogsService {
  readonly state: LogsState;

  constructor(
    state: LogsState,
    readonly events: EventStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.state = state;
    // A process killed between the metadata delete and the event drop leaves orphaned events.
    events.retainGroups(state.liveGroupIds());
  }

  // ---- the internal API for the agent's log shipper -----------------------------------------

  /** Creates the log group when it does not exist (awslogs-create-group). */
  ensureGroup(scope: Scope, name: string): void {
    checkGroupName(name);
    if (!this.state.group(scope, name)) this.createGroup(scope, name, this.clock().getTime());
  }

  /** Creates the stream when it does not exist; the group must exist (ResourceNotFoundException). */
  ensureStream(scope: Scope, group: string, stream: string): void {
    const g = this.requireGroup(scope, group);
    checkStreamName(stream);
    if (!this.state.stream(scope, group, stream)) this.state.createStream(scope, g, stream, this.clock().getTime());
  }

  /** PutLogEvents without the wire: the same validation, rejection and durability. */
  putEvents(scope: Scope, group: string, stream: string, events: readonly NewEvent[]): PutEventsResult {
    return this.put(scope, group, stream, events, this.clock().getTime());
  }

  groupExists(scope: Scope, name: string): boolean {
    return this.state.group(scope, name) !== undefined;
  }

  // ---- groups ---------------------------------------------------------------------------------

  requireGroup(scope: Scope, name: string): GroupRecord {
    const g = this.state.group(scope, name);
    if (!g) throw groupNotFound();
    return g;
  }

  createGroup(
    scope: Scope,
    name: string,
    now: number,
    opts: { kmsKeyId?: string; logGroupClass?: string; tags?: Record<string, string>; deletionProtectionEnabled?: boolean } = {},
  ): GroupRecord {
    checkGroupName(name);
    if (/^aws\//i.test(name)) throw invalidParameter('Log groups starting with AWS/ are reserved for AWS.');
    if (this.state.group(scope, name)) throw groupExistsError();
    return this.state.createGroup(scope, name, now, {
      kmsKeyId: opts.kmsKeyId,
      logGroupClass: opts.logGroupClass ?? 'STANDARD',
      tags: { ...(opts.tags ?? {}) },
      deletionProtectionEnabled: opts.deletionProtectionEnabled,
    });
  }

  deleteGroup(scope: Scope, name: string): void {
    const g = this.requireGroup(scope, name);
    this.refuseIfProtected(g);
    this.state.deleteGroup(scope, name);
    this.events.dropGroup(g.gid);
  }

  /** Bytes stored in the group: the sum over its streams. */
  storedBytes(scope: Scope, g: GroupRecord): number {
    let total = 0;
    for (const s of this.state.streamsOf(scope, g.name).values()) total += this.events.stats(s.sid)?.storedBytes ?? 0;
    return total;
  }

  /** Deletion protection "blocks all deletion operations until it is explicitly disabled". */
  private refuseIfProtected(g: GroupRecord): void {
    if (g.deletionProtectionEnabled) {
      throw validation(`Log group ${g.name} has deletion protection enabled; disable it with PutLogGroupDeletionProtection first.`);
    }
  }

  // ---- streams --------------------------------------------------------------------------------

  createStream(scope: Scope, group: string, name: string, now: number): StreamRecord {
    const g = this.requireGroup(scope, group);
    checkStreamName(name);
    if (this.state.stream(scope, group, name)) throw streamExists();
    return this.state.createStream(scope, g, name, now);
  }

  requireStream(scope: Scope, group: string, name: string): StreamRecord {
    this.requireGroup(scope, group);
    const s = this.state.stream(scope, group, name);
    if (!s) throw streamNotFound();
    return s;
  }

  deleteStream(scope: Scope, group: string, name: string): void {
    const s = this.requireStream(scope, group, name);
    this.refuseIfProtected(this.requireGroup(scope, group));
    this.state.deleteStream(scope, group, name);
    this.events.dropStream(s.gid, s.sid);
  }

  // ---- events ---------------------------------------------------------------------------------

  /** Validates the batch, stores what is accepted durably, and reports what was rejected. */
  put(scope: Scope, group: string, stream: string, events: readonly NewEvent[], now: number): PutEventsResult {
    const g = this.requireGroup(scope, group);
    const s = this.state.stream(scope, group, stream);
    if (!s) throw streamNotFound();
    const checked = checkBatch(events, now, g.retentionInDays);
    this.events.append(s.gid, s.sid, checked.accepted, now);
    const count = this.events.stats(s.sid)?.eventCount ?? 0;
    const out: PutEventsResult = { nextSequenceToken: sequenceToken(count) };
    if (checked.rejected) out.rejectedLogEventsInfo = checked.rejected;
    return out;
  }

  // ---- retention ------------------------------------------------------------------------------

  /**
   * One retention step at `now`: deletes events older than their group's retention period, at
   * most EXPIRE_STEP per group per call. Returns true when some group may have more to delete
   * (the caller runs another step soon), false when everything expired is gone.
   */
  sweepRetention(now: number): boolean {
    let more = false;
    for (const g of [...this.state.groups.values()]) {
      if (g.retentionInDays === undefined) continue;
      const removed = this.events.expire(g.gid, now - g.retentionInDays * 86_400_000, EXPIRE_STEP);
      if (removed === EXPIRE_STEP) more = true;
    }
    return more;
  }
}
