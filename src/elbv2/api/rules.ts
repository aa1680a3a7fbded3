import { readConditions } from '../conditions.js';
import { newId, ruleArn } from '../arn.js';
import { invalidConfiguration, operationNotPermitted, priorityInUse, validation } from '../errors.js';
import { int, nodes, required, str, strings, tags, type Node } from '../input.js';
import { recordKey, type ListenerRecord, type RuleRecord, type Scope } from '../state.js';
import { list, renderDefaultRule, renderRule } from '../xml.js';
import { actionsOf, checkActions } from './listeners.js';
import { loadListener, loadLoadBalancer, loadRule, paged, type Elbv2, type Elbv2Operation } from './operation.js';

/**
 * Listener rules of application load balancers: priority 1–50000, unique per listener; the
 * listener's default actions show as its default rule (IsDefault, priority `default`, last).
 */
const priorityOf = (n: Node, member = 'Priority', path = 'priority'): number | undefined => int(n, member, 1, 50000, path);

function checkPriorityFree(elb: Elbv2, s: Scope, listenerArn: string, priority: number, except?: string): void {
  if (elb.state.rulesOf(listenerArn, s).some((r) => r.priority === priority && r.arn !== except)) throw priorityInUse(`Priority '${priority}' is currently in use`);
}

function forApplication(elb: Elbv2, s: Scope, l: ListenerRecord): ReturnType<typeof loadLoadBalancer> {
  const lb = loadLoadBalancer(elb, s, l.loadBalancerArn);
  if (lb.type !== 'application') throw invalidConfiguration('Rules are not supported for listeners of network load balancers');
  return lb;
}

const CreateRule: Elbv2Operation = (n, s, now, elb) => elb.applier.change(() => {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  const lb = forApplication(elb, s, l);
  const priority = priorityOf(n);
  if (priority === undefined) throw validation("1 validation error detected: Value null at 'priority' failed to satisfy constraint: Member must not be null");
  const conditions = readConditions(n);
  const actions = actionsOf(elb, s, n, 'Actions');
  checkActions(elb, s, lb, l.protocol, actions);
  checkPriorityFree(elb, s, l.arn, priority);
  if (elb.state.rulesOf(l.arn, s).length >= 100) throw validation("You've reached the limit on the number of rules per listener (100)");
  const id = newId();
  const rule: RuleRecord = { accountId: s.accountId, region: s.region, id, arn: ruleArn(l.arn, id), listenerArn: l.arn, priority, conditions, actions, createdAt: now, tags: tags(n) };
  return { write: () => elb.state.rules.put(recordKey(s, id), rule), result: list('Rules', [rule], renderRule) };
});

const defaultRuleArn = (l: ListenerRecord): string => ruleArn(l.arn, l.defaultRuleId);

const DescribeRules: Elbv2Operation = (n, s, _now, elb) => {
  const listenerArn = str(n, 'ListenerArn');
  const arns = strings(n, 'RuleArns') ?? [];
  if (listenerArn === undefined && arns.length === 0) throw validation('You must specify either listener ARN or rule ARNs');
  if (listenerArn !== undefined && arns.length > 0) throw validation('Listener ARN and rule ARNs cannot be specified at the same time');
  type Row = { key: string; xml: string };
  let rows: Row[];
  if (listenerArn !== undefined) {
    const l = loadListener(elb, s, listenerArn);
    rows = elb.state.rulesOf(l.arn, s).map((r) => ({ key: String(r.priority).padStart(5, '0'), xml: renderRule(r) }));
    rows.push({ key: '99999', xml: renderDefaultRule(l, defaultRuleArn(l)) });
  } else {
    rows = arns.map((a, i) => {
      const { rule, listener } = loadRule(elb, s, a);
      return { key: String(i).padStart(5, '0'), xml: rule ? renderRule(rule) : renderDefaultRule(listener, a) };
    });
  }
  const { page, xml } = paged(n, rows, (r) => r.key);
  return `<Rules>${page.map((r) => `<member>${r.xml}</member>`).join('')}</Rules>` + xml;
};

/** Changes a rule's conditions and/or actions; on a default rule, the listener's default actions. */
const ModifyRule: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const arn = required(n, 'RuleArn');
  const { rule, listener } = loadRule(elb, s, arn);
  const lb = loadLoadBalancer(elb, s, listener.loadBalancerArn);
  const actions = nodes(n, 'Actions') ? actionsOf(elb, s, n, 'Actions') : undefined;
  if (actions) checkActions(elb, s, lb, listener.protocol, actions);
  if (!rule) {
    if (nodes(n, 'Conditions')) throw operationNotPermitted(`Conditions cannot be set on the default rule '${arn}'`);
    const next = { ...listener, defaultActions: actions ?? listener.defaultActions };
    return { write: () => elb.state.listeners.put(recordKey(s, listener.id), next), result: list('Rules', [next], (l) => renderDefaultRule(l, arn)) };
  }
  const next: RuleRecord = { ...rule, conditions: nodes(n, 'Conditions') ? readConditions(n) : rule.conditions, actions: actions ?? rule.actions };
  return { write: () => elb.state.rules.put(recordKey(s, rule.id), next), result: list('Rules', [next], renderRule) };
});

const DeleteRule: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const arn = required(n, 'RuleArn');
  const { rule } = loadRule(elb, s, arn);
  if (!rule) throw operationNotPermitted(`Default rule '${arn}' cannot be deleted`);
  return { write: () => { elb.state.rules.delete(recordKey(s, rule.id)); }, result: '' };
});

/** Sets several rules' priorities at once: all or nothing, unique per listener afterwards. */
const SetRulePriorities: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const items = nodes(n, 'RulePriorities') ?? [];
  if (items.length === 0) throw validation("1 validation error detected: Value null at 'rulePriorities' failed to satisfy constraint: Member must not be null");
  const changed = new Map<string, RuleRecord>();
  items.forEach((it, i) => {
    const arn = required(it, 'RuleArn', `rulePriorities.member.${i + 1}.ruleArn`);
    const priority = priorityOf(it, 'Priority', `rulePriorities.member.${i + 1}.priority`);
    if (priority === undefined) throw validation(`1 validation error detected: Value null at 'rulePriorities.member.${i + 1}.priority' failed to satisfy constraint: Member must not be null`);
    const { rule } = loadRule(elb, s, arn);
    if (!rule) throw operationNotPermitted(`The priority of the default rule '${arn}' cannot be changed`);
    if (changed.has(rule.arn)) throw validation(`Rule '${arn}' is specified more than once`);
    changed.set(rule.arn, { ...rule, priority });
  });
  const listeners = new Set([...changed.values()].map((r) => r.listenerArn));
  for (const la of listeners) {
    const after = elb.state.rulesOf(la, s).map((r) => changed.get(r.arn) ?? r);
    const seen = new Set<number>();
    for (const r of after) {
      if (seen.has(r.priority)) throw priorityInUse(`Priority '${r.priority}' is currently in use`);
      seen.add(r.priority);
    }
  }
  const rules = [...changed.values()];
  return { write: () => { for (const r of rules) elb.state.rules.put(recordKey(s, r.id), r); }, result: list('Rules', rules, renderRule) };
});

export const RULE_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = { CreateRule, DescribeRules, ModifyRule, DeleteRule, SetRulePriorities };
