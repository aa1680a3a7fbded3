import type { Table } from '../../store/port.js';
import { kindOf } from '../arn.js';
import { duplicateTagKeys, tooManyTags, validation } from '../errors.js';
import { required, strings, tags as readTags } from '../input.js';
import { recordKey, type Scope, type Tag } from '../state.js';
import { el, list, renderTags } from '../xml.js';
import { findLoadBalancer, findTargetGroup, loadListener, loadLoadBalancer, loadRule, loadTargetGroup, type Elbv2, type Elbv2Operation } from './operation.js';

/** Tags on load balancers, target groups, listeners and rules (up to 50 each). A default rule has none. */
const MAX_TAGS = 50;

interface Tagged { id: string; tags: Tag[] }
interface Resource { arn: string; table: Table<Tagged>; record: Tagged }

function resource(elb: Elbv2, s: Scope, arn: string): Resource {
  const kind = kindOf(arn);
  const t = elb.state;
  switch (kind) {
    case 'loadbalancer': return { arn, table: t.loadBalancers as unknown as Table<Tagged>, record: findLoadBalancer(elb, s, arn) ?? loadLoadBalancer(elb, s, arn) };
    case 'targetgroup': return { arn, table: t.targetGroups as unknown as Table<Tagged>, record: findTargetGroup(elb, s, arn) ?? loadTargetGroup(elb, s, arn) };
    case 'listener': return { arn, table: t.listeners as unknown as Table<Tagged>, record: loadListener(elb, s, arn) };
    case 'listener-rule': {
      const { rule, listener } = loadRule(elb, s, arn);
      // The default rule is not a stored record; tags on it are kept on nothing and read as none.
      return { arn, table: t.rules as unknown as Table<Tagged>, record: rule ?? { id: '', tags: [] as Tag[], ...{ listener } } };
    }
    default: throw validation(`'${arn}' is not a valid Elastic Load Balancing resource ARN`);
  }
}

function arnsOf(n: Parameters<Elbv2Operation>[0]): string[] {
  const arns = strings(n, 'ResourceArns') ?? [];
  if (arns.length === 0) throw validation("1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
  if (arns.length > 20) throw validation("1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20");
  return arns;
}

const AddTags: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const incoming = readTags(n);
  if (incoming.length === 0) throw validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  const seen = new Set<string>();
  for (const t of incoming) {
    if (seen.has(t.Key)) throw duplicateTagKeys(`Tag key '${t.Key}' specified more than once`);
    seen.add(t.Key);
  }
  const changes = arnsOf(n).map((arn) => resource(elb, s, arn)).map((r) => {
    const byKey = new Map(r.record.tags.map((t) => [t.Key, t]));
    for (const t of incoming) byKey.set(t.Key, t);
    if (byKey.size > MAX_TAGS) throw tooManyTags(`The request would cause the number of tags on '${r.arn}' to exceed the limit of ${MAX_TAGS}`);
    return { r, tags: [...byKey.values()] };
  });
  return {
    write: () => { for (const { r, tags } of changes) if (r.record.id) r.table.put(recordKey(s, r.record.id), { ...r.record, tags }); },
    result: '',
  };
});

const RemoveTags: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const keys = new Set(strings(n, 'TagKeys') ?? []);
  if (keys.size === 0) required(n, 'TagKeys');
  const changes = arnsOf(n).map((arn) => resource(elb, s, arn));
  return {
    write: () => { for (const r of changes) if (r.record.id) r.table.put(recordKey(s, r.record.id), { ...r.record, tags: r.record.tags.filter((t) => !keys.has(t.Key)) }); },
    result: '',
  };
});

const DescribeTags: Elbv2Operation = (n, s, _now, elb) =>
  list('TagDescriptions', arnsOf(n).map((arn) => resource(elb, s, arn)), (r) => el('ResourceArn', r.arn) + renderTags(r.record.tags));

export const TAG_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = { AddTags, RemoveTags, DescribeTags };
