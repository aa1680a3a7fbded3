import type { LogSink } from '../ecs/agents/log-sink.js';
import type { LogsService } from '../logs/service.js';

/**
 * The awslogs driver's sink over the CloudWatch Logs room. A missing group without
 * `awslogs-create-group` fails as the ECS agent reports it (the caller adds the task-level
 * `ResourceInitializationError` wording).
 */
export function logsSink(logs: LogsService): LogSink {
  return {
    prepare(scope, group, stream, createGroup) {
      if (createGroup) logs.ensureGroup(scope, group);
      if (!logs.groupExists(scope, group)) throw new Error('ResourceNotFoundException: The specified log group does not exist.');
      logs.ensureStream(scope, group, stream);
    },
    put(scope, group, stream, events) {
      // Events outside CloudWatch's accepted time range are dropped by it, as with PutLogEvents.
      logs.putEvents(scope, group, stream, events);
    },
  };
}
