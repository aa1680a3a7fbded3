import type { RuntimeEvent } from '../port.js';
import type { EngineClient } from './engine-client.js';
import { toEvent } from './mapping.js';

/**
 * A `GET /events` subscription for containers carrying `labelKey` that survives the stream
 * dropping (daemon restart, socket reset): it reconnects with backoff until unsubscribed and asks
 * for events `since` a little before the newest one it saw, so a short gap loses nothing.
 *
 * Docker stamps events when they happen, not when it publishes them, so events of different
 * containers can arrive slightly out of timestamp order: an event is therefore never dropped for
 * being older than the newest seen, only for being an exact replay (same container, action and
 * timestamp) of one already delivered — remembered in a bounded window.
 */
export function subscribeEvents(client: EngineClient, labelKey: string, onEvent: (e: RuntimeEvent) => void): () => void {
  const filters = JSON.stringify({ type: ['container'], label: [labelKey] });
  /** How far before the newest event a reconnect asks Docker to replay from. */
  const REPLAY_NS = 5_000_000_000n;
  const WINDOW = 20_000;
  let closed = false;
  let current: { close(): void } | undefined;
  let retry: NodeJS.Timeout | undefined;
  let backoffMs = 100;
  /** Even the first connection asks for events since the subscription began. */
  let newestNano = BigInt(Date.now()) * 1_000_000n;
  let first = true;
  const delivered = new Set<string>();

  const connect = (): void => {
    const from = first ? newestNano : newestNano - REPLAY_NS;
    first = false;
    const since = `${from / 1_000_000_000n}.${String(from % 1_000_000_000n).padStart(9, '0')}`;
    current = client.stream('/events', { filters, since }, () => {
      backoffMs = 100;
    }, (line) => {
      let m: any;
      try { m = JSON.parse(line); } catch { return; }
      // timeNano exceeds a double's exact range: read its digits from the text.
      const digits = /"timeNano":(\d+)/.exec(line)?.[1];
      const key = `${m.Actor?.ID ?? m.id}/${m.Action ?? m.status}/${digits ?? ''}`;
      if (delivered.has(key)) return;
      delivered.add(key);
      if (delivered.size > WINDOW) delivered.delete(delivered.values().next().value!);
      if (digits) {
        const t = BigInt(digits);
        if (t > newestNano) newestNano = t;
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
