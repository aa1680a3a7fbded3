import { AwsError } from '../../edge/errors.js';
import type { Table } from '../../store/port.js';
import { eniNotFound, groupNotFound, invalidParameterValue, missingParameter, subnetNotFound, vpcNotFound } from '../errors.js';
import { matcher } from '../filters.js';
import { resourceTypeOf } from '../ids.js';
import { filters, list, page, structs, tags as readTags, type Params } from '../params.js';
import { resourceKey, type Scope, type Tag, type VpcState } from '../state.js';
import { el, set } from '../xml.js';
import type { Ec2Operation } from './describe.js';

/** EC2's per-resource tag limit. */
const MAX_TAGS = 50;

interface Tagged { tags: Tag[] }
interface Target { table: Table<Tagged>; key: string; record: Tagged }

function tablesOf(state: VpcState): Record<string, [Table<Tagged>, (id: string) => AwsError]> {
  return {
    vpc: [state.vpcs, vpcNotFound],
    subnet: [state.subnets, subnetNotFound],
    'security-group': [state.securityGroups, groupNotFound],
    'network-interface': [state.networkInterfaces, eniNotFound],
  };
}

/** Resolves every `ResourceId.N` first, so an unknown id changes nothing. */
function targets(state: VpcState, s: Scope, p: Params): Target[] {
  const ids = list(p, 'ResourceId');
  if (ids.length === 0) throw missingParameter('resourceIdSet');
  const tables = tablesOf(state);
  return ids.map((id) => {
    const type = resourceTypeOf(id);
    if (!type || !tables[type]) throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
    const [table, notFound] = tables[type];
    const key = resourceKey(s, id);
    const record = table.get(key);
    if (!record) throw notFound(id);
    return { table, key, record };
  });
}

function checkTag(t: Tag): void {
  if (t.Key.length < 1 || t.Key.length > 128) throw invalidParameterValue(`Tag key must be between 1 and 128 characters: '${t.Key}'`);
  if (t.Value.length > 256) throw invalidParameterValue(`Tag value must be at most 256 characters for key '${t.Key}'`);
  if (t.Key.toLowerCase().startsWith('aws:')) throw invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
}

/** Adds or overwrites tags on each resource. */
export const CreateTags: Ec2Operation = (p, s, _now, state) => {
  const tags = readTags(p, 'Tag');
  if (tags.length === 0) throw missingParameter('tagSet');
  tags.forEach(checkTag);
  state.store.transaction(() => {
    for (const t of targets(state, s, p)) {
      const merged = [...t.record.tags];
      for (const tag of tags) {
        const i = merged.findIndex((x) => x.Key === tag.Key);
        if (i >= 0) merged[i] = tag;
        else merged.push(tag);
      }
      if (merged.length > MAX_TAGS) throw new AwsError('TagLimitExceeded', `The maximum number of tags per resource (${MAX_TAGS}) has been exceeded.`);
      t.table.put(t.key, { ...t.record, tags: merged });
    }
  });
  return el('return', true);
};

/**
 * Removes tags: every tag when no `Tag.N` is given; a key given with a value (even empty) only
 * when the value matches; a key alone whatever its value.
 */
export const DeleteTags: Ec2Operation = (p, s, _now, state) => {
  const specs = structs(p, 'Tag').map((m) => ({ key: m.get('Key'), value: m.get('Value') }));
  state.store.transaction(() => {
    for (const t of targets(state, s, p)) {
      const keep = specs.length === 0 ? [] : t.record.tags.filter((tag) =>
        !specs.some((sp) => sp.key === tag.Key && (sp.value === undefined || sp.value === tag.Value)));
      t.table.put(t.key, { ...t.record, tags: keep });
    }
  });
  return el('return', true);
};

interface TagRow { resourceId: string; resourceType: string; key: string; value: string }

export const DescribeTags: Ec2Operation = (p, s, _now, state) => {
  const rows: TagRow[] = [];
  const prefix = resourceKey(s, '');
  for (const [type, [table]] of Object.entries(tablesOf(state))) {
    for (const [key, r] of table.entries()) {
      if (!key.startsWith(prefix)) continue;
      const resourceId = key.slice(prefix.length);
      for (const t of r.tags) rows.push({ resourceId, resourceType: type, key: t.Key, value: t.Value });
    }
  }
  const fields = {
    key: (r: TagRow) => r.key,
    value: (r: TagRow) => r.value,
    'resource-id': (r: TagRow) => r.resourceId,
    'resource-type': (r: TagRow) => r.resourceType,
  };
  const pg = page(p, rows.filter(matcher(filters(p), fields)));
  return set('tagSet', pg.items, (r) => el('resourceId', r.resourceId) + el('resourceType', r.resourceType) + el('key', r.key) + el('value', r.value)) +
    el('nextToken', pg.nextToken);
};
