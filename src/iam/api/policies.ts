import { newUniqueId } from '../../identity/keys.js';
import { parseIamArn, policyArn } from '../arn.js';
import { checkManagedPolicy } from '../documents.js';
import { accessDenied, deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, memberInvalid, policyNotFound } from '../errors.js';
import { AWS_MANAGED, findAwsManaged, type CatalogEntry } from '../managed/catalog.js';
import { paginate } from '../pagination.js';
import { bool, checkLength, name, optional, path, pathPrefix, required, tags } from '../params.js';
import { nameKey, type PolicyRecord } from '../state.js';
import { el, isoDate, renderTags, wrap } from '../xml.js';
import { accountOf, type Iam, type IamOperation } from './operation.js';
import { mergeTags } from './roles.js';

/**
 * Managed policies: customer managed (records of the account) and AWS managed (the catalog, the
 * same in every account, read-only). Versions are in policy-versions.ts.
 */

const POLICIES_PER_ACCOUNT = 1500;

/** How many roles and users of the account have `arn` attached. */
export function attachmentCount(iam: Iam, accountId: string, arn: string): number {
  let n = 0;
  for (const r of iam.state.listOf(iam.state.roles, accountId)) if (r.attached.includes(arn)) n++;
  for (const u of iam.state.listOf(iam.state.users, accountId)) if (u.attached.includes(arn)) n++;
  return n;
}

/** A managed policy of either kind, as the Policy structure reads it. */
export interface PolicyView {
  name: string; path: string; policyId: string; arn: string; defaultVersionId: string;
  description?: string; createdAt: number; updatedAt: number; tags: readonly { Key: string; Value: string }[];
}

const fromCatalog = (c: CatalogEntry): PolicyView => ({
  name: c.name, path: c.path, policyId: c.policyId, arn: c.arn, defaultVersionId: c.versionId,
  description: c.description, createdAt: Date.parse(c.createdAt), updatedAt: Date.parse(c.updatedAt), tags: [],
});

/** The policy an ARN names (AWS, or the caller's account), or NoSuchEntity / InvalidInput. */
export function findPolicy(iam: Iam, arn: string, accountId: string): { view: PolicyView; record?: PolicyRecord; aws?: CatalogEntry } {
  const a = parseIamArn(arn);
  if (!a || a.type !== 'policy') throw invalidInput(`ARN ${arn} is not valid.`);
  const aws = findAwsManaged(arn);
  if (aws) return { view: fromCatalog(aws), aws };
  const record = iam.resolver.customerPolicy(arn);
  if (!record || record.accountId !== accountId) throw policyNotFound(arn);
  return { view: record, record };
}

/** A customer managed policy the caller's account may change (AWS managed ones are read-only). */
export function ownPolicy(iam: Iam, arn: string, accountId: string): PolicyRecord {
  const found = findPolicy(iam, arn, accountId);
  if (found.aws) throw accessDenied(`Policy ${arn} is an AWS managed policy; it cannot be changed.`);
  return found.record!;
}

function renderPolicy(v: PolicyView, count: number, full: boolean): string {
  return (
    el('PolicyName', v.name) + el('PolicyId', v.policyId) + el('Arn', v.arn) + el('Path', v.path) +
    el('DefaultVersionId', v.defaultVersionId) + el('AttachmentCount', count) + el('PermissionsBoundaryUsageCount', 0) +
    el('IsAttachable', true) + (full ? el('Description', v.description) : '') +
    el('CreateDate', isoDate(v.createdAt)) + el('UpdateDate', isoDate(v.updatedAt)) +
    (full && v.tags.length > 0 ? renderTags(v.tags) : '')
  );
}

const CreatePolicy: IamOperation = (p, ctx, iam) => {
  const accountId = accountOf(ctx);
  const policyName = name(p, 'PolicyName', 128)!;
  const policyPath = path(p);
  const document = required(p, 'PolicyDocument');
  const description = optional(p, 'Description');
  if (description !== undefined) checkLength(description, 'Description', 0, 1000);
  const policyTags = mergeTags([], tags(p), 'User');
  checkManagedPolicy(document);
  if (iam.state.policy(accountId, policyName)) {
    throw entityAlreadyExists(`A policy called ${policyName} already exists. Duplicate names are not allowed.`);
  }
  if (iam.state.listOf(iam.state.policies, accountId).length >= POLICIES_PER_ACCOUNT) {
    throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${POLICIES_PER_ACCOUNT}`);
  }
  const now = ctx.now.getTime();
  const record: PolicyRecord = {
    accountId, name: policyName, path: policyPath, policyId: newUniqueId('ANPA'), arn: policyArn(accountId, policyPath, policyName),
    ...(description !== undefined ? { description } : {}),
    createdAt: now, updatedAt: now, defaultVersionId: 'v1', versions: [{ versionId: 'v1', document, createdAt: now }], nextVersion: 2,
    tags: policyTags,
  };
  iam.state.store.transaction(() => iam.state.policies.put(nameKey(accountId, policyName), record));
  return wrap('Policy', renderPolicy(record, 0, true));
};

const GetPolicy: IamOperation = (p, ctx, iam) => {
  const { view } = findPolicy(iam, required(p, 'PolicyArn'), accountOf(ctx));
  return wrap('Policy', renderPolicy(view, attachmentCount(iam, accountOf(ctx), view.arn), true));
};

const ListPolicies: IamOperation = (p, ctx, iam) => {
  const accountId = accountOf(ctx);
  const scope = optional(p, 'Scope') ?? 'All';
  if (!['All', 'AWS', 'Local'].includes(scope)) throw memberInvalid(scope, 'scope', 'Member must satisfy enum value set: [All, AWS, Local]');
  const onlyAttached = bool(p, 'OnlyAttached') ?? false;
  const prefix = pathPrefix(p);
  // AWS managed first, then the account's own; each in name order. The sort key says which.
  const views: { key: string; view: PolicyView }[] = [];
  if (scope !== 'Local') for (const c of AWS_MANAGED) views.push({ key: `0:${c.name.toLowerCase()}`, view: fromCatalog(c) });
  if (scope !== 'AWS') for (const r of iam.state.listOf(iam.state.policies, accountId)) views.push({ key: `1:${r.name.toLowerCase()}`, view: r });
  const rows = views
    .filter(({ view }) => view.path.startsWith(prefix))
    .map((row) => ({ ...row, count: attachmentCount(iam, accountId, row.view.arn) }))
    .filter((row) => !onlyAttached || row.count > 0);
  const { page, xml } = paginate(rows, (r) => r.key, p);
  return `<Policies>${page.map((r) => wrap('member', renderPolicy(r.view, r.count, false))).join('')}</Policies>` + xml;
};

const DeletePolicy: IamOperation = (p, ctx, iam) => {
  const accountId = accountOf(ctx);
  const record = ownPolicy(iam, required(p, 'PolicyArn'), accountId);
  if (attachmentCount(iam, accountId, record.arn) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  if (record.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  iam.state.store.transaction(() => iam.state.policies.delete(nameKey(accountId, record.name)));
  return '';
};

export const POLICY_OPERATIONS: Readonly<Record<string, IamOperation>> = { CreatePolicy, GetPolicy, ListPolicies, DeletePolicy };
