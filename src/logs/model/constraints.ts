/**
 * Length, range and size constraints of CloudWatch Logs request members that the AWS SDK package
 * does not ship (its schemas keep only structure, types and required members). Each entry is a
 * fact of the CloudWatch Logs API Reference (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/
 * APIReference, the request page of the operation, "Length Constraints" / "Valid Range" /
 * "Array Members"). Hand-maintained; scripts/gen-ecs-model.ts merges it into logs-model.json, so
 * run `npm run gen:model -- logs` after editing (the sync test fails until you do).
 *
 * Regular-expression patterns (log group and stream names) are not model constraints here; the
 * room checks them itself (src/logs/names.ts) with the message CloudWatch Logs gives.
 *
 * Key grammar as in src/ecs/model/constraints.ts: `Shape`, `Shape.member`, `Shape.member[]`. A
 * member takes one entry, so a list bounded in count (FilterLogEvents logStreamNames 1..100) has
 * its elements checked by the room, and UntagResource tagKeys carries its element bound only.
 */
export interface Bound {
  readonly min?: number;
  readonly max?: number;
}

const GROUP = { min: 1, max: 512 };
const STREAM = { min: 1, max: 512 };
const TOKEN = { min: 1 };
const TIME = { min: 0 };
const ARN = { min: 1, max: 1011 };
const TAGS = { min: 1, max: 50 };

export const logsConstraints: Readonly<Record<string, Bound>> = {
  // Log groups.
  'CreateLogGroupRequest.logGroupName': GROUP,
  'CreateLogGroupRequest.kmsKeyId': { max: 256 },
  'CreateLogGroupRequest.tags': TAGS,
  'DeleteLogGroupRequest.logGroupName': GROUP,
  'DescribeLogGroupsRequest.logGroupNamePrefix': GROUP,
  'DescribeLogGroupsRequest.logGroupNamePattern': { min: 0, max: 512 },
  'DescribeLogGroupsRequest.nextToken': TOKEN,
  'DescribeLogGroupsRequest.limit': { min: 1, max: 50 },
  'DescribeLogGroupsRequest.accountIdentifiers': { min: 0, max: 20 },
  'DescribeLogGroupsRequest.logGroupIdentifiers': { min: 1, max: 50 },

  // Log streams.
  'CreateLogStreamRequest.logGroupName': GROUP,
  'CreateLogStreamRequest.logStreamName': STREAM,
  'DeleteLogStreamRequest.logGroupName': GROUP,
  'DeleteLogStreamRequest.logStreamName': STREAM,
  'DescribeLogStreamsRequest.logGroupName': GROUP,
  'DescribeLogStreamsRequest.logGroupIdentifier': { min: 1, max: 2048 },
  'DescribeLogStreamsRequest.logStreamNamePrefix': STREAM,
  'DescribeLogStreamsRequest.nextToken': TOKEN,
  'DescribeLogStreamsRequest.limit': { min: 1, max: 50 },

  // Events. InputLogEvents: 1..10,000 items; InputLogEvent.timestamp ≥ 0, message length ≥ 1.
  'PutLogEventsRequest.logGroupName': GROUP,
  'PutLogEventsRequest.logStreamName': STREAM,
  'PutLogEventsRequest.logEvents': { min: 1, max: 10000 },
  'PutLogEventsRequest.sequenceToken': TOKEN,
  'InputLogEvent.timestamp': TIME,
  'InputLogEvent.message': { min: 1 },
  'GetLogEventsRequest.logGroupName': GROUP,
  'GetLogEventsRequest.logGroupIdentifier': { min: 1, max: 2048 },
  'GetLogEventsRequest.logStreamName': STREAM,
  'GetLogEventsRequest.startTime': TIME,
  'GetLogEventsRequest.endTime': TIME,
  'GetLogEventsRequest.nextToken': TOKEN,
  'GetLogEventsRequest.limit': { min: 1, max: 10000 },
  'FilterLogEventsRequest.logGroupName': GROUP,
  'FilterLogEventsRequest.logGroupIdentifier': { min: 1, max: 2048 },
  'FilterLogEventsRequest.logStreamNames': { min: 1, max: 100 },
  'FilterLogEventsRequest.logStreamNamePrefix': STREAM,
  'FilterLogEventsRequest.startTime': TIME,
  'FilterLogEventsRequest.endTime': TIME,
  'FilterLogEventsRequest.filterPattern': { min: 0, max: 1024 },
  'FilterLogEventsRequest.nextToken': TOKEN,
  'FilterLogEventsRequest.limit': { min: 1, max: 10000 },

  // Retention.
  'PutRetentionPolicyRequest.logGroupName': GROUP,
  'DeleteRetentionPolicyRequest.logGroupName': GROUP,

  // Tags. UntagResource tagKeys: TagKey strings of length 1..128.
  'TagLogGroupRequest.logGroupName': GROUP,
  'TagLogGroupRequest.tags': TAGS,
  'UntagLogGroupRequest.logGroupName': GROUP,
  'UntagLogGroupRequest.tags': { min: 1 },
  'ListTagsLogGroupRequest.logGroupName': GROUP,
  'TagResourceRequest.resourceArn': ARN,
  'TagResourceRequest.tags': TAGS,
  'UntagResourceRequest.resourceArn': ARN,
  'UntagResourceRequest.tagKeys[]': { min: 1, max: 128 },
  'ListTagsForResourceRequest.resourceArn': ARN,

  // Logs Insights.
  'StartQueryRequest.logGroupName': GROUP,
  'StartQueryRequest.startTime': TIME,
  'StartQueryRequest.endTime': TIME,
  'StartQueryRequest.queryString': { min: 0, max: 10000 },
  'StartQueryRequest.limit': { min: 1, max: 100000 },
  'GetQueryResultsRequest.queryId': { min: 1, max: 256 },
  'GetQueryResultsRequest.nextToken': { max: 1024 },
  'GetQueryResultsRequest.maxItems': { min: 0, max: 10000 },
  'StopQueryRequest.queryId': { min: 1, max: 256 },
};
