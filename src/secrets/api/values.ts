import { randomUUID } from 'node:crypto';
import type { GetSecretValueRequest, PutSecretValueRequest } from '@aws-sdk/client-secrets-manager';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter, resourceExists, resourceNotFound, validation } from '../errors.js';
import { selectVersion, type SecretsService, type SecretValue } from '../service.js';
import type { SecretRecord } from '../state.js';
import { addVersion, CURRENT, MAX_STAGES_PER_VERSION } from '../versions.js';
import { dayOf, operation, scopeOf, toDate } from './operation.js';

/** On the wire a blob is base64; the SDK types it as bytes. */
export interface WireValue { SecretString?: string; SecretBinary?: string | Uint8Array }

const MAX_VALUE_BYTES = 65_536;

/** The value a request carries, if any. Both at once is InvalidParameterException. */
export function valueOf(input: WireValue): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (input.SecretString !== undefined) {
    if (Buffer.byteLength(input.SecretString, 'utf8') > MAX_VALUE_BYTES) throw validation(tooLong('secretString'));
    return { string: input.SecretString };
  }
  if (input.SecretBinary !== undefined) {
    const binary = Buffer.from(input.SecretBinary as string, 'base64');
    if (binary.length > MAX_VALUE_BYTES) throw validation(tooLong('secretBinary'));
    return { binary };
  }
  return undefined;
}

const tooLong = (member: string): string =>
  `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE_BYTES}`;

/**
 * Adds a version holding `value` under id `token` (the request's ClientRequestToken, or a fresh
 * UUID) with `stages`. A token that already names a version is idempotent when the value is the
 * same and ResourceExistsException when not. Returns the updated record (not yet saved) and the
 * version id; `created` is false for an idempotent repeat.
 */
export function writeVersion(
  secrets: SecretsService,
  record: SecretRecord,
  value: SecretValue,
  token: string | undefined,
  stages: readonly string[],
  now: number,
): { record: SecretRecord; versionId: string; created: boolean } {
  const versionId = token ?? randomUUID();
  const existing = record.versions.find((v) => v.versionId === versionId);
  if (existing) {
    if (!secrets.sameValue(record.arn, existing, value)) {
      throw resourceExists("You can't modify an existing version, you can only create new versions.");
    }
    return { record, versionId, created: false };
  }
  const sealed = secrets.seal(record.arn, versionId, value);
  const versions = addVersion(record.versions, { versionId, createdAt: now, ...sealed }, stages);
  return { record: { ...record, versions, lastChangedAt: now }, versionId, created: true };
}

export function valueOperations(secrets: SecretsService): Record<string, Operation> {
  return {
    GetSecretValue: operation<GetSecretValueRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      return secrets.store.transaction(() => {
        const record = secrets.requireLive(scope, input.SecretId!, now);
        const selected = selectVersion(record, input.VersionId, input.VersionStage);
        if (typeof selected === 'string') throw resourceNotFound(selected);
        const value = secrets.open(record.arn, selected);
        // Access dates are kept to the day, so a read writes at most once a day per version.
        const day = dayOf(now);
        if (record.lastAccessedAt !== day || selected.lastAccessedAt !== day) {
          const versions = record.versions.map((v) => (v.versionId === selected.versionId ? { ...v, lastAccessedAt: day } : v));
          secrets.save(scope, { ...record, lastAccessedAt: day, versions });
        }
        return {
          ARN: record.arn,
          Name: record.name,
          VersionId: selected.versionId,
          ...(value.string !== undefined ? { SecretString: value.string } : { SecretBinary: value.binary!.toString('base64') }),
          VersionStages: [...selected.stages],
          CreatedDate: toDate(selected.createdAt),
        };
      });
    }),

    PutSecretValue: operation<PutSecretValueRequest & WireValue>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      const value = valueOf(input);
      if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
      const stages = input.VersionStages ?? [CURRENT];
      if (stages.length > MAX_STAGES_PER_VERSION) throw invalidParameter(`A version can have at most ${MAX_STAGES_PER_VERSION} staging labels.`);
      return secrets.store.transaction(() => {
        const record = secrets.requireLive(scope, input.SecretId!, now);
        const written = writeVersion(secrets, record, value, input.ClientRequestToken, stages, now);
        if (written.created) secrets.save(scope, written.record);
        const version = written.record.versions.find((v) => v.versionId === written.versionId)!;
        return { ARN: record.arn, Name: record.name, VersionId: written.versionId, VersionStages: [...version.stages] };
      });
    }),
  };
}
