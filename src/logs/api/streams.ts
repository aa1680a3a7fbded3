import type {
  CreateLogStreamRequest, DeleteLogStreamRequest, DescribeLogStreamsRequest, LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Operation } from '../../edge/surface.js';
import { invalidParameter } from '../errors.js';
import { checkGroupName, checkStreamName, groupFromEither, scopeOf, streamArn, type Scope } from '../names.js';
import type { LogsService } from '../service.js';
import type { StreamRecord } from '../state.js';
import { pageOf, sequenceToken } from '../tokens.js';
import { operation } from './operation.js';

/**
 * A stream as DescribeLogStreams shows it. The event times appear once the stream has events.
 * `storedBytes` is 0: CloudWatch Logs stopped reporting it for streams in June 2019 (the API
 * reference's LogStream page) and only log groups carry the figure.
 */
function describeStream(logs: LogsService, s: Scope, r: StreamRecord): LogStream {
  const out: LogStream = { logStreamName: r.name, creationTime: r.creationTime };
  const stats = logs.events.stats(r.sid);
  if (stats) {
    out.firstEventTimestamp = stats.firstEventTimestamp;
    out.lastEventTimestamp = stats.lastEventTimestamp;
    out.lastIngestionTime = stats.lastIngestionTime;
  }
  out.uploadSequenceToken = sequenceToken(stats?.eventCount ?? 0);
  out.arn = streamArn(s, r.group, r.name);
  out.storedBytes = 0;
  return out;
}

/** Sort key for LastEventTime order: the time (streams without events first), then the name. */
const byEventTime = (logs: LogsService, r: StreamRecord): string =>
  `${String(logs.events.stats(r.sid)?.lastEventTimestamp ?? 0).padStart(16, '0')}\u0000${r.name}`;

/** CreateLogStream, DeleteLogStream, DescribeLogStreams. */
export function streamOperations(logs: LogsService): Record<string, Operation> {
  return {
    CreateLogStream: operation<CreateLogStreamRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      checkStreamName(input.logStreamName!);
      logs.createStream(scopeOf(ctx), input.logGroupName!, input.logStreamName!, ctx.now.getTime());
      return {};
    }),

    DeleteLogStream: operation<DeleteLogStreamRequest>((input, ctx) => {
      checkGroupName(input.logGroupName!);
      checkStreamName(input.logStreamName!);
      logs.deleteStream(scopeOf(ctx), input.logGroupName!, input.logStreamName!);
      return {};
    }),

    /**
     * `orderBy` LogStreamName (default) or LastEventTime, `descending` either way; a name prefix
     * only with name order, as CloudWatch Logs requires.
     */
    DescribeLogStreams: operation<DescribeLogStreamsRequest>((input, ctx) => {
      const s = scopeOf(ctx);
      const group = groupFromEither(s, input);
      const prefix = input.logStreamNamePrefix;
      if (prefix !== undefined) checkStreamName(prefix, 'logStreamNamePrefix');
      const byTime = input.orderBy === 'LastEventTime';
      if (byTime && prefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      logs.requireGroup(s, group);
      const keyOf = byTime ? (r: StreamRecord) => byEventTime(logs, r) : (r: StreamRecord) => r.name;
      const descending = input.descending === true;
      const streams = [...logs.state.streamsOf(s, group).values()]
        .filter((r) => prefix === undefined || r.name.startsWith(prefix))
        .map((r) => ({ r, key: keyOf(r) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (descending ? -1 : 1));
      const { page, nextToken } = pageOf(streams, (x) => x.key, input.nextToken, input.limit ?? 50, descending);
      return { logStreams: page.map((x) => describeStream(logs, s, x.r)), ...(nextToken ? { nextToken } : {}) };
    }),
  };
}
