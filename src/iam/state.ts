import type { StateStore, Table } from '../store/port.js';

/**
 * The IAM room's tables and record types. IAM is global: records are keyed
 * `account:<lower-cased name>` (no region), because IAM names are unique per account regardless
 * of case ("Role names are not distinguished by case"). Records are plain JSON with epoch-ms
 * timestamps and are replaced whole, never mutated in place. Policy documents are kept as the
 * text the caller sent, which is what IAM returns.
 */

export interface Tag { Key: string; Value: string }

export interface InlinePolicy { name: string; document: string }

export interface RoleRecord {
  accountId: string;
  name: string;
  /** `/` or `/a/b/`. */
  path: string;
  roleId: string;
  arn: string;
  trustPolicy: string;
  description?: string;
  /** Seconds, 3600 … 43200. */
  maxSessionDuration: number;
  createdAt: number;
  tags: Tag[];
  inline: InlinePolicy[];
  /** Managed policy ARNs (customer or AWS), in attachment order. */
  attached: string[];
}

export interface UserRecord {
  accountId: string;
  name: string;
  path: string;
  userId: string;
  arn: string;
  createdAt: number;
  tags: Tag[];
  inline: InlinePolicy[];
  attached: string[];
  /** Access key ids, in creation order; the keys themselves live in identity's KeyRing. */
  accessKeys: string[];
}

export interface PolicyVersionRecord { versionId: string; document: string; createdAt: number }

/** A customer managed policy. AWS managed policies are code (managed/), not records. */
export interface PolicyRecord {
  accountId: string;
  name: string;
  path: string;
  policyId: string;
  arn: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  /** Oldest first; at most five. */
  versions: PolicyVersionRecord[];
  /** The number of the next version (`v<n>`): version ids are never reused. */
  nextVersion: number;
  tags: Tag[];
}

/**
 * An uploaded server certificate (UploadServerCertificate). The private key is sealed with the
 * server's secrets key, bound to the certificate's id (which, unlike its name and ARN, never
 * changes); IAM never returns it, and only the load balancers' data plane opens it.
 */
export interface ServerCertificateRecord {
  accountId: string;
  name: string;
  path: string;
  serverCertificateId: string;
  arn: string;
  certificateBody: string;
  certificateChain?: string;
  sealedPrivateKey: string;
  uploadedAt: number;
  expiresAt: number;
  tags: Tag[];
}

export const nameKey = (accountId: string, name: string): string => `${accountId}:${name.toLowerCase()}`;

export class IamState {
  readonly roles: Table<RoleRecord>;
  readonly users: Table<UserRecord>;
  readonly policies: Table<PolicyRecord>;
  readonly serverCertificates: Table<ServerCertificateRecord>;

  constructor(readonly store: StateStore) {
    this.roles = store.table<RoleRecord>('iam.roles');
    this.users = store.table<UserRecord>('iam.users');
    this.policies = store.table<PolicyRecord>('iam.policies');
    this.serverCertificates = store.table<ServerCertificateRecord>('iam.serverCertificates');
  }

  role(accountId: string, name: string): RoleRecord | undefined {
    return this.roles.get(nameKey(accountId, name));
  }

  user(accountId: string, name: string): UserRecord | undefined {
    return this.users.get(nameKey(accountId, name));
  }

  policy(accountId: string, name: string): PolicyRecord | undefined {
    return this.policies.get(nameKey(accountId, name));
  }

  serverCertificate(accountId: string, name: string): ServerCertificateRecord | undefined {
    return this.serverCertificates.get(nameKey(accountId, name));
  }

  /** Every record of one account in a table, in name order (what IAM's List calls page over). */
  listOf<T extends { accountId: string; name: string }>(table: Table<T>, accountId: string): T[] {
    const out: T[] = [];
    const prefix = `${accountId}:`;
    for (const [k, v] of table.entries()) if (k.startsWith(prefix)) out.push(v);
    return out.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
  }
}
