import type { GetParameterHistoryRequest, LabelParameterVersionRequest, UnlabelParameterVersionRequest } from '@aws-sdk/client-ssm';
import type { Operation } from '../../edge/surface.js';
import { invalidNextToken, labelLimitExceeded, versionNotFound } from '../errors.js';
import { isValidLabel } from '../names.js';
import { paginate } from '../../edge/pagination.js';
import type { ParameterStore } from '../service.js';
import { currentVersion } from '../state.js';
import { operation, scopeOf } from './operation.js';

/** "A parameter version can have a maximum of 10 labels." */
const MAX_LABELS = 10;

export function historyOperations(params: ParameterStore): Record<string, Operation> {
  return {
    /** Every kept version, oldest first, with its labels; SecureStrings decrypted only on request. */
    GetParameterHistory: operation<GetParameterHistoryRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const { record } = params.select(scope, input.Name!);
      const { page, nextToken } = paginate(record.versions, (v) => String(v.version).padStart(10, '0'), {
        nextToken: input.NextToken, maxResults: input.MaxResults ?? 50, invalid: invalidNextToken,
      });
      return {
        Parameters: page.map((v) => ({
          Name: record.name,
          Type: v.type,
          KeyId: v.keyId,
          LastModifiedDate: new Date(v.modifiedAt),
          LastModifiedUser: v.modifiedBy,
          Description: v.description,
          Value: params.value(scope, record.name, v, input.WithDecryption === true),
          AllowedPattern: v.allowedPattern,
          Version: v.version,
          Labels: [...v.labels],
          Tier: v.tier,
          Policies: [],
          DataType: v.dataType,
        })),
        NextToken: nextToken,
      };
    }),

    /**
     * Attaches labels to a version (the current one by default). A label is unique within a
     * parameter, so it moves off any other version. Malformed labels are reported, not applied.
     */
    LabelParameterVersion: operation<LabelParameterVersionRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      return params.store.transaction(() => {
        const { record } = params.select(scope, input.Name!);
        const number = input.ParameterVersion ?? currentVersion(record).version;
        const target = record.versions.find((v) => v.version === number);
        if (!target) throw versionNotFound(record.name, String(number));
        const requested = [...new Set(input.Labels ?? [])];
        const valid = requested.filter(isValidLabel);
        const labels = [...new Set([...target.labels, ...valid])];
        if (labels.length > MAX_LABELS) throw labelLimitExceeded();
        const versions = record.versions.map((v) =>
          v === target ? { ...v, labels } : { ...v, labels: v.labels.filter((l) => !valid.includes(l)) },
        );
        params.save(scope, { ...record, versions });
        return { InvalidLabels: requested.filter((l) => !isValidLabel(l)), ParameterVersion: number };
      });
    }),

    /** Removes labels from one version; labels that version does not carry come back as InvalidLabels. */
    UnlabelParameterVersion: operation<UnlabelParameterVersionRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      return params.store.transaction(() => {
        const { record } = params.select(scope, input.Name!);
        const target = record.versions.find((v) => v.version === input.ParameterVersion);
        if (!target) throw versionNotFound(record.name, String(input.ParameterVersion));
        const requested = [...new Set(input.Labels ?? [])];
        const removed = requested.filter((l) => target.labels.includes(l));
        if (removed.length > 0) {
          const versions = record.versions.map((v) => (v === target ? { ...v, labels: v.labels.filter((l) => !removed.includes(l)) } : v));
          params.save(scope, { ...record, versions });
        }
        return { RemovedLabels: removed, InvalidLabels: requested.filter((l) => !removed.includes(l)) };
      });
    }),
  };
}
