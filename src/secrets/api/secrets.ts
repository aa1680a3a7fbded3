import type {
  CreateSecretRequest, DeleteSecretRequest, DescribeSecretRequest, RestoreSecretRequest, UpdateSecretRequest,
} from '@aws-sdk/client-secrets-manager';
import type { Operation } from '../../edge/surface.js';
import { NAME_PATTERN, parseSecretArn, randomSuffix, secretArn } from '../arn.js';
import { invalidName, invalidParameter, invalidRequest, markedForDeletion, resourceExists, secretNotFound } from '../errors.js';
import type { SecretsService } from '../service.js';
import type { SecretRecord, Tag } from '../state.js';
import { CURRENT, stagesMap } from '../versions.js';
import { operation, scopeOf, toDate } from './operation.js';
import { mergeTags } from './tags.js';
import { valueOf, writeVersion, type WireValue } from './values.js';

const DAY_MS = 86_400_000;

/** The metadata DescribeSecret returns (ListSecrets shows the same, with `SecretVersionsToStages`). */
export function secretMetadata(record: SecretRecord): Record<string, unknown> {
  return {
    ARN: record.arn,
    Name: record.name,
    Description: record.description,
    KmsKeyId: record.kmsKeyId,
    LastChangedDate: toDate(record.lastChangedAt),
    LastAccessedDate: toDate(record.lastAccessedAt),
    DeletedDate: toDate(record.deletedAt),
    Tags: record.tags.length > 0 ? record.tags.map((t) => ({ ...t })) : undefined,
    CreatedDate: toDate(record.createdAt),
  };
}

export function secretOperations(secrets: SecretsService): Record<string, Operation> {
  return {
    CreateSecret: operation<CreateSecretRequest & WireValue>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      const name = input.Name!;
      if (!NAME_PATTERN.test(name)) throw invalidName();
      if (input.AddReplicaRegions?.length) throw invalidRequest('Berth does not replicate secrets to other Regions.');
      const value = valueOf(input);
      return secrets.store.transaction(() => {
        const existing = secrets.find(scope, name, now);
        if (existing) {
          if (existing.deletedAt !== undefined) {
            throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
          }
          // A retried CreateSecret (same token, same value) answers as the first one did.
          const same = input.ClientRequestToken !== undefined && value !== undefined
            ? existing.versions.find((v) => v.versionId === input.ClientRequestToken)
            : undefined;
          if (same && secrets.sameValue(existing.arn, same, value!)) {
            return { ARN: existing.arn, Name: existing.name, VersionId: same.versionId };
          }
          throw resourceExists(`The operation failed because the secret ${name} already exists.`);
        }
        let record: SecretRecord = {
          arn: secretArn(scope, name, randomSuffix()),
          name,
          description: input.Description,
          kmsKeyId: input.KmsKeyId,
          tags: mergeTags([], (input.Tags ?? []) as Tag[]),
          createdAt: now,
          lastChangedAt: now,
          versions: [],
        };
        let versionId: string | undefined;
        if (value) ({ record, versionId } = writeVersion(secrets, record, value, input.ClientRequestToken, [CURRENT], now));
        secrets.save(scope, record);
        return { ARN: record.arn, Name: record.name, VersionId: versionId };
      });
    }),

    UpdateSecret: operation<UpdateSecretRequest & WireValue>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      const value = valueOf(input);
      return secrets.store.transaction(() => {
        let record = secrets.requireLive(scope, input.SecretId!, now);
        record = {
          ...record,
          description: input.Description ?? record.description,
          kmsKeyId: input.KmsKeyId ?? record.kmsKeyId,
          lastChangedAt: now,
        };
        let versionId: string | undefined;
        if (value) ({ record, versionId } = writeVersion(secrets, record, value, input.ClientRequestToken, [CURRENT], now));
        secrets.save(scope, record);
        return { ARN: record.arn, Name: record.name, VersionId: versionId };
      });
    }),

    DescribeSecret: operation<DescribeSecretRequest>((input, ctx) => {
      const record = secrets.require(scopeOf(ctx), input.SecretId!, ctx.now.getTime());
      const stages = stagesMap(record.versions);
      return { ...secretMetadata(record), VersionIdsToStages: Object.keys(stages).length > 0 ? stages : undefined };
    }),

    DeleteSecret: operation<DeleteSecretRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      const force = input.ForceDeleteWithoutRecovery === true;
      if (force && input.RecoveryWindowInDays !== undefined) {
        throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      }
      const days = input.RecoveryWindowInDays ?? 30;
      if (!force && (!Number.isInteger(days) || days < 7 || days > 30)) {
        throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
      }
      return secrets.store.transaction(() => {
        const record = secrets.find(scope, input.SecretId!, now);
        if (force) {
          // "If you forcibly delete an already deleted or nonexistent secret, the operation does
          // not return ResourceNotFoundException."
          if (record) secrets.remove(scope, record);
          const named = record ?? nameOnly(input.SecretId!);
          return { ARN: named.arn, Name: named.name, DeletionDate: ctx.now };
        }
        if (!record) throw secretNotFound();
        if (record.deletedAt !== undefined) throw markedForDeletion();
        const deletionDate = now + days * DAY_MS;
        secrets.save(scope, { ...record, deletedAt: now, deletionDate, lastChangedAt: now });
        return { ARN: record.arn, Name: record.name, DeletionDate: new Date(deletionDate) };
      });
    }),

    RestoreSecret: operation<RestoreSecretRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      return secrets.store.transaction(() => {
        const record = secrets.require(scope, input.SecretId!, now);
        if (record.deletedAt !== undefined) {
          const { deletedAt: _d, deletionDate: _w, ...rest } = record;
          secrets.save(scope, { ...rest, lastChangedAt: now });
        }
        return { ARN: record.arn, Name: record.name };
      });
    }),
  };
}

/** What a force-delete of a secret that does not exist reports: the id as given. */
function nameOnly(secretId: string): { arn?: string; name?: string } {
  const parts = parseSecretArn(secretId);
  return parts ? { arn: secretId } : { name: secretId };
}
