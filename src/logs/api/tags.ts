import type {
  ListTagsForResourceRequest, ListTagsLogGroupRequest, TagLogGroupRequest, TagResourceRequest, UntagLogGroupRequest, UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter, tooManyTags } from '../errors.js';
import { checkGroupName, groupArn, groupNameFromIdentifier, scopeOf, type Scope } from '../names.js';
import type { LogsService } from '../service.js';
import type { GroupRecord } from '../state.js';
import { operation } from './operation.js';
import { checkTags, MAX_TAGS } from './tags-rules.js';

/**
 * Tags of log groups, through both API generations: TagLogGroup / UntagLogGroup /
 * ListTagsLogGroup by name (deprecated by AWS, still served), and TagResource / UntagResource /
 * ListTagsForResource by ARN (`arn:aws:logs:<region>:<account>:log-group:<name>`, with or without
 * the trailing `:*`). A group holds at most 50 tags.
 */
export function tagOperations(logs: LogsService): Record<string, Operation> {
  const byArn = (s: Scope, arn: string): GroupRecord => {
    if (!arn.startsWith('arn:')) throw invalidParameter(`Invalid ARN: ${arn}`);
    if (!/:log-group:/.test(arn)) throw invalidParameter(`Tagging is supported only for log groups in Berth, not ${arn}`);
    return logs.requireGroup(s, groupNameFromIdentifier(s, arn, 'resourceArn'));
  };
  const add = (g: GroupRecord, tags: Record<string, string>, tooMany: (message: string) => Error): void => {
    checkTags(tags);
    const merged = { ...g.tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) throw tooMany(`A resource can have at most ${MAX_TAGS} tags.`);
    logs.state.saveGroup({ ...g, tags: merged });
  };
  const remove = (g: GroupRecord, keys: readonly string[]): void => {
    const tags = { ...g.tags };
    for (const k of keys) delete tags[k];
    logs.state.saveGroup({ ...g, tags });
  };
  return {
    TagLogGroup: operation<TagLogGroupRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      add(logs.requireGroup(scopeOf(ctx), input.logGroupName!), input.tags!, invalidParameter);
      return {};
    }),
    UntagLogGroup: operation<UntagLogGroupRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      remove(logs.requireGroup(scopeOf(ctx), input.logGroupName!), input.tags!);
      return {};
    }),
    ListTagsLogGroup: operation<ListTagsLogGroupRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      return { tags: { ...logs.requireGroup(scopeOf(ctx), input.logGroupName!).tags } };
    }),
    TagResource: operation<TagResourceRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const g = byArn(s, input.resourceArn!);
      add(g, input.tags!, (m) => tooManyTags(`${m} Resource: ${groupArn(s, g.name)}`));
      return {};
    }),
    UntagResource: operation<UntagResourceRequest>((input, ctx) => {
      remove(byArn(scopeOf(ctx), input.resourceArn!), input.tagKeys!);
      return {};
    }),
    ListTagsForResource: operation<ListTagsForResourceRequest>((input, ctx) => {
      return { tags: { ...byArn(scopeOf(ctx), input.resourceArn!).tags } };
    }),
  };
}
