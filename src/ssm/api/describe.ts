import type { DescribeParametersRequest, ParameterStringFilter } from '@aws-sdk/client-ssm';
import type { Operation } from '../../edge/surface.js';
import { invalidNextToken, validation } from '../errors.js';
import { compileFilters } from '../filters.js';
import { parameterArn } from '../names.js';
import { paginate } from '../../edge/pagination.js';
import type { ParameterStore } from '../service.js';
import { operation, scopeOf } from './operation.js';

/** The deprecated `Filters` (Name, Type, KeyId) as the ParameterStringFilters they mean. */
function fromLegacy(filters: NonNullable<DescribeParametersRequest['Filters']>): ParameterStringFilter[] {
  return filters.map((f) => ({ Key: f.Key, Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals', Values: f.Values }));
}

export function describeOperations(params: ParameterStore): Record<string, Operation> {
  return {
    /** Metadata of the current version of each matching parameter (never a value), by name, 50 a page at most. */
    DescribeParameters: operation<DescribeParametersRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      if (input.Filters?.length && input.ParameterFilters?.length) {
        throw validation('You can use either Filters or ParameterFilters in a single request.');
      }
      if (input.Shared === true) return { Parameters: [] }; // nothing is shared with an account in Berth
      const select = compileFilters(input.Filters?.length ? fromLegacy(input.Filters) : input.ParameterFilters, 'describe');
      const matching = params.list(scope).filter((r) => select(r) !== undefined);
      const { page, nextToken } = paginate(matching, (r) => r.name, {
        nextToken: input.NextToken, maxResults: input.MaxResults ?? 50, invalid: invalidNextToken,
      });
      return {
        Parameters: page.map((r) => {
          const v = r.versions[r.versions.length - 1]!;
          return {
            Name: r.name,
            ARN: parameterArn(scope, r.name),
            Type: v.type,
            KeyId: v.keyId,
            LastModifiedDate: new Date(v.modifiedAt),
            LastModifiedUser: v.modifiedBy,
            Description: v.description,
            AllowedPattern: v.allowedPattern,
            Version: v.version,
            Tier: v.tier,
            Policies: [],
            DataType: v.dataType,
          };
        }),
        NextToken: nextToken,
      };
    }),
  };
}
