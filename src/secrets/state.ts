import type { StateStore, Table } from '../store/port.js';

/** Where a secret lives. Table keys start with `account:region:`. */
export interface Scope { readonly accountId: string; readonly region: string }

export interface Tag { Key: string; Value: string }

/**
 * One version of a secret's value. The value is sealed (see crypto/secret-box.ts) with the
 * context `sealContext(arn, versionId)`; it is never held in plaintext in a record. Timestamps
 * are epoch milliseconds. A version with no stages is deprecated: kept, hidden from the defaults,
 * pruned first.
 */
export interface SecretVersionRecord {
  versionId: string;
  stages: string[];
  kind: 'string' | 'binary';
  sealed: string;
  createdAt: number;
  /** Day (UTC midnight) of the last GetSecretValue of this version. */
  lastAccessedAt?: number;
}

/** A secret (table `secrets.secrets`, key `account:region:name`), versions in creation order. */
export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  /** When DeleteSecret was called; present while the secret is scheduled for deletion. */
  deletedAt?: number;
  /** End of the recovery window: from then on the secret is gone for good. */
  deletionDate?: number;
  versions: SecretVersionRecord[];
}

export const secretKey = (s: Scope, name: string): string => `${s.accountId}:${s.region}:${name}`;

/** Additional authenticated data of a sealed version value: binds it to its secret and version. */
export const sealContext = (arn: string, versionId: string): string => `secretsmanager:${arn}:${versionId}`;

export class SecretsState {
  readonly secrets: Table<SecretRecord>;
  constructor(readonly store: StateStore) {
    this.secrets = store.table('secrets.secrets');
  }
}
