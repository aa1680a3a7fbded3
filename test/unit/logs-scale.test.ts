import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/edge/surface.js';
import { openLogsRoom } from '../../src/logs/room.js';
import { MemoryStore } from '../../src/store/memory.js';

/**
 * A million events through the shipper's API into the SQLite event store, then the reads a user
 * makes (GetLogEvents first and last page, FilterLogEvents for a rare term) through the room's
 * operations. Memory must stay bounded: events live on disk, not in the process.
 */
const TOTAL = 1_000_000;
/** Events per PutLogEvents-sized batch (about 0.95 MB with the 26-byte overhead each). */
const BATCH = 8_000;
const STREAMS = 4;
const RARE = 'needle-7f3a';

describe('the Logs room at a million events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-logs-scale-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores 1,000,000 events with bounded memory and pages and filters them quickly', (t) => {
    const now = Date.now();
    const room = openLogsRoom({ store: new MemoryStore(), dataDir: dir, durable: true, clock: () => new Date(now) });
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const ctx: RequestContext = {
      principal: { accountId: scope.accountId, arn: `arn:aws:iam::${scope.accountId}:root`, userId: scope.accountId, accessKeyId: 'AKIA', isRoot: true },
      region: scope.region, requestId: 'r', now: new Date(now),
    };
    const op = (name: string, input: Record<string, unknown>): any => room.surface.operations[name]!(input, ctx);
    try {
      global.gc?.();
      const rss0 = process.memoryUsage().rss;
      room.service.ensureGroup(scope, '/scale/app');
      for (let s = 0; s < STREAMS; s++) room.service.ensureStream(scope, '/scale/app', `app/${s}`);
      const start = now - 12 * 3_600_000;
      const t0 = performance.now();
      let peak = rss0;
      for (let b = 0; b < TOTAL / BATCH; b++) {
        const events = new Array(BATCH);
        for (let i = 0; i < BATCH; i++) {
          const n = b * BATCH + i;
          const rare = n % 200_001 === 100_000 ? ` ${RARE}` : '';
          events[i] = { timestamp: start + n * 40, message: `2026-01-15T12:00:00Z INFO request ${n} served path=/api/items/${n % 977} status=200 latency=${n % 313}ms${rare}` };
        }
        const r = room.service.putEvents(scope, '/scale/app', `app/${b % STREAMS}`, events);
        assert.equal(r.rejectedLogEventsInfo, undefined);
        if (b % 10 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      const putMs = performance.now() - t0;

      const t1 = performance.now();
      const head = op('GetLogEvents', { logGroupName: '/scale/app', logStreamName: 'app/1', startFromHead: true, limit: 100 });
      const headMs = performance.now() - t1;
      assert.equal(head.events.length, 100);
      assert.match(head.events[0].message, new RegExp(`request ${BATCH} served`));
      const t2 = performance.now();
      const lastStream = `app/${(TOTAL / BATCH - 1) % STREAMS}`;
      const tail = op('GetLogEvents', { logGroupName: '/scale/app', logStreamName: lastStream });
      const tailMs = performance.now() - t2;
      assert.ok(tail.events.length > 0 && tail.events.length <= 10_000);
      assert.match(tail.events[tail.events.length - 1].message, /request 999999 served/);
      const next = op('GetLogEvents', { logGroupName: '/scale/app', logStreamName: lastStream, nextToken: tail.nextForwardToken });
      assert.deepEqual([next.events.length, next.nextForwardToken], [0, tail.nextForwardToken], 'at the end the same token comes back');

      const t3 = performance.now();
      let found: string[] = [];
      let token: string | undefined;
      let calls = 0;
      do {
        const page = op('FilterLogEvents', { logGroupName: '/scale/app', filterPattern: RARE, nextToken: token });
        found = found.concat(page.events.map((e: { message: string }) => e.message));
        token = page.nextToken;
        calls++;
      } while (token);
      const filterMs = performance.now() - t3;
      assert.equal(found.length, 5);
      assert.ok(found.every((m) => m.endsWith(RARE)));

      // A pattern that gives the store no substring to pre-filter on: every event goes through the
      // matcher, in time-bounded calls that hand back a nextToken.
      const t4 = performance.now();
      let orFound = 0;
      let orCalls = 0;
      token = undefined;
      do {
        const page = op('FilterLogEvents', { logGroupName: '/scale/app', filterPattern: `?${RARE} ?never-there`, nextToken: token });
        orFound += page.events.length;
        token = page.nextToken;
        orCalls++;
      } while (token);
      const orMs = performance.now() - t4;
      assert.equal(orFound, 5);

      peak = Math.max(peak, process.memoryUsage().rss);
      const growthMb = (peak - rss0) / 1_048_576;
      t.diagnostic(`put ${TOTAL} events in ${(putMs / 1000).toFixed(1)} s (${Math.round(TOTAL / (putMs / 1000))} events/s)`);
      t.diagnostic(`GetLogEvents head page ${headMs.toFixed(1)} ms, tail page (${tail.events.length} events) ${tailMs.toFixed(1)} ms`);
      t.diagnostic(`FilterLogEvents rare term over ${TOTAL} events: ${filterMs.toFixed(0)} ms in ${calls} call(s)`);
      t.diagnostic(`FilterLogEvents ?term ?term (no pre-filter) over ${TOTAL} events: ${orMs.toFixed(0)} ms in ${orCalls} call(s)`);
      t.diagnostic(`RSS growth peak ${growthMb.toFixed(0)} MB`);
      assert.ok(growthMb < 200, `RSS grew by ${growthMb.toFixed(0)} MB`);
    } finally {
      room.close();
    }
  });
});
