import type {
  DeleteTaskDefinitionsRequest, DeregisterTaskDefinitionRequest, DescribeTaskDefinitionRequest, Failure,
  ListTaskDefinitionFamiliesRequest, ListTaskDefinitionsRequest, RegisterTaskDefinitionRequest, TaskDefinition,
} from '@aws-sdk/client-ecs';
import { scopeKey, type Scope } from '../arn.js';
import { clientException, invalidParameter } from '../errors.js';
import { paginate } from '../pagination.js';
import type { EcsState, TaskDefinitionRecord } from '../state.js';
import { buildTaskDefinition, parseTaskDefinitionRef, taskDefinitionArn } from '../taskdef/register.js';
import { operation, scopeOf, toDate } from './operation.js';
import { checkNewTags } from './tags.js';

const revisionKey = (s: Scope, family: string, revision: number): string => `${scopeKey(s)}:${family}:${revision}`;
const familyKey = (s: Scope, family: string): string => `${scopeKey(s)}:${family}`;

function render(rec: TaskDefinitionRecord): TaskDefinition {
  const out: TaskDefinition = { ...rec.definition, registeredAt: new Date(rec.registeredAt) };
  if (rec.deregisteredAt !== undefined) out.deregisteredAt = toDate(rec.deregisteredAt);
  if (rec.deleteRequestedAt !== undefined) out.deleteRequestedAt = toDate(rec.deleteRequestedAt);
  return out;
}

/**
 * Resolves what Describe accepts: `family` (its latest ACTIVE revision), `family:revision` or an
 * ARN. A reference to another account or region finds nothing.
 */
export function findTaskDefinition(state: EcsState, s: Scope, ref: string): TaskDefinitionRecord | undefined {
  const parsed = parseTaskDefinitionRef(ref);
  if ((parsed.accountId && parsed.accountId !== s.accountId) || (parsed.region && parsed.region !== s.region)) return undefined;
  if (parsed.revision !== undefined) return state.taskDefinitions.get(revisionKey(s, parsed.family, parsed.revision));
  const last = state.families.get(familyKey(s, parsed.family))?.lastRevision ?? 0;
  for (let r = last; r >= 1; r--) {
    const rec = state.taskDefinitions.get(revisionKey(s, parsed.family, r));
    if (rec?.definition.status === 'ACTIVE') return rec;
  }
  return undefined;
}

/** A reference that must name one revision (Deregister, Delete). */
function exactRevision(ref: string): { family: string; revision: number } {
  const parsed = parseTaskDefinitionRef(ref);
  if (parsed.revision === undefined) throw clientException('The specified task definition does not exist. Specify a valid task definition revision (family:revision or full ARN) and try again.');
  return { family: parsed.family, revision: parsed.revision };
}

