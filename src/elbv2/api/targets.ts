import { isIPv4, isIPv6 } from 'node:net';
import { invalidTarget, validation } from '../errors.js';
import { int, nodes, required, str, type Node } from '../input.js';
import { recordKey, type Scope, type TargetGroupRecord, type TargetRecord } from '../state.js';
import { el, list, wrap } from '../xml.js';
import { loadTargetGroup, type Elbv2, type Elbv2Operation } from './operation.js';

/**
 * Registering and deregistering targets, and their health as the data plane sees it. An ip
 * target's id is its address; an instance target's address comes from `resolveInstance`.
 * Deregistered targets drain in the data plane (state `draining`) while the record is gone.
 */
export interface TargetInput { id: string; port?: number; availabilityZone?: string }

export interface TargetHealthView {
  target: { id: string; port: number; availabilityZone?: string };
  healthCheckPort: string;
  state: string;
  reason?: string;
  description?: string;
}

function readTargets(n: Node): TargetInput[] {
  const list = nodes(n, 'Targets') ?? [];
  return list.map((t, i) => {
    const port = int(t, 'Port', 1, 65535, `targets.member.${i + 1}.port`);
    const az = str(t, 'AvailabilityZone');
    return { id: required(t, 'Id', `targets.member.${i + 1}.id`), ...(port !== undefined ? { port } : {}), ...(az !== undefined ? { availabilityZone: az } : {}) };
  });
}

function addressOf(elb: Elbv2, s: Scope, tg: TargetGroupRecord, t: TargetInput): string {
  if (tg.targetType === 'ip') {
    const ok = tg.ipAddressType === 'ipv6' ? isIPv6(t.id) : isIPv4(t.id);
    if (!ok) throw validation(`The IP address '${t.id}' is not a valid ${tg.ipAddressType === 'ipv6' ? 'IPv6' : 'IPv4'} address`);
    return t.id;
  }
  if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(t.id)) throw validation(`Instance ID '${t.id}' is not valid`);
  const ip = elb.resolveInstance(s, t.id);
  if (ip === undefined) throw invalidTarget(`The following targets are not in a running state and cannot be registered: '${t.id}'`);
  return ip;
}

/** The plan for registering `targets` (already registered ones are left as they are). */
export function planRegister(elb: Elbv2, s: Scope, arn: string, targets: readonly TargetInput[]): { write(): void; result: string } {
  const tg = loadTargetGroup(elb, s, arn);
  if (targets.length === 0) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
  const next: TargetRecord[] = [...tg.targets];
  for (const t of targets) {
    const port = t.port ?? tg.port;
    const ip = addressOf(elb, s, tg, t);
    if (next.some((x) => x.id === t.id && x.port === port)) continue;
    next.push({ id: t.id, port, ip, ...(t.availabilityZone !== undefined ? { availabilityZone: t.availabilityZone } : {}) });
  }
  if (next.length > 1000) throw validation('You have reached the limit on the number of targets (1000) in the target group');
  return { write: () => elb.state.targetGroups.put(recordKey(s, tg.id), { ...tg, targets: next }), result: '' };
}

