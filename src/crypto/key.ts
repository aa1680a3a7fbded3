import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { StateStore } from '../store/port.js';
import { SecretBox, SealedValueError } from './secret-box.js';

export const SECRETS_KEY_FILE = 'secrets.key';
export const SECRETS_KEY_ENV = 'BERTH_SECRETS_KEY';

/**
 * The key secret values are encrypted with, kept outside the database: `BERTH_SECRETS_KEY`
 * (base64 of 32 bytes) when set, otherwise `<data dir>/secrets.key` (base64 text, mode 0600),
 * created with a random key on first start. A malformed key is a start-up error, never a
 * silently different key.
 */
export function loadSecretsKey(dataDir: string, env: NodeJS.ProcessEnv): Buffer {
  const fromEnv = env[SECRETS_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return decodeKey(fromEnv, SECRETS_KEY_ENV);
  const file = join(dataDir, SECRETS_KEY_FILE);
  if (existsSync(file)) return decodeKey(readFileSync(file, 'utf8'), file);
  const key = randomBytes(32);
  // 'wx': two processes starting on one data dir cannot both create (and disagree on) the key.
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new Error(`${where} must hold the base64 encoding of exactly 32 bytes.`);
  }
  return key;
}

const CHECK_TABLE = 'crypto.key_check';
const CHECK_KEY = 'secrets';
const CHECK_CONTEXT = 'berth:secrets-key-check';
const CHECK_PLAINTEXT = 'berth secrets key check';

/**
 * Opens the box for this data dir and makes sure it is the key the stored values were sealed
 * with: the first start stores a sealed check value; later starts must open it. Starting with
 * another key fails here, with a message naming where the key comes from, instead of failing
 * later on every secret read.
 */
export function openSecretBox(dataDir: string, env: NodeJS.ProcessEnv, store: StateStore): SecretBox {
  const box = new SecretBox(loadSecretsKey(dataDir, env));
  const checks = store.table<{ sealed: string }>(CHECK_TABLE);
  const stored = checks.get(CHECK_KEY);
  if (!stored) {
    store.transaction(() => checks.put(CHECK_KEY, { sealed: box.seal(CHECK_PLAINTEXT, CHECK_CONTEXT) }));
    return box;
  }
  try {
    box.openText(stored.sealed, CHECK_CONTEXT);
  } catch (err) {
    if (!(err instanceof SealedValueError)) throw err;
    const source = env[SECRETS_KEY_ENV] ? SECRETS_KEY_ENV : join(dataDir, SECRETS_KEY_FILE);
    throw new Error(`The secrets key from ${source} is not the key this data dir's secrets were encrypted with.`);
  }
  return box;
}
