import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand,
  DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, ListTagsLogGroupCommand, PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { BerthProcess } from '../support/berth.js';

describe('CloudWatch Logs across restarts', () => {
  const berths: BerthProcess[] = [];
  after(async () => { for (const b of berths) await b.stop(); });
  const client = (b: BerthProcess): CloudWatchLogsClient =>
    new CloudWatchLogsClient({ endpoint: b.endpoint, region: b.region, credentials: b.creds, maxAttempts: 1 });

  it('keeps every acknowledged group, stream, event, tag and policy through a SIGKILL', async () => {
    const berth = await new BerthProcess().start();
    berths.push(berth);
    let logs = client(berth);
    const t0 = Date.now() - 60_000;
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/durable', tags: { env: 'test' } }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/durable', retentionInDays: 30 }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/deleted' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/deleted', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/deleted', logStreamName: 's', logEvents: [{ timestamp: t0, message: 'old life' }] }));
    for (const s of ['a', 'b']) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: '/durable', logStreamName: s }));
      for (let batch = 0; batch < 5; batch++) {
        await logs.send(new PutLogEventsCommand({
          logGroupName: '/durable', logStreamName: s,
          logEvents: Array.from({ length: 100 }, (_, i) => ({ timestamp: t0 + batch * 100 + i, message: `${s} ${batch * 100 + i}` })),
        }));
      }
    }
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/deleted' }));
    const before = await logs.send(new GetLogEventsCommand({ logGroupName: '/durable', logStreamName: 'a', limit: 10 }));

    await berth.kill('SIGKILL');
    await berth.start();
    logs = client(berth);

    const groups = await logs.send(new DescribeLogGroupsCommand({}));
    assert.deepEqual(groups.logGroups!.map((g) => [g.logGroupName, g.retentionInDays]), [['/durable', 30]]);
    assert.ok(groups.logGroups![0].storedBytes! > 0);
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/durable' }))).tags, { env: 'test' });
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/durable' }));
    assert.deepEqual(streams.logStreams!.map((s) => [s.logStreamName, s.lastEventTimestamp]), [['a', t0 + 499], ['b', t0 + 499]]);
    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: '/durable' }));
    assert.equal(all.events!.length, 1000);
    // A token handed out before the restart still pages from where it was.
    const older = await logs.send(new GetLogEventsCommand({ logGroupName: '/durable', logStreamName: 'a', limit: 10, nextToken: before.nextBackwardToken }));
    assert.deepEqual(older.events!.map((e) => e.message), Array.from({ length: 10 }, (_, i) => `a ${480 + i}`));
    // The deleted group stays deleted; its name is free, and its events do not come back.
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/deleted' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/deleted', logStreamName: 's' }));
    assert.deepEqual((await logs.send(new GetLogEventsCommand({ logGroupName: '/deleted', logStreamName: 's' }))).events, []);
  });

  it('works with BERTH_STORE=memory, keeping events in memory', async () => {
    const berth = await new BerthProcess(undefined, { BERTH_STORE: 'memory' }).start();
    berths.push(berth);
    const logs = client(berth);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/mem' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/mem', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/mem', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'in memory' }] }));
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/mem', logStreamName: 's' }));
    assert.deepEqual(got.events!.map((e) => e.message), ['in memory']);
    await berth.kill('SIGKILL');
    await berth.start();
    assert.deepEqual((await client(berth).send(new DescribeLogGroupsCommand({}))).logGroups, [], 'nothing survives without a durable store');
  });
});
