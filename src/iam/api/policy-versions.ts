import { checkManagedPolicy } from '../documents.js';
import { deleteConflict, limitExceeded, memberInvalid, noSuchEntity } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, required, type Params } from '../params.js';
import { nameKey, type PolicyRecord } from '../state.js';
import { el, encodedDocument, isoDate, wrap } from '../xml.js';
import { accountOf, type IamOperation } from './operation.js';
import { findPolicy, ownPolicy } from './policies.js';

/**
 * Versions of managed policies: at most five per policy, one of them the default (the one that
 * governs). Version ids (`v1`, `v2` …) are never reused. An AWS managed policy shows its default
 * version only.
 */
const MAX_VERSIONS = 5;

interface VersionView { versionId: string; document: string; createdAt: number; isDefault: boolean }

function versionId(p: Params): string {
  const v = required(p, 'VersionId');
  if (!/^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/.test(v)) {
    throw memberInvalid(v, 'versionId', 'Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?');
  }
  return v;
}

function versionsOf(found: ReturnType<typeof findPolicy>): VersionView[] {
  if (found.aws) {
    const a = found.aws;
    return [{ versionId: a.versionId, document: a.text, createdAt: Date.parse(a.updatedAt), isDefault: true }];
  }
  const r = found.record!;
  return r.versions.map((v) => ({ ...v, isDefault: v.versionId === r.defaultVersionId }));
}

const renderVersion = (v: VersionView, withDocument: boolean): string =>
  (withDocument ? el('Document', encodedDocument(v.document)) : '') +
  el('VersionId', v.versionId) + el('IsDefaultVersion', v.isDefault) + el('CreateDate', isoDate(v.createdAt));

const save = (r: PolicyRecord, iam: Parameters<IamOperation>[2]): void => iam.state.store.transaction(() => iam.state.policies.put(nameKey(r.accountId, r.name), r));

const CreatePolicyVersion: IamOperation = (p, ctx, iam) => {
  const record = ownPolicy(iam, required(p, 'PolicyArn'), accountOf(ctx));
  const document = required(p, 'PolicyDocument');
  const setAsDefault = bool(p, 'SetAsDefault') ?? false;
  checkManagedPolicy(document);
  if (record.versions.length >= MAX_VERSIONS) {
    throw limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
  }
  const now = ctx.now.getTime();
  const version = { versionId: `v${record.nextVersion}`, document, createdAt: now };
  save({
    ...record,
    versions: [...record.versions, version],
    nextVersion: record.nextVersion + 1,
    updatedAt: now,
    ...(setAsDefault ? { defaultVersionId: version.versionId } : {}),
  }, iam);
  return wrap('PolicyVersion', renderVersion({ ...version, isDefault: setAsDefault }, false));
};

const GetPolicyVersion: IamOperation = (p, ctx, iam) => {
  const arn = required(p, 'PolicyArn');
  const id = versionId(p);
  const v = versionsOf(findPolicy(iam, arn, accountOf(ctx))).find((x) => x.versionId === id);
  if (!v) throw noSuchEntity(`Policy ${arn} version ${id} does not exist.`);
  return wrap('PolicyVersion', renderVersion(v, true));
};

const ListPolicyVersions: IamOperation = (p, ctx, iam) => {
  const versions = versionsOf(findPolicy(iam, required(p, 'PolicyArn'), accountOf(ctx))).reverse();
  const { page, xml } = paginate(versions, (v) => String(1e9 - Number(v.versionId.slice(1).split('.')[0])).padStart(10, '0'), p);
  return `<Versions>${page.map((v) => wrap('member', renderVersion(v, false))).join('')}</Versions>` + xml;
};

const DeletePolicyVersion: IamOperation = (p, ctx, iam) => {
  const record = ownPolicy(iam, required(p, 'PolicyArn'), accountOf(ctx));
  const id = versionId(p);
  if (!record.versions.some((v) => v.versionId === id)) throw noSuchEntity(`Policy ${record.arn} version ${id} does not exist.`);
  if (id === record.defaultVersionId) throw deleteConflict('Cannot delete the default version of a policy.');
  save({ ...record, versions: record.versions.filter((v) => v.versionId !== id), updatedAt: ctx.now.getTime() }, iam);
  return '';
};

const SetDefaultPolicyVersion: IamOperation = (p, ctx, iam) => {
  const record = ownPolicy(iam, required(p, 'PolicyArn'), accountOf(ctx));
  const id = versionId(p);
  if (!record.versions.some((v) => v.versionId === id)) throw noSuchEntity(`Policy ${record.arn} version ${id} does not exist.`);
  save({ ...record, defaultVersionId: id, updatedAt: ctx.now.getTime() }, iam);
  return '';
};

export const POLICY_VERSION_OPERATIONS: Readonly<Record<string, IamOperation>> = {
  CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion,
};
