import { el, list, wrap } from '../edge/query-xml.js';
import type { RoleRecord, Tag, UserRecord } from './state.js';

/**
 * IAM's Query XML: result members in `<XResult>`, lists as `<Name><member>…</member></Name>`,
 * timestamps ISO 8601 in UTC without fractions, policy documents URL-encoded (IAM returns them
 * that way; the AWS CLI decodes them, SDK users call decodeURIComponent).
 */
export { el, list, wrap };

export const isoDate = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const encodedDocument = (text: string): string => encodeURIComponent(text);

export const renderTags = (tags: readonly Tag[]): string => list('Tags', tags, (t) => el('Key', t.Key) + el('Value', t.Value));

/** `<IsTruncated>` and, when truncated, `<Marker>`. */
export const page = (marker: string | undefined): string =>
  el('IsTruncated', marker !== undefined) + el('Marker', marker);

/** The Role structure; `full` adds what GetRole/CreateRole return beyond ListRoles (tags, last use). */
export function renderRole(r: RoleRecord, full: boolean): string {
  return wrap(
    full ? 'Role' : 'member',
    el('Path', r.path) + el('RoleName', r.name) + el('RoleId', r.roleId) + el('Arn', r.arn) +
      el('CreateDate', isoDate(r.createdAt)) + el('AssumeRolePolicyDocument', encodedDocument(r.trustPolicy)) +
      el('Description', r.description) + el('MaxSessionDuration', r.maxSessionDuration) +
      (full && r.tags.length > 0 ? renderTags(r.tags) : '') + (full ? '<RoleLastUsed/>' : ''),
  );
}

export function renderUser(u: UserRecord, wrapper = 'User', withTags = true): string {
  return wrap(
    wrapper,
    el('Path', u.path) + el('UserName', u.name) + el('UserId', u.userId) + el('Arn', u.arn) +
      el('CreateDate', isoDate(u.createdAt)) + (withTags && u.tags.length > 0 ? renderTags(u.tags) : ''),
  );
}
