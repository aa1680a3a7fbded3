import type { SecretBox } from '../crypto/secret-box.js';
import type { StateStore } from '../store/port.js';
import { NAME_PATTERN, parseSecretArn, parseSecretReference } from './arn.js';
import { invalidName, markedForDeletion, secretNotFound } from './errors.js';
import { sealContext, secretKey, SecretsState, type Scope, type SecretRecord, type SecretVersionRecord } from './state.js';
import { CURRENT } from './versions.js';

/** A plain secret value: exactly one of the two is set. */
export interface SecretValue { string?: string; binary?: Buffer }

/**
 * Why `SecretsService.resolve` could not produce a value. `code` and `message` are what Secrets
 * Manager (or, for `json-key`/`binary`, the ECS agent) reports; neither ever contains the value.
 */
export class SecretResolutionError extends Error {
  constructor(
    readonly code: 'ResourceNotFoundException' | 'InvalidRequestException' | 'InvalidParameterException' | 'JsonKeyNotFound' | 'BinarySecret',
    message: string,
    readonly valueFrom: string,
  ) {
    super(message);
    this.name = 'SecretResolutionError';
  }
}

/**
 * The Secrets Manager room's state and its internal API. Lookups accept what SecretId accepts:
 * a name, a full ARN, or a partial ARN (without the 6-character suffix). A secret whose recovery
 * window has ended is purged on the first lookup that meets it, so it is gone for every caller.
 */
export class SecretsService {
  readonly state: SecretsState;

  constructor(readonly store: StateStore, private readonly box: SecretBox) {
    this.state = new SecretsState(store);
  }

  /** The secret a SecretId names in `scope`, or undefined. Throws ValidationException for a malformed name. */
  find(scope: Scope, secretId: string, now: number): SecretRecord | undefined {
    let record: SecretRecord | undefined;
    if (secretId.startsWith('arn:')) {
      const parts = parseSecretArn(secretId);
      if (!parts || parts.accountId !== scope.accountId || parts.region !== scope.region) return undefined;
      const full = /^(.+)-[A-Za-z0-9]{6}$/.exec(parts.resource);
      const byFull = full ? this.state.secrets.get(secretKey(scope, full[1]!)) : undefined;
      record = byFull?.arn === secretId ? byFull : this.state.secrets.get(secretKey(scope, parts.resource));
    } else {
      if (!NAME_PATTERN.test(secretId)) throw invalidName();
      record = this.state.secrets.get(secretKey(scope, secretId));
    }
    return record && this.purgeIfExpired(scope, record, now) ? undefined : record;
  }

  /** Like `find`, but a missing secret is ResourceNotFoundException. */
  require(scope: Scope, secretId: string, now: number): SecretRecord {
    const record = this.find(scope, secretId, now);
    if (!record) throw secretNotFound();
    return record;
  }

  /** Like `require`, but a secret scheduled for deletion is InvalidRequestException. */
  requireLive(scope: Scope, secretId: string, now: number): SecretRecord {
    const record = this.require(scope, secretId, now);
    if (record.deletedAt !== undefined) throw markedForDeletion();
    return record;
  }

  /** Every secret of the scope, expired ones purged. */
  list(scope: Scope, now: number): SecretRecord[] {
    const prefix = `${scope.accountId}:${scope.region}:`;
    const out: SecretRecord[] = [];
    for (const [key, record] of [...this.state.secrets.entries()]) {
      if (key.startsWith(prefix) && !this.purgeIfExpired(scope, record, now)) out.push(record);
    }
    return out;
  }

  save(scope: Scope, record: SecretRecord): void {
    this.state.secrets.put(secretKey(scope, record.name), record);
  }

  remove(scope: Scope, record: SecretRecord): void {
    this.state.secrets.delete(secretKey(scope, record.name));
  }

  seal(arn: string, versionId: string, value: SecretValue): Pick<SecretVersionRecord, 'kind' | 'sealed'> {
    const context = sealContext(arn, versionId);
    return value.string !== undefined
      ? { kind: 'string', sealed: this.box.seal(value.string, context) }
      : { kind: 'binary', sealed: this.box.seal(value.binary ?? Buffer.alloc(0), context) };
  }

