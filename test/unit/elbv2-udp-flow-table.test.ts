import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowTable } from '../../src/elbv2/dataplane/udp-flow-table.js';
import { alpnProtocols, tlsVersions } from '../../src/elbv2/dataplane/tls-policy.js';

/** The UDP flow table is pure: time is a number passed in, so every row is exact. */

describe('the UDP flow table', () => {
  it('keeps a flow on the target it was given while datagrams keep coming', () => {
    const t = new FlowTable<string>({ idleMs: 120_000, maxFlows: 10 });
    assert.equal(t.add('10.0.0.1|5000', 'target-a', 0), true);
    assert.equal(t.add('10.0.0.2|5000', 'target-b', 0), true);
    // Each datagram refreshes the flow: 100 s apart, it never idles out.
    for (let now = 100_000; now <= 1_000_000; now += 100_000) {
      assert.deepEqual(t.touch('10.0.0.1|5000', now), { flow: 'target-a', expired: false });
    }
    assert.equal(t.touch('10.0.0.9|5000', 0), undefined, 'an unknown client has no flow');
    assert.equal(t.add('10.0.0.1|5000', 'target-c', 1_000_000), false, 'a live flow is not replaced');
  });

  it('expires flows idle for the timeout, oldest first, and keeps the fresh ones', () => {
    const t = new FlowTable<string>({ idleMs: 120_000, maxFlows: 10 });
    t.add('a', 'A', 0);
    t.add('b', 'B', 10_000);
    t.add('c', 'C', 20_000);
    t.touch('a', 50_000);
    assert.deepEqual(t.expire(119_999), [], 'nothing is idle yet');
    assert.deepEqual(t.expire(140_000), ['B', 'C'], 'b and c idled out; a was seen at 50 s');
    assert.equal(t.size, 1);
    assert.deepEqual(t.expire(170_000), ['A']);
    assert.equal(t.size, 0);
  });

  it('hands back a flow that idled out before a sweep, so the caller starts a new one', () => {
    const t = new FlowTable<string>({ idleMs: 1000, maxFlows: 10 });
    t.add('a', 'A', 0);
    assert.deepEqual(t.touch('a', 1000), { flow: 'A', expired: true });
    assert.equal(t.size, 0, 'the expired flow is gone');
    assert.equal(t.add('a', 'A2', 1000), true);
  });

  it('is bounded: a new flow beyond maxFlows is refused until one expires', () => {
    const t = new FlowTable<number>({ idleMs: 1000, maxFlows: 3 });
    for (let i = 0; i < 3; i++) assert.equal(t.add(`c${i}`, i, i), true);
    assert.equal(t.full, true);
    assert.equal(t.add('c3', 3, 10), false);
    assert.equal(t.size, 3);
    assert.deepEqual(t.expire(1000), [0]);
    assert.equal(t.add('c3', 3, 1000), true);
    assert.equal(t.size, 3);
  });

  it('removes a flow only if it is still the one under its key', () => {
    const t = new FlowTable<{ n: number }>({ idleMs: 1000, maxFlows: 3 });
    const first = { n: 1 };
    const second = { n: 2 };
    t.add('k', first, 0);
    t.touch('k', 5000); // expired and handed back
    t.add('k', second, 5000);
    t.delete('k', first);
    assert.equal(t.size, 1, 'closing the old flow leaves its successor');
    t.delete('k', second);
    assert.equal(t.size, 0);
  });
});

describe('TLS listener policies', () => {
  const versions = [
    { policy: undefined, want: ['TLSv1', 'TLSv1.2'], why: 'no policy: ELBSecurityPolicy-2016-08, TLS 1.0–1.2' },
    { policy: 'ELBSecurityPolicy-2016-08', want: ['TLSv1', 'TLSv1.2'], why: 'the API default has no TLS 1.3' },
    { policy: 'ELBSecurityPolicy-TLS-1-1-2017-01', want: ['TLSv1.1', 'TLSv1.2'], why: 'TLS 1.1 and up' },
    { policy: 'ELBSecurityPolicy-FS-1-2-Res-2020-10', want: ['TLSv1.2', 'TLSv1.2'], why: 'forward secrecy, TLS 1.2 only' },
    { policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', want: ['TLSv1.2', 'TLSv1.3'], why: 'the console default family: 1.2 and 1.3' },
    { policy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', want: ['TLSv1.2', 'TLSv1.3'], why: 'suffixes after the range do not matter' },
    { policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06', want: ['TLSv1.3', 'TLSv1.3'], why: 'TLS 1.3 only' },
  ];
  for (const row of versions) {
    it(`reads ${row.policy ?? 'the default policy'} as ${row.want.join('–')} (${row.why})`, () => {
      const v = tlsVersions(row.policy);
      assert.deepEqual([v.minVersion, v.maxVersion], row.want);
    });
  }

  it('turns ALPN policies into AWS preference lists', () => {
    assert.deepEqual(alpnProtocols('HTTP2Preferred'), ['h2', 'http/1.1', 'http/1.0']);
    assert.deepEqual(alpnProtocols('HTTP2Optional'), ['http/1.1', 'http/1.0', 'h2']);
    assert.deepEqual(alpnProtocols('HTTP2Only'), ['h2']);
    assert.deepEqual(alpnProtocols('HTTP1Only'), ['http/1.1', 'http/1.0']);
    assert.equal(alpnProtocols('None'), undefined);
    assert.equal(alpnProtocols(undefined), undefined);
  });
});
