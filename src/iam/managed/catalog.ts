import { createHash } from 'node:crypto';
import { ECS_POLICIES } from './ecs-policies.js';
import { GENERAL_POLICIES } from './general-policies.js';

/**
 * AWS managed policies: present in every account as `arn:aws:iam::aws:policy<path><name>`,
 * read-only, one (default) version each. They are code, not records: every account sees the
 * same ones.
 */
export interface AwsManagedPolicy {
  readonly name: string;
  readonly path: string;
  readonly description: string;
  readonly versionId: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly document: object;
}

export interface CatalogEntry extends AwsManagedPolicy {
  readonly arn: string;
  readonly policyId: string;
  /** The document as IAM returns it (JSON text). */
  readonly text: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable `ANPA…` id derived from the policy name (the same on every Berth server). */
function stableId(name: string): string {
  const digest = createHash('sha256').update(`aws-managed-policy:${name}`).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i]! % 32];
  return id;
}

export const AWS_MANAGED: readonly CatalogEntry[] = [...ECS_POLICIES, ...GENERAL_POLICIES]
  .map((p) => ({
    ...p,
    arn: `arn:aws:iam::aws:policy${p.path}${p.name}`,
    policyId: stableId(p.name),
    text: JSON.stringify(p.document, null, 4),
  }))
  .sort((a, b) => (a.name < b.name ? -1 : 1));

const BY_ARN = new Map(AWS_MANAGED.map((p) => [p.arn, p]));

export function findAwsManaged(arn: string): CatalogEntry | undefined {
  return BY_ARN.get(arn);
}
