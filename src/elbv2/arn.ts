import { randomBytes, randomInt } from 'node:crypto';
import { validation } from './errors.js';
import type { LoadBalancerType, Scope } from './state.js';

/**
 * ELBv2 ARNs and ids, as AWS forms them:
 *   loadbalancer/app|net/<name>/<id>           targetgroup/<name>/<id>
 *   listener/app|net/<lb name>/<lb id>/<id>    listener-rule/app|net/<lb name>/<lb id>/<listener id>/<id>
 * Every id is 16 lower-case hex digits, the ARN's last segment, and the record's key suffix.
 */
export type ArnKind = 'loadbalancer' | 'targetgroup' | 'listener' | 'listener-rule';

const PATTERNS: Record<ArnKind, RegExp> = {
  loadbalancer: /^loadbalancer\/(app|net)\/[A-Za-z0-9-]{1,32}\/([0-9a-f]{16})$/,
  targetgroup: /^targetgroup\/[A-Za-z0-9-]{1,32}\/([0-9a-f]{16})$/,
  listener: /^listener\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/([0-9a-f]{16})$/,
  'listener-rule': /^listener-rule\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}\/([0-9a-f]{16})$/,
};

const LABEL: Record<ArnKind, string> = {
  loadbalancer: 'load balancer', targetgroup: 'target group', listener: 'listener', 'listener-rule': 'listener rule',
};

export const newId = (): string => randomBytes(8).toString('hex');

/** The DNS name's unique part: ten digits for an ALB, sixteen hex digits for an NLB, as AWS's look. */
export const dnsSuffix = (type: LoadBalancerType): string =>
  type === 'application' ? String(randomInt(1_000_000_000, 2_000_000_000)) : newId();

const prefix = (s: Scope): string => `arn:aws:elasticloadbalancing:${s.region}:${s.accountId}:`;
const short = (type: LoadBalancerType): string => (type === 'application' ? 'app' : 'net');

export const loadBalancerArn = (s: Scope, type: LoadBalancerType, name: string, id: string): string =>
  `${prefix(s)}loadbalancer/${short(type)}/${name}/${id}`;
export const targetGroupArn = (s: Scope, name: string, id: string): string => `${prefix(s)}targetgroup/${name}/${id}`;
/** A listener's ARN from its load balancer's: `loadbalancer/` becomes `listener/`, and the id follows. */
export const listenerArn = (lbArn: string, id: string): string => `${lbArn.replace(':loadbalancer/', ':listener/')}/${id}`;
export const ruleArn = (lArn: string, id: string): string => `${lArn.replace(':listener/', ':listener-rule/')}/${id}`;

/**
 * The id an ARN of `kind` names in the caller's account and region, or undefined when it is
 * well formed but elsewhere (another account or region: not found). Malformed: ValidationError.
 */
export function idIn(arn: string, kind: ArnKind, s: Scope): string | undefined {
  const m = /^arn:aws:elasticloadbalancing:([a-z0-9-]+):(\d{12}):(.+)$/.exec(arn);
  const r = m ? PATTERNS[kind].exec(m[3]!) : null;
  if (!m || !r) throw validation(`'${arn}' is not a valid ${LABEL[kind]} ARN`);
  if (m[1] !== s.region || m[2] !== s.accountId) return undefined;
  return r[r.length - 1]!;
}

/** The kind of an ELBv2 ARN (tags take any), or undefined. */
export function kindOf(arn: string): ArnKind | undefined {
  const m = /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:([a-z-]+)\//.exec(arn);
  const k = m?.[1];
  return k === 'loadbalancer' || k === 'targetgroup' || k === 'listener' || k === 'listener-rule' ? k : undefined;
}
