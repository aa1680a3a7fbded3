import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryEventStore } from '../../src/logs/events/memory.js';
import { checkBatch } from '../../src/logs/ingest.js';
import { startRetentionSweeper } from '../../src/logs/retention.js';
import { LogsService } from '../../src/logs/service.js';
import { LogsState } from '../../src/logs/state.js';
import { MemoryStore } from '../../src/store/memory.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 0, 15, 12);
const scope = { accountId: '123456789012', region: 'us-east-1' };
const ev = (timestamp: number, message = 'm'): { timestamp: number; message: string } => ({ timestamp, message });

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
  return 'ok';
};

/** A service over in-memory adapters with a clock the test moves. */
function service(): { logs: LogsService; clock: { now: number } } {
  const clock = { now: NOW };
  return { logs: new LogsService(new LogsState(new MemoryStore()), new MemoryEventStore(), () => new Date(clock.now)), clock };
}

describe('PutLogEvents batch rules', () => {
  it('accepts a chronological batch whole', () => {
    assert.deepEqual(checkBatch([ev(NOW - 1), ev(NOW), ev(NOW)], NOW, undefined), { accepted: [ev(NOW - 1), ev(NOW), ev(NOW)] });
  });

  it('rejects the whole batch for the faults CloudWatch Logs fails the request for', () => {
    assert.match(code(() => checkBatch([ev(NOW), ev(NOW - 1)], NOW, undefined)), /^InvalidParameterException: Log events in a single PutLogEvents request must be in chronological order\.$/);
    assert.match(code(() => checkBatch([ev(NOW - 23 * HOUR), ev(NOW + HOUR + 1)], NOW, undefined)), /cannot span more than 24 hours/);
    const big = 'x'.repeat(1_048_576 - 26);
    assert.equal(code(() => checkBatch([ev(NOW, big)], NOW, undefined)), 'ok', 'one event of exactly 1 MB with its overhead fits');
    assert.match(code(() => checkBatch([ev(NOW, `${big}y`)], NOW, undefined)), /^InvalidParameterException: Log event too large: 1048577 bytes exceeds limit of 1048576$/);
    const half = 'x'.repeat(524_288);
    assert.match(code(() => checkBatch([ev(NOW, half), ev(NOW, half)], NOW, undefined)), /^InvalidParameterException: Upload too large: 1048628 bytes exceeds limit of 1048576$/);
    assert.match(code(() => checkBatch(Array.from({ length: 10_001 }, () => ev(NOW)), NOW, undefined)), /^InvalidParameterException/);
  });

  it('drops too old, expired and too new events, keeps the rest, and says which by index', () => {
    const plain = [ev(NOW - 15 * DAY), ev(NOW - 14 * DAY - 1), ev(NOW - HOUR), ev(NOW), ev(NOW + 2 * HOUR), ev(NOW + 2 * HOUR + 1), ev(NOW + 3 * HOUR)];
    assert.deepEqual(checkBatch(plain, NOW, undefined), {
      accepted: [ev(NOW - HOUR), ev(NOW), ev(NOW + 2 * HOUR)],
      rejected: { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 5 },
    });
    // With one day of retention, an event two days old has expired too.
    const retained = [ev(NOW - 15 * DAY), ev(NOW - 14 * DAY - 1), ev(NOW - 2 * DAY), ev(NOW - HOUR), ev(NOW), ev(NOW + 2 * HOUR + 1)];
    assert.deepEqual(checkBatch(retained, NOW, 1), {
      accepted: [ev(NOW - HOUR), ev(NOW)],
      rejected: { tooOldLogEventEndIndex: 2, expiredLogEventEndIndex: 3, tooNewLogEventStartIndex: 5 },
    });
    // Span is judged on the valid events only.
    assert.equal(checkBatch([ev(NOW - 20 * DAY), ev(NOW)], NOW, undefined).accepted.length, 1);
    assert.deepEqual(checkBatch([ev(NOW - 20 * DAY)], NOW, undefined), { accepted: [], rejected: { tooOldLogEventEndIndex: 1 } });
  });
});