  open(arn: string, version: SecretVersionRecord): SecretValue {
    const plain = this.box.open(version.sealed, sealContext(arn, version.versionId));
    return version.kind === 'string' ? { string: plain.toString('utf8') } : { binary: plain };
  }

  /** Whether a version holds exactly this value (ClientRequestToken idempotency). */
  sameValue(arn: string, version: SecretVersionRecord, value: SecretValue): boolean {
    const held = this.open(arn, version);
    if (held.string !== undefined || value.string !== undefined) return held.string === value.string;
    return !!held.binary && !!value.binary && held.binary.equals(value.binary);
  }

  /**
   * The string an ECS `secrets[].valueFrom` naming Secrets Manager resolves to:
   * `<secret ARN, full or partial>[:json-key[:version-stage[:version-id]]]`, or a plain secret
   * name. The ARN's region is honoured (ECS reads secrets across regions); its account must be
   * the scope's. With neither stage nor id, AWSCURRENT is read. Throws SecretResolutionError.
   * Does not record an access (LastAccessedDate is for API reads). `authorize`, when given, is
   * called with the secret's ARN once it is found and before its value is read; what it throws
   * propagates.
   */
  resolve(scope: Scope, valueFrom: string, now: number = Date.now(), authorize?: (secretArn: string) => void): string {
    const notFound = (message = "Secrets Manager can't find the specified secret."): SecretResolutionError =>
      new SecretResolutionError('ResourceNotFoundException', message, valueFrom);
    let where = scope;
    let secretId = valueFrom;
    let ref: ReturnType<typeof parseSecretReference>;
    if (valueFrom.startsWith('arn:')) {
      ref = parseSecretReference(valueFrom);
      if (!ref) throw new SecretResolutionError('InvalidParameterException', 'The secret ARN is not valid.', valueFrom);
      if (ref.parts.accountId !== scope.accountId) throw notFound();
      where = { accountId: ref.parts.accountId, region: ref.parts.region };
      secretId = ref.arn;
    } else if (!NAME_PATTERN.test(valueFrom)) {
      throw notFound();
    }
    const record = this.find(where, secretId, now);
    if (!record) throw notFound();
    authorize?.(record.arn);
    if (record.deletedAt !== undefined) {
      throw new SecretResolutionError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.", valueFrom);
    }
    const selected = selectVersion(record, ref?.versionId, ref?.versionStage);
    if (typeof selected === 'string') throw notFound(selected);
    const value = this.open(record.arn, selected);
    if (value.string === undefined) {
      throw new SecretResolutionError('BinarySecret', 'retrieved secret from Secrets Manager is binary; only SecretString values can be injected', valueFrom);
    }
    if (!ref?.jsonKey) return value.string;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.string);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.hasOwn(parsed, ref.jsonKey)) {
      throw new SecretResolutionError('JsonKeyNotFound', `retrieved secret from Secrets Manager did not contain json key ${ref.jsonKey}`, valueFrom);
    }
    const field = (parsed as Record<string, unknown>)[ref.jsonKey];
    return typeof field === 'string' ? field : JSON.stringify(field);
  }

  private purgeIfExpired(scope: Scope, record: SecretRecord, now: number): boolean {
    if (record.deletionDate === undefined || record.deletionDate > now) return false;
    this.store.transaction(() => this.remove(scope, record));
    return true;
  }
}

/**
 * The version GetSecretValue reads: by id and/or stage (AWSCURRENT when neither is given). A
 * string is the ResourceNotFoundException message when there is none.
 */
export function selectVersion(record: SecretRecord, versionId: string | undefined, versionStage: string | undefined): SecretVersionRecord | string {
  const stage = versionStage ?? (versionId === undefined ? CURRENT : undefined);
  if (versionId !== undefined) {
    const v = record.versions.find((x) => x.versionId === versionId);
    if (!v || (stage !== undefined && !v.stages.includes(stage))) {
      return stage === undefined
        ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`
        : `Secrets Manager can't find the specified secret value for VersionId: ${versionId} and staging label: ${stage}`;
    }
    return v;
  }
  return record.versions.find((x) => x.stages.includes(stage!)) ?? `Secrets Manager can't find the specified secret value for staging label: ${stage}`;
}
