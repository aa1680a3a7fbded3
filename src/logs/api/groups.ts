import type {
  CreateLogGroupRequest, DeleteLogGroupRequest, DescribeLogGroupsRequest, LogGroup, PutLogGroupDeletionProtectionRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter } from '../errors.js';
import { checkGroupName, groupArn, groupArnStar, groupNameFromIdentifier, scopeOf, type Scope } from '../names.js';
import type { LogsService } from '../service.js';
import type { GroupRecord } from '../state.js';
import { pageOf } from '../tokens.js';
import { operation } from './operation.js';
import { checkTags } from './tags-rules.js';

/** A group as DescribeLogGroups shows it. */
export function describeGroup(logs: LogsService, s: Scope, g: GroupRecord): LogGroup {
  const out: LogGroup = {
    logGroupName: g.name,
    creationTime: g.creationTime,
    metricFilterCount: 0,
    arn: groupArnStar(s, g.name),
    storedBytes: logs.storedBytes(s, g),
    logGroupClass: g.logGroupClass as LogGroup['logGroupClass'],
    logGroupArn: groupArn(s, g.name),
  };
  if (g.retentionInDays !== undefined) out.retentionInDays = g.retentionInDays;
  if (g.kmsKeyId !== undefined) out.kmsKeyId = g.kmsKeyId;
  if (g.deletionProtectionEnabled) out.deletionProtectionEnabled = true;
  return out;
}

/** CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutLogGroupDeletionProtection. */
export function groupOperations(logs: LogsService): Record<string, Operation> {
  return {
    CreateLogGroup: operation<CreateLogGroupRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      if (input.tags) checkTags(input.tags);
      logs.createGroup(scopeOf(ctx), input.logGroupName!, ctx.now.getTime(), {
        kmsKeyId: input.kmsKeyId,
        logGroupClass: input.logGroupClass,
        tags: input.tags,
        deletionProtectionEnabled: input.deletionProtectionEnabled,
      });
      return {};
    }),

    PutLogGroupDeletionProtection: operation<PutLogGroupDeletionProtectionRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const g = logs.requireGroup(s, groupNameFromIdentifier(s, input.logGroupIdentifier!));
      const { deletionProtectionEnabled: _was, ...rest } = g;
      logs.state.saveGroup(input.deletionProtectionEnabled ? { ...rest, deletionProtectionEnabled: true } : rest);
      return {};
    }),

    DeleteLogGroup: operation<DeleteLogGroupRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      logs.deleteGroup(scopeOf(ctx), input.logGroupName!);
      return {};
    }),

    /**
     * Sorted by name. `logGroupNamePrefix` (case-sensitive prefix) and `logGroupNamePattern`
     * (case-insensitive substring) exclude each other; `logGroupIdentifiers` (names or ARNs)
     * picks groups by identity; `logGroupClass` filters by class.
     */
    DescribeLogGroups: operation<DescribeLogGroupsRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
      if (prefix !== undefined && pattern !== undefined) {
        throw invalidParameter('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      }
      if (prefix !== undefined) checkGroupName(prefix, 'logGroupNamePrefix');
      if (pattern !== undefined && pattern !== '' && !/^[.\-_/#A-Za-z0-9]*$/.test(pattern)) {
        throw invalidParameter(`1 validation error detected: Value '${pattern}' at 'logGroupNamePattern' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*`);
      }
      const wanted = input.logGroupIdentifiers ? new Set(input.logGroupIdentifiers.map((id) => groupNameFromIdentifier(s, id))) : undefined;
      const needle = pattern?.toLowerCase();
      const groups = [...logs.state.groupsOf(s)]
        .filter((g) => prefix === undefined || g.name.startsWith(prefix))
        .filter((g) => needle === undefined || g.name.toLowerCase().includes(needle))
        .filter((g) => !wanted || wanted.has(g.name))
        .filter((g) => input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const { page, nextToken } = pageOf(groups, (g) => g.name, input.nextToken, input.limit ?? 50);
      return { logGroups: page.map((g) => describeGroup(logs, s, g)), ...(nextToken ? { nextToken } : {}) };
    }),
  };
}
