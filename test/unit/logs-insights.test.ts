import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryRun, type ResultField } from '../../src/logs/insights/engine.js';
import type { LogRecord } from '../../src/logs/insights/eval.js';
import { parseQuery } from '../../src/logs/insights/parse.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const records: LogRecord[] = [
  { message: '{"level":"INFO","path":"/","latency":20,"user":{"id":"u1"}}', logStream: 'web/1', timestamp: T0 },
  { message: '{"level":"ERROR","path":"/pay","latency":300,"user":{"id":"u2"}}', logStream: 'web/1', timestamp: T0 + 60_000 },
  { message: '{"level":"ERROR","path":"/pay","latency":100,"user":{"id":"u1"}}', logStream: 'web/2', timestamp: T0 + 120_000 },
  { message: '{"level":"WARN","path":"/","latency":50}', logStream: 'web/2', timestamp: T0 + 180_000 },
  { message: 'GET /health 200 3ms user=alice', logStream: 'proxy', timestamp: T0 + 240_000 },
  { message: 'GET /pay 500 250ms user=bob', logStream: 'proxy', timestamp: T0 + 300_000 },
].map((r, i) => ({ ...r, ingestionTime: r.timestamp + 5, log: '123456789012:/app', ptr: `p${i}` }));

function run(query: string, limit?: number): { rows: Record<string, string>[]; raw: ResultField[][]; run: QueryRun } {
  const q = new QueryRun(parseQuery(query), limit);
  for (const r of records) q.feed(r);
  const raw = q.results();
  return { rows: raw.map((row) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value]))), raw, run: q };
}

describe('Logs Insights queries', () => {
  it('returns @timestamp, @message, @logStream and @log, newest first, with @ptr, when no fields are named', () => {
    const { rows, raw } = run('filter @logStream = "proxy"');
    assert.deepEqual(rows.map((r) => r['@message']), ['GET /pay 500 250ms user=bob', 'GET /health 200 3ms user=alice']);
    assert.equal(rows[0]['@timestamp'], '2026-01-15 12:05:00.000');
    assert.equal(rows[0]['@log'], '123456789012:/app');
    assert.deepEqual(raw[0].map((f) => f.field), ['@timestamp', '@message', '@logStream', '@log', '@ptr']);
  });

  it('shows the named fields, including discovered JSON fields and nested ones', () => {
    const { rows } = run('fields @timestamp, level, user.id | filter level = "ERROR" | sort @timestamp asc');
    assert.deepEqual(rows, [
      { '@timestamp': '2026-01-15 12:01:00.000', level: 'ERROR', 'user.id': 'u2' },
      { '@timestamp': '2026-01-15 12:02:00.000', level: 'ERROR', 'user.id': 'u1' },
    ]);
  });

  it('filters with comparisons, and/or/not, like strings and regexes, =~ and in', () => {
    const count = (q: string): number => run(q).rows.length;
    assert.equal(count('filter latency > 50'), 2);
    assert.equal(count('filter latency >= 50 and level != "ERROR"'), 1);
    assert.equal(count('filter level = "WARN" or latency < 30'), 2);
    assert.equal(count('filter not ispresent(level)'), 2);
    assert.equal(count('filter @message like "user="'), 2);
    assert.equal(count('filter @message like /\\d{3}ms/'), 1);
    assert.equal(count('filter @message not like /ERROR/'), 4);
    assert.equal(count('filter @message =~ /(?i)get \\/PAY/'), 1);
    assert.equal(count('filter level in ["WARN", "INFO"]'), 2);
    assert.equal(count('filter path = "/pay" | filter latency < 200'), 1);
  });

  it('counts and aggregates by field with stats', () => {
    const { rows } = run('stats count(*) as n, avg(latency) as avgLatency, max(latency), min(latency), sum(latency) by level | sort n desc, level asc');
    assert.deepEqual(rows[0], { level: 'ERROR', n: '2', avgLatency: '200', 'max(latency)': '300', 'min(latency)': '100', 'sum(latency)': '400' });
    assert.deepEqual(rows.slice(1).map((r) => [r.level, r.n]), [[undefined, '2'], ['INFO', '1'], ['WARN', '1']]);
    assert.deepEqual(run('filter ispresent(level) | stats count() by path | sort path').rows, [{ path: '/', 'count()': '2' }, { path: '/pay', 'count()': '2' }]);
    assert.deepEqual(run('stats count(*)').rows, [{ 'count(*)': '6' }]);
    assert.deepEqual(run('stats count(level), count_distinct(path)').rows, [{ 'count(level)': '4', 'count_distinct(path)': '2' }]);
  });

  it('bins by time and formats time-valued columns as timestamps', () => {
    const { rows } = run('stats count(*) as n by bin(2m) as t | sort t asc');
    assert.deepEqual(rows, [
      { t: '2026-01-15 12:00:00.000', n: '2' },
      { t: '2026-01-15 12:02:00.000', n: '2' },
      { t: '2026-01-15 12:04:00.000', n: '2' },
    ]);
    assert.deepEqual(run('stats latest(level) as last, earliest(level) as first, max(@timestamp) as newest').rows, [
      { last: 'WARN', first: 'INFO', newest: '2026-01-15 12:05:00.000' },
    ]);
  });

  it('parses fields out of messages with a glob or a regex with named groups', () => {
    const glob = run('filter @logStream = "proxy" | parse @message "GET * * *ms user=*" as path, status, ms, who | fields path, status, ms, who | sort ms desc');
    assert.deepEqual(glob.rows, [{ path: '/pay', status: '500', ms: '250', who: 'bob' }, { path: '/health', status: '200', ms: '3', who: 'alice' }]);
    const re = run('parse @message /user=(?<who>\\w+)/ | filter ispresent(who) | stats count(*) by who | sort who');
    assert.deepEqual(re.rows, [{ who: 'alice', 'count(*)': '1' }, { who: 'bob', 'count(*)': '1' }]);
    const computed = run('parse @message "GET * * *ms" as p, st, ms | filter ms > 100 | fields p, ms * 2 as doubled');
    assert.deepEqual(computed.rows, [{ p: '/pay', doubled: '500' }]);
  });

  it('sorts, limits (also through the StartQuery limit) and dedups', () => {
    assert.deepEqual(run('fields latency | filter ispresent(latency) | sort latency desc | limit 2').rows, [{ latency: '300' }, { latency: '100' }]);
    assert.equal(run('fields @message', 3).rows.length, 3);
    assert.deepEqual(run('fields path | filter ispresent(path) | dedup path | sort path').rows, [{ path: '/' }, { path: '/pay' }]);
    assert.deepEqual(run('fields @message | limit 1').rows.map((r) => r['@message']), ['GET /pay 500 250ms user=bob'], 'newest first without a sort');
  });

  it('counts what it scanned and matched', () => {
    const { run: q } = run('filter level = "ERROR"');
    assert.deepEqual(q.stats, { recordsScanned: 6, recordsMatched: 2, bytesScanned: records.reduce((n, r) => n + Buffer.byteLength(r.message), 0) });
  });

  for (const bad of ['', 'fieldz @message', 'fields', 'filter (a = 1', 'stats avg(x) by', 'stats level', 'sort', 'limit x', 'parse @message "* *" as a', 'filter x like', 'fields a | | fields b', 'stats nosuch(x)', 'filter @message like /(/']) {
    it(`rejects ${JSON.stringify(bad)} as a MalformedQueryException`, () => {
      assert.throws(() => parseQuery(bad), (e: { code?: string }) => e.code === 'MalformedQueryException');
    });
  }
});
