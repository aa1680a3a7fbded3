import type { Filter, ListSecretsRequest } from '@aws-sdk/client-secrets-manager';
import type { Operation } from '../../edge/surface.js';
import { invalidNextToken, invalidParameter } from '../errors.js';
import { paginate, timeKey } from '../../edge/pagination.js';
import type { SecretsService } from '../service.js';
import type { Scope, SecretRecord } from '../state.js';
import { stagesMap } from '../versions.js';
import { operation, scopeOf } from './operation.js';
import { secretMetadata } from './secrets.js';

/**
 * ListSecrets filters (API_Filter): `name`, `tag-key`, `tag-value`, `primary-region`,
 * `owning-service` are case-sensitive prefix matches; `description` is a case-insensitive prefix
 * match; `all` breaks the value into words and matches them, case-insensitively, against the
 * words of the name, description, tag keys and tag values. A value starting with `!` negates.
 * Within one filter a secret must match one of the plain values and none of the negated ones;
 * every filter must match.
 */
export function matchesFilter(record: SecretRecord, scope: Scope, filter: Filter): boolean {
  const values = filter.Values ?? [];
  const plain = values.filter((v) => !v.startsWith('!'));
  const negated = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const test = (term: string): boolean => {
    switch (filter.Key) {
      case 'name': return record.name.startsWith(term);
      case 'description': return (record.description ?? '').toLowerCase().startsWith(term.toLowerCase());
      case 'tag-key': return record.tags.some((t) => t.Key.startsWith(term));
      case 'tag-value': return record.tags.some((t) => t.Value.startsWith(term));
      case 'primary-region': return scope.region.startsWith(term);
      case 'owning-service': return false; // Berth's secrets are never owned by another service
      case 'all': return matchesAll(record, term);
      default: return false;
    }
  };
  return (plain.length === 0 || plain.some(test)) && !negated.some(test);
}

/** Words as Secrets Manager search sees them: split at punctuation, case changes and letter/digit changes. */
export function words(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9]+/)
    .flatMap((part) => part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [])
    .map((w) => w.toLowerCase());
}

function matchesAll(record: SecretRecord, term: string): boolean {
  const haystack = [record.name, record.description ?? '', ...record.tags.flatMap((t) => [t.Key, t.Value])].flatMap(words);
  const wanted = words(term);
  return wanted.length > 0 && wanted.every((w) => haystack.some((h) => h.startsWith(w)));
}

type SortBy = NonNullable<ListSecretsRequest['SortBy']>;

const sortKeys: Record<SortBy, (r: SecretRecord) => string> = {
  'created-date': (r) => timeKey(r.createdAt, r.arn),
  'last-accessed-date': (r) => timeKey(r.lastAccessedAt, r.arn),
  'last-changed-date': (r) => timeKey(r.lastChangedAt, r.arn),
  name: (r) => `${r.name}\u0000${r.arn}`,
};

export function listOperations(secrets: SecretsService): Record<string, Operation> {
  return {
    ListSecrets: operation<ListSecretsRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      for (const f of input.Filters ?? []) {
        if (f.Key === undefined || !f.Values?.length) throw invalidParameter('A filter needs a Key and at least one value.');
      }
      const keyOf = sortKeys[input.SortBy ?? 'created-date'];
      const descending = input.SortOrder === 'desc';
      const matching = secrets
        .list(scope, ctx.now.getTime())
        .filter((r) => input.IncludePlannedDeletion === true || r.deletedAt === undefined)
        .filter((r) => (input.Filters ?? []).every((f) => matchesFilter(r, scope, f)))
        .map((r) => ({ r, key: keyOf(r) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (descending ? -1 : 1));
      const { page, nextToken } = paginate(matching, (x) => x.key, {
        nextToken: input.NextToken, maxResults: input.MaxResults ?? 100, descending, invalid: invalidNextToken,
      });
      return {
        SecretList: page.map(({ r }) => {
          const stages = stagesMap(r.versions);
          return { ...secretMetadata(r), SecretVersionsToStages: Object.keys(stages).length > 0 ? stages : undefined };
        }),
        NextToken: nextToken,
      };
    }),
  };
}
