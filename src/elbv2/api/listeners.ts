import { readActions } from '../actions.js';
import { listenerArn, newId } from '../arn.js';
import {
  duplicateListener, incompatibleProtocols, invalidConfiguration, invalidLoadBalancerAction, targetGroupAssociationLimit, unsupportedProtocol, validation,
} from '../errors.js';
import { int, nodes, oneOf, required, str, strings, tags, type Node } from '../input.js';
import { keptListenerAttributes } from '../listener-attributes.js';
import { readListenerSecurity, type CertificateKnown } from '../listener-security.js';
import { groupsOf, recordKey, type ActionRecord, type ListenerRecord, type LoadBalancerRecord, type Scope } from '../state.js';
import { list, renderListener } from '../xml.js';
import { createdKey, loadListener, loadLoadBalancer, loadTargetGroup, paged, type Elbv2, type Elbv2Operation } from './operation.js';

/**
 * Listeners: each binds its port on the Berth host (see applier.ts), so a port is unique per load
 * balancer (DuplicateListener) and across all load balancers of the host (InvalidConfigurationRequest),
 * whatever the protocols: a UDP and a TCP listener of two load balancers could share a number in
 * the kernel, but Berth keeps one listener per host port. Certificates and TLS policies are read
 * in listener-security.ts.
 */
const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE', 'QUIC', 'TCP_QUIC'] as const;

/**
 * The target group protocols each NLB listener protocol forwards to, as AWS's routing table
 * has them: TLS is terminated at the listener and goes on as TCP or again as TLS; a TCP_UDP
 * listener needs a TCP_UDP group.
 */
const NLB_GROUP_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  TCP: ['TCP', 'TCP_UDP'],
  TLS: ['TCP', 'TLS'],
  UDP: ['UDP', 'TCP_UDP'],
  TCP_UDP: ['TCP_UDP'],
};

/**
 * Checks actions against the load balancer and the listener's protocol: target group protocols
 * must fit them, a network load balancer only forwards (to one group), and a group serves one
 * load balancer only.
 */
export function checkActions(elb: Elbv2, s: Scope, lb: LoadBalancerRecord, listenerProtocol: string, actions: readonly ActionRecord[]): void {
  for (const a of actions) {
    if (lb.type === 'network' && a.Type !== 'forward') throw invalidLoadBalancerAction(`Action type '${a.Type}' is not supported for network load balancers`);
    if (lb.type === 'network' && (a.ForwardConfig?.TargetGroups.length ?? 0) > 1) throw invalidLoadBalancerAction('Berth network load balancers forward to one target group');
  }
  for (const arn of groupsOf(actions)) {
    const tg = loadTargetGroup(elb, s, arn);
    if (lb.type === 'application' && tg.protocol !== 'HTTP' && tg.protocol !== 'HTTPS') {
      throw incompatibleProtocols(`The target group '${arn}' has protocol '${tg.protocol}', which an application load balancer cannot forward to`);
    }
    if (lb.type === 'network' && !(NLB_GROUP_PROTOCOLS[listenerProtocol] ?? []).includes(tg.protocol)) {
      throw incompatibleProtocols(`Listener protocol '${listenerProtocol}' is not compatible with target group protocol '${tg.protocol}'`);
    }
    const others = elb.state.loadBalancersOfGroup(arn, s).filter((x) => x !== lb.arn);
    if (others.length > 0) throw targetGroupAssociationLimit(`The following target groups cannot be associated with more than one load balancer: ${arn}`);
  }
}

export const actionsOf = (elb: Elbv2, s: Scope, n: Node, member: string): ActionRecord[] =>
  readActions(n, member, (arn) => loadTargetGroup(elb, s, arn));

function protocolFor(n: Node, lb: LoadBalancerRecord, prior?: string): string {
  const protocol = oneOf(n, 'Protocol', PROTOCOLS) ?? prior;
  if (protocol === undefined) throw validation('A listener protocol must be specified');
  const allowed = lb.type === 'application' ? ['HTTP', 'HTTPS'] : ['TCP', 'TLS', 'UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC'];
  if (!allowed.includes(protocol)) throw validation(`Listener protocol '${protocol}' must be one of '${allowed.join(', ')}'`);
  if (protocol === 'QUIC' || protocol === 'TCP_QUIC') throw unsupportedProtocol(`Listener protocol '${protocol}' is not supported by Berth yet; use TCP, TLS, UDP or TCP_UDP`);
  return protocol;
}

/** A port already bound by a listener of another load balancer on this host (any account). */
function portTaken(elb: Elbv2, port: number, except: { lbArn: string; listenerArn?: string }): boolean {
  for (const l of elb.state.listeners.values()) {
    if (l.port === port && l.loadBalancerArn !== except.lbArn && l.arn !== except.listenerArn) return true;
  }
  return false;
}

const hostPortError = (port: number): Error =>
  invalidConfiguration(`Port ${port} is already used by a listener of another load balancer on this Berth host; each listener binds its own port.`);

