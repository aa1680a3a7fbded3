import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBerth, type BerthProcess } from '../support/berth.js';

/**
 * The everyday `aws logs` commands (botocore's own serialisation, pagination and output), against
 * a real server. `aws logs tail` is CLI v2 only and not covered here.
 */
describe('CloudWatch Logs through the aws CLI', () => {
  let berth: BerthProcess;
  const t0 = Date.now() - 600_000;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  const ok = (args: string[]): any => berth.awsJson(args);

  /** put-log-events takes its events from a file, as users pass JSON to the CLI. */
  function put(group: string, stream: string, events: { timestamp: number; message: string }[]): any {
    const file = join(berth.dataDir, `events-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(events));
    return ok(['logs', 'put-log-events', '--log-group-name', group, '--log-stream-name', stream, '--log-events', `file://${file}`]);
  }

  it('creates groups and streams, puts events and reads them with get-log-events', () => {
    ok(['logs', 'create-log-group', '--log-group-name', '/cli/app']);
    for (const s of ['web/1', 'web/2', 'worker/1']) ok(['logs', 'create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', s]);
    const r = put('/cli/app', 'web/1', [
      { timestamp: t0, message: 'GET / 200' },
      { timestamp: t0 + 1000, message: '{"level":"ERROR","status":500,"path":"/pay"}' },
      { timestamp: t0 + 2000, message: 'GET /health 200' },
    ]);
    assert.match(r.nextSequenceToken, /^\d+$/);
    put('/cli/app', 'worker/1', [{ timestamp: t0 + 5000, message: 'job done' }]);
    put('/cli/app', 'web/2', [{ timestamp: t0 + 3000, message: 'POST /login 302' }]);

    const got = ok(['logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web/1', '--start-from-head']);
    assert.deepEqual(got.events.map((e: { message: string }) => e.message), ['GET / 200', '{"level":"ERROR","status":500,"path":"/pay"}', 'GET /health 200']);
    assert.match(got.nextForwardToken, /^f\//);
    const limited = ok(['logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web/1', '--limit', '1']);
    assert.deepEqual(limited.events.map((e: { message: string }) => e.message), ['GET /health 200']);
    const back = ok(['logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web/1', '--limit', '1', '--next-token', limited.nextBackwardToken]);
    assert.deepEqual(back.events.map((e: { message: string }) => e.message), ['{"level":"ERROR","status":500,"path":"/pay"}']);
  });

  it('filters with --filter-pattern (terms, JSON) and follows nextToken', () => {
    const terms = ok(['logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', 'GET 200 -health']);
    assert.deepEqual(terms.events.map((e: { message: string }) => e.message), ['GET / 200']);
    const json = ok(['logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.status >= 500 }']);
    assert.deepEqual(json.events.map((e: { logStreamName: string }) => e.logStreamName), ['web/1']);
    const prefixed = ok(['logs', 'filter-log-events', '--log-group-name', '/cli/app', '--log-stream-name-prefix', 'web/']);
    assert.equal(prefixed.events.length, 4);
    // --page-size makes the CLI fetch pages of 2 and follow nextToken through all of them.
    const paged = ok(['logs', 'filter-log-events', '--log-group-name', '/cli/app', '--page-size', '2']);
    assert.deepEqual(paged.events.map((e: { timestamp: number }) => e.timestamp - t0), [0, 1000, 2000, 3000, 5000]);
    const bad = berth.aws(['logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.status >= }']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /InvalidParameterException/);
  });

  it('lists streams by last event time, newest first', () => {
    const d = ok(['logs', 'describe-log-streams', '--log-group-name', '/cli/app', '--order-by', 'LastEventTime', '--descending']);
    assert.deepEqual(d.logStreams.map((s: { logStreamName: string }) => s.logStreamName), ['worker/1', 'web/2', 'web/1']);
    assert.equal(d.logStreams[0].lastEventTimestamp, t0 + 5000);
    const conflict = berth.aws(['logs', 'describe-log-streams', '--log-group-name', '/cli/app', '--order-by', 'LastEventTime', '--log-stream-name-prefix', 'web']);
    assert.match(conflict.stderr, /InvalidParameterException/);
  });

  it('pages describe-log-groups, sets retention and tags', () => {
    for (let i = 0; i < 5; i++) ok(['logs', 'create-log-group', '--log-group-name', `/cli/many/${i}`]);
    const all = ok(['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/many/', '--page-size', '2']);
    assert.equal(all.logGroups.length, 5);
    ok(['logs', 'put-retention-policy', '--log-group-name', '/cli/many/0', '--retention-in-days', '14']);
    assert.equal(ok(['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/many/0']).logGroups[0].retentionInDays, 14);
    const bad = berth.aws(['logs', 'put-retention-policy', '--log-group-name', '/cli/many/0', '--retention-in-days', '10']);
    assert.match(bad.stderr, /InvalidParameterException/);
    ok(['logs', 'tag-log-group', '--log-group-name', '/cli/many/0', '--tags', 'team=core,env=dev']);
    assert.deepEqual(ok(['logs', 'list-tags-log-group', '--log-group-name', '/cli/many/0']).tags, { team: 'core', env: 'dev' });
    const missing = berth.aws(['logs', 'delete-log-group', '--log-group-name', '/cli/none']);
    assert.match(missing.stderr, /ResourceNotFoundException.*The specified log group does not exist/);
  });

  it('runs a Logs Insights query with start-query and get-query-results', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = ok(['logs', 'start-query', '--log-group-name', '/cli/app', '--start-time', String(now - 3600), '--end-time', String(now),
      '--query-string', 'fields @timestamp, @message | filter @message like /GET/ | sort @timestamp asc']);
    let r: any;
    for (let i = 0; i < 50; i++) {
      r = ok(['logs', 'get-query-results', '--query-id', queryId]);
      if (r.status === 'Complete') break;
      await new Promise((done) => setTimeout(done, 50));
    }
    assert.equal(r.status, 'Complete');
    const messages = r.results.map((row: { field: string; value: string }[]) => row.find((f) => f.field === '@message')!.value);
    assert.deepEqual(messages, ['GET / 200', 'GET /health 200']);
    assert.equal(r.statistics.recordsMatched, 2);
  });
});
