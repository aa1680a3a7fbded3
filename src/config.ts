import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The server's settings, from the environment (names and defaults are a stable interface). */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  store: 'memory' | 'sqlite' | { postgres: string };
  region: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'berth');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.BERTH_PORT ?? 4600);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`BERTH_PORT must be a port number, got ${env.BERTH_PORT}`);
  const dataDir = env.BERTH_DATA_DIR ?? defaultDataDir(env);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const storeEnv = env.BERTH_STORE ?? 'sqlite';
  let store: Config['store'];
  if (storeEnv === 'sqlite' || storeEnv === 'memory') store = storeEnv;
  else if (storeEnv.startsWith('postgres://') || storeEnv.startsWith('postgresql://')) store = { postgres: storeEnv };
  else throw new Error(`BERTH_STORE must be 'sqlite', 'memory' or a postgres:// URL, got ${storeEnv}`);
  return { host: env.BERTH_HOST ?? '127.0.0.1', port, dataDir, store, region: env.BERTH_REGION ?? env.AWS_REGION ?? 'us-east-1' };
}
