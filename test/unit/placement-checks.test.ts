import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentCheck, attributeCheck, cpuCheck, gpuCheck, memoryCheck, portsCheck, shortfall, type Check } from '../../src/ecs/placement/checks.js';
import { compileConstraints, constraintCheck, distinctInstanceCheck, memberOfCheck } from '../../src/ecs/placement/constraints.js';
import { firstRejection } from '../../src/ecs/placement/pipeline.js';
import { REJECTION, type Rejection, type TaskNeed } from '../../src/ecs/placement/types.js';
import { instance, need, type InstanceSpec } from './placement-fixtures.js';

interface Row { name: string; check: Check; need?: Partial<TaskNeed>; inst: InstanceSpec; want: Rejection | undefined }

// Every feasibility check, each row a case ECS documents or an edge of it.
const rows: Row[] = [
  { name: 'an ACTIVE instance with its agent connected passes AGENT', check: agentCheck, inst: {}, want: undefined },
  { name: 'a disconnected agent is AGENT', check: agentCheck, inst: { connected: false }, want: 'AGENT' },
  { name: 'a DRAINING instance takes no new task: AGENT', check: agentCheck, inst: { status: 'DRAINING' }, want: 'AGENT' },
  { name: 'a REGISTERING instance is AGENT', check: agentCheck, inst: { status: 'REGISTERING' }, want: 'AGENT' },
  { name: 'an INACTIVE instance is AGENT', check: agentCheck, inst: { status: 'INACTIVE' }, want: 'AGENT' },
  { name: 'no required attribute passes', check: attributeCheck, inst: {}, want: undefined },
  { name: 'a value-less required attribute only has to exist', check: attributeCheck, need: { requiresAttributes: [{ name: 'ecs.capability.task-eni' }] }, inst: { attributes: { 'ecs.capability.task-eni': undefined } }, want: undefined },
  { name: 'a missing required attribute is ATTRIBUTE', check: attributeCheck, need: { requiresAttributes: [{ name: 'ecs.capability.task-eni' }] }, inst: {}, want: 'ATTRIBUTE' },
  { name: 'a required value must match exactly', check: attributeCheck, need: { requiresAttributes: [{ name: 'ecs.os-type', value: 'linux' }] }, inst: { attributes: { 'ecs.os-type': 'windows' } }, want: 'ATTRIBUTE' },
  { name: 'a matching value passes', check: attributeCheck, need: { requiresAttributes: [{ name: 'ecs.os-type', value: 'linux' }] }, inst: { attributes: { 'ecs.os-type': 'linux' } }, want: undefined },
  { name: 'a value is required but the attribute has none', check: attributeCheck, need: { requiresAttributes: [{ name: 'x', value: 'y' }] }, inst: { attributes: { x: undefined } }, want: 'ATTRIBUTE' },
  { name: 'exactly enough CPU fits', check: cpuCheck, need: { cpu: 1024 }, inst: { cpu: 1024 }, want: undefined },
  { name: 'one CPU unit short is RESOURCE:CPU', check: cpuCheck, need: { cpu: 1025 }, inst: { cpu: 1024 }, want: 'RESOURCE:CPU' },
  { name: 'exactly enough memory fits', check: memoryCheck, need: { memory: 2048 }, inst: { memory: 2048 }, want: undefined },
  { name: 'one MiB short is RESOURCE:MEMORY', check: memoryCheck, need: { memory: 2049 }, inst: { memory: 2048 }, want: 'RESOURCE:MEMORY' },
  { name: 'a free host port passes', check: portsCheck, need: { ports: [80] }, inst: { ports: [22] }, want: undefined },
  { name: 'a TCP host port in use is RESOURCE:PORTS', check: portsCheck, need: { ports: [80] }, inst: { ports: [80] }, want: 'RESOURCE:PORTS' },
  { name: 'a UDP host port in use is RESOURCE:PORTS', check: portsCheck, need: { portsUdp: [53] }, inst: { portsUdp: [53] }, want: 'RESOURCE:PORTS' },
  { name: 'TCP and UDP ports are apart', check: portsCheck, need: { portsUdp: [53] }, inst: { ports: [53] }, want: undefined },
  { name: 'awsvpc tasks hold no host port', check: portsCheck, need: { ports: [80], networkMode: 'awsvpc' }, inst: { ports: [80] }, want: undefined },
  { name: 'enough free GPUs pass', check: gpuCheck, need: { gpus: 2 }, inst: { gpus: ['g0', 'g1'] }, want: undefined },
  { name: 'too few free GPUs is RESOURCE:GPU', check: gpuCheck, need: { gpus: 2 }, inst: { gpus: ['g0'] }, want: 'RESOURCE:GPU' },
  { name: 'no GPU needed passes on an instance without any', check: gpuCheck, inst: {}, want: undefined },
];

