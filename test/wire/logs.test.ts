import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, DescribeMetricFiltersCommand,
  FilterLogEventsCommand, GetLogEventsCommand, ListTagsForResourceCommand, ListTagsLogGroupCommand, paginateDescribeLogGroups,
  paginateFilterLogEvents, PutLogEventsCommand, PutLogGroupDeletionProtectionCommand, PutRetentionPolicyCommand, TagLogGroupCommand, TagResourceCommand,
  UntagLogGroupCommand, UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { signedJsonCall } from '../../src/cli/signed-call.js';
import { awsError, startBerth, type BerthProcess, type Creds } from '../support/berth.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('CloudWatch Logs through @aws-sdk/client-cloudwatch-logs', () => {
  let berth: BerthProcess;
  let logs: CloudWatchLogsClient;
  const client = (creds: Creds, region = berth.region): CloudWatchLogsClient =>
    new CloudWatchLogsClient({ endpoint: berth.endpoint, region, credentials: creds, maxAttempts: 1 });
  before(async () => {
    berth = await startBerth();
    logs = client(berth.creds);
  });
  after(async () => { await berth.stop(); });

  it('creates, describes and deletes log groups with the fields and errors CloudWatch Logs gives', async () => {
    const account = berth.creds.accountId;
    const before = Date.now();
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/groups/a', tags: { team: 'core' } }));
    const d = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/groups/' }));
    const g = d.logGroups![0];
    assert.equal(g.logGroupName, '/groups/a');
    assert.equal(g.arn, `arn:aws:logs:us-east-1:${account}:log-group:/groups/a:*`);
    assert.equal(g.logGroupArn, `arn:aws:logs:us-east-1:${account}:log-group:/groups/a`);
    assert.ok(g.creationTime! >= before - 1000 && g.creationTime! <= Date.now());
    assert.deepEqual([g.storedBytes, g.metricFilterCount, g.retentionInDays, g.logGroupClass], [0, 0, undefined, 'STANDARD']);

    const dup = await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: '/groups/a' })));
    assert.deepEqual([dup.name, dup.message, dup.status], ['ResourceAlreadyExistsException', 'The specified log group already exists', 400]);
    const bad = await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    assert.equal(bad.name, 'InvalidParameterException');
    assert.match(bad.message, /at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    assert.equal((await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/mine' })))).name, 'InvalidParameterException');
    assert.equal((await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })))).name, 'InvalidParameterException');

    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/groups/a' }));
    const gone = await awsError(logs.send(new DeleteLogGroupCommand({ logGroupName: '/groups/a' })));
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', 'The specified log group does not exist.']);
  });

  it('refuses deletions while deletion protection is on', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/protected', deletionProtectionEnabled: true }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/protected', logStreamName: 's' }));
    const d = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/protected' }));
    assert.equal(d.logGroups![0].deletionProtectionEnabled, true);
    assert.equal((await awsError(logs.send(new DeleteLogGroupCommand({ logGroupName: '/protected' })))).name, 'ValidationException');
    assert.equal((await awsError(logs.send(new DeleteLogStreamCommand({ logGroupName: '/protected', logStreamName: 's' })))).name, 'ValidationException');
    await logs.send(new PutLogGroupDeletionProtectionCommand({ logGroupIdentifier: '/protected', deletionProtectionEnabled: false }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/protected' }));
  });

  it('filters groups by prefix or case-insensitive pattern and pages through them', async () => {
    for (let i = 0; i < 7; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `/page/Svc-${i}` }));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 3 }, { logGroupNamePrefix: '/page/' })) {
      pages++;
      names.push(...page.logGroups!.map((x) => x.logGroupName!));
    }
    assert.equal(pages, 3);
    assert.deepEqual(names, Array.from({ length: 7 }, (_, i) => `/page/Svc-${i}`));
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'svc-3' }));
    assert.deepEqual(pattern.logGroups!.map((x) => x.logGroupName), ['/page/Svc-3']);
    const both = await awsError(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/page', logGroupNamePattern: 'svc' })));
    assert.equal(both.name, 'InvalidParameterException');
    assert.equal((await awsError(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).name, 'InvalidParameterException');
  });

  it('creates, orders, pages and deletes log streams', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/streams' }));
    for (const s of ['b', 'a', 'c']) await logs.send(new CreateLogStreamCommand({ logGroupName: '/streams', logStreamName: `app/${s}` }));
    const dup = await awsError(logs.send(new CreateLogStreamCommand({ logGroupName: '/streams', logStreamName: 'app/a' })));
    assert.deepEqual([dup.name, dup.message], ['ResourceAlreadyExistsException', 'The specified log stream already exists']);
    const noGroup = await awsError(logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 'x' })));
    assert.deepEqual([noGroup.name, noGroup.message], ['ResourceNotFoundException', 'The specified log group does not exist.']);
    assert.equal((await awsError(logs.send(new CreateLogStreamCommand({ logGroupName: '/streams', logStreamName: 'a:b' })))).name, 'InvalidParameterException');

    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/streams', logStreamName: 'app/c', logEvents: [{ timestamp: now - 2000, message: 'c' }] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/streams', logStreamName: 'app/a', logEvents: [{ timestamp: now - 1000, message: 'a' }] }));
    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams' }));
    assert.deepEqual(byName.logStreams!.map((s) => s.logStreamName), ['app/a', 'app/b', 'app/c']);
    const a = byName.logStreams![0];
    assert.deepEqual([a.firstEventTimestamp, a.lastEventTimestamp, a.storedBytes], [now - 1000, now - 1000, 0]);
    assert.ok(a.lastIngestionTime! >= now - 1000);
    assert.equal(a.arn, `arn:aws:logs:us-east-1:${berth.creds.accountId}:log-group:/streams:log-stream:app/a`);
    assert.equal(byName.logStreams![1].lastEventTimestamp, undefined, 'no event times before the first event');

    const byTime = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', orderBy: 'LastEventTime', descending: true }));
    assert.deepEqual(byTime.logStreams!.map((s) => s.logStreamName), ['app/a', 'app/c', 'app/b']);
    const prefixed = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', logStreamNamePrefix: 'app/', descending: true, limit: 2 }));
    assert.deepEqual(prefixed.logStreams!.map((s) => s.logStreamName), ['app/c', 'app/b']);
    const rest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', logStreamNamePrefix: 'app/', descending: true, limit: 2, nextToken: prefixed.nextToken }));
    assert.deepEqual([rest.logStreams!.map((s) => s.logStreamName), rest.nextToken], [['app/a'], undefined]);
    const conflict = await awsError(logs.send(new DescribeLogStreamsCommand({ logGroupName: '/streams', orderBy: 'LastEventTime', logStreamNamePrefix: 'app' })));
    assert.equal(conflict.name, 'InvalidParameterException');

    await logs.send(new DeleteLogStreamCommand({ logGroupName: '/streams', logStreamName: 'app/a' }));
    const gone = await awsError(logs.send(new DeleteLogStreamCommand({ logGroupName: '/streams', logStreamName: 'app/a' })));
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', 'The specified log stream does not exist.']);
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/streams' }))).logGroups![0];
    assert.equal(group.storedBytes, 1, 'the deleted stream no longer counts');
  });

  it('puts events, rejects the ones CloudWatch Logs rejects, and ignores sequence tokens', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/put' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/put', logStreamName: 's' }));
    const now = Date.now();
    const r = await logs.send(new PutLogEventsCommand({
      logGroupName: '/put', logStreamName: 's', sequenceToken: 'whatever-it-is',
      logEvents: [{ timestamp: now - 15 * DAY, message: 'too old' }, { timestamp: now, message: 'kept' }, { timestamp: now + 3 * HOUR, message: 'too new' }],
    }));
    assert.deepEqual(r.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 2 });
    assert.match(r.nextSequenceToken!, /^\d+$/);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's' }));
    assert.deepEqual(got.events!.map((e) => e.message), ['kept']);
    assert.ok(got.events![0].ingestionTime! >= now - 1000);

    const order = await awsError(logs.send(new PutLogEventsCommand({
      logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now, message: '2' }, { timestamp: now - 1, message: '1' }],
    })));
    assert.deepEqual([order.name, order.message], ['InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.']);
    const tooBig = await awsError(logs.send(new PutLogEventsCommand({
      logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now, message: 'x'.repeat(600_000) }, { timestamp: now, message: 'y'.repeat(600_000) }],
    })));
    assert.match(tooBig.message, /^Upload too large: 1200052 bytes exceeds limit of 1048576$/);
    const noStream = await awsError(logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 'nope', logEvents: [{ timestamp: now, message: 'm' }] })));
    assert.deepEqual([noStream.name, noStream.message], ['ResourceNotFoundException', 'The specified log stream does not exist.']);
    const empty = await awsError(logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [] })));
    assert.equal(empty.name, 'InvalidParameterException');
  });

  it('pages GetLogEvents forward and backward with f/ and b/ tokens, as CloudWatch Logs does', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/paging' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/paging', logStreamName: 's' }));
    const t0 = Date.now() - HOUR;
    await logs.send(new PutLogEventsCommand({
      logGroupName: '/paging', logStreamName: 's', logEvents: Array.from({ length: 25 }, (_, i) => ({ timestamp: t0 + i * 1000, message: `e${i}` })),
    }));
    const get = (input: Partial<ConstructorParameters<typeof GetLogEventsCommand>[0]>) =>
      logs.send(new GetLogEventsCommand({ logGroupName: '/paging', logStreamName: 's', ...input }));

    // Forward from the head, page by page, until the same token comes back.
    const seen: string[] = [];
    let page = await get({ startFromHead: true, limit: 10 });
    let pages = 0;
    for (;;) {
      pages++;
      seen.push(...page.events!.map((e) => e.message!));
      assert.match(page.nextForwardToken!, /^f\/\d{56}\/s$/);
      const next = await get({ nextToken: page.nextForwardToken, limit: 10 });
      if (next.nextForwardToken === page.nextForwardToken) {
        assert.deepEqual(next.events, []);
        break;
      }
      page = next;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `e${i}`));

    // Without startFromHead: the newest page, then backward.
    const latest = await get({ limit: 10 });
    assert.deepEqual(latest.events!.map((e) => e.message), Array.from({ length: 10 }, (_, i) => `e${15 + i}`));
    const older = await get({ nextToken: latest.nextBackwardToken, limit: 10 });
    assert.deepEqual(older.events!.map((e) => e.message), Array.from({ length: 10 }, (_, i) => `e${5 + i}`));
    const oldest = await get({ nextToken: older.nextBackwardToken, limit: 10 });
    assert.deepEqual(oldest.events!.map((e) => e.message), ['e0', 'e1', 'e2', 'e3', 'e4']);
    const before = await get({ nextToken: oldest.nextBackwardToken, limit: 10 });
    assert.deepEqual([before.events, before.nextBackwardToken], [[], oldest.nextBackwardToken]);

    // A poller at the end picks up exactly the new events.
    await logs.send(new PutLogEventsCommand({ logGroupName: '/paging', logStreamName: 's', logEvents: [{ timestamp: t0 + 30_000, message: 'late' }] }));
    const polled = await get({ nextToken: latest.nextForwardToken });
    assert.deepEqual(polled.events!.map((e) => e.message), ['late']);

    // Time bounds: startTime inclusive, endTime exclusive.
    const window = await get({ startTime: t0 + 3000, endTime: t0 + 6000, startFromHead: true });
    assert.deepEqual(window.events!.map((e) => e.message), ['e3', 'e4', 'e5']);
    const badToken = await awsError(get({ nextToken: 'f/not-a-token' }));
    assert.equal(badToken.name, 'InvalidParameterException');
    const noStream = await awsError(logs.send(new GetLogEventsCommand({ logGroupName: '/paging', logStreamName: 'none' })));
    assert.equal(noStream.name, 'ResourceNotFoundException');
    const byArn = await logs.send(new GetLogEventsCommand({
      logGroupIdentifier: `arn:aws:logs:us-east-1:${berth.creds.accountId}:log-group:/paging`, logStreamName: 's', limit: 1, startFromHead: true,
    }));
    assert.deepEqual(byArn.events!.map((e) => e.message), ['e0']);
  });

  it('filters events across streams with filter patterns and pages with nextToken', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/filter' }));
    const t0 = Date.now() - HOUR;
    for (const [stream, offset] of [['web/1', 0], ['web/2', 500], ['worker', 250]] as const) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: '/filter', logStreamName: stream }));
      await logs.send(new PutLogEventsCommand({
        logGroupName: '/filter', logStreamName: stream,
        logEvents: Array.from({ length: 10 }, (_, i) => ({
          timestamp: t0 + i * 1000 + offset,
          message: i % 3 === 0 ? JSON.stringify({ level: 'ERROR', latency: i * 100, stream }) : `INFO ${stream} request ${i} ok`,
        })),
      }));
    }
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter' }));
    assert.equal(all.events!.length, 30);
    const times = all.events!.map((e) => e.timestamp!);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'interleaved in time order');
    assert.match(all.events![0].eventId!, /^\d{56}$/);

    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: '{ $.level = "ERROR" && $.latency > 300 }' }));
    assert.deepEqual(errors.events!.map((e) => `${e.logStreamName}:${JSON.parse(e.message!).latency}`), ['web/1:600', 'worker:600', 'web/2:600', 'web/1:900', 'worker:900', 'web/2:900']);
    const terms = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: 'INFO request -worker', logStreamNamePrefix: 'web/' }));
    assert.equal(terms.events!.length, 12);
    const named = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', logStreamNames: ['worker'], filterPattern: '"request 1 ok"' }));
    assert.deepEqual(named.events!.map((e) => e.message), ['INFO worker request 1 ok']);
    const window = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', startTime: t0 + 1000, endTime: t0 + 2000 }));
    assert.deepEqual(window.events!.map((e) => e.timestamp! - t0), [1000, 1250, 1500, 2000], 'both ends inclusive');

    const paged: string[] = [];
    let pages = 0;
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 7 }, { logGroupName: '/filter', filterPattern: '?ERROR ?worker' })) {
      pages++;
      paged.push(...page.events!.map((e) => e.eventId!));
    }
    assert.equal(paged.length, 12 + 6);
    assert.equal(new Set(paged).size, paged.length);
    assert.equal(pages, 3);

    const bad = await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: '{ $.level = ' })));
    assert.equal(bad.name, 'InvalidParameterException');
    const both = await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', logStreamNames: ['web/1'], logStreamNamePrefix: 'web' })));
    assert.equal(both.name, 'InvalidParameterException');
    assert.equal((await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: '/none' })))).name, 'ResourceNotFoundException');
  });

  it('sets and removes retention, accepting only the documented periods', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/retention' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/retention', retentionInDays: 1 }));
    const d = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/retention' }));
    assert.equal(d.logGroups![0].retentionInDays, 1);
    const bad = await awsError(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/retention', retentionInDays: 2 })));
    assert.equal(bad.name, 'InvalidParameterException');
    assert.match(bad.message, /Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653\]/);
    assert.equal((await awsError(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/none', retentionInDays: 1 })))).name, 'ResourceNotFoundException');

    await logs.send(new CreateLogStreamCommand({ logGroupName: '/retention', logStreamName: 's' }));
    const now = Date.now();
    const r = await logs.send(new PutLogEventsCommand({
      logGroupName: '/retention', logStreamName: 's', logEvents: [{ timestamp: now - 2 * DAY, message: 'expired' }, { timestamp: now, message: 'fresh' }],
    }));
    assert.deepEqual(r.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 });

    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/retention' }));
    const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/retention' }));
    assert.equal(after.logGroups![0].retentionInDays, undefined);
  });

  it('tags log groups by name and by ARN (with or without :*)', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/tags', tags: { a: '1' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: '/tags', tags: { b: '2' } }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/tags' }))).tags, { a: '1', b: '2' });
    await logs.send(new UntagLogGroupCommand({ logGroupName: '/tags', tags: ['a'] }));
    const arn = `arn:aws:logs:us-east-1:${berth.creds.accountId}:log-group:/tags`;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { c: '3' } }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: `${arn}:*` }))).tags, { b: '2', c: '3' });
    await logs.send(new UntagResourceCommand({ resourceArn: `${arn}:*`, tagKeys: ['b'] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { c: '3' });

    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await awsError(logs.send(new TagResourceCommand({ resourceArn: arn, tags: many })));
    assert.equal(tooMany.name, 'TooManyTagsException');
    const missing = await awsError(logs.send(new ListTagsForResourceCommand({ resourceArn: `${arn}-none` })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal((await awsError(logs.send(new ListTagsLogGroupCommand({ logGroupName: '/none' })))).name, 'ResourceNotFoundException');
  });

  it('answers NotImplementedException for the rest of the Logs API', async () => {
    const e = await awsError(logs.send(new DescribeMetricFiltersCommand({})));
    assert.deepEqual([e.name, e.status], ['NotImplementedException', 501]);
  });

  it('keeps accounts and regions apart', async () => {
    const out = (await signedJsonCall(berth.endpoint, berth.region, 'berth', 'BerthAdmin.CreateAccount', {}, berth.creds)) as {
      AccountId: string; AccessKeyId: string; SecretAccessKey: string;
    };
    const other = client({ accessKeyId: out.AccessKeyId, secretAccessKey: out.SecretAccessKey });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/shared' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/shared', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/shared', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'for A' }] }));

    assert.deepEqual((await other.send(new DescribeLogGroupsCommand({}))).logGroups, []);
    assert.equal((await awsError(other.send(new GetLogEventsCommand({ logGroupName: '/shared', logStreamName: 's' })))).name, 'ResourceNotFoundException');
    await other.send(new CreateLogGroupCommand({ logGroupName: '/shared' }));
    await other.send(new CreateLogStreamCommand({ logGroupName: '/shared', logStreamName: 's' }));
    assert.deepEqual((await other.send(new GetLogEventsCommand({ logGroupName: '/shared', logStreamName: 's' }))).events, []);
    const arnOfA = `arn:aws:logs:us-east-1:${berth.creds.accountId}:log-group:/shared`;
    assert.equal((await awsError(other.send(new ListTagsForResourceCommand({ resourceArn: arnOfA })))).name, 'ResourceNotFoundException');
    assert.equal((await awsError(other.send(new FilterLogEventsCommand({ logGroupIdentifier: arnOfA })))).name, 'ResourceNotFoundException');
    const west = client(berth.creds, 'us-west-2');
    assert.deepEqual((await west.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/shared' }))).logGroups, []);
  });
});
