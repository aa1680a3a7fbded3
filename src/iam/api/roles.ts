import { AwsError } from '../../edge/errors.js';
import { newUniqueId } from '../../identity/keys.js';
import { roleArn } from '../arn.js';
import { checkTrustPolicy } from '../documents.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, roleNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { checkLength, int, members, name, optional, path, pathPrefix, required, tags, type Params } from '../params.js';
import { nameKey, type RoleRecord, type Tag } from '../state.js';
import { renderRole, renderTags } from '../xml.js';
import { entityPolicyOperations, type EntityKind } from './entity-policies.js';
import { accountOf, type Iam, type IamOperation } from './operation.js';

/** IAM roles: create, read, list, delete, trust policy, description and duration, tags. */

const ROLES_PER_ACCOUNT = 1000;
const TAGS_PER_ENTITY = 50;

export const boundaryNotImplemented = (): AwsError =>
  new AwsError('NotImplementedException', 'IAM permissions boundaries are not implemented in Berth yet.', 501, 'server');

const roleKind: EntityKind<RoleRecord> = {
  label: 'Role',
  find: (iam, accountId, n) => iam.state.role(accountId, n),
  save: (iam, r) => iam.state.roles.put(nameKey(r.accountId, r.name), r),
  notFound: roleNotFound,
  inlineQuota: 10240,
};

function loadRole(p: Params, accountId: string, iam: Iam): RoleRecord {
  const n = name(p, 'RoleName')!;
  const role = iam.state.role(accountId, n);
  if (!role) throw roleNotFound(n);
  return role;
}

function description(p: Params): string | undefined {
  const d = optional(p, 'Description');
  if (d !== undefined) checkLength(d, 'Description', 0, 1000);
  return d;
}

/** Tags with `incoming` put over `existing` (same key: replaced), within IAM's quota of 50. */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[], entity: 'Role' | 'User' | 'ServerCertificate'): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t]));
  for (const t of incoming) byKey.set(t.Key, t);
  if (byKey.size > TAGS_PER_ENTITY) throw limitExceeded(`Cannot exceed quota for TagsPer${entity}: ${TAGS_PER_ENTITY}`);
  return [...byKey.values()];
}

const CreateRole: IamOperation = (p, ctx, iam) => {
  const accountId = accountOf(ctx);
  const roleName = name(p, 'RoleName')!;
  const rolePath = path(p);
  const trustPolicy = required(p, 'AssumeRolePolicyDocument');
  const desc = description(p);
  const maxSessionDuration = int(p, 'MaxSessionDuration', 3600, 43200) ?? 3600;
  const roleTags = mergeTags([], tags(p), 'Role');
  if (optional(p, 'PermissionsBoundary') !== undefined) throw boundaryNotImplemented();
  if (iam.state.role(accountId, roleName)) throw entityAlreadyExists(`Role with name ${roleName} already exists.`);
  checkTrustPolicy(trustPolicy, accountId, iam.state);
  if (iam.state.listOf(iam.state.roles, accountId).length >= ROLES_PER_ACCOUNT) {
    throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${ROLES_PER_ACCOUNT}`);
  }
  const role: RoleRecord = {
    accountId,
    name: roleName,
    path: rolePath,
    roleId: newUniqueId('AROA'),
    arn: roleArn(accountId, rolePath, roleName),
    trustPolicy,
    ...(desc !== undefined ? { description: desc } : {}),
    maxSessionDuration,
    createdAt: ctx.now.getTime(),
    tags: roleTags,
    inline: [],
    attached: [],
  };
  iam.state.store.transaction(() => roleKind.save(iam, role));
  return renderRole(role, true);
};

const GetRole: IamOperation = (p, ctx, iam) => renderRole(loadRole(p, accountOf(ctx), iam), true);

const ListRoles: IamOperation = (p, ctx, iam) => {
  const prefix = pathPrefix(p);
  const roles = iam.state.listOf(iam.state.roles, accountOf(ctx)).filter((r) => r.path.startsWith(prefix));
  const { page, xml } = paginate(roles, (r) => r.name.toLowerCase(), p);
  return `<Roles>${page.map((r) => renderRole(r, false)).join('')}</Roles>` + xml;
};

const DeleteRole: IamOperation = (p, ctx, iam) => {
  const role = loadRole(p, accountOf(ctx), iam);
  if (role.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (role.inline.length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  iam.state.store.transaction(() => iam.state.roles.delete(nameKey(role.accountId, role.name)));
  return '';
};

const UpdateAssumeRolePolicy: IamOperation = (p, ctx, iam) => {
  const role = loadRole(p, accountOf(ctx), iam);
  const trustPolicy = required(p, 'PolicyDocument');
  checkTrustPolicy(trustPolicy, role.accountId, iam.state);
  iam.state.store.transaction(() => roleKind.save(iam, { ...role, trustPolicy }));
  return '';
};

const UpdateRole: IamOperation = (p, ctx, iam) => {
  const role = loadRole(p, accountOf(ctx), iam);
  const desc = description(p);
  const max = int(p, 'MaxSessionDuration', 3600, 43200);
  const next: RoleRecord = { ...role, ...(desc !== undefined ? { description: desc } : {}), ...(max !== undefined ? { maxSessionDuration: max } : {}) };
  iam.state.store.transaction(() => roleKind.save(iam, next));
  return '';
};

const TagRole: IamOperation = (p, ctx, iam) => {
  const role = loadRole(p, accountOf(ctx), iam);
  const incoming = tags(p);
  if (incoming.length === 0) required(p, 'Tags');
  iam.state.store.transaction(() => roleKind.save(iam, { ...role, tags: mergeTags(role.tags, incoming, 'Role') }));
  return '';
};

const UntagRole: IamOperation = (p, ctx, iam) => {
  const role = loadRole(p, accountOf(ctx), iam);
  const keys = new Set(members(p, 'TagKeys'));
  iam.state.store.transaction(() => roleKind.save(iam, { ...role, tags: role.tags.filter((t) => !keys.has(t.Key)) }));
  return '';
};

const ListRoleTags: IamOperation = (p, ctx, iam) => {
  const role = loadRole(p, accountOf(ctx), iam);
  const { page, xml } = paginate([...role.tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), (t) => t.Key, p);
  return renderTags(page) + xml;
};

export const ROLE_OPERATIONS: Readonly<Record<string, IamOperation>> = {
  CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy, UpdateRole, TagRole, UntagRole, ListRoleTags,
  ...entityPolicyOperations(roleKind),
};