const sameListener = (a: ListenerRecord, b: Omit<ListenerRecord, 'id' | 'arn' | 'defaultRuleId' | 'createdAt' | 'tags'>): boolean =>
  a.protocol === b.protocol && JSON.stringify(a.defaultActions) === JSON.stringify(b.defaultActions) &&
  JSON.stringify(a.certificates) === JSON.stringify(b.certificates) && a.sslPolicy === b.sslPolicy &&
  JSON.stringify(a.alpnPolicy) === JSON.stringify(b.alpnPolicy);

/** Whether an IAM certificate ARN names an uploaded certificate; undefined when the room has no IAM port. */
export const certificateKnown = (elb: Elbv2, s: Scope): CertificateKnown | undefined => {
  const certs = elb.certificates;
  return certs && ((arn) => certs.serverCertificate(s, arn) !== undefined);
};

const CreateListener: Elbv2Operation = (n, s, now, elb) => elb.applier.change(() => {
  const lb = loadLoadBalancer(elb, s, required(n, 'LoadBalancerArn'));
  const protocol = protocolFor(n, lb);
  const port = int(n, 'Port', 1, 65535);
  if (port === undefined) throw validation('A listener port must be specified');
  const security = readListenerSecurity(n, protocol, undefined, certificateKnown(elb, s));
  const defaultActions = actionsOf(elb, s, n, 'DefaultActions');
  checkActions(elb, s, lb, protocol, defaultActions);
  const draft = { accountId: s.accountId, region: s.region, loadBalancerArn: lb.arn, port, protocol, ...security, defaultActions };
  const existing = elb.state.listenersOf(lb.arn, s).find((l) => l.port === port);
  if (existing) {
    if (!sameListener(existing, draft)) throw duplicateListener(`A listener already exists on this port for this load balancer '${lb.arn}'`);
    return { write: () => undefined, result: list('Listeners', [existing], renderListener) };
  }
  if (portTaken(elb, port, { lbArn: lb.arn })) throw hostPortError(port);
  const id = newId();
  const l: ListenerRecord = { ...draft, id, arn: listenerArn(lb.arn, id), defaultRuleId: newId(), createdAt: now, tags: tags(n) };
  return { write: () => elb.state.listeners.put(recordKey(s, id), l), result: list('Listeners', [l], renderListener), binds: [l.arn] };
});

const DescribeListeners: Elbv2Operation = (n, s, _now, elb) => {
  const lbArn = str(n, 'LoadBalancerArn');
  const arns = strings(n, 'ListenerArns') ?? [];
  if (lbArn === undefined && arns.length === 0) throw validation('You must specify either listener ARNs or a load balancer ARN');
  if (lbArn !== undefined && arns.length > 0) throw validation('Listener ARNs and a load balancer ARN cannot be specified at the same time');
  const listeners = lbArn !== undefined
    ? elb.state.listenersOf(loadLoadBalancer(elb, s, lbArn).arn, s)
    : arns.map((a) => loadListener(elb, s, a));
  const { page, xml } = paged(n, listeners.sort((a, b) => (createdKey(a) < createdKey(b) ? -1 : 1)), createdKey);
  return list('Listeners', page, renderListener) + xml;
};

const ModifyListener: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  const lb = loadLoadBalancer(elb, s, l.loadBalancerArn);
  const protocol = protocolFor(n, lb, l.protocol);
  const port = int(n, 'Port', 1, 65535) ?? l.port;
  const security = readListenerSecurity(n, protocol, l, certificateKnown(elb, s));
  const defaultActions = nodes(n, 'DefaultActions') ? actionsOf(elb, s, n, 'DefaultActions') : l.defaultActions;
  checkActions(elb, s, lb, protocol, defaultActions);
  if (port !== l.port && elb.state.listenersOf(lb.arn, s).some((x) => x.port === port)) {
    throw duplicateListener(`A listener already exists on this port for this load balancer '${lb.arn}'`);
  }
  if (port !== l.port && portTaken(elb, port, { lbArn: lb.arn })) throw hostPortError(port);
  const { sslPolicy: _policy, alpnPolicy: _alpn, certificates: _certificates, sniCertificates, attributes, ...rest } = l;
  // The certificate list stays with an HTTPS or TLS listener and goes when it takes another protocol;
  // attributes stay only where the new protocol has them (HTTPS → HTTP drops the TLS header names).
  const keepList = sniCertificates !== undefined && (protocol === 'HTTPS' || protocol === 'TLS');
  const kept = keptListenerAttributes(protocol, attributes);
  const next: ListenerRecord = {
    ...rest, protocol, port, ...security, ...(keepList ? { sniCertificates } : {}), ...(kept ? { attributes: kept } : {}), defaultActions,
  };
  return { write: () => elb.state.listeners.put(recordKey(s, l.id), next), result: list('Listeners', [next], renderListener), binds: [l.arn] };
});

const DeleteListener: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  const rules = elb.state.rulesOf(l.arn, s);
  return {
    write: () => {
      for (const r of rules) elb.state.rules.delete(recordKey(s, r.id));
      elb.state.listeners.delete(recordKey(s, l.id));
    },
    result: '',
  };
});

export const LISTENER_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = { CreateListener, DescribeListeners, ModifyListener, DeleteListener };
