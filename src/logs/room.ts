import { join } from 'node:path';
import type { JsonSurface } from '../edge/surface.js';
import type { StateStore } from '../store/port.js';
import { MemoryEventStore } from './events/memory.js';
import type { EventStore } from './events/port.js';
import { SqliteEventStore } from './events/sqlite.js';
import { QueryManager } from './insights/queries.js';
import { startRetentionSweeper } from './retention.js';
import { LogsService } from './service.js';
import { LogsState } from './state.js';
import { logsSurface } from './surface.js';

export interface LogsRoomOptions {
  /** Group and stream metadata live here (tables `logs.*`). */
  store: StateStore;
  /** Where `logs.db` lives when `durable`. */
  dataDir: string;
  /** Events in `<dataDir>/logs.db` (SQLite) when true; in memory when false (`BERTH_STORE=memory`). */
  durable: boolean;
  /** fsync every commit (`BERTH_SQLITE_SYNC=full`). */
  fullSync?: boolean;
  clock?: () => Date;
  /** How often the retention sweep runs. */
  sweepIntervalMs?: number;
}

export interface LogsRoom {
  readonly surface: JsonSurface;
  /** The internal API (ensureGroup, ensureStream, putEvents, groupExists) for the agent's shipper. */
  readonly service: LogsService;
  close(): void;
}

/** Opens the Logs room: its event store, service, Insights queries, retention sweep and surface. */
export function openLogsRoom(opts: LogsRoomOptions): LogsRoom {
  const clock = opts.clock ?? (() => new Date());
  const events: EventStore = opts.durable ? new SqliteEventStore(join(opts.dataDir, 'logs.db'), { fullSync: opts.fullSync }) : new MemoryEventStore();
  const service = new LogsService(new LogsState(opts.store), events, clock);
  const queries = new QueryManager(service.state, events);
  const sweeper = startRetentionSweeper(service, clock, opts.sweepIntervalMs);
  sweeper.kick(); // enforce retention that lapsed while the server was down
  return {
    surface: logsSurface({ logs: service, queries, retentionChanged: sweeper.kick }),
    service,
    close: () => {
      sweeper.stop();
      events.close();
    },
  };
}
