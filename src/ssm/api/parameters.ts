import type { DeleteParameterRequest, DeleteParametersRequest, PutParameterRequest } from '@aws-sdk/client-ssm';
import { AwsError } from '../../edge/errors.js';
import type { Operation } from '../../edge/surface.js';
import { invalidName, parameterAlreadyExists, parameterNotFound, validation } from '../errors.js';
import { checkNewName, isWellFormed } from '../names.js';
import type { ParameterStore } from '../service.js';
import { currentVersion, type ParameterRecord, type ParameterType, type ParameterVersionRecord, type StoredTier, type Tag } from '../state.js';
import { operation, scopeOf } from './operation.js';

/** Value limits by tier (User Guide, "Managing parameter tiers"): 4 KB standard, 8 KB advanced. */
const MAX_VALUE: Record<StoredTier, number> = { Standard: 4096, Advanced: 8192 };
/** "Maximum number of parameter versions: 100" (Systems Manager quotas). */
const MAX_VERSIONS = 100;
const DATA_TYPES = new Set(['text', 'aws:ec2:image', 'aws:ssm:integration']);
const DEFAULT_KEY = 'alias/aws/ssm';

function tierFor(requested: PutParameterRequest['Tier'], previous: StoredTier | undefined, value: string): StoredTier {
  if (requested === 'Advanced') return 'Advanced';
  if (requested === 'Intelligent-Tiering') return previous === 'Advanced' || value.length > MAX_VALUE.Standard ? 'Advanced' : 'Standard';
  if (requested === 'Standard' && previous === 'Advanced') {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  return requested ?? previous ?? 'Standard';
}

/** Checks `value` against an AllowedPattern: the whole value must match (SSM uses Java `matches`). */
function checkPattern(pattern: string, value: string): void {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    throw new AwsError('InvalidAllowedPatternException', `The allowed pattern ${pattern} is not a valid regular expression.`);
  }
  // The message names the pattern, never the value: it may be a secret.
  if (!re.test(value)) throw new AwsError('ParameterPatternMismatchException', `Parameter value failed to satisfy constraint specified pattern: ${pattern}`);
}

export function parameterOperations(params: ParameterStore): Record<string, Operation> {
  return {
    /**
     * Creates a parameter (version 1) or, with Overwrite, adds a version. Type, KeyId, tier,
     * description, allowed pattern and data type carry over from the current version when not
     * given; the oldest version goes once there would be more than 100 (unless it has labels).
     */
    PutParameter: operation<PutParameterRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const name = input.Name!;
      const value = input.Value!;
      checkNewName(name);
      if (input.Overwrite === true && (input.Tags?.length ?? 0) > 0) {
        throw validation(
          "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
        );
      }
      if (input.Policies !== undefined) throw validation('Parameter policies are not supported by Berth.');
      if (value === '') throw validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
      return params.store.transaction(() => {
        const existing = params.get(scope, name);
        if (existing && input.Overwrite !== true) throw parameterAlreadyExists();
        const prev = existing ? currentVersion(existing) : undefined;
        const type = (input.Type ?? prev?.type) as ParameterType | undefined;
        if (!type) throw validation('A parameter type is required when you create a parameter.');
        if (input.KeyId !== undefined && type !== 'SecureString') throw validation('KeyId is required for SecureString type parameter only.');
        const tier = tierFor(input.Tier, prev?.tier, value);
        if (value.length > MAX_VALUE[tier]) {
          throw validation(
            tier === 'Standard'
              ? 'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.'
              : 'Advanced tier parameters support a maximum parameter value of 8192 characters.',
          );
        }
        const dataType = input.DataType ?? prev?.dataType ?? 'text';
        if (!DATA_TYPES.has(dataType)) throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
        const allowedPattern = input.AllowedPattern ?? prev?.allowedPattern;
        if (allowedPattern !== undefined && allowedPattern !== '') checkPattern(allowedPattern, value);
        const versionNumber = (prev?.version ?? 0) + 1;
        const version: ParameterVersionRecord = {
          version: versionNumber,
          type,
          value: type === 'SecureString' ? params.seal(scope, name, versionNumber, value) : value,
          keyId: type === 'SecureString' ? (input.KeyId ?? (prev?.type === 'SecureString' ? prev.keyId : undefined) ?? DEFAULT_KEY) : undefined,
          description: input.Description ?? prev?.description,
          allowedPattern,
          tier,
          dataType,
          labels: [],
          modifiedAt: ctx.now.getTime(),
          modifiedBy: ctx.principal.arn,
        };
        const versions = [...(existing?.versions ?? []), version];
        if (versions.length > MAX_VERSIONS) {
          const oldest = versions[0]!;
          if (oldest.labels.length > 0) {
            throw new AwsError(
              'ParameterMaxVersionLimitExceeded',
              `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
            );
          }
          versions.shift();
        }
        const record: ParameterRecord = { name, tags: existing?.tags ?? ((input.Tags ?? []) as Tag[]).map((t) => ({ Key: t.Key, Value: t.Value })), versions };
        params.save(scope, record);
        return { Version: versionNumber, Tier: tier };
      });
    }),

    DeleteParameter: operation<DeleteParameterRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      if (!isWellFormed(input.Name!)) throw invalidName();
      return params.store.transaction(() => {
        if (!params.remove(scope, input.Name!)) throw parameterNotFound();
        return {};
      });
    }),

    DeleteParameters: operation<DeleteParametersRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const deleted: string[] = [];
      const invalid: string[] = [];
      params.store.transaction(() => {
        for (const name of new Set(input.Names ?? [])) (isWellFormed(name) && params.remove(scope, name) ? deleted : invalid).push(name);
      });
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    }),
  };
}
