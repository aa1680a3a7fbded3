import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetQueryResultsCommand, PutLogEventsCommand,
  StartQueryCommand, StopQueryCommand, type GetQueryResultsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

describe('Logs Insights through @aws-sdk/client-cloudwatch-logs', () => {
  let berth: BerthProcess;
  let logs: CloudWatchLogsClient;
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  before(async () => {
    berth = await startBerth();
    logs = new CloudWatchLogsClient({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });
    for (const group of ['/ins/api', '/ins/worker']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'main' }));
    }
    await logs.send(new PutLogEventsCommand({
      logGroupName: '/ins/api', logStreamName: 'main',
      logEvents: Array.from({ length: 30 }, (_, i) => ({
        timestamp: t0 + i * 1000,
        message: JSON.stringify({ level: i % 5 === 0 ? 'ERROR' : 'INFO', status: i % 5 === 0 ? 500 : 200, latency: i * 10, path: `/p${i % 3}` }),
      })),
    }));
    await logs.send(new PutLogEventsCommand({
      logGroupName: '/ins/worker', logStreamName: 'main',
      logEvents: Array.from({ length: 10 }, (_, i) => ({ timestamp: t0 + i * 1000, message: `job ${i} took ${i * 7}ms queue=q${i % 2}` })),
    }));
  });
  after(async () => { await berth.stop(); });

  const range = (): { startTime: number; endTime: number } => ({ startTime: Math.floor(t0 / 1000) - 60, endTime: Math.floor(Date.now() / 1000) + 60 });

  /** Polls GetQueryResults as clients do, until the query leaves Scheduled/Running. */
  async function query(queryString: string, groups: string[] = ['/ins/api'], limit?: number): Promise<GetQueryResultsResponse & { rows: Record<string, string>[] }> {
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupNames: groups, queryString, limit, ...range() }));
    assert.match(queryId!, /^[0-9a-f-]{36}$/);
    for (;;) {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      assert.ok(['Scheduled', 'Running', 'Complete'].includes(r.status!), r.status);
      if (r.status === 'Complete') {
        const rows = r.results!.map((row) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field!, f.value!])));
        return { ...r, rows };
      }
      await new Promise((ok) => setTimeout(ok, 20));
    }
  }

  it('runs fields | filter | sort | limit and reports statistics', async () => {
    const r = await query('fields @timestamp, status, latency | filter level = "ERROR" | sort latency desc | limit 3');
    assert.deepEqual(r.rows.map((x) => [x.status, x.latency]), [['500', '250'], ['500', '200'], ['500', '150']]);
    assert.equal(r.rows[0]['@timestamp'], new Date(t0 + 25_000).toISOString().replace('T', ' ').replace('Z', ''));
    assert.ok(r.results![0].some((f) => f.field === '@ptr'));
    assert.deepEqual(r.statistics && [r.statistics.recordsScanned, r.statistics.recordsMatched], [30, 6]);
    assert.ok(r.statistics!.bytesScanned! > 0);
  });

  it('counts with stats … by, across log groups, with @log and @logStream', async () => {
    const byPath = await query('stats count(*) as n, avg(latency) as avgLatency by path | sort path');
    assert.deepEqual(byPath.rows, [{ path: '/p0', n: '10', avgLatency: '135' }, { path: '/p1', n: '10', avgLatency: '145' }, { path: '/p2', n: '10', avgLatency: '155' }]);
    const byLog = await query('stats count() as n by @log, @logStream | sort n desc', ['/ins/api', '/ins/worker']);
    assert.deepEqual(byLog.rows, [
      { '@log': `${berth.creds.accountId}:/ins/api`, '@logStream': 'main', n: '30' },
      { '@log': `${berth.creds.accountId}:/ins/worker`, '@logStream': 'main', n: '10' },
    ]);
  });

  it('parses unstructured messages', async () => {
    const r = await query('parse @message "job * took *ms queue=*" as job, ms, queue | filter ms >= 35 | stats max(ms) as slowest, count(*) as n by queue | sort queue', ['/ins/worker']);
    assert.deepEqual(r.rows, [{ queue: 'q0', slowest: '56', n: '2' }, { queue: 'q1', slowest: '63', n: '3' }]);
  });

  it('honours the StartQuery limit and the time range (epoch seconds, inclusive)', async () => {
    assert.equal((await query('fields @message', ['/ins/api'], 4)).rows.length, 4);
    const { queryId } = await logs.send(new StartQueryCommand({
      logGroupName: '/ins/api', queryString: 'stats count(*) as n', startTime: t0 / 1000 + 10, endTime: t0 / 1000 + 19,
    }));
    let r: GetQueryResultsResponse;
    do r = await logs.send(new GetQueryResultsCommand({ queryId })); while (r.status !== 'Complete');
    assert.deepEqual(r.results, [[{ field: 'n', value: '10' }]]);
  });

  it('rejects malformed queries, unknown groups and unknown query ids', async () => {
    const bad = await awsError(logs.send(new StartQueryCommand({ logGroupName: '/ins/api', queryString: 'fields @message | frobnicate', ...range() })));
    assert.equal(bad.name, 'MalformedQueryException');
    const missing = await awsError(logs.send(new StartQueryCommand({ logGroupName: '/ins/none', queryString: 'fields @message', ...range() })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const none = await awsError(logs.send(new StartQueryCommand({ queryString: 'fields @message', ...range() })));
    assert.equal(none.name, 'InvalidParameterException');
    const unknown = await awsError(logs.send(new GetQueryResultsCommand({ queryId: '00000000-0000-0000-0000-000000000000' })));
    assert.equal(unknown.name, 'ResourceNotFoundException');
  });

  it('stops a query: success while it runs, false once it has finished', async () => {
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/ins/api', queryString: 'fields @message', ...range() }));
    const first = await logs.send(new StopQueryCommand({ queryId }));
    const status = (await logs.send(new GetQueryResultsCommand({ queryId }))).status;
    if (first.success) assert.equal(status, 'Cancelled');
    else assert.equal(status, 'Complete');
    assert.equal((await logs.send(new StopQueryCommand({ queryId }))).success, false);
  });
});
