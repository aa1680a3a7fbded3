import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCircuitBreaker } from '../../src/ecs/service/circuit-breaker.js';
import {
  foldHistory, historyIdsOf, serviceDeploymentArn, serviceRevisionArn, type ServiceDeploymentRecord,
} from '../../src/ecs/service/history.js';
import { CIRCUIT_BREAKER_REASON, completedReason, newService, startDeployment, type ServiceRecord } from '../../src/ecs/service/model.js';

const T0 = 1_700_000_000_000;
const ARN = 'arn:aws:ecs:us-east-1:123456789012:service/c/web';
const D1 = 'ecs-svc/1000000000000000001';
const D2 = 'ecs-svc/2000000000000000002';

/** A tiny store: the fold applied as putService applies it. */
function store() {
  const table = new Map<string, ServiceDeploymentRecord>();
  return {
    table,
    put(s: ServiceRecord, now: number): ServiceRecord {
      const known = historyIdsOf(s).map((id) => table.get(serviceDeploymentArn(s.serviceArn, id))).filter((e): e is ServiceDeploymentRecord => !!e);
      const f = foldHistory(s, known, now);
      for (const e of f.changed) table.set(e.serviceDeploymentArn, e);
      return f.service;
    },
    get: (id: string) => table.get(serviceDeploymentArn(ARN, id))!,
  };
}

function service(cb = { enable: false, rollback: false }): ServiceRecord {
  const s = newService({
    serviceArn: ARN, serviceName: 'web', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
    taskDefinition: 'arn:td/web:1', desiredCount: 3, now: T0, launchType: 'EC2', deploymentConfiguration: { deploymentCircuitBreaker: cb },
  });
  return { ...s, deployments: [{ ...s.deployments[0]!, id: D1 }] };
}

const complete = (s: ServiceRecord, now: number): ServiceRecord => {
  const done = { ...s.deployments[0]!, rolloutState: 'COMPLETED' as const, rolloutStateReason: completedReason(s.deployments[0]!.id), updatedAt: now };
  return { ...s, deployments: [done], scheduler: { ...s.scheduler, lastCompleted: done } };
};

describe('service history fold', () => {
  it('names service deployments and revisions after the deployment id', () => {
    assert.equal(serviceDeploymentArn(ARN, D1), 'arn:aws:ecs:us-east-1:123456789012:service-deployment/c/web/1000000000000000001');
    assert.equal(serviceRevisionArn(ARN, D1), 'arn:aws:ecs:us-east-1:123456789012:service-revision/c/web/1000000000000000001');
  });

  it('opens an IN_PROGRESS entry with its revision, then SUCCESSFUL when the deployment completes', () => {
    const st = store();
    let s = st.put(service(), T0);
    const e = st.get(D1);
    assert.equal(e.status, 'IN_PROGRESS');
    assert.equal(e.revision.taskDefinition, 'arn:td/web:1');
    assert.equal(e.revision.launchType, 'EC2');
    assert.deepEqual(e.sources, []);
    assert.deepEqual(s.scheduler.openDeployments, [D1]);
    s = st.put(complete(s, T0 + 1000), T0 + 1000);
    assert.equal(st.get(D1).status, 'SUCCESSFUL');
    assert.equal(st.get(D1).finishedAt, T0 + 1000);
    assert.equal(s.scheduler.openDeployments, undefined);
  });

  it('is idempotent: folding the same record again changes nothing', () => {
    const st = store();
    const s = st.put(service(), T0);
    const again = foldHistory(s, [st.get(D1)], T0 + 5000);
    assert.deepEqual(again.changed, []);
    assert.equal(again.service, s);
  });

  it('stops a deployment superseded before it completed; the new one lists it as source', () => {
    const st = store();
    let s = st.put(service(), T0);
    s = st.put(startDeployment(s, { id: D2, taskDefinition: 'arn:td/web:2', now: T0 + 60_000 }), T0 + 60_000);
    assert.equal(st.get(D1).status, 'STOPPED');
    assert.equal(st.get(D1).stoppedAt, T0 + 60_000);
    assert.match(st.get(D1).statusReason!, /superseded by ECS deployment ecs-svc\/2000000000000000002/);
    assert.equal(st.get(D2).status, 'IN_PROGRESS');
    assert.deepEqual(st.get(D2).sources.map((x) => x.arn), [serviceRevisionArn(ARN, D1)]);
    assert.deepEqual(s.scheduler.openDeployments, [D2]);
  });

  it('follows a circuit-breaker rollback to ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL', () => {
    const st = store();
    let s = st.put(service({ enable: true, rollback: true }), T0);
    s = st.put(complete(s, T0 + 1000), T0 + 1000);
    s = st.put(startDeployment(s, { id: D2, taskDefinition: 'arn:td/web:2', now: T0 + 2000 }), T0 + 2000);
    const failing = { ...s, deployments: s.deployments.map((d) => (d.id === D2 ? { ...d, failedTasks: 3 } : d)) };
    const tripped = evaluateCircuitBreaker(failing, T0 + 3000).service;
    s = st.put(tripped, T0 + 3000);
    const e = st.get(D2);
    assert.equal(e.status, 'ROLLBACK_IN_PROGRESS');
    assert.equal(e.rollback?.reason, CIRCUIT_BREAKER_REASON);
    assert.equal(e.rollback?.serviceRevisionArn, serviceRevisionArn(ARN, D1));
    assert.equal(e.circuitBreaker.status, 'TRIGGERED');
    assert.equal(e.circuitBreaker.threshold, 3);
    assert.equal(st.get(D1).status, 'SUCCESSFUL', 'the revived deployment keeps its finished entry');
    s = st.put(complete({ ...s, deployments: s.deployments.filter((d) => d.id === D1) }, T0 + 4000), T0 + 4000);
    assert.equal(st.get(D2).status, 'ROLLBACK_SUCCESSFUL');
    assert.equal(s.scheduler.openDeployments, undefined);
  });

  it('stops open deployments when the service is deleted', () => {
    const st = store();
    const s = st.put(service(), T0);
    st.put({ ...s, status: 'INACTIVE', deployments: [] }, T0 + 1000);
    assert.equal(st.get(D1).status, 'STOPPED');
  });
});
