import { parseArn } from '../arn.js';
import { clientException, invalidParameter } from '../errors.js';

/** The ARN: arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision> */
export function taskDefinitionArn(region: string, accountId: string, family: string, revision: number): string {
  return `arn:aws:ecs:${region}:${accountId}:task-definition/${family}:${revision}`;
}

/**
 * A revision that is not a positive whole number is a ClientException. Revisions start at 1
 * (TaskDefinition "revision"), so `0` is invalid too. The wording is Berth's.
 */
function parseRevision(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw clientException(`Invalid revision number: '${text}'. A revision is a whole number from 1.`);
  }
  return Number(text);
}

/** `family` or `family:revision` (the revision is everything after the first colon). */
function familyAndRevision(text: string): { family: string; revision?: number } {
  const colon = text.indexOf(':');
  if (colon < 0) return { family: text };
  return { family: text.slice(0, colon), revision: parseRevision(text.slice(colon + 1)) };
}

/**
 * Parses what DescribeTaskDefinition/DeregisterTaskDefinition etc. accept: `family`,
 * `family:revision`, or a full ARN (API reference: DescribeTaskDefinition "taskDefinition").
 * Returns family and optional revision, and the ARN's account and region. A blank reference and
 * an ARN that is not an ECS task-definition ARN are Berth's wording (ClientException and
 * InvalidParameterException respectively, as ECS answers other malformed ARNs).
 */
export function parseTaskDefinitionRef(ref: string): { family: string; revision?: number; accountId?: string; region?: string } {
  if (typeof ref !== 'string' || ref.trim() === '') throw clientException('Task definition can not be blank.');
  if (!ref.startsWith('arn:')) {
    const parsed = familyAndRevision(ref);
    if (parsed.family === '') throw clientException('Family can not be blank.');
    return parsed;
  }
  const arn = parseArn(ref);
  if (!arn || arn.service !== 'ecs' || arn.resourceType !== 'task-definition' || arn.resource === '') {
    throw invalidParameter(`Invalid task definition ARN: ${ref}`);
  }
  const parsed = familyAndRevision(arn.resource);
  if (parsed.family === '') throw invalidParameter(`Invalid task definition ARN: ${ref}`);
  return { ...parsed, accountId: arn.accountId, region: arn.region };
}
