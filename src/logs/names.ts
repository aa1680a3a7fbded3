import type { RequestContext } from '../edge/surface.js';
import { invalidParameter, resourceNotFound } from './errors.js';

/** Where a log group lives: its account and region. Every table key starts with it. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.principal.accountId, region: ctx.region });

export const scopeKey = (s: Scope): string => `${s.accountId}:${s.region}`;

const GROUP_PATTERN = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_FORBIDDEN = /[:*]/;

/** The wording CloudWatch Logs uses for a member that fails its model pattern. */
const patternError = (value: string, member: string, pattern: string): Error =>
  invalidParameter(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`);

/** Log group names: 1..512 of `[.\-_/#A-Za-z0-9]` (lengths are checked by the model). */
export function checkGroupName(name: string, member = 'logGroupName'): void {
  if (!GROUP_PATTERN.test(name)) throw patternError(name, member, '[\\.\\-_/#A-Za-z0-9]+');
}

/** Log stream names: anything but `:` and `*`. */
export function checkStreamName(name: string, member = 'logStreamName'): void {
  if (STREAM_FORBIDDEN.test(name)) throw patternError(name, member, '[^:*]*');
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>` — DescribeLogGroups' `logGroupArn`. */
export const groupArn = (s: Scope, name: string): string => `arn:aws:logs:${s.region}:${s.accountId}:log-group:${name}`;

/** The same with `:*`, as DescribeLogGroups' `arn` (the form IAM policies use). */
export const groupArnStar = (s: Scope, name: string): string => `${groupArn(s, name)}:*`;

export const streamArn = (s: Scope, group: string, stream: string): string => `${groupArn(s, group)}:log-stream:${stream}`;

/**
 * The log group a `logGroupIdentifier` or a tagging `resourceArn` names: a plain name, or a
 * log-group ARN with or without the trailing `:*`. An ARN of another account or region names a
 * group this caller cannot see (Berth has no cross-account observability), so it is not found.
 */
export function groupNameFromIdentifier(s: Scope, identifier: string, member = 'logGroupIdentifier'): string {
  if (!identifier.startsWith('arn:')) {
    checkGroupName(identifier, member);
    return identifier;
  }
  const m = /^arn:aws[\w-]*:logs:([^:]*):([^:]*):log-group:([^:]+)(?::\*)?$/.exec(identifier);
  if (!m) throw invalidParameter(`Invalid ARN: ${identifier}`);
  const [, region, account, name] = m;
  if (region !== s.region || account !== s.accountId) throw resourceNotFound('The specified log group does not exist.');
  checkGroupName(name, member);
  return name;
}

/** Exactly one of `logGroupName` and `logGroupIdentifier`, as GetLogEvents and friends require. */
export function groupFromEither(s: Scope, input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  const { logGroupName: name, logGroupIdentifier: id } = input;
  if (name !== undefined && id !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name !== undefined) {
    checkGroupName(name);
    return name;
  }
  if (id !== undefined) return groupNameFromIdentifier(s, id);
  throw invalidParameter('Should provide either name or ARN of the log group.');
}
