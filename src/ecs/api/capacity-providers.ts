import type { DescribeCapacityProvidersRequest, Failure } from '@aws-sdk/client-ecs';
import { FARGATE_PROVIDERS } from '../cluster/capacity-providers.js';
import { paginate } from '../pagination.js';
import { operation } from './operation.js';

/** DescribeCapacityProviders over the providers that exist from the start (FARGATE, FARGATE_SPOT). */
export function capacityProviderOperations() {
  return {
    DescribeCapacityProviders: operation<DescribeCapacityProvidersRequest>((input) => {
      const wanted = input.capacityProviders;
      const failures: Failure[] = [];
      let found = [...FARGATE_PROVIDERS];
      if (wanted?.length) {
        found = found.filter((p) => wanted.includes(p.name!));
        for (const w of wanted) if (!found.some((p) => p.name === w || w.endsWith(`/${p.name}`))) failures.push({ arn: w, reason: 'MISSING' });
      }
      const { page, nextToken } = paginate(found, (p) => p.name!, input.nextToken, input.maxResults, 10);
      return nextToken ? { capacityProviders: page, failures, nextToken } : { capacityProviders: page, failures };
    }),
  };
}
