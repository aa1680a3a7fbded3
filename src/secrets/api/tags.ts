import type { TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-secrets-manager';
import type { Operation } from '../../edge/surface.js';
import { limitExceeded } from '../errors.js';
import type { SecretsService } from '../service.js';
import type { Tag } from '../state.js';
import { operation, scopeOf } from './operation.js';

/** "Maximum number of tags per secret: 50" (Secrets Manager quotas). */
const MAX_TAGS = 50;

/** `existing` with `added` applied: a key already present gets the new value, in place. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const i = out.findIndex((o) => o.Key === t.Key);
    if (i >= 0) out[i] = { Key: t.Key, Value: t.Value ?? '' };
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  if (out.length > MAX_TAGS) throw limitExceeded(`A secret can have at most ${MAX_TAGS} tags.`);
  return out;
}

export function tagOperations(secrets: SecretsService): Record<string, Operation> {
  return {
    TagResource: operation<TagResourceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      return secrets.store.transaction(() => {
        const record = secrets.requireLive(scope, input.SecretId!, now);
        secrets.save(scope, { ...record, tags: mergeTags(record.tags, (input.Tags ?? []) as Tag[]), lastChangedAt: now });
        return {};
      });
    }),

    UntagResource: operation<UntagResourceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const now = ctx.now.getTime();
      return secrets.store.transaction(() => {
        const record = secrets.requireLive(scope, input.SecretId!, now);
        const drop = new Set(input.TagKeys ?? []);
        secrets.save(scope, { ...record, tags: record.tags.filter((t) => !drop.has(t.Key)), lastChangedAt: now });
        return {};
      });
    }),
  };
}
