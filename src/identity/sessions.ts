import type { StateStore, Table } from '../store/port.js';
import type { AccessKey, Principal } from './principal.js';
import { newAccessKeyId, newSecretAccessKey, newSessionToken } from './keys.js';

/** How long an expired session stays known, so its use answers ExpiredToken rather than "invalid". */
const KEEP_EXPIRED_MS = 12 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;

/**
 * Temporary credentials (`ASIA…` key, secret, session token, expiry) issued by STS, kept in the
 * store (table `identity.sessions`, keyed by access key id) so they survive a restart like AWS's
 * do. Expired sessions are kept for a while, then swept when new ones are issued.
 */
export class SessionKeys {
  private readonly sessions: Table<AccessKey>;
  private lastSweep = 0;

  constructor(private readonly store: StateStore) {
    this.sessions = store.table<AccessKey>('identity.sessions');
  }

  find(accessKeyId: string): AccessKey | undefined {
    return this.sessions.get(accessKeyId);
  }

  /**
   * Issues credentials for `principal` (its `accessKeyId` is replaced by the new key's) valid
   * until `expiresAt` (epoch ms). Durable before it returns.
   */
  issue(principal: Omit<Principal, 'accessKeyId'>, expiresAt: number, now: number): AccessKey {
    return this.store.transaction(() => {
      if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now);
      let accessKeyId = newAccessKeyId('ASIA');
      while (this.sessions.has(accessKeyId)) accessKeyId = newAccessKeyId('ASIA');
      const key: AccessKey = {
        accessKeyId,
        secretAccessKey: newSecretAccessKey(),
        sessionToken: newSessionToken(),
        expiresAt,
        createdAt: now,
        status: 'Active',
        principal: { ...principal, accessKeyId },
      };
      this.sessions.put(accessKeyId, key);
      return key;
    });
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    const gone: string[] = [];
    for (const [id, key] of this.sessions.entries()) if ((key.expiresAt ?? 0) + KEEP_EXPIRED_MS < now) gone.push(id);
    for (const id of gone) this.sessions.delete(id);
  }
}
