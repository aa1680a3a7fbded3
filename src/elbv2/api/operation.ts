import type { LoadBalancerRuntime } from '../dataplane/index.js';
import type { Applier } from '../applier.js';
import { idIn } from '../arn.js';
import { listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound, validation } from '../errors.js';
import { int, str, type Node } from '../input.js';
import { recordKey, type Elbv2State, type ListenerRecord, type LoadBalancerRecord, type RuleRecord, type Scope, type TargetGroupRecord } from '../state.js';
import { el } from '../xml.js';

/** What the room's operations work with. */
export interface Elbv2 {
  readonly state: Elbv2State;
  readonly applier: Applier;
  readonly runtime: LoadBalancerRuntime;
  readonly network?: Elbv2Network;
  /** An instance target's address; undefined: the instance is unknown (InvalidTarget). */
  readonly resolveInstance: (scope: Scope, instanceId: string) => string | undefined;
  /** Per target group ARN, `ip:port` → the id an instance target was registered with (memory only). */
  readonly names: Map<string, Map<string, string>>;
  /** IAM server certificates; without it their ARNs are checked for form only. */
  readonly certificates?: Elbv2Certificates;
}

/**
 * What ELBv2 asks of the IAM room (wired in server.ts): the PEM pair of an uploaded server
 * certificate, by ARN; undefined when the scope's account has none by that ARN.
 */
export interface Elbv2Certificates {
  serverCertificate(scope: Scope, arn: string): { certPem: string; keyPem: string } | undefined;
}

/**
 * What ELBv2 asks of the VPC room (wired in server.ts): a subnet's VPC and zone, whether a
 * security group exists. Without it, subnet and group ids are checked for form only.
 */
export interface Elbv2Network {
  subnet(scope: Scope, subnetId: string): { vpcId: string; availabilityZone: string } | undefined;
  securityGroup(scope: Scope, groupId: string): { vpcId: string } | undefined;
}

/** An ELBv2 Query operation: the decoded input tree in, the `<XResult>` members out. */
export type Elbv2Operation = (n: Node, s: Scope, now: number, elb: Elbv2) => string | Promise<string>;

export function findLoadBalancer(elb: Elbv2, s: Scope, arn: string): LoadBalancerRecord | undefined {
  const id = idIn(arn, 'loadbalancer', s);
  const lb = id === undefined ? undefined : elb.state.loadBalancers.get(recordKey(s, id));
  return lb?.arn === arn ? lb : undefined;
}

export function loadLoadBalancer(elb: Elbv2, s: Scope, arn: string): LoadBalancerRecord {
  const lb = findLoadBalancer(elb, s, arn);
  if (!lb) throw loadBalancerNotFound(`Load balancer '${arn}' not found`);
  return lb;
}

export function findTargetGroup(elb: Elbv2, s: Scope, arn: string): TargetGroupRecord | undefined {
  const id = idIn(arn, 'targetgroup', s);
  const tg = id === undefined ? undefined : elb.state.targetGroups.get(recordKey(s, id));
  return tg?.arn === arn ? tg : undefined;
}

export function loadTargetGroup(elb: Elbv2, s: Scope, arn: string): TargetGroupRecord {
  const tg = findTargetGroup(elb, s, arn);
  if (!tg) throw targetGroupNotFound(`Target group '${arn}' not found`);
  return tg;
}

export function loadListener(elb: Elbv2, s: Scope, arn: string): ListenerRecord {
  const id = idIn(arn, 'listener', s);
  const l = id === undefined ? undefined : elb.state.listeners.get(recordKey(s, id));
  if (!l || l.arn !== arn) throw listenerNotFound(`Listener '${arn}' not found`);
  return l;
}

/** A rule by ARN: a stored rule, or a listener's default rule (`rule` undefined then). */
export function loadRule(elb: Elbv2, s: Scope, arn: string): { rule?: RuleRecord; listener: ListenerRecord } {
  const id = idIn(arn, 'listener-rule', s);
  if (id !== undefined) {
    const rule = elb.state.rules.get(recordKey(s, id));
    if (rule && rule.arn === arn) return { rule, listener: elb.state.listeners.get(recordKey(s, rule.listenerArn.slice(rule.listenerArn.lastIndexOf('/') + 1)))! };
    const parts = arn.split('/');
    const listener = elb.state.listeners.get(recordKey(s, parts[parts.length - 2]!));
    if (listener && listener.defaultRuleId === id && arn.startsWith(listener.arn.replace(':listener/', ':listener-rule/'))) return { listener };
  }
  throw ruleNotFound(`One or more rules not found`);
}

/**
 * Marker/PageSize paging over items in a stable order. The marker is opaque: it carries the
 * sort key of the last item returned. PageSize is 1–400; without it everything is returned.
 */
export function paged<T>(n: Node, items: readonly T[], keyOf: (t: T) => string): { page: T[]; xml: string } {
  const size = int(n, 'PageSize', 1, 400);
  const marker = str(n, 'Marker');
  let start = 0;
  if (marker !== undefined) {
    let after: string;
    try {
      const parsed = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { a?: unknown };
      if (typeof parsed.a !== 'string') throw new Error('bad marker');
      after = parsed.a;
    } catch {
      throw validation('Invalid marker');
    }
    start = items.findIndex((i) => keyOf(i) > after);
    if (start < 0) start = items.length;
  }
  if (size === undefined) return { page: items.slice(start), xml: '' };
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(JSON.stringify({ a: keyOf(page[page.length - 1]!) })).toString('base64url') : undefined;
  return { page, xml: el('NextMarker', next) };
}

/** A sort key in creation order, unique by id. */
export const createdKey = (r: { createdAt: number; id: string }): string => `${String(r.createdAt).padStart(15, '0')}:${r.id}`;
