import { randomBytes, randomInt } from 'node:crypto';
import type { AccessKey, Principal } from './principal.js';

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new long-term access key id in AWS's form: `AKIA` and 16 upper-case base-32 characters. */
export function newAccessKeyId(prefix = 'AKIA'): string {
  let id = prefix;
  for (let i = 0; i < 16; i++) id += KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)];
  return id;
}

/**
 * A new IAM unique id: a 4-letter type prefix (`AIDA` user, `AROA` role, `ANPA` managed policy)
 * and 17 upper-case base-32 characters, as IAM's ids look.
 */
export function newUniqueId(prefix: 'AIDA' | 'AROA' | 'ANPA' | 'ASCA'): string {
  let id = prefix;
  for (let i = 0; i < 17; i++) id += KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)];
  return id;
}

/** A new opaque session token for temporary credentials (base64, as STS's are). */
export function newSessionToken(): string {
  return randomBytes(192).toString('base64');
}

/** A new 40-character secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'a').replace(/\//g, 'b');
}

/** A new 12-digit account id that does not start with 0 (so no tool mistakes it for a number). */
export function newAccountId(): string {
  return String(randomInt(1, 10)) + String(randomInt(0, 1e11)).padStart(11, '0');
}

export function rootPrincipal(accountId: string, accessKeyId: string): Principal {
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, accessKeyId, isRoot: true, kind: 'root' };
}

/** The principal of an IAM user's access key. `path` is the user's path (`/` or `/a/b/`). */
export function userPrincipal(accountId: string, userName: string, path: string, userId: string, accessKeyId: string): Principal {
  return { accountId, arn: `arn:aws:iam::${accountId}:user${path}${userName}`, userId, accessKeyId, isRoot: false, kind: 'user', userName };
}

export function rootAccessKey(accountId: string, accessKeyId: string, secretAccessKey: string): AccessKey {
  return { accessKeyId, secretAccessKey, principal: rootPrincipal(accountId, accessKeyId), status: 'Active' };
}
