import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from './keys.js';

export interface RootCredentials { accountId: string; accessKeyId: string; secretAccessKey: string }

const FILE = 'root-credentials.json';

/**
 * The root account and its key. The environment's BERTH_ROOT_ACCESS_KEY_ID /
 * BERTH_ROOT_SECRET_ACCESS_KEY win when both are set; otherwise the key generated on first start
 * is kept (mode 0600) in the data dir. The account id is kept there too (BERTH_ACCOUNT_ID
 * chooses it on first start), so ARNs stay the same across restarts.
 */
export function loadRootCredentials(dataDir: string, env: NodeJS.ProcessEnv): RootCredentials {
  const file = join(dataDir, FILE);
  let stored: RootCredentials | undefined;
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as RootCredentials;
  if (!stored) {
    const accountId = env.BERTH_ACCOUNT_ID ?? newAccountId();
    if (!/^\d{12}$/.test(accountId)) throw new Error('BERTH_ACCOUNT_ID must be 12 digits');
    stored = { accountId, accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const envKey = env.BERTH_ROOT_ACCESS_KEY_ID;
  const envSecret = env.BERTH_ROOT_SECRET_ACCESS_KEY;
  if (envKey && envSecret) return { accountId: stored.accountId, accessKeyId: envKey, secretAccessKey: envSecret };
  return stored;
}
