import type { StateStore, Table } from '../store/port.js';

/** Where a parameter lives. Table keys start with `account:region:`. */
export interface Scope { readonly accountId: string; readonly region: string }

export interface Tag { Key: string; Value: string }

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type StoredTier = 'Standard' | 'Advanced';

/**
 * One version of a parameter, as GetParameterHistory shows it. `value` is the plaintext for
 * String and StringList, and the sealed value (crypto/secret-box.ts, context `sealContext`) for
 * SecureString: a SecureString's plaintext is never held in a record. Times in epoch ms.
 */
export interface ParameterVersionRecord {
  version: number;
  type: ParameterType;
  value: string;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: StoredTier;
  dataType: string;
  labels: string[];
  modifiedAt: number;
  /** ARN of the principal that wrote this version (LastModifiedUser). */
  modifiedBy: string;
}

/** A parameter (table `ssm.parameters`, key `account:region:name`), versions ascending; the last is current. */
export interface ParameterRecord {
  name: string;
  tags: Tag[];
  versions: ParameterVersionRecord[];
}

export const parameterKey = (s: Scope, name: string): string => `${s.accountId}:${s.region}:${name}`;

/** Additional authenticated data of a sealed SecureString: binds it to its parameter and version. */
export const sealContext = (s: Scope, name: string, version: number): string => `ssm:${s.accountId}:${s.region}:${name}:${version}`;

export const currentVersion = (p: ParameterRecord): ParameterVersionRecord => p.versions[p.versions.length - 1]!;

export class SsmState {
  readonly parameters: Table<ParameterRecord>;
  constructor(readonly store: StateStore) {
    this.parameters = store.table('ssm.parameters');
  }
}
