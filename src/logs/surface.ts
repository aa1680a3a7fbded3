import type { JsonSurface } from '../edge/surface.js';
import { eventOperations } from './api/events.js';
import { filterOperations } from './api/filter.js';
import { groupOperations } from './api/groups.js';
import { queryOperations } from './api/queries.js';
import { retentionOperations } from './api/retention.js';
import { streamOperations } from './api/streams.js';
import { tagOperations } from './api/tags.js';
import type { QueryManager } from './insights/queries.js';
import { logsOperationNames, validateLogsInput } from './model/index.js';
import type { LogsService } from './service.js';

export interface LogsDeps {
  logs: LogsService;
  queries: QueryManager;
  /** Called when a retention policy changed, so the sweep enforces it without waiting. */
  retentionChanged: () => void;
}

/**
 * The CloudWatch Logs room (AWS JSON 1.1, `Logs_20140328`, signing name `logs`): every operation
 * of the Logs model is either implemented here or answers NotImplementedException (through
 * `knownOperations`), never a silent success.
 */
export function logsSurface(deps: LogsDeps): JsonSurface {
  const { logs } = deps;
  return {
    protocol: 'json',
    signingName: 'logs',
    targetPrefix: 'Logs_20140328',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      ...groupOperations(logs),
      ...streamOperations(logs),
      ...eventOperations(logs),
      ...filterOperations(logs),
      ...retentionOperations(logs, deps.retentionChanged),
      ...tagOperations(logs),
      ...queryOperations(deps.queries),
    },
    validate: validateLogsInput,
    knownOperations: logsOperationNames,
  };
}
