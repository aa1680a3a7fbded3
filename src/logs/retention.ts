import type { LogsService } from './service.js';

export interface RetentionSweeper {
  /** Runs a sweep soon (a retention policy changed). */
  kick(): void;
  stop(): void;
}

/**
 * Enforces retention policies: every `intervalMs` (and on `kick`), deletes events older than
 * their group's retention at the clock's time, in bounded steps with the event loop free between
 * them, then reclaims space of deleted groups and streams. CloudWatch Logs deletes expired events
 * lazily too ("within 72 hours"); here a sweep runs at least once a minute.
 */
export function startRetentionSweeper(logs: LogsService, clock: () => Date, intervalMs = 60_000): RetentionSweeper {
  let running = false;
  let stopped = false;
  const step = (): void => {
    if (stopped) return;
    const more = logs.sweepRetention(clock().getTime()) || logs.events.maintain();
    if (more) setImmediate(step);
    else running = false;
  };
  const kick = (): void => {
    if (running || stopped) return;
    running = true;
    setImmediate(step);
  };
  const timer = setInterval(kick, intervalMs);
  timer.unref();
  return {
    kick,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
