import type { Scope } from '../arn.js';

/**
 * Where the awslogs driver's events go: the CloudWatch Logs room, through this port so that the
 * ECS room does not import another room (server.ts wires it). Errors thrown carry the message the
 * task should fail with (e.g. `ResourceNotFoundException: The specified log group does not exist.`).
 */
export interface LogSink {
  /** Creates the group when asked to, then the stream; throws when the group is missing. */
  prepare(scope: Scope, group: string, stream: string, createGroup: boolean): void;
  put(scope: Scope, group: string, stream: string, events: readonly { timestamp: number; message: string }[]): void;
}
