import { invalidParameter } from './errors.js';
import type { Cursor } from './events/port.js';

/**
 * Pagination tokens. All are opaque to clients; each carries only a position, so a page stays
 * right when items come and go between calls, and the caller re-sends its other parameters.
 */

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * GetLogEvents tokens look like CloudWatch Logs' own: `f/` or `b/`, 56 digits, `/s`. The digits
 * hold a position in (timestamp, id) order: forward reads continue strictly after it, backward
 * reads end strictly before it.
 */
export function eventToken(direction: 'f' | 'b', c: Cursor): string {
  return `${direction}/${pad(c.timestamp, 20)}${pad(c.id, 20)}${pad(0, 16)}/s`;
}

export function parseEventToken(token: string): { direction: 'forward' | 'backward'; cursor: Cursor } {
  const m = /^([fb])\/(\d{20})(\d{20})\d{16}\/s$/.exec(token);
  if (!m) throw invalidParameter('The specified nextToken is invalid.');
  return { direction: m[1] === 'f' ? 'forward' : 'backward', cursor: { timestamp: Number(m[2]), id: Number(m[3]) } };
}

/** The sequence token PutLogEvents still returns (clients may send it back; it is ignored). */
export const sequenceToken = (n: number): string => pad(n, 56);

/** Describe* tokens: the sort key of the last item returned. */
export function pageToken(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: key })).toString('base64url');
}

export function parsePageToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw invalidParameter('The specified nextToken is invalid.');
}

/** FilterLogEvents tokens: the position the next scan continues after. */
export function scanToken(c: Cursor): string {
  return Buffer.from(JSON.stringify({ v: 1, t: c.timestamp, i: c.id })).toString('base64url');
}

export function parseScanToken(token: string): Cursor {
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; t?: unknown; i?: unknown };
    if (p.v === 1 && Number.isSafeInteger(p.t) && Number.isSafeInteger(p.i)) return { timestamp: p.t as number, id: p.i as number };
  } catch {
    // fall through
  }
  throw invalidParameter('The specified nextToken is invalid.');
}

/**
 * Sorted-list pagination over `items` already in order: the page after the item whose key is
 * `after` (keys strictly greater, or smaller when descending).
 */
export function pageOf<T>(items: readonly T[], keyOf: (t: T) => string, token: string | undefined, limit: number, descending = false): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = parsePageToken(token);
    start = items.findIndex((i) => (descending ? keyOf(i) < after : keyOf(i) > after));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  return start + limit < items.length ? { page, nextToken: pageToken(keyOf(page[page.length - 1])) } : { page };
}
