import type { StateStore, Table } from '../store/port.js';
import type { AccessKey } from './principal.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey, rootAccessKey } from './keys.js';
import type { RootCredentials } from './root-credentials.js';

export interface AccountRecord { accountId: string; createdAt: number; rootAccessKeyId: string }

/**
 * Every access key the server accepts: the configured root key, plus the keys of further
 * accounts (created with `berth account create`) and, later, IAM users' keys. SigV4
 * verification asks it for secrets; the gateway asks it for the principal.
 */
export class KeyRing {
  private readonly keys: Table<AccessKey>;
  private readonly accounts: Table<AccountRecord>;
  private readonly root: AccessKey;

  constructor(private readonly store: StateStore, root: RootCredentials) {
    this.keys = store.table<AccessKey>('identity.access_keys');
    this.accounts = store.table<AccountRecord>('identity.accounts');
    this.root = rootAccessKey(root.accountId, root.accessKeyId, root.secretAccessKey);
  }

  get rootAccountId(): string { return this.root.principal.accountId; }

  find(accessKeyId: string): AccessKey | undefined {
    if (accessKeyId === this.root.accessKeyId) return this.root;
    const key = this.keys.get(accessKeyId);
    return key?.status === 'Active' ? key : undefined;
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
}
