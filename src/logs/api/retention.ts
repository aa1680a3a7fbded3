import type { DeleteRetentionPolicyRequest, PutRetentionPolicyRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter } from '../errors.js';
import { checkGroupName, scopeOf } from '../names.js';
import type { LogsService } from '../service.js';
import { operation } from './operation.js';

/** The retention periods CloudWatch Logs accepts (API reference, PutRetentionPolicy). */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * PutRetentionPolicy and DeleteRetentionPolicy. The policy is enforced by the room's retention
 * sweep (src/logs/retention.ts); `changed` lets it run a step at once rather than at its next tick.
 */
export function retentionOperations(logs: LogsService, changed: () => void): Record<string, Operation> {
  return {
    PutRetentionPolicy: operation<PutRetentionPolicyRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      const days = input.retentionInDays!;
      if (!RETENTION_DAYS.includes(days)) {
        throw invalidParameter(`1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
      }
      const g = logs.requireGroup(scopeOf(ctx), input.logGroupName!);
      logs.state.saveGroup({ ...g, retentionInDays: days });
      changed();
      return {};
    }),

    DeleteRetentionPolicy: operation<DeleteRetentionPolicyRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      const g = logs.requireGroup(scopeOf(ctx), input.logGroupName!);
      const { retentionInDays: _dropped, ...rest } = g;
      logs.state.saveGroup(rest);
      return {};
    }),
  };
}
