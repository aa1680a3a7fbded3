import type { StateStore, Table } from '../store/port.js';

/**
 * The ELBv2 room's tables and record types. Records are plain JSON (epoch-ms timestamps), keyed
 * `account:region:<resource id>` where the id is the 16-hex suffix of the ARN, and replaced
 * whole, never mutated in place. Actions and conditions are kept in the API's own shapes
 * (normalised: defaults filled in), so Describe* renders them as they are; projection.ts turns
 * them into the data plane's config.
 */

export interface Scope { readonly accountId: string; readonly region: string }
export interface Tag { Key: string; Value: string }

export type LoadBalancerType = 'application' | 'network';
export type Scheme = 'internet-facing' | 'internal';

export interface LoadBalancerRecord {
  accountId: string;
  region: string;
  id: string;
  arn: string;
  name: string;
  type: LoadBalancerType;
  scheme: Scheme;
  ipAddressType: string;
  vpcId: string;
  zones: { subnetId: string; zoneName: string }[];
  securityGroups: string[];
  dnsName: string;
  createdAt: number;
  /** Only the attributes set by ModifyLoadBalancerAttributes; defaults are in attributes.ts. */
  attributes: Record<string, string>;
  tags: Tag[];
}

export type TargetType = 'ip' | 'instance';

export interface HealthCheckRecord {
  enabled: boolean;
  protocol: string;
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** HTTP(S) checks only. */
  matcher?: string;
}

/** A registered target: `id` as the caller named it, `ip` where the data plane reaches it. */
export interface TargetRecord { id: string; port: number; ip: string; availabilityZone?: string }

export interface TargetGroupRecord {
  accountId: string;
  region: string;
  id: string;
  arn: string;
  name: string;
  protocol: string;
  protocolVersion?: string;
  port: number;
  vpcId: string;
  targetType: TargetType;
  ipAddressType: string;
  healthCheck: HealthCheckRecord;
  createdAt: number;
  attributes: Record<string, string>;
  targets: TargetRecord[];
  tags: Tag[];
}

/** An action in the API's shape (Type, TargetGroupArn, ForwardConfig, RedirectConfig, FixedResponseConfig, Order). */
export interface ActionRecord {
  Type: 'forward' | 'redirect' | 'fixed-response';
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups: { TargetGroupArn: string; Weight: number }[];
    TargetGroupStickinessConfig: { Enabled: boolean; DurationSeconds?: number };
  };
  RedirectConfig?: { Protocol: string; Port: string; Host: string; Path: string; Query: string; StatusCode: 'HTTP_301' | 'HTTP_302' };
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
}

/** A condition in the API's shape: `Field` with `Values` and/or the field's *Config member. */
export interface ConditionRecord {
  Field: string;
  Values?: string[];
  HostHeaderConfig?: { Values: string[] };
  PathPatternConfig?: { Values: string[] };
  HttpHeaderConfig?: { HttpHeaderName: string; Values: string[] };
  HttpRequestMethodConfig?: { Values: string[] };
  QueryStringConfig?: { Values: { Key?: string; Value: string }[] };
  SourceIpConfig?: { Values: string[] };
}

export interface ListenerRecord {
  accountId: string;
  region: string;
  id: string;
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  /** The default certificate (HTTPS: none → a self-signed one). */
  certificates: { CertificateArn: string }[];
  /** HTTPS and TLS: the certificate list beside the default one, chosen by SNI (AddListenerCertificates). */
  sniCertificates?: string[];
  sslPolicy?: string;
  alpnPolicy?: string[];
  defaultActions: ActionRecord[];
  /**
   * Only the attributes set by ModifyListenerAttributes (defaults in listener-attributes.ts);
   * absent in records stored before listeners had attributes.
   */
  attributes?: Record<string, string>;
  /** The id of the listener's default rule (DescribeRules shows it with IsDefault). */
  defaultRuleId: string;
  createdAt: number;
  tags: Tag[];
}

export interface RuleRecord {
  accountId: string;
  region: string;
  id: string;
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: ConditionRecord[];
  actions: ActionRecord[];
  createdAt: number;
  tags: Tag[];
}

export const scopeKey = (s: Scope): string => `${s.accountId}:${s.region}`;
export const recordKey = (s: Scope, id: string): string => `${scopeKey(s)}:${id}`;

export class Elbv2State {
  readonly loadBalancers: Table<LoadBalancerRecord>;
  readonly targetGroups: Table<TargetGroupRecord>;
  readonly listeners: Table<ListenerRecord>;
  readonly rules: Table<RuleRecord>;

  constructor(readonly store: StateStore) {
    this.loadBalancers = store.table('elbv2.load_balancers');
    this.targetGroups = store.table('elbv2.target_groups');
    this.listeners = store.table('elbv2.listeners');
    this.rules = store.table('elbv2.rules');
  }

  /** The records of one account and region, in creation order. */
  inScope<T extends { accountId: string; region: string }>(table: Table<T>, s: Scope): T[] {
    const out: T[] = [];
    for (const r of table.values()) if (r.accountId === s.accountId && r.region === s.region) out.push(r);
    return out;
  }

  listenersOf(lbArn: string, s: Scope): ListenerRecord[] {
    return this.inScope(this.listeners, s).filter((l) => l.loadBalancerArn === lbArn);
  }

  rulesOf(listenerArn: string, s: Scope): RuleRecord[] {
    return this.inScope(this.rules, s).filter((r) => r.listenerArn === listenerArn).sort((a, b) => a.priority - b.priority);
  }

  /** The load balancers whose listeners or rules forward to the target group. */
  loadBalancersOfGroup(tgArn: string, s: Scope): string[] {
    const lbs = new Set<string>();
    for (const l of this.inScope(this.listeners, s)) {
      if (forwardsTo(l.defaultActions, tgArn)) lbs.add(l.loadBalancerArn);
    }
    for (const r of this.inScope(this.rules, s)) {
      if (!forwardsTo(r.actions, tgArn)) continue;
      const l = this.listeners.get(recordKey(s, idOfArn(r.listenerArn)));
      if (l) lbs.add(l.loadBalancerArn);
    }
    return [...lbs];
  }
}

export function groupsOf(actions: readonly ActionRecord[]): string[] {
  return actions.flatMap((a) => (a.Type === 'forward' ? (a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn) : []));
}

export const forwardsTo = (actions: readonly ActionRecord[], tgArn: string): boolean => groupsOf(actions).includes(tgArn);

/** The last path segment of an ELBv2 ARN: the resource's 16-hex id. */
export const idOfArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);
