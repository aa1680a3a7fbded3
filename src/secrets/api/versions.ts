import type { ListSecretVersionIdsRequest, UpdateSecretVersionStageRequest } from '@aws-sdk/client-secrets-manager';
import type { Operation } from '../../edge/surface.js';
import { invalidNextToken, invalidParameter, limitExceeded, resourceNotFound } from '../errors.js';
import { paginate } from '../../edge/pagination.js';
import type { SecretsService } from '../service.js';
import { attachStage, CURRENT, detachStage, holderOf, MAX_STAGES_PER_VERSION } from '../versions.js';
import { operation, scopeOf, toDate } from './operation.js';

export function versionOperations(secrets: SecretsService): Record<string, Operation> {
  return {
    ListSecretVersionIds: operation<ListSecretVersionIdsRequest>((input, ctx) => {
      const record = secrets.require(scopeOf(ctx), input.SecretId!, ctx.now.getTime());
      const shown = record.versions
        .map((v, i) => ({ v, key: String(i).padStart(4, '0') }))
        .filter(({ v }) => input.IncludeDeprecated === true || v.stages.length > 0);
      const { page, nextToken } = paginate(shown, (x) => x.key, {
        nextToken: input.NextToken, maxResults: input.MaxResults ?? 100, invalid: invalidNextToken,
      });
      return {
        Versions: page.map(({ v }) => ({
          VersionId: v.versionId,
          VersionStages: v.stages.length > 0 ? [...v.stages] : undefined,
          LastAccessedDate: toDate(v.lastAccessedAt),
          CreatedDate: toDate(v.createdAt),
          KmsKeyIds: [record.kmsKeyId ?? 'DefaultEncryptionKey'],
        })),
        NextToken: nextToken,
        ARN: record.arn,
        Name: record.name,
      };
    }),

    /**
     * Moves a staging label: onto `MoveToVersionId` and/or off `RemoveFromVersionId`. A label
     * held by another version may only move when that version is named in RemoveFromVersionId;
     * AWSCURRENT cannot be removed without a new home; moving it leaves AWSPREVIOUS behind.
     */
    UpdateSecretVersionStage: operation<UpdateSecretVersionStageRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      const stage = input.VersionStage!;
      return secrets.store.transaction(() => {
        const record = secrets.requireLive(scope, input.SecretId!, now);
        const known = (id: string): void => {
          if (!record.versions.some((v) => v.versionId === id)) {
            throw resourceNotFound(`Secrets Manager can't find the specified secret value for VersionId: ${id}`);
          }
        };
        const from = input.RemoveFromVersionId;
        const to = input.MoveToVersionId;
        if (from === undefined && to === undefined) throw invalidParameter('You must specify MoveToVersionId or RemoveFromVersionId.');
        if (from !== undefined) known(from);
        if (to !== undefined) known(to);
        const holder = holderOf(record.versions, stage);
        if (from !== undefined && holder?.versionId !== from) {
          throw invalidParameter(`The staging label ${stage} is not attached to version ${from}.`);
        }
        let versions = record.versions;
        if (to !== undefined) {
          if (holder && holder.versionId !== to && holder.versionId !== from) {
            throw invalidParameter(
              `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
            );
          }
          const target = record.versions.find((v) => v.versionId === to)!;
          if (!target.stages.includes(stage) && target.stages.length >= MAX_STAGES_PER_VERSION) {
            throw limitExceeded(`A version can have at most ${MAX_STAGES_PER_VERSION} staging labels.`);
          }
          versions = attachStage(versions, stage, to);
        } else {
          if (stage === CURRENT) throw invalidParameter(`You can't remove the staging label ${CURRENT} without moving it to another version.`);
          versions = detachStage(versions, stage, from!);
        }
        secrets.save(scope, { ...record, versions, lastChangedAt: now });
        return { ARN: record.arn, Name: record.name };
      });
    }),
  };
}
