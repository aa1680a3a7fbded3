import { paginate as paginateBy } from '../edge/pagination.js';
import { invalidParameter } from './errors.js';

/**
 * ECS pagination over a list sorted by `keyOf` (ascending, or descending when told): the shared
 * opaque-token paging, with ECS's default page size and its answer to a bad token.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  nextToken: unknown,
  maxResults: unknown,
  defaultMax = 100,
  descending = false,
): { page: T[]; nextToken?: string } {
  return paginateBy(items, keyOf, {
    nextToken: typeof nextToken === 'string' ? nextToken : undefined,
    maxResults: typeof maxResults === 'number' ? maxResults : defaultMax,
    descending,
    invalid: () => invalidParameter('Invalid token'),
  });
}
