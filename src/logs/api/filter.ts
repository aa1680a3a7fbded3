import type { FilteredLogEvent, FilterLogEventsRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter } from '../errors.js';
import type { Cursor } from '../events/port.js';
import { utf8Bytes } from '../events/utf8.js';
import { compileFilterPattern } from '../filter/pattern.js';
import { EVENT_OVERHEAD } from '../ingest.js';
import { checkStreamName, groupFromEither, scopeOf } from '../names.js';
import type { LogsService } from '../service.js';
import { parseScanToken, scanToken } from '../tokens.js';
import { operation } from './operation.js';

const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
/** Events read from the store per scan step. */
const CHUNK = 5_000;
/**
 * Time one call may spend searching. Like CloudWatch Logs, a call that runs out of time answers
 * what it found so far (possibly nothing) with a nextToken, and the caller pages on.
 */
const BUDGET_MS = 1_000;

/** The 56-digit event id FilterLogEvents reports: timestamp and store id, zero-padded. */
const eventId = (timestamp: number, id: number): string =>
  `${String(timestamp).padStart(20, '0')}${String(id).padStart(20, '0')}${'0'.repeat(16)}`;

/** FilterLogEvents: a group's events across streams, oldest first, through a filter pattern. */
export function filterOperations(logs: LogsService): Record<string, Operation> {
  return {
    FilterLogEvents: operation<FilterLogEventsRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const group = groupFromEither(s, input);
      if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
        throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
      }
      for (const name of input.logStreamNames ?? []) checkStreamName(name, 'logStreamNames');
      if (input.logStreamNamePrefix !== undefined) checkStreamName(input.logStreamNamePrefix, 'logStreamNamePrefix');
      const g = logs.requireGroup(s, group);
      const pattern = compileFilterPattern(input.filterPattern);
      const all = logs.state.streamsOf(s, group);
      const names = new Map([...all.values()].map((r) => [r.sid, r.name]));
      let sids: number[] | undefined;
      if (input.logStreamNames) sids = input.logStreamNames.map((n) => all.get(n)?.sid).filter((x): x is number => x !== undefined);
      else if (input.logStreamNamePrefix !== undefined) sids = [...all.values()].filter((r) => r.name.startsWith(input.logStreamNamePrefix!)).map((r) => r.sid);
      if (sids && sids.length === 0) return { events: [], searchedLogStreams: [] };

      const limit = Math.min(input.limit ?? MAX_EVENTS, MAX_EVENTS);
      const deadline = Date.now() + BUDGET_MS;
      const events: FilteredLogEvent[] = [];
      let bytes = 0;
      let cursor: Cursor | undefined = input.nextToken !== undefined ? parseScanToken(input.nextToken) : undefined;
      for (;;) {
        const scan = logs.events.scanGroup({
          gid: g.gid, sids, from: input.startTime, to: input.endTime, after: cursor, contains: pattern.mustContain, limit: CHUNK,
        });
        for (let i = 0; i < scan.events.length; i++) {
          const e = scan.events[i];
          cursor = { timestamp: e.timestamp, id: e.id };
          if (!pattern.matches(e.message)) continue;
          bytes += utf8Bytes(e.message) + EVENT_OVERHEAD;
          events.push({ logStreamName: names.get(e.sid), timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: eventId(e.timestamp, e.id) });
          if (events.length >= limit || bytes >= MAX_BYTES) {
            const more = !scan.done || i < scan.events.length - 1;
            return { events, searchedLogStreams: [], ...(more ? { nextToken: scanToken(cursor) } : {}) };
          }
        }
        // Candidates the store skipped as dropped still advance the scan.
        if (scan.last) cursor = scan.last;
        if (scan.done) return { events, searchedLogStreams: [] };
        if (Date.now() > deadline) return { events, searchedLogStreams: [], nextToken: scanToken(cursor!) };
      }
    }),
  };
}