describe('the Logs service (internal API for the log shipper)', () => {
  it('ensures groups and streams idempotently and puts events with the PutLogEvents rules', () => {
    const { logs } = service();
    assert.equal(logs.groupExists(scope, '/ecs/web'), false);
    logs.ensureGroup(scope, '/ecs/web');
    logs.ensureGroup(scope, '/ecs/web');
    assert.equal(logs.groupExists(scope, '/ecs/web'), true);
    assert.equal(logs.groupExists({ ...scope, accountId: '210987654321' }, '/ecs/web'), false, 'accounts are apart');
    assert.match(code(() => logs.ensureStream(scope, '/ecs/none', 's')), /^ResourceNotFoundException: The specified log group does not exist\.$/);
    logs.ensureStream(scope, '/ecs/web', 'web/app/1');
    logs.ensureStream(scope, '/ecs/web', 'web/app/1');
    assert.match(code(() => logs.putEvents(scope, '/ecs/web', 'nope', [ev(NOW)])), /^ResourceNotFoundException: The specified log stream does not exist\.$/);
    const r = logs.putEvents(scope, '/ecs/web', 'web/app/1', [ev(NOW - 15 * DAY, 'old'), ev(NOW, 'a'), ev(NOW + 1, 'b')]);
    assert.deepEqual(r.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    assert.match(r.nextSequenceToken, /^\d{56}$/);
    assert.match(code(() => logs.putEvents(scope, '/ecs/web', 'web/app/1', [ev(NOW + 1), ev(NOW)])), /chronological order/);
    const s = logs.state.stream(scope, '/ecs/web', 'web/app/1')!;
    assert.deepEqual(logs.events.readStream({ gid: s.gid, sid: s.sid, direction: 'forward', limit: 10 }).map((e) => e.message), ['a', 'b']);
    assert.match(code(() => logs.ensureGroup(scope, 'bad name')), /^InvalidParameterException: 1 validation error detected: Value 'bad name' at 'logGroupName'/);
    assert.match(code(() => logs.ensureStream(scope, '/ecs/web', 'a:b')), /regular expression pattern: \[\^:\*\]\*/);
  });

  it('never lets a re-created group or stream see the events of the one deleted before', () => {
    const { logs } = service();
    logs.ensureGroup(scope, 'g');
    logs.ensureStream(scope, 'g', 's');
    logs.putEvents(scope, 'g', 's', [ev(NOW, 'first life')]);
    logs.deleteGroup(scope, 'g');
    logs.ensureGroup(scope, 'g');
    logs.ensureStream(scope, 'g', 's');
    const s = logs.state.stream(scope, 'g', 's')!;
    assert.deepEqual(logs.events.readStream({ gid: s.gid, sid: s.sid, direction: 'forward', limit: 10 }), []);
    assert.equal(logs.events.stats(s.sid), undefined);
  });
});

describe('retention', () => {
  it('deletes events older than the retention period as the clock moves on', () => {
    const { logs, clock } = service();
    logs.ensureGroup(scope, 'kept');
    logs.ensureGroup(scope, 'forever');
    for (const g of ['kept', 'forever']) {
      logs.ensureStream(scope, g, 's');
      logs.putEvents(scope, g, 's', [ev(NOW - 2 * DAY, 'two days')]);
      logs.putEvents(scope, g, 's', [ev(NOW - 12 * HOUR, 'half a day'), ev(NOW, 'now')]);
    }
    const g = logs.state.group(scope, 'kept')!;
    logs.state.saveGroup({ ...g, retentionInDays: 1 });
    const read = (group: string): string[] => {
      const s = logs.state.stream(scope, group, 's')!;
      return logs.events.readStream({ gid: s.gid, sid: s.sid, direction: 'forward', limit: 10 }).map((e) => e.message);
    };
    assert.equal(logs.sweepRetention(clock.now), false);
    assert.deepEqual(read('kept'), ['half a day', 'now']);
    clock.now += 13 * HOUR;
    logs.sweepRetention(clock.now);
    assert.deepEqual(read('kept'), ['now']);
    assert.equal(logs.storedBytes(scope, logs.state.group(scope, 'kept')!), 3);
    assert.deepEqual(read('forever'), ['two days', 'half a day', 'now'], 'a group without retention keeps everything');
    clock.now += 2 * DAY;
    logs.sweepRetention(clock.now);
    assert.deepEqual(read('kept'), []);
  });

  it('runs the sweep on a timer and on demand with the injected clock', async () => {
    const { logs, clock } = service();
    logs.ensureGroup(scope, 'g');
    logs.ensureStream(scope, 'g', 's');
    logs.putEvents(scope, 'g', 's', [ev(NOW - 3 * DAY, 'old')]);
    logs.putEvents(scope, 'g', 's', [ev(NOW, 'new')]);
    logs.state.saveGroup({ ...logs.state.group(scope, 'g')!, retentionInDays: 1 });
    const sweeper = startRetentionSweeper(logs, () => new Date(clock.now), 60_000);
    try {
      sweeper.kick();
      await new Promise((r) => setTimeout(r, 20));
      const s = logs.state.stream(scope, 'g', 's')!;
      assert.deepEqual(logs.events.readStream({ gid: s.gid, sid: s.sid, direction: 'forward', limit: 10 }).map((e) => e.message), ['new']);
      clock.now += 2 * DAY;
      sweeper.kick();
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(logs.events.readStream({ gid: s.gid, sid: s.sid, direction: 'forward', limit: 10 }), []);
    } finally {
      sweeper.stop();
    }
  });
});