export function planDeregister(elb: Elbv2, s: Scope, arn: string, targets: readonly TargetInput[]): { write(): void; result: string } {
  const tg = loadTargetGroup(elb, s, arn);
  if (targets.length === 0) throw validation("1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
  const drop = targets.map((t) => {
    const matches = tg.targets.filter((x) => x.id === t.id && (t.port === undefined || x.port === t.port));
    if (matches.length === 0) throw invalidTarget('The specified target does not exist, is not in the same VPC as the target groups, or has an unsupported instance type');
    return matches;
  }).flat();
  const next = tg.targets.filter((x) => !drop.includes(x));
  return { write: () => elb.state.targetGroups.put(recordKey(s, tg.id), { ...tg, targets: next }), result: '' };
}

/**
 * Health of every target the data plane knows (registered and draining), or of the ones asked
 * about (unknown ones: unused, Target.NotRegistered). Ids are given back as the caller named them.
 */
export function targetHealth(elb: Elbv2, s: Scope, arn: string, only?: readonly TargetInput[]): TargetHealthView[] {
  const tg = loadTargetGroup(elb, s, arn);
  const byAddress = new Map(tg.targets.map((t) => [`${t.ip}:${t.port}`, t]));
  const remembered = elb.names.get(arn);
  const idOf = (ip: string, port: number): string => byAddress.get(`${ip}:${port}`)?.id ?? remembered?.get(`${ip}:${port}`) ?? ip;
  if (only === undefined) {
    return elb.runtime.describeTargetHealth(arn).map((d) => {
      const rec = byAddress.get(`${d.target.id}:${d.target.port}`);
      return {
        target: { id: idOf(d.target.id, d.target.port), port: d.target.port, ...(rec?.availabilityZone ? { availabilityZone: rec.availabilityZone } : {}) },
        healthCheckPort: d.healthCheckPort, state: d.targetHealth.state,
        ...(d.targetHealth.reason ? { reason: d.targetHealth.reason } : {}), ...(d.targetHealth.description ? { description: d.targetHealth.description } : {}),
      };
    });
  }
  return only.map((t) => {
    const port = t.port ?? tg.port;
    const rec = tg.targets.find((x) => x.id === t.id && x.port === port);
    let ip = rec?.ip;
    if (ip === undefined) {
      for (const [addr, id] of remembered ?? []) if (id === t.id && addr.endsWith(`:${port}`)) ip = addr.slice(0, addr.lastIndexOf(':'));
    }
    if (ip === undefined) ip = tg.targetType === 'ip' ? t.id : elb.resolveInstance(s, t.id) ?? t.id;
    const [d] = elb.runtime.describeTargetHealth(arn, [{ id: ip, port }]);
    const health = d?.targetHealth ?? { state: 'unused', reason: 'Target.NotRegistered' };
    return {
      target: { id: t.id, port }, healthCheckPort: d?.healthCheckPort ?? String(port), state: health.state,
      ...(health.reason ? { reason: health.reason } : {}), ...(health.description ? { description: health.description } : {}),
    };
  });
}

/** Remembers the caller's ids of a group's targets, so draining instance targets keep their id. */
export function rememberNames(elb: Elbv2, tgArn: string, targets: readonly TargetRecord[]): void {
  let m = elb.names.get(tgArn);
  if (!m) elb.names.set(tgArn, (m = new Map()));
  for (const t of targets) if (t.id !== t.ip) m.set(`${t.ip}:${t.port}`, t.id);
}

const RegisterTargets: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const arn = required(n, 'TargetGroupArn');
  const plan = planRegister(elb, s, arn, readTargets(n));
  return { ...plan, write: () => { plan.write(); rememberNames(elb, arn, loadTargetGroup(elb, s, arn).targets); } };
});

const DeregisterTargets: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => planDeregister(elb, s, required(n, 'TargetGroupArn'), readTargets(n)));

const DescribeTargetHealth: Elbv2Operation = (n, s, _now, elb) => {
  const arn = required(n, 'TargetGroupArn');
  const asked = nodes(n, 'Targets') ? readTargets(n) : undefined;
  const views = targetHealth(elb, s, arn, asked && asked.length > 0 ? asked : undefined);
  return list('TargetHealthDescriptions', views, (v) =>
    wrap('Target', el('Id', v.target.id) + el('Port', v.target.port) + el('AvailabilityZone', v.target.availabilityZone)) +
    el('HealthCheckPort', v.healthCheckPort) +
    wrap('TargetHealth', el('State', v.state) + el('Reason', v.reason) + el('Description', v.description)));
};

export const TARGET_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = { RegisterTargets, DeregisterTargets, DescribeTargetHealth };
