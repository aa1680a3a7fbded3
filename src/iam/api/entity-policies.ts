import type { AwsError } from '../../edge/errors.js';
import { parseIamArn } from '../arn.js';
import { checkIdentityPolicy, policySize } from '../documents.js';
import { invalidInput, limitExceeded, noSuchEntity, policyNotAttachable, policyNotFound } from '../errors.js';
import { findAwsManaged } from '../managed/catalog.js';
import { paginate } from '../pagination.js';
import { name as nameParam, pathPrefix, required, type Params } from '../params.js';
import { encodedDocument, el, list } from '../xml.js';
import { accountOf, type Iam, type IamOperation } from './operation.js';
import type { InlinePolicy } from '../state.js';

/**
 * Inline and attached managed policies, the same for roles and users: Put/Get/Delete/List
 * `<Entity>Policy` and Attach/Detach/ListAttached`<Entity>`Policies.
 */
interface PolicyHolder { name: string; inline: InlinePolicy[]; attached: string[] }

export interface EntityKind<T extends PolicyHolder> {
  /** `Role` or `User`: the parameter prefix (RoleName) and the word in messages. */
  readonly label: 'Role' | 'User';
  find(iam: Iam, accountId: string, name: string): T | undefined;
  save(iam: Iam, record: T): void;
  notFound(name: string): AwsError;
  /** IAM's quota on the total size of an entity's inline policies. */
  readonly inlineQuota: number;
}

function load<T extends PolicyHolder>(kind: EntityKind<T>, p: Params, ctx: Parameters<IamOperation>[1], iam: Iam): T {
  const n = nameParam(p, `${kind.label}Name`, 64)!;
  const record = kind.find(iam, accountOf(ctx), n);
  if (!record) throw kind.notFound(n);
  return record;
}

/** The managed policy ARN of an Attach/Detach call: valid, and existing for Attach. */
export function attachableArn(iam: Iam, arn: string, mustExist: boolean, accountId: string): string {
  const a = parseIamArn(arn);
  if (!a || a.type !== 'policy') throw invalidInput(`ARN ${arn} is not valid.`);
  const own = a.accountId === accountId && iam.resolver.customerPolicy(arn) !== undefined;
  if (mustExist && !findAwsManaged(arn) && !own) throw policyNotAttachable(arn);
  return arn;
}

export function entityPolicyOperations<T extends PolicyHolder>(kind: EntityKind<T>): Record<string, IamOperation> {
  const L = kind.label;
  const inlineMissing = (name: string): AwsError => noSuchEntity(`The ${L.toLowerCase()} policy with name ${name} cannot be found.`);
  return {
    [`Put${L}Policy`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const policyName = nameParam(p, 'PolicyName', 128)!;
      const document = required(p, 'PolicyDocument');
      checkIdentityPolicy(document);
      const inline = [...record.inline.filter((i) => i.name !== policyName), { name: policyName, document }];
      const total = inline.reduce((sum, i) => sum + policySize(i.document), 0);
      if (total > kind.inlineQuota) {
        throw limitExceeded(`Maximum policy size of ${kind.inlineQuota} bytes exceeded for ${L.toLowerCase()} ${record.name}`);
      }
      iam.state.store.transaction(() => kind.save(iam, { ...record, inline }));
      return '';
    },
    [`Get${L}Policy`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const policyName = nameParam(p, 'PolicyName', 128)!;
      const found = record.inline.find((i) => i.name === policyName);
      if (!found) throw inlineMissing(policyName);
      return el(`${L}Name`, record.name) + el('PolicyName', found.name) + el('PolicyDocument', encodedDocument(found.document));
    },
    [`Delete${L}Policy`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const policyName = nameParam(p, 'PolicyName', 128)!;
      if (!record.inline.some((i) => i.name === policyName)) throw inlineMissing(policyName);
      iam.state.store.transaction(() => kind.save(iam, { ...record, inline: record.inline.filter((i) => i.name !== policyName) }));
      return '';
    },
    [`List${L}Policies`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const names = record.inline.map((i) => i.name).sort();
      const { page, xml } = paginate(names, (n) => n, p);
      return list('PolicyNames', page, (n) => n) + xml;
    },
    [`Attach${L}Policy`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const arn = attachableArn(iam, required(p, 'PolicyArn'), true, accountOf(ctx));
      if (record.attached.includes(arn)) return '';
      if (record.attached.length >= 10) throw limitExceeded(`Cannot exceed quota for PoliciesPer${L}: 10`);
      iam.state.store.transaction(() => kind.save(iam, { ...record, attached: [...record.attached, arn] }));
      return '';
    },
    [`Detach${L}Policy`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const arn = attachableArn(iam, required(p, 'PolicyArn'), false, accountOf(ctx));
      if (!record.attached.includes(arn)) throw policyNotFound(arn);
      iam.state.store.transaction(() => kind.save(iam, { ...record, attached: record.attached.filter((a) => a !== arn) }));
      return '';
    },
    [`ListAttached${L}Policies`]: (p, ctx, iam) => {
      const record = load(kind, p, ctx, iam);
      const prefix = pathPrefix(p);
      const attached = record.attached
        .map((arn) => ({ arn, a: parseIamArn(arn)! }))
        .filter(({ a }) => a.path.startsWith(prefix))
        .sort((x, y) => (x.a.name < y.a.name ? -1 : x.a.name > y.a.name ? 1 : 0));
      const { page, xml } = paginate(attached, ({ a }) => a.name, p);
      return list('AttachedPolicies', page, ({ arn, a }) => el('PolicyName', a.name) + el('PolicyArn', arn)) + xml;
    },
  };
}
