import { invalidParameter } from './errors.js';

/**
 * ECS-style pagination over a list sorted by `keyOf` (ascending, or descending when told): `nextToken` is opaque to clients; it carries the sort
 * key of the last item returned, so pages stay correct when items are added or removed between
 * calls. A token that does not decode is an InvalidParameterException, as ECS answers.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  nextToken: unknown,
  maxResults: unknown,
  defaultMax = 100,
  descending = false,
): { page: T[]; nextToken?: string } {
  const max = typeof maxResults === 'number' ? maxResults : defaultMax;
  let start = 0;
  if (typeof nextToken === 'string' && nextToken !== '') {
    const after = decodeToken(nextToken);
    start = items.findIndex((i) => (descending ? keyOf(i) < after : keyOf(i) > after));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return more ? { page, nextToken: encodeToken(keyOf(page[page.length - 1]!)) } : { page };
}

function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: key })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw invalidParameter('Invalid token');
}
