import type { ListTagsForResourceRequest, Tag, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-ecs';
import { parseArn, type Scope } from '../arn.js';
import { clusterNotFound, invalidParameter, resourceNotFound } from '../errors.js';
import type { EcsState } from '../state.js';
import { operation, scopeOf } from './operation.js';

/** ECS's tag quota per resource; tags whose key starts with `aws:` do not count against it. */
const MAX_TAGS = 50;
const isReserved = (key: string | undefined): boolean => (key ?? '').toLowerCase().startsWith('aws:');

/**
 * Checks tags a caller adds on top of a resource's current ones: no reserved `aws:` keys, no
 * duplicate keys in one request, at most 50 user tags once merged.
 */
export function checkNewTags(adding: readonly Tag[], current: readonly Tag[]): void {
  const keys = new Set<string>();
  for (const t of adding) {
    if (t.key === undefined || t.key === '') throw invalidParameter('Tag keys must be between 1 and 128 characters long.');
    if (isReserved(t.key)) throw invalidParameter(`Tag keys and values cannot start with the reserved prefix 'aws:'. Invalid tag key: ${t.key}`);
    if (isReserved(t.value)) throw invalidParameter(`Tag keys and values cannot start with the reserved prefix 'aws:'. Invalid tag value: ${t.value}`);
    if (keys.has(t.key!)) throw invalidParameter(`Duplicate tag key: ${t.key}`);
    keys.add(t.key!);
  }
  const merged = new Set([...current.map((t) => t.key!), ...keys]);
  const userTags = [...merged].filter((k) => !isReserved(k)).length;
  if (userTags > MAX_TAGS) throw invalidParameter(`A resource can have at most ${MAX_TAGS} tags. The request would give it ${userTags}.`);
}

/** Resource kinds that can carry tags, each with how to tell whether an ARN names a live one. */
export type TaggableResolver = (state: EcsState, scope: Scope, resource: string) => boolean;

export function tagOperations(state: EcsState, resolvers: Readonly<Record<string, TaggableResolver>>) {
  function checkResource(arn: string, scope: Scope): void {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'ecs') throw invalidParameter(`The ARN ${arn} is not a valid ECS resource ARN.`);
    const resolve = resolvers[parsed.resourceType];
    if (!resolve) throw invalidParameter(`The resource type ${parsed.resourceType} does not support tagging.`);
    const own = parsed.accountId === scope.accountId && parsed.region === scope.region;
    if (!own || !resolve(state, scope, parsed.resource)) {
      if (parsed.resourceType === 'cluster') throw clusterNotFound();
      throw resourceNotFound('The specified resource could not be found.');
    }
  }

  return {
    TagResource: operation<TagResourceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const arn = input.resourceArn!;
      return state.store.transaction(() => {
        checkResource(arn, scope);
        const current = state.tags.get(arn) ?? [];
        checkNewTags(input.tags ?? [], current);
        const byKey = new Map(current.map((t) => [t.key, t]));
        for (const t of input.tags ?? []) byKey.set(t.key, { key: t.key, value: t.value ?? '' });
        state.tags.put(arn, [...byKey.values()]);
        return {};
      });
    }),

    UntagResource: operation<UntagResourceRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const arn = input.resourceArn!;
      return state.store.transaction(() => {
        checkResource(arn, scope);
        const drop = new Set(input.tagKeys ?? []);
        for (const k of drop) if (isReserved(k)) throw invalidParameter(`Tags with the reserved prefix 'aws:' cannot be removed. Invalid tag key: ${k}`);
        const remaining = (state.tags.get(arn) ?? []).filter((t) => !drop.has(t.key!));
        if (remaining.length) state.tags.put(arn, remaining);
        else state.tags.delete(arn);
        return {};
      });
    }),

    ListTagsForResource: operation<ListTagsForResourceRequest>((input, ctx) => {
      checkResource(input.resourceArn!, scopeOf(ctx));
      return { tags: state.tags.get(input.resourceArn!) ?? [] };
    }),
  };
}
