import { principalKind, type Principal } from '../identity/principal.js';
import { parseIamArn } from './arn.js';
import { DocumentCache } from './documents.js';
import { findAwsManaged } from './managed/catalog.js';
import type { PolicyDocument } from './policy/document.js';
import type { IamState, InlinePolicy, PolicyRecord, RoleRecord, Tag, UserRecord } from './state.js';

/**
 * Finds, at the moment of a request, the policies that govern a principal: the inline and
 * attached managed policies of its user or role (a role deleted, or deleted and re-created under
 * the same name, governs its old sessions with nothing), and its session policies.
 */
export class PolicyResolver {
  private readonly docs = new DocumentCache();

  constructor(readonly state: IamState) {}

  /** A customer managed policy of any account by ARN (the path must match too). */
  customerPolicy(arn: string): PolicyRecord | undefined {
    const a = parseIamArn(arn);
    if (!a || a.type !== 'policy' || a.accountId === 'aws') return undefined;
    const p = this.state.policy(a.accountId, a.name);
    return p && p.arn === arn ? p : undefined;
  }

  /** The default version's text of a managed policy (customer or AWS), by ARN. */
  managedText(arn: string): string | undefined {
    const aws = findAwsManaged(arn);
    if (aws) return aws.text;
    const p = this.customerPolicy(arn);
    return p?.versions.find((v) => v.versionId === p.defaultVersionId)?.document;
  }

  userOf(p: Principal): UserRecord | undefined {
    if (principalKind(p) !== 'user' || p.userName === undefined) return undefined;
    const u = this.state.user(p.accountId, p.userName);
    return u && u.userId === p.userId ? u : undefined;
  }

  roleOf(p: Principal): RoleRecord | undefined {
    if (principalKind(p) !== 'assumed-role' || !p.role) return undefined;
    const r = this.state.role(p.accountId, p.role.name);
    return r && r.roleId === p.role.roleId ? r : undefined;
  }

  /** The identity-based policies of a user or role record. */
  entityPolicies(entity: { inline: InlinePolicy[]; attached: string[] }): PolicyDocument[] {
    const out: PolicyDocument[] = [];
    for (const i of entity.inline) this.push(out, i.document);
    for (const arn of entity.attached) this.push(out, this.managedText(arn));
    return out;
  }

  /** The identity-based policies of a principal (none for root, which needs none). */
  identityPolicies(p: Principal): PolicyDocument[] {
    const entity = this.userOf(p) ?? this.roleOf(p);
    return entity ? this.entityPolicies(entity) : [];
  }

  /** Session policies of an AssumeRole session, or undefined when it has none (no narrowing). */
  sessionPolicies(p: Principal): PolicyDocument[] | undefined {
    const s = p.session;
    if (!s || (s.policy === undefined && !s.policyArns?.length)) return undefined;
    const out: PolicyDocument[] = [];
    this.push(out, s.policy);
    for (const arn of s.policyArns ?? []) this.push(out, this.managedText(arn));
    return out;
  }

  /** Principal tags: the user's or role's tags, with the session's tags over them. */
  principalTags(p: Principal): Tag[] {
    const base = (this.userOf(p) ?? this.roleOf(p))?.tags ?? [];
    const session = p.session?.tags ?? [];
    const byKey = new Map<string, Tag>();
    for (const t of [...base, ...session]) byKey.set(t.Key.toLowerCase(), t);
    return [...byKey.values()];
  }

  parse(text: string, kind: 'identity' | 'trust'): PolicyDocument | undefined {
    return this.docs.get(text, kind);
  }

  private push(out: PolicyDocument[], text: string | undefined): void {
    const doc = text === undefined ? undefined : this.docs.get(text, 'identity');
    if (doc) out.push(doc);
  }
}
