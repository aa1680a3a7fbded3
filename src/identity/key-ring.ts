import type { StateStore, Table } from '../store/port.js';
import type { AccessKey, Principal } from './principal.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey, rootAccessKey, userPrincipal } from './keys.js';
import type { RootCredentials } from './root-credentials.js';
import { SessionKeys } from './sessions.js';

export interface AccountRecord { accountId: string; createdAt: number; rootAccessKeyId: string }

/**
 * Every access key the server accepts: the configured root key, the keys of further accounts
 * (created with `berth account create`), IAM users' keys, and STS temporary credentials. SigV4
 * verification asks it for secrets; the gateway asks it for the principal (and, for temporary
 * credentials, the session token and expiry it must check).
 */
export class KeyRing {
  private readonly keys: Table<AccessKey>;
  private readonly accounts: Table<AccountRecord>;
  private readonly root: AccessKey;
  private readonly sessions: SessionKeys;

  constructor(private readonly store: StateStore, root: RootCredentials) {
    this.keys = store.table<AccessKey>('identity.access_keys');
    this.accounts = store.table<AccountRecord>('identity.accounts');
    this.root = rootAccessKey(root.accountId, root.accessKeyId, root.secretAccessKey);
    this.sessions = new SessionKeys(store);
  }

  get rootAccountId(): string { return this.root.principal.accountId; }

  /** An active long-term key, or temporary credentials (expired ones too: the caller checks expiry). */
  find(accessKeyId: string): AccessKey | undefined {
    if (accessKeyId === this.root.accessKeyId) return this.root;
    const key = this.keys.get(accessKeyId) ?? this.sessions.find(accessKeyId);
    return key?.status === 'Active' ? key : undefined;
  }

  /** A long-term key whatever its status (IAM ListAccessKeys/UpdateAccessKey). */
  get(accessKeyId: string): AccessKey | undefined {
    return this.keys.get(accessKeyId);
  }

  /** Creates a new account with its own root key: a tenant that sees only its own resources. */
  createAccount(now: Date): { account: AccountRecord; key: AccessKey } {
    return this.store.transaction(() => {
      let accountId = newAccountId();
      while (accountId === this.rootAccountId || this.accounts.has(accountId)) accountId = newAccountId();
      const key = rootAccessKey(accountId, newAccessKeyId(), newSecretAccessKey());
      const account = { accountId, createdAt: now.getTime(), rootAccessKeyId: key.accessKeyId };
      this.accounts.put(accountId, account);
      this.keys.put(key.accessKeyId, key);
      return { account, key };
    });
  }

  /** A new active `AKIA…` key for an IAM user. */
  createUserKey(user: { accountId: string; userName: string; path: string; userId: string }, now: number): AccessKey {
    return this.store.transaction(() => {
      let id = newAccessKeyId();
      while (this.keys.has(id) || id === this.root.accessKeyId) id = newAccessKeyId();
      const key: AccessKey = {
        accessKeyId: id,
        secretAccessKey: newSecretAccessKey(),
        principal: userPrincipal(user.accountId, user.userName, user.path, user.userId, id),
        status: 'Active',
        createdAt: now,
      };
      this.keys.put(id, key);
      return key;
    });
  }

  setStatus(accessKeyId: string, status: AccessKey['status']): void {
    const key = this.keys.get(accessKeyId);
    if (key) this.keys.put(accessKeyId, { ...key, status });
  }

  deleteKey(accessKeyId: string): boolean {
    return this.keys.delete(accessKeyId);
  }

  /** Temporary credentials for `principal` until `expiresAt` (epoch ms); see SessionKeys. */
  issueSession(principal: Omit<Principal, 'accessKeyId'>, expiresAt: number, now: number): AccessKey {
    return this.sessions.issue(principal, expiresAt, now);
  }
}
