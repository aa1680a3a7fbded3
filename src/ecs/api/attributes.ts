import type { Attribute, DeleteAttributesRequest, ListAttributesRequest, PutAttributesRequest } from '@aws-sdk/client-ecs';
import { parseArn, type Scope } from '../arn.js';
import { attributeLimitExceeded, invalidParameter, targetNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import type { ClusterRecord, ContainerInstanceRecord, EcsState } from '../state.js';
import { activeCluster } from './clusters.js';
import { operation, scopeOf } from './operation.js';

/** From the ECS API reference (Attribute): name and value character sets and lengths. */
const NAME = /^[a-zA-Z0-9_./-]{1,128}$/;
const VALUE = /^[a-zA-Z0-9_.@/\\: -]{1,128}$/;
/** ECS allows at most 10 custom attributes per resource. */
const MAX_CUSTOM = 10;

function checkAttribute(a: Attribute): void {
  if (!NAME.test(a.name ?? '')) {
    throw invalidParameter(`Attribute name '${a.name}' is invalid: up to 128 letters, numbers, hyphens, underscores, periods and slashes are allowed.`);
  }
  if (a.value !== undefined && !VALUE.test(a.value)) {
    throw invalidParameter(`Attribute value '${a.value}' is invalid: up to 128 letters, numbers, hyphens, underscores, periods, at signs, slashes, backslashes, colons and spaces are allowed.`);
  }
  if (a.targetType !== undefined && a.targetType !== 'container-instance') throw invalidParameter(`Invalid targetType: ${a.targetType}`);
  if (!a.targetId) throw invalidParameter('targetId is required for an attribute.');
}

/** Finds a container instance of the cluster by full ARN or by its id (the ARN's last part). */
function findInstance(state: EcsState, cluster: ClusterRecord, targetId: string): [string, ContainerInstanceRecord] {
  const id = targetId.startsWith('arn:') ? parseArn(targetId)?.resource.split('/').pop() : targetId;
  for (const entry of state.containerInstances.entries()) {
    const rec = entry[1];
    if (rec.clusterArn === cluster.clusterArn && (rec.containerInstanceArn === targetId || rec.containerInstanceArn.endsWith(`/${id}`))) return entry;
  }
  throw targetNotFound(`Could not find ${targetId}.`);
}

const isBuiltIn = (name: string | undefined): boolean => (name ?? '').startsWith('ecs.') || (name ?? '').startsWith('com.amazonaws.ecs.');

export function attributeOperations(state: EcsState) {
  const clusterOf = (s: Scope, ref: string | undefined) => activeCluster(state, s, ref);

  return {
    PutAttributes: operation<PutAttributesRequest>((input, ctx) => {
      const attrs = input.attributes ?? [];
      if (attrs.length > MAX_CUSTOM) throw attributeLimitExceeded(`You can specify at most ${MAX_CUSTOM} attributes in a request.`);
      attrs.forEach(checkAttribute);
      return state.store.transaction(() => {
        const cluster = clusterOf(scopeOf(ctx), input.cluster);
        for (const a of attrs) {
          const [key, rec] = findInstance(state, cluster, a.targetId!);
          const others = rec.attributes.filter((x) => x.name !== a.name);
          const next = [...others, { name: a.name, ...(a.value !== undefined ? { value: a.value } : {}) }];
          if (next.filter((x) => !isBuiltIn(x.name)).length > MAX_CUSTOM) {
            throw attributeLimitExceeded(`You can apply up to ${MAX_CUSTOM} custom attributes to each resource.`);
          }
          state.containerInstances.put(key, { ...rec, attributes: next });
        }
        return { attributes: attrs };
      });
    }),

    DeleteAttributes: operation<DeleteAttributesRequest>((input, ctx) => {
      const attrs = input.attributes ?? [];
      attrs.forEach(checkAttribute);
      return state.store.transaction(() => {
        const cluster = clusterOf(scopeOf(ctx), input.cluster);
        for (const a of attrs) {
          const [key, rec] = findInstance(state, cluster, a.targetId!);
          state.containerInstances.put(key, { ...rec, attributes: rec.attributes.filter((x) => x.name !== a.name) });
        }
        return { attributes: attrs };
      });
    }),

    ListAttributes: operation<ListAttributesRequest>((input, ctx) => {
      const cluster = clusterOf(scopeOf(ctx), input.cluster);
      if (input.attributeValue !== undefined && input.attributeName === undefined) {
        throw invalidParameter('attributeValue can only be specified with attributeName.');
      }
      const found: Attribute[] = [];
      for (const rec of state.containerInstances.values()) {
        if (rec.clusterArn !== cluster.clusterArn) continue;
        for (const a of rec.attributes) {
          if (input.attributeName !== undefined && a.name !== input.attributeName) continue;
          if (input.attributeValue !== undefined && a.value !== input.attributeValue) continue;
          found.push({ ...a, targetType: 'container-instance', targetId: rec.containerInstanceArn });
        }
      }
      const keyOf = (a: Attribute): string => `${a.targetId}\u0000${a.name}`;
      found.sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : 1));
      const { page, nextToken } = paginate(found, keyOf, input.nextToken, input.maxResults);
      return nextToken ? { attributes: page, nextToken } : { attributes: page };
    }),
  };
}
