import type { AddTagsToResourceRequest, ListTagsForResourceRequest, RemoveTagsFromResourceRequest } from '@aws-sdk/client-ssm';
import { AwsError } from '../../edge/errors.js';
import type { Operation, RequestContext } from '../../edge/surface.js';
import { invalidResourceId } from '../errors.js';
import type { ParameterStore } from '../service.js';
import type { ParameterRecord, Scope, Tag } from '../state.js';
import { operation, scopeOf } from './operation.js';

/** "Maximum number of tags per resource: 50" (AWS tagging quotas, as SSM applies them). */
const MAX_TAGS = 50;

/**
 * Tags of Parameter resources (ResourceId: the parameter's name or ARN). Berth has no other SSM
 * resource types, so their ids are never found (InvalidResourceId).
 */
function parameterOf(params: ParameterStore, scope: Scope, input: { ResourceType?: string; ResourceId?: string }): ParameterRecord {
  if (input.ResourceType !== 'Parameter') throw invalidResourceId();
  try {
    return params.select(scope, input.ResourceId!).record;
  } catch (err) {
    if (err instanceof AwsError) throw invalidResourceId();
    throw err;
  }
}

export function tagOperations(params: ParameterStore): Record<string, Operation> {
  const update = (input: { ResourceType?: string; ResourceId?: string }, ctx: RequestContext, change: (tags: Tag[]) => Tag[]): object => {
    const scope = scopeOf(ctx);
    return params.store.transaction(() => {
      const record = parameterOf(params, scope, input);
      const tags = change(record.tags);
      if (tags.length > MAX_TAGS) throw new AwsError('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try the command again.');
      params.save(scope, { ...record, tags });
      return {};
    });
  };
  return {
    /** Adds tags; a key already present gets the new value. */
    AddTagsToResource: operation<AddTagsToResourceRequest>((input, ctx) =>
      update(input, ctx, (tags) => {
        const out = tags.map((t) => ({ ...t }));
        for (const t of (input.Tags ?? []) as Tag[]) {
          const i = out.findIndex((o) => o.Key === t.Key);
          if (i >= 0) out[i] = { Key: t.Key, Value: t.Value };
          else out.push({ Key: t.Key, Value: t.Value });
        }
        return out;
      }),
    ),

    RemoveTagsFromResource: operation<RemoveTagsFromResourceRequest>((input, ctx) =>
      update(input, ctx, (tags) => tags.filter((t) => !(input.TagKeys ?? []).includes(t.Key))),
    ),

    ListTagsForResource: operation<ListTagsForResourceRequest>((input, ctx) => ({
      TagList: parameterOf(params, scopeOf(ctx), input).tags.map((t) => ({ ...t })),
    })),
  };
}