export function taskDefinitionOperations(state: EcsState) {
  return {
    RegisterTaskDefinition: operation<RegisterTaskDefinitionRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      checkNewTags(input.tags ?? [], []);
      return state.store.transaction(() => {
        const family = input.family!;
        const fam = state.families.get(familyKey(s, family));
        const revision = (fam?.lastRevision ?? 0) + 1;
        const def = buildTaskDefinition(input, {
          accountId: s.accountId, region: s.region, revision, registeredAt: ctx.now, registeredBy: ctx.principal.arn,
        });
        const { registeredAt, deregisteredAt: _d, deleteRequestedAt: _x, ...definition } = def;
        void _d; void _x;
        const rec: TaskDefinitionRecord = { definition, registeredAt: (registeredAt ?? ctx.now).getTime() };
        state.families.put(familyKey(s, family), { family, lastRevision: revision });
        state.taskDefinitions.put(revisionKey(s, family, revision), rec);
        if (input.tags?.length) state.tags.put(def.taskDefinitionArn!, input.tags);
        return { taskDefinition: render(rec), tags: input.tags ?? [] };
      });
    }),

    DescribeTaskDefinition: operation<DescribeTaskDefinitionRequest>((input, ctx) => {
      const rec = findTaskDefinition(state, scopeOf(ctx), input.taskDefinition!);
      if (!rec) throw clientException('Unable to describe task definition.');
      const out: { taskDefinition: TaskDefinition; tags?: unknown } = { taskDefinition: render(rec) };
      if (input.include?.includes('TAGS')) out.tags = state.tags.get(rec.definition.taskDefinitionArn!) ?? [];
      return out;
    }),

    DeregisterTaskDefinition: operation<DeregisterTaskDefinitionRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const { family, revision } = exactRevision(input.taskDefinition!);
      return state.store.transaction(() => {
        const key = revisionKey(s, family, revision);
        const rec = findTaskDefinition(state, s, input.taskDefinition!);
        if (!rec) throw clientException('The specified task definition does not exist. Specify a valid task definition and try again.');
        if (rec.definition.status !== 'ACTIVE') return { taskDefinition: render(rec) };
        const next: TaskDefinitionRecord = { ...rec, definition: { ...rec.definition, status: 'INACTIVE' }, deregisteredAt: ctx.now.getTime() };
        state.taskDefinitions.put(key, next);
        return { taskDefinition: render(next) };
      });
    }),

    DeleteTaskDefinitions: operation<DeleteTaskDefinitionsRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const refs = input.taskDefinitions ?? [];
      if (refs.length < 1 || refs.length > 10) throw invalidParameter('taskDefinitions must contain between 1 and 10 task definitions.');
      return state.store.transaction(() => {
        const taskDefinitions: TaskDefinition[] = [];
        const failures: Failure[] = [];
        for (const ref of refs) {
          const parsed = parseTaskDefinitionRef(ref);
          const rec = parsed.revision === undefined ? undefined : findTaskDefinition(state, s, ref);
          const arn = rec?.definition.taskDefinitionArn ?? (ref.startsWith('arn:') ? ref : taskDefinitionArn(s.region, s.accountId, parsed.family, parsed.revision ?? 0));
          if (!rec) {
            failures.push({ arn, reason: 'The specified task definition does not exist.' });
          } else if (rec.definition.status === 'ACTIVE') {
            failures.push({ arn, reason: 'The specified task definition is still in ACTIVE status. Please deregister the target and try again.' });
          } else if (rec.definition.status === 'DELETE_IN_PROGRESS') {
            taskDefinitions.push(render(rec));
          } else {
            const next: TaskDefinitionRecord = { ...rec, definition: { ...rec.definition, status: 'DELETE_IN_PROGRESS' }, deleteRequestedAt: ctx.now.getTime() };
            state.taskDefinitions.put(revisionKey(s, parsed.family, parsed.revision!), next);
            taskDefinitions.push(render(next));
          }
        }
        return { taskDefinitions, failures };
      });
    }),

    ListTaskDefinitions: operation<ListTaskDefinitionsRequest>((input, ctx) => {
      const prefix = `${scopeKey(scopeOf(ctx))}:`;
      const status = input.status ?? 'ACTIVE';
      const rows: { family: string; revision: number; arn: string }[] = [];
      for (const [k, rec] of state.taskDefinitions.entries()) {
        const d = rec.definition;
        if (!k.startsWith(prefix) || d.status !== status) continue;
        // `familyPrefix` is matched as a whole family name, as ECS documents.
        if (input.familyPrefix !== undefined && d.family !== input.familyPrefix) continue;
        rows.push({ family: d.family!, revision: d.revision!, arn: d.taskDefinitionArn! });
      }
      const desc = input.sort === 'DESC';
      // Sort key: family, then the revision zero-padded so that string order is numeric order.
      const keyOf = (r: { family: string; revision: number }): string => `${r.family}\u0000${String(r.revision).padStart(10, '0')}`;
      rows.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0) * (desc ? -1 : 1));
      const { page, nextToken } = paginate(rows, keyOf, input.nextToken, input.maxResults, 100, desc);
      const taskDefinitionArns = page.map((r) => r.arn);
      return nextToken ? { taskDefinitionArns, nextToken } : { taskDefinitionArns };
    }),

    ListTaskDefinitionFamilies: operation<ListTaskDefinitionFamiliesRequest>((input, ctx) => {
      const prefix = `${scopeKey(scopeOf(ctx))}:`;
      const status = input.status ?? 'ACTIVE';
      const active = new Set<string>();
      const all = new Set<string>();
      for (const [k, rec] of state.taskDefinitions.entries()) {
        const d = rec.definition;
        if (!k.startsWith(prefix)) continue;
        if (input.familyPrefix !== undefined && !d.family!.startsWith(input.familyPrefix)) continue;
        all.add(d.family!);
        if (d.status === 'ACTIVE') active.add(d.family!);
      }
      // A family is ACTIVE while any revision is; INACTIVE once none is.
      const families = [...all].filter((f) => (status === 'ALL' ? true : status === 'ACTIVE' ? active.has(f) : !active.has(f))).sort();
      const { page, nextToken } = paginate(families, (f) => f, input.nextToken, input.maxResults);
      return nextToken ? { families: page, nextToken } : { families: page };
    }),
  };
}
