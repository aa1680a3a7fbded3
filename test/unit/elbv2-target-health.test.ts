import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextHealth, parseMatcher, REMOVED, type HealthEvent, type ProbeResult, type TargetHealth } from '../../src/elbv2/dataplane/target-health.js';

const T = { healthyThreshold: 3, unhealthyThreshold: 2 };
const pass: HealthEvent = { kind: 'check', result: { ok: true } };
const fail = (reason: Extract<ProbeResult, { ok: false }>['reason'] = 'Target.FailedHealthChecks'): HealthEvent => ({ kind: 'check', result: { ok: false, reason } });
const registered: HealthEvent = { kind: 'registered' };

interface Row { name: string; events: HealthEvent[]; state: TargetHealth['state']; reason?: string }

// Each row replays events from "not registered" and names the state DescribeTargetHealth shows.
const rows: Row[] = [
  { name: 'a new target is initial while registration is in progress', events: [registered], state: 'initial', reason: 'Elb.RegistrationInProgress' },
  { name: 'one passing check makes a new target healthy', events: [registered, pass], state: 'healthy' },
  { name: 'a failure below the threshold keeps it initial, checking', events: [registered, fail()], state: 'initial', reason: 'Elb.InitialHealthChecking' },
  { name: 'unhealthyThreshold failures make a new target unhealthy', events: [registered, fail(), fail('Target.Timeout')], state: 'unhealthy', reason: 'Target.Timeout' },
  { name: 'one failure does not take a healthy target out', events: [registered, pass, fail()], state: 'healthy' },
  { name: 'a pass resets the failure count', events: [registered, pass, fail(), pass, fail()], state: 'healthy' },
  { name: 'consecutive failures make a healthy target unhealthy with the last reason', events: [registered, pass, fail(), fail('Target.ResponseCodeMismatch')], state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' },
  { name: 'fewer than healthyThreshold passes keep it unhealthy', events: [registered, fail(), fail(), pass, pass], state: 'unhealthy', reason: 'Target.FailedHealthChecks' },
  { name: 'healthyThreshold consecutive passes bring it back', events: [registered, fail(), fail(), pass, pass, pass], state: 'healthy' },
  { name: 'a failure between passes restarts the count', events: [registered, fail(), fail(), pass, pass, fail(), pass, pass], state: 'unhealthy' },
  { name: 'deregistering drains', events: [registered, pass, { kind: 'deregistered', delayMs: 300_000 }], state: 'draining', reason: 'Target.DeregistrationInProgress' },
  { name: 'checks do not change a draining target', events: [registered, pass, { kind: 'deregistered', delayMs: 1 }, fail(), fail()], state: 'draining' },
  { name: 'registering a draining target starts it over', events: [registered, pass, { kind: 'deregistered', delayMs: 1 }, registered], state: 'initial', reason: 'Elb.RegistrationInProgress' },
  { name: 'a group no listener uses leaves its targets unused', events: [registered, pass, { kind: 'not-in-use' }], state: 'unused', reason: 'Target.NotInUse' },
  { name: 'used again, they start over as initial', events: [registered, { kind: 'not-in-use' }, { kind: 'in-use' }], state: 'initial', reason: 'Elb.RegistrationInProgress' },
  { name: 'checks do not change an unused target', events: [registered, { kind: 'not-in-use' }, pass], state: 'unused', reason: 'Target.NotInUse' },
  { name: 're-registering a registered target changes nothing', events: [registered, pass, registered], state: 'healthy' },
];

describe('the target health state machine', () => {
  for (const r of rows) {
    it(r.name, () => {
      const h = r.events.reduce((acc, ev) => nextHealth(acc, ev, T, 1000), REMOVED);
      assert.equal(h.state, r.state);
      if (r.reason !== undefined || r.state === 'healthy') assert.equal(h.reason, r.reason);
    });
  }
  it('records when an initial target turned healthy, for slow start', () => {
    const h = [registered, pass].reduce((acc, ev) => nextHealth(acc, ev, T, 4242), REMOVED);
    assert.equal(h.healthySince, 4242);
  });
  it('sets the draining deadline from the deregistration delay', () => {
    const h = nextHealth(nextHealth(REMOVED, registered, T, 0), { kind: 'deregistered', delayMs: 5000 }, T, 100);
    assert.equal(h.drainUntil, 5100);
  });
  it('never mutates the health it is given', () => {
    const h = nextHealth(REMOVED, registered, T, 0);
    const copy = { ...h };
    nextHealth(h, fail(), T, 1);
    assert.deepEqual(h, copy);
  });
  it('a not-registered target reads as unused, Target.NotRegistered', () => assert.deepEqual([REMOVED.state, REMOVED.reason], ['unused', 'Target.NotRegistered']));
});

describe('health check matchers', () => {
  const rows: Array<[string, number, boolean]> = [
    ['200', 200, true], ['200', 204, false], ['200,202', 202, true], ['200-299', 250, true], ['200-299', 301, false], ['200-299,404', 404, true],
  ];
  for (const [m, code, ok] of rows) it(`"${m}" ${ok ? 'accepts' : 'rejects'} ${code}`, () => assert.equal(parseMatcher(m)(code), ok));
});
