/**
 * Opaque NextToken pagination. `items` must be sorted by `keyOf` (string order, ascending, or
 * descending when told) with unique keys. The token carries the key of the last item returned,
 * so a page stays right when items come or go between calls. A token that does not decode is
 * reported through `invalid`.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  options: { nextToken: string | undefined; maxResults: number; descending?: boolean; invalid: () => Error },
): { page: T[]; nextToken?: string } {
  const { nextToken, maxResults, descending = false } = options;
  let start = 0;
  if (nextToken !== undefined && nextToken !== '') {
    const after = decode(nextToken);
    if (after === undefined) throw options.invalid();
    start = items.findIndex((item) => (descending ? keyOf(item) < after : keyOf(item) > after));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + maxResults);
  return start + maxResults < items.length ? { page, nextToken: encode(keyOf(page[page.length - 1]!)) } : { page };
}

/** A sort key for a timestamp that orders as a string, tie-broken by a unique suffix. */
export const timeKey = (ms: number | undefined, unique: string): string => `${String(ms ?? 0).padStart(15, '0')}\u0000${unique}`;

function encode(key: string): string {
  return Buffer.from(JSON.stringify({ a: key })).toString('base64url');
}

function decode(token: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown };
    return typeof parsed.a === 'string' ? parsed.a : undefined;
  } catch {
    return undefined;
  }
}
