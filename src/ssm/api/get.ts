import type { GetParameterRequest, GetParametersByPathRequest, GetParametersRequest } from '@aws-sdk/client-ssm';
import { AwsError } from '../../edge/errors.js';
import type { Operation } from '../../edge/surface.js';
import { invalidNextToken } from '../errors.js';
import { compileFilters } from '../filters.js';
import { normalizePath, underPath } from '../names.js';
import { paginate } from '../../edge/pagination.js';
import type { ParameterStore } from '../service.js';
import { operation, scopeOf } from './operation.js';

export function getOperations(params: ParameterStore): Record<string, Operation> {
  return {
    GetParameter: operation<GetParameterRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      return { Parameter: params.view(scope, params.select(scope, input.Name!), input.WithDecryption === true) };
    }),

    /** Found parameters in request order; names that pick nothing go to InvalidParameters as given. */
    GetParameters: operation<GetParametersRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const found: Record<string, unknown>[] = [];
      const invalid: string[] = [];
      for (const name of new Set(input.Names ?? [])) {
        try {
          found.push(params.view(scope, params.select(scope, name), input.WithDecryption === true));
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          invalid.push(name);
        }
      }
      return { Parameters: found, InvalidParameters: invalid };
    }),

    /** Parameters under a path (one level, or every level when Recursive), by name, 10 a page at most. */
    GetParametersByPath: operation<GetParametersByPathRequest>((input, ctx) => {
      const scope = scopeOf(ctx);
      const path = normalizePath(input.Path!);
      const select = compileFilters(input.ParameterFilters, 'path');
      const matching = params
        .list(scope)
        .filter((r) => underPath(r.name, path, input.Recursive === true))
        .flatMap((record) => {
          const version = select(record);
          return version ? [{ record, version }] : [];
        });
      const { page, nextToken } = paginate(matching, (m) => m.record.name, {
        nextToken: input.NextToken, maxResults: input.MaxResults ?? 10, invalid: invalidNextToken,
      });
      return {
        Parameters: page.map((s) => {
          const { Selector: _s, ...view } = params.view(scope, s, input.WithDecryption === true);
          return view;
        }),
        NextToken: nextToken,
      };
    }),
  };
}
