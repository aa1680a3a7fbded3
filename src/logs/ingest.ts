import { invalidParameter } from './errors.js';
import type { NewEvent } from './events/port.js';
import { utf8Bytes } from './events/utf8.js';

/** PutLogEvents limits, from the API reference's PutLogEvents page. */
export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_EVENT_BYTES = 1_048_576;
export const EVENT_OVERHEAD = 26;
export const MAX_BATCH_EVENTS = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const MAX_AGE = 14 * DAY;
export const MAX_FUTURE = 2 * HOUR;
export const MAX_SPAN = DAY;

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface CheckedBatch {
  /** The events to store, in the order given. */
  readonly accepted: readonly NewEvent[];
  readonly rejected?: RejectedLogEventsInfo;
}

/**
 * Applies PutLogEvents' batch rules as CloudWatch Logs does. Whole-batch faults throw
 * InvalidParameterException (an event over 1 MB with its 26 bytes of overhead, a batch over
 * 1,048,576 bytes counted the same way, more than 10,000 events, timestamps out of order, valid
 * events spanning more than 24 hours). Events the service drops while keeping the rest are
 * reported in `rejected`, and because the batch is in timestamp order they form a prefix (too
 * old) and a suffix (too new):
 *  - `tooOldLogEventEndIndex`: how many leading events are more than 14 days old (the API
 *    reference calls the index exclusive, so it is the index just past the last one);
 *  - `expiredLogEventEndIndex`: likewise for events older than the group's retention period;
 *  - `tooNewLogEventStartIndex`: the first event more than 2 hours in the future.
 */
export function checkBatch(events: readonly NewEvent[], now: number, retentionInDays: number | undefined): CheckedBatch {
  if (events.length > MAX_BATCH_EVENTS) {
    throw invalidParameter(`The number of log events in the batch exceeds the limit of ${MAX_BATCH_EVENTS}.`);
  }
  let total = 0;
  for (let i = 0; i < events.length; i++) {
    const size = utf8Bytes(events[i].message) + EVENT_OVERHEAD;
    if (size > MAX_EVENT_BYTES) throw invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
    total += size;
    if (i > 0 && events[i].timestamp < events[i - 1].timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  if (total > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`);

  const oldest = now - MAX_AGE;
  const retained = retentionInDays === undefined ? -Infinity : now - retentionInDays * DAY;
  const newest = now + MAX_FUTURE;
  let tooOld = 0;
  while (tooOld < events.length && events[tooOld].timestamp < oldest) tooOld++;
  let expired = 0;
  while (expired < events.length && events[expired].timestamp < retained) expired++;
  let tooNew = events.length;
  while (tooNew > 0 && events[tooNew - 1].timestamp > newest) tooNew--;

  const start = Math.max(tooOld, expired);
  const accepted = start < tooNew ? events.slice(start, tooNew) : [];
  if (accepted.length > 1 && accepted[accepted.length - 1].timestamp - accepted[0].timestamp > MAX_SPAN) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  const rejected: RejectedLogEventsInfo = {};
  if (tooNew < events.length) rejected.tooNewLogEventStartIndex = tooNew;
  if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld;
  if (expired > 0) rejected.expiredLogEventEndIndex = expired;
  return Object.keys(rejected).length > 0 ? { accepted, rejected } : { accepted };
}
