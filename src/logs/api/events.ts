import type { GetLogEventsRequest, OutputLogEvent, PutLogEventsRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { streamNotFound } from '../errors.js';
import type { Cursor, StoredEvent } from '../events/port.js';
import { utf8Bytes } from '../events/utf8.js';
import { EVENT_OVERHEAD } from '../ingest.js';
import { checkGroupName, checkStreamName, groupFromEither, scopeOf } from '../names.js';
import type { LogsService } from '../service.js';
import { eventToken, parseEventToken } from '../tokens.js';
import { operation } from './operation.js';

/** GetLogEvents answers at most 10,000 events and 1 MB (messages plus 26 bytes each). */
const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;

/** The start position of a stream (before every event). */
const ORIGIN: Cursor = { timestamp: 0, id: 0 };

/** Keeps events within MAX_BYTES: the oldest when reading forward, the newest when backward. */
function withinBytes(events: StoredEvent[], forward: boolean): StoredEvent[] {
  let total = 0;
  if (forward) {
    for (let i = 0; i < events.length; i++) {
      total += utf8Bytes(events[i].message) + EVENT_OVERHEAD;
      if (total > MAX_BYTES) return events.slice(0, Math.max(i, 1));
    }
    return events;
  }
  for (let i = events.length - 1; i >= 0; i--) {
    total += utf8Bytes(events[i].message) + EVENT_OVERHEAD;
    if (total > MAX_BYTES) return events.slice(Math.min(i + 1, events.length - 1));
  }
  return events;
}

/** PutLogEvents and GetLogEvents. */
export function eventOperations(logs: LogsService): Record<string, Operation> {
  return {
    /** Sequence tokens are accepted and ignored, as CloudWatch Logs does since January 2023. */
    PutLogEvents: operation<PutLogEventsRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      checkStreamName(input.logStreamName!);
      const events = input.logEvents!.map((e) => ({ timestamp: e.timestamp!, message: e.message! }));
      return logs.put(scopeOf(ctx), input.logGroupName!, input.logStreamName!, events, ctx.now.getTime());
    }),

    /**
     * Pages through one stream in timestamp order. Without a token: the oldest events when
     * `startFromHead`, else the newest. A page's `nextForwardToken` continues after its last
     * event and `nextBackwardToken` before its first; an empty page hands the token it was given
     * back, so a poller keeps its place until new events arrive. `startTime` is inclusive,
     * `endTime` exclusive.
     */
    GetLogEvents: operation<GetLogEventsRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const group = groupFromEither(s, input);
      checkStreamName(input.logStreamName!);
      logs.requireGroup(s, group);
      const stream = logs.state.stream(s, group, input.logStreamName!);
      if (!stream) throw streamNotFound();
      const token = input.nextToken !== undefined ? parseEventToken(input.nextToken) : undefined;
      const direction = token?.direction ?? (input.startFromHead ? 'forward' : 'backward');
      const forward = direction === 'forward';
      const read = logs.events.readStream({
        gid: stream.gid,
        sid: stream.sid,
        from: input.startTime,
        to: input.endTime,
        cursor: token?.cursor,
        direction,
        limit: Math.min(input.limit ?? MAX_EVENTS, MAX_EVENTS),
      });
      const page = withinBytes(read, forward);
      if (page.length === 0) {
        const at = token?.cursor ?? ORIGIN;
        return { events: [], nextForwardToken: eventToken('f', at), nextBackwardToken: eventToken('b', at) };
      }
      const first = page[0];
      const last = page[page.length - 1];
      const events: OutputLogEvent[] = page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime }));
      return {
        events,
        nextForwardToken: eventToken('f', { timestamp: last.timestamp, id: last.id }),
        nextBackwardToken: eventToken('b', { timestamp: first.timestamp, id: first.id }),
      };
    }),
  };
}
