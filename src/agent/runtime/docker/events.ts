import type { RuntimeEvent } from '../port.js';
import type { EngineClient } from './engine-client.js';
import { toEvent } from './mapping.js';

/**
 * A `GET /events` subscription for containers carrying `labelKey` that survives the stream
 * dropping (daemon restart, socket reset): it reconnects with backoff until unsubscribed and asks
 * for events `since` the last one it saw, so a short gap loses nothing. Docker's `since` is
 * inclusive, so events at the last seen instant are filtered out when they were already delivered.
 */
export function subscribeEvents(client: EngineClient, labelKey: string, onEvent: (e: RuntimeEvent) => void): () => void {
  const filters = JSON.stringify({ type: ['container'], label: [labelKey] });
  let closed = false;
  let current: { close(): void } | undefined;
  let retry: NodeJS.Timeout | undefined;
  let backoffMs = 100;
  /**
   * Nanosecond time of the newest event delivered, starting at the subscription: even the first
   * connection asks for events `since` then, so none is lost while the stream is being opened.
   */
  let lastNano = BigInt(Date.now()) * 1_000_000n;
  /** Events delivered at exactly `lastNano`, to drop their replay after a reconnect. */
  let atLast = new Set<string>();

  const connect = (): void => {
    const since = `${lastNano / 1_000_000_000n}.${String(lastNano % 1_000_000_000n).padStart(9, '0')}`;
    current = client.stream('/events', { filters, since }, () => {
      backoffMs = 100;
    }, (line) => {
      let m: any;
      try { m = JSON.parse(line); } catch { return; }
      // timeNano exceeds a double's exact range: read its digits from the text.
      const digits = /"timeNano":(\d+)/.exec(line)?.[1];
      const t = digits ? BigInt(digits) : undefined;
      const key = `${m.Actor?.ID ?? m.id}/${m.Action ?? m.status}`;
      if (t !== undefined) {
        if (t < lastNano || (t === lastNano && atLast.has(key))) return;
        if (t > lastNano) { lastNano = t; atLast = new Set(); }
        atLast.add(key);
      }
      const e = toEvent(m);
      if (e && !closed) onEvent(e);
    }, () => {
      current = undefined;
      if (closed) return;
      retry = setTimeout(connect, backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5_000);
    });
  };
  connect();

  return () => {
    closed = true;
    if (retry) clearTimeout(retry);
    current?.close();
  };
}
