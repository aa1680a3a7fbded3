import { validationError } from './errors.js';
import { int, optional, type Params } from './params.js';
import { page as pageXml } from './xml.js';

/**
 * IAM's Marker/MaxItems pagination over a list in a stable order. The marker is opaque to
 * clients; it carries the sort key of the last item returned, so pages stay right when items
 * come and go between calls. MaxItems is 1 … 1000, 100 by default.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, p: Params): { page: T[]; xml: string } {
  const max = int(p, 'MaxItems', 1, 1000) ?? 100;
  const marker = optional(p, 'Marker');
  let start = 0;
  if (marker !== undefined) {
    const after = decode(marker);
    start = items.findIndex((i) => keyOf(i) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + max);
  const more = start + max < items.length;
  return { page, xml: pageXml(more ? encode(keyOf(page[page.length - 1]!)) : undefined) };
}

function encode(key: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: key })).toString('base64url');
}

function decode(marker: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { v?: number; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw validationError('Invalid Marker.');
}
