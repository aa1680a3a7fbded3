import { randomBytes, randomInt } from 'node:crypto';
import type { AccessKey, Principal } from './principal.js';

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new long-term access key id in AWS's form: `AKIA` and 16 upper-case base-32 characters. */
export function newAccessKeyId(prefix = 'AKIA'): string {
  let id = prefix;
  for (let i = 0; i < 16; i++) id += KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)];
  return id;
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
  return { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, accessKeyId, isRoot: true };
}

export function rootAccessKey(accountId: string, accessKeyId: string, secretAccessKey: string): AccessKey {
  return { accessKeyId, secretAccessKey, principal: rootPrincipal(accountId, accessKeyId), status: 'Active' };
}
