import { randomInt } from 'node:crypto';
import type { Scope } from './state.js';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Six random letters and digits: Secrets Manager appends them so a re-created name gets a new ARN. */
export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return s;
}

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>`. */
export const secretArn = (s: Scope, name: string, suffix: string): string =>
  `arn:aws:secretsmanager:${s.region}:${s.accountId}:secret:${name}-${suffix}`;

/** A secret name: 1..512 of ASCII letters, digits and `/_+=.@-!`. */
export const NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;

export interface SecretArnParts {
  region: string;
  accountId: string;
  /** What follows `secret:`: the name with its suffix (full ARN) or without (partial ARN). */
  resource: string;
}

/** The parts of a Secrets Manager secret ARN (exactly 7 colon-separated fields); undefined otherwise. */
export function parseSecretArn(arn: string): SecretArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length !== 7 || parts[0] !== 'arn' || parts[2] !== 'secretsmanager' || parts[5] !== 'secret') return undefined;
  if (parts[6] === '') return undefined;
  return { region: parts[3]!, accountId: parts[4]!, resource: parts[6]! };
}

/**
 * An ECS `valueFrom` naming a Secrets Manager secret:
 * `arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key[:version-stage[:version-id]]]`
 * (empty fields mean "not given"). The ARN part may be full or partial.
 */
export interface SecretReference {
  arn: string;
  parts: SecretArnParts;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
}

export function parseSecretReference(valueFrom: string): SecretReference | undefined {
  const fields = valueFrom.split(':');
  if (fields.length < 7 || fields.length > 10) return undefined;
  const arn = fields.slice(0, 7).join(':');
  const parts = parseSecretArn(arn);
  if (!parts) return undefined;
  const opt = (i: number): string | undefined => (fields[i] ? fields[i] : undefined);
  return { arn, parts, jsonKey: opt(7), versionStage: opt(8), versionId: opt(9) };
}
