import type { CapacityProvider, DescribeCapacityProvidersRequest, Failure } from '@aws-sdk/client-ecs';
import { ecsArn } from '../arn.js';
import { FARGATE_PROVIDERS } from '../cluster/capacity-providers.js';
import { paginate } from '../pagination.js';
import { operation, scopeOf } from './operation.js';

/**
 * DescribeCapacityProviders over the providers that exist from the start (FARGATE,
 * FARGATE_SPOT), named by name or ARN. Custom providers come with the capacity issue.
 */
export function capacityProviderOperations() {
  return {
    DescribeCapacityProviders: operation<DescribeCapacityProvidersRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const all: CapacityProvider[] = FARGATE_PROVIDERS.map((p) => ({ capacityProviderArn: ecsArn(s, `capacity-provider/${p.name}`), ...p }));
      const wanted = input.capacityProviders;
      const failures: Failure[] = [];
      let found = all;
      if (wanted?.length) {
        const named = (w: string) => all.find((p) => p.name === w || p.capacityProviderArn === w);
        found = all.filter((p) => wanted.some((w) => named(w) === p));
        for (const w of wanted) if (!named(w)) failures.push({ arn: w, reason: 'MISSING' });
      }
      const { page, nextToken } = paginate(found, (p) => p.name!, input.nextToken, input.maxResults, 10);
      return nextToken ? { capacityProviders: page, failures, nextToken } : { capacityProviders: page, failures };
    }),
  };
}
