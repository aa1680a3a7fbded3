import { randomUUID } from 'node:crypto';
import { limitExceeded, resourceNotFound } from '../errors.js';
import type { Cursor, EventStore } from '../events/port.js';
import { scopeKey, type Scope } from '../names.js';
import type { LogsState } from '../state.js';
import type { Command } from './ast.js';
import { QueryRun, type QueryStatistics, type ResultField } from './engine.js';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

/** CloudWatch Logs' quota of concurrent Insights queries per account. */
export const MAX_CONCURRENT = 30;
/** Finished queries kept per account for GetQueryResults (AWS keeps them for 7 days). */
const KEEP_FINISHED = 100;
const KEEP_FOR_MS = 7 * 86_400_000;
/** Events examined per scheduling step, so a long query never holds the event loop. */
const STEP = 5_000;

interface Query {
  readonly id: string;
  readonly account: string;
  readonly scope: Scope;
  readonly groups: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly run: QueryRun;
  readonly createdAt: number;
  status: QueryStatus;
  /** Scan progress: the group being read and the position in it. */
  groupIndex: number;
  cursor?: Cursor;
}

/**
 * Logs Insights queries: StartQuery schedules a run, which reads the groups' events in the time
 * range in bounded steps on the event loop (Scheduled → Running → Complete); GetQueryResults
 * reports the status and the results so far; StopQuery cancels. Queries live in memory only, like
 * AWS's, they are not durable: a restart forgets them.
 */
export class QueryManager {
  private readonly queries = new Map<string, Query>();

  constructor(
    private readonly state: LogsState,
    private readonly events: EventStore,
    private readonly schedule: (step: () => void) => void = (step) => void setImmediate(step),
  ) {}

  start(scope: Scope, groups: readonly string[], from: number, to: number, commands: readonly Command[], limit: number | undefined, now: number): string {
    for (const name of groups) {
      if (!this.state.group(scope, name)) {
        throw resourceNotFound(`Log group '${name}' does not exist for account ID '${scope.accountId}'`);
      }
    }
    const account = scopeKey(scope);
    const active = [...this.queries.values()].filter((q) => q.account === account && (q.status === 'Scheduled' || q.status === 'Running'));
    if (active.length >= MAX_CONCURRENT) throw limitExceeded(`Account maximum query concurrency limit of [${MAX_CONCURRENT}] reached.`);
    this.evict(account, now);
    const q: Query = {
      id: randomUUID(), account, scope, groups, from, to, run: new QueryRun(commands, limit), createdAt: now, status: 'Scheduled', groupIndex: 0,
    };
    this.queries.set(q.id, q);
    this.schedule(() => this.step(q));
    return q.id;
  }

  results(scope: Scope, id: string): { status: QueryStatus; results: ResultField[][]; statistics: QueryStatistics } {
    const q = this.find(scope, id);
    return { status: q.status, results: q.status === 'Scheduled' ? [] : q.run.results(), statistics: { ...q.run.stats } };
  }

  /** True when the query was running and is now cancelled; false when it had already ended. */
  stop(scope: Scope, id: string): boolean {
    const q = this.find(scope, id);
    if (q.status !== 'Scheduled' && q.status !== 'Running') return false;
    q.status = 'Cancelled';
    return true;
  }

  private find(scope: Scope, id: string): Query {
    const q = this.queries.get(id);
    if (!q || q.account !== scopeKey(scope)) throw resourceNotFound('The specified query could not be found.');
    return q;
  }

  /** One bounded step of a query's scan; schedules the next until every group is read. */
  private step(q: Query): void {
    if (q.status === 'Cancelled') return;
    q.status = 'Running';
    try {
      let budget = STEP;
      while (budget > 0 && q.groupIndex < q.groups.length) {
        const name = q.groups[q.groupIndex];
        const g = this.state.group(q.scope, name);
        if (!g) {
          q.groupIndex++;
          q.cursor = undefined;
          continue;
        }
        const scan = this.events.scanGroup({ gid: g.gid, from: q.from, to: q.to, after: q.cursor, limit: budget });
        budget -= scan.events.length;
        const streams = new Map([...this.state.streamsOf(q.scope, name).values()].map((s) => [s.sid, s.name]));
        for (const e of scan.events) {
          q.run.feed({
            timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message, logStream: streams.get(e.sid) ?? '',
            log: `${q.scope.accountId}:${name}`, ptr: Buffer.from(`${g.gid}:${e.id}`).toString('base64url'),
          });
        }
        if (scan.done) {
          q.groupIndex++;
          q.cursor = undefined;
        } else {
          q.cursor = scan.last;
        }
      }
    } catch (err) {
      // A step runs outside any request, so nothing may escape it: the query fails instead.
      q.status = 'Failed';
      if (!(err instanceof RangeError)) process.stderr.write(`berth: logs query ${q.id} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      return;
    }
    if (q.groupIndex < q.groups.length) this.schedule(() => this.step(q));
    else q.status = 'Complete';
  }

  /** Forgets finished queries older than 7 days, and all but the newest KEEP_FINISHED. */
  private evict(account: string, now: number): void {
    const finished = [...this.queries.values()].filter((q) => q.account === account && q.status !== 'Scheduled' && q.status !== 'Running');
    finished.forEach((q, i) => {
      if (now - q.createdAt > KEEP_FOR_MS || i < finished.length - KEEP_FINISHED) this.queries.delete(q.id);
    });
  }
}
