import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { adminSurface } from './admin/surface.js';
import type { Config } from './config.js';
import { createGateway } from './edge/gateway.js';
import { ecsSurface } from './ecs/surface.js';
import { EcsState } from './ecs/state.js';
import { KeyRing } from './identity/key-ring.js';
import { loadRootCredentials, type RootCredentials } from './identity/root-credentials.js';
import { MemoryStore } from './store/memory.js';
import type { StateStore } from './store/port.js';
import { openSqliteStore } from './store/sqlite.js';
import { stsSurface } from './sts/surface.js';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly root: RootCredentials;
  close(): Promise<void>;
}

function openStore(config: Config): StateStore {
  if (config.store === 'memory') return new MemoryStore();
  if (config.store === 'sqlite') return openSqliteStore(join(config.dataDir, 'berth.db'), { fullSync: process.env.BERTH_SQLITE_SYNC === 'full' });
  throw new Error('The PostgreSQL store is not implemented yet; use BERTH_STORE=sqlite.');
}

/** Wires the store, identity, surfaces and gateway, and listens. The one place that knows every room. */
export async function startServer(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const store = openStore(config);
  const root = loadRootCredentials(config.dataDir, env);
  const keys = new KeyRing(store, root);
  const ecs = new EcsState(store);
  let ready = false;
  const handler = createGateway({
    surfaces: [ecsSurface(ecs), stsSurface(), adminSurface(keys)],
    findKey: (id) => keys.find(id),
    clock: () => new Date(),
    ready: () => ready,
    onInternalError: (err, requestId) => {
      process.stderr.write(`berth: internal error in request ${requestId}: ${err instanceof Error ? err.stack : String(err)}\n`);
    },
  });
  const server = createServer({ keepAliveTimeout: 65_000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  ready = true;
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    root,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