describe('feasibility checks', () => {
  for (const r of rows) {
    it(r.name, () => assert.equal(r.check(need(r.need), instance(r.inst)), r.want));
  }
});

describe('constraints', () => {
  it('distinctInstance refuses an instance already running a task of the group', () => {
    assert.equal(distinctInstanceCheck(need(), instance({ groups: { 'service:web': 1 } })), REJECTION.distinctInstance);
  });
  it('distinctInstance ignores tasks of other groups', () => {
    assert.equal(distinctInstanceCheck(need(), instance({ groups: { 'service:db': 3 } })), undefined);
  });
  it('memberOf passes when the expression holds and names ECS\'s sentence when not', () => {
    const isT2 = (i: { attributes: ReadonlyMap<string, string | undefined> }): boolean => (i.attributes.get('ecs.instance-type') ?? '').startsWith('t2.');
    assert.equal(memberOfCheck(isT2, instance({ attributes: { 'ecs.instance-type': 't2.micro' } })), undefined);
    assert.equal(memberOfCheck(isT2, instance({ attributes: { 'ecs.instance-type': 'm5.large' } })), 'MemberOf placement constraint unsatisfied.');
  });
  it('memberOf is checked before distinctInstance', () => {
    const cc = compileConstraints([{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'false', test: () => false }]);
    assert.equal(constraintCheck(cc, need(), instance({ groups: { 'service:web': 1 } })), REJECTION.memberOf);
  });
});

describe('the order of the pipeline', () => {
  const none = compileConstraints([]);
  // Each row fails several checks; the first in pipeline order is the one reported.
  const order: { name: string; inst: InstanceSpec; need?: Partial<TaskNeed>; want: Rejection | undefined }[] = [
    { name: 'AGENT comes before everything', inst: { status: 'DRAINING', cpu: 0, memory: 0 }, need: { requiresAttributes: [{ name: 'x' }] }, want: 'AGENT' },
    { name: 'ATTRIBUTE comes before resources', inst: { cpu: 0 }, need: { requiresAttributes: [{ name: 'x' }] }, want: 'ATTRIBUTE' },
    { name: 'CPU comes before memory', inst: { cpu: 0, memory: 0 }, want: 'RESOURCE:CPU' },
    { name: 'memory comes before ports', inst: { memory: 0, ports: [80] }, need: { ports: [80] }, want: 'RESOURCE:MEMORY' },
    { name: 'ports come before GPUs', inst: { ports: [80] }, need: { ports: [80], gpus: 1 }, want: 'RESOURCE:PORTS' },
    { name: 'a fitting instance passes', inst: {}, want: undefined },
  ];
  for (const r of order) it(r.name, () => assert.equal(firstRejection(need(r.need), instance(r.inst), none), r.want));
});

describe('shortfall', () => {
  it('is the missing fraction of a resource', () => {
    assert.equal(shortfall('RESOURCE:MEMORY', need({ memory: 1000 }), instance({ memory: 750 })), 0.25);
    assert.equal(shortfall('RESOURCE:CPU', need({ cpu: 100 }), instance({ cpu: 0 })), 1);
    assert.equal(shortfall('RESOURCE:PORTS', need({ ports: [80, 443] }), instance({ ports: [443] })), 0.5);
    assert.equal(shortfall('RESOURCE:GPU', need({ gpus: 4 }), instance({ gpus: ['a'] })), 0.75);
  });
  it('is 1 for a yes-or-no check', () => assert.equal(shortfall('AGENT', need(), instance()), 1));
});
