import { newUniqueId } from '../../identity/keys.js';
import { principalKind } from '../../identity/principal.js';
import { rootArn, userArn } from '../arn.js';
import { deleteConflict, entityAlreadyExists, limitExceeded, memberInvalid, noSuchEntity, userNotFound, validationError } from '../errors.js';
import { paginate } from '../pagination.js';
import { members, name, optional, path, pathPrefix, required, tags, type Params } from '../params.js';
import { nameKey, type UserRecord } from '../state.js';
import { el, isoDate, list, renderTags, renderUser, wrap } from '../xml.js';
import { entityPolicyOperations, type EntityKind } from './entity-policies.js';
import { accountOf, type Iam, type IamOperation } from './operation.js';
import { boundaryNotImplemented, mergeTags } from './roles.js';

/** IAM users and their access keys (the keys themselves live in identity's KeyRing). */

const USERS_PER_ACCOUNT = 5000;
const KEYS_PER_USER = 2;

const userKind: EntityKind<UserRecord> = {
  label: 'User',
  find: (iam, accountId, n) => iam.state.user(accountId, n),
  save: (iam, u) => iam.state.users.put(nameKey(u.accountId, u.name), u),
  notFound: userNotFound,
  inlineQuota: 2048,
};

/**
 * The user a call is about: `UserName` when given, else the calling user. Calls about "myself"
 * made with other credentials answer as IAM does.
 */
function targetUser(p: Params, ctx: Parameters<IamOperation>[1], iam: Iam): UserRecord {
  const given = name(p, 'UserName', 64, false);
  const accountId = accountOf(ctx);
  const n = given ?? (principalKind(ctx.principal) === 'user' ? ctx.principal.userName : undefined);
  if (n === undefined) throw validationError('Must specify userName when calling with non-User credentials');
  const user = iam.state.user(accountId, n);
  if (!user) throw userNotFound(n);
  return user;
}

const CreateUser: IamOperation = (p, ctx, iam) => {
  const accountId = accountOf(ctx);
  const userName = name(p, 'UserName')!;
  const userPath = path(p);
  const userTags = mergeTags([], tags(p), 'User');
  if (optional(p, 'PermissionsBoundary') !== undefined) throw boundaryNotImplemented();
  if (iam.state.user(accountId, userName)) throw entityAlreadyExists(`User with name ${userName} already exists.`);
  if (iam.state.listOf(iam.state.users, accountId).length >= USERS_PER_ACCOUNT) {
    throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_PER_ACCOUNT}`);
  }
  const user: UserRecord = {
    accountId,
    name: userName,
    path: userPath,
    userId: newUniqueId('AIDA'),
    arn: userArn(accountId, userPath, userName),
    createdAt: ctx.now.getTime(),
    tags: userTags,
    inline: [],
    attached: [],
    accessKeys: [],
  };
  iam.state.store.transaction(() => userKind.save(iam, user));
  return renderUser(user);
};

const GetUser: IamOperation = (p, ctx, iam) => {
  if (p.get('UserName') === undefined && principalKind(ctx.principal) === 'root') {
    const id = ctx.principal.accountId;
    return wrap('User', el('UserId', id) + el('Arn', rootArn(id)) + el('CreateDate', isoDate(0)));
  }
  return renderUser(targetUser(p, ctx, iam));
};

const ListUsers: IamOperation = (p, ctx, iam) => {
  const prefix = pathPrefix(p);
  const users = iam.state.listOf(iam.state.users, accountOf(ctx)).filter((u) => u.path.startsWith(prefix));
  const { page, xml } = paginate(users, (u) => u.name.toLowerCase(), p);
  return `<Users>${page.map((u) => renderUser(u, 'member', false)).join('')}</Users>` + xml;
};

const DeleteUser: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  if (user.accessKeys.length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if (user.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (user.inline.length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  iam.state.store.transaction(() => iam.state.users.delete(nameKey(user.accountId, user.name)));
  return '';
};

const TagUser: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  const incoming = tags(p);
  if (incoming.length === 0) required(p, 'Tags');
  iam.state.store.transaction(() => userKind.save(iam, { ...user, tags: mergeTags(user.tags, incoming, 'User') }));
  return '';
};

const UntagUser: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  const keys = new Set(members(p, 'TagKeys'));
  iam.state.store.transaction(() => userKind.save(iam, { ...user, tags: user.tags.filter((t) => !keys.has(t.Key)) }));
  return '';
};

const ListUserTags: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  const { page, xml } = paginate([...user.tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), (t) => t.Key, p);
  return renderTags(page) + xml;
};

const keyNotFound = (id: string): ReturnType<typeof noSuchEntity> => noSuchEntity(`The Access Key with id ${id} cannot be found.`);

const CreateAccessKey: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  if (user.accessKeys.length >= KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${KEYS_PER_USER}`);
  const key = iam.state.store.transaction(() => {
    const k = iam.keys.createUserKey({ accountId: user.accountId, userName: user.name, path: user.path, userId: user.userId }, ctx.now.getTime());
    userKind.save(iam, { ...user, accessKeys: [...user.accessKeys, k.accessKeyId] });
    return k;
  });
  return wrap(
    'AccessKey',
    el('UserName', user.name) + el('AccessKeyId', key.accessKeyId) + el('Status', key.status) +
      el('SecretAccessKey', key.secretAccessKey) + el('CreateDate', isoDate(key.createdAt ?? ctx.now.getTime())),
  );
};

const ListAccessKeys: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  const { page, xml } = paginate(user.accessKeys, (id) => id, p);
  return list('AccessKeyMetadata', page, (id) => {
    const k = iam.keys.get(id);
    return el('UserName', user.name) + el('AccessKeyId', id) + el('Status', k?.status ?? 'Inactive') + el('CreateDate', isoDate(k?.createdAt ?? user.createdAt));
  }) + xml;
};

const DeleteAccessKey: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  const id = required(p, 'AccessKeyId');
  if (!user.accessKeys.includes(id)) throw keyNotFound(id);
  iam.state.store.transaction(() => {
    iam.keys.deleteKey(id);
    userKind.save(iam, { ...user, accessKeys: user.accessKeys.filter((k) => k !== id) });
  });
  return '';
};

const UpdateAccessKey: IamOperation = (p, ctx, iam) => {
  const user = targetUser(p, ctx, iam);
  const id = required(p, 'AccessKeyId');
  const status = required(p, 'Status');
  if (status !== 'Active' && status !== 'Inactive') {
    throw memberInvalid(status, 'status', 'Member must satisfy enum value set: [Active, Inactive]');
  }
  if (!user.accessKeys.includes(id)) throw keyNotFound(id);
  iam.state.store.transaction(() => iam.keys.setStatus(id, status));
  return '';
};

export const USER_OPERATIONS: Readonly<Record<string, IamOperation>> = {
  CreateUser, GetUser, ListUsers, DeleteUser, TagUser, UntagUser, ListUserTags,
  CreateAccessKey, ListAccessKeys, DeleteAccessKey, UpdateAccessKey,
  ...entityPolicyOperations(userKind),
};
