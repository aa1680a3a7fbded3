import type { KeyValuePair } from '@aws-sdk/client-ecs';
import type { EcsState } from '../state.js';

export interface ClusterCounts {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
}

interface Tally { running: Record<string, number>; pending: Record<string, number>; active: Record<string, number>; draining: Record<string, number> }

function tally(state: EcsState, clusterArn: string): Tally {
  const zero = (): Record<string, number> => ({ EC2: 0, FARGATE: 0, EXTERNAL: 0 });
  const t: Tally = { running: zero(), pending: zero(), active: zero(), draining: zero() };
  for (const s of state.services.values()) {
    if (s.clusterArn !== clusterArn || s.status === 'INACTIVE') continue;
    // A service on a capacity provider strategy counts by its providers' kind.
    const kind = s.launchType ?? (s.capacityProviderStrategy?.some((i) => i.capacityProvider.startsWith('FARGATE')) ? 'FARGATE' : 'EC2');
    (s.status === 'ACTIVE' ? t.active : t.draining)[kind]!++;
  }
  for (const task of state.tasks.values()) {
    if (task.clusterArn !== clusterArn || task.lastStatus === 'STOPPED') continue;
    if (task.lastStatus === 'RUNNING') t.running[task.launchType]!++;
    else if (statusBeforeRunning(task.lastStatus)) t.pending[task.launchType]!++;
  }
  return t;
}

const statusBeforeRunning = (s: string): boolean => s === 'PROVISIONING' || s === 'PENDING' || s === 'ACTIVATING';
const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** A cluster's counters as Describe reports them. */
export function clusterCounts(state: EcsState, clusterArn: string): ClusterCounts {
  let registeredContainerInstancesCount = 0;
  for (const i of state.containerInstances.values()) if (i.clusterArn === clusterArn && i.status !== 'INACTIVE') registeredContainerInstancesCount++;
  const t = tally(state, clusterArn);
  return { registeredContainerInstancesCount, runningTasksCount: sum(t.running), pendingTasksCount: sum(t.pending), activeServicesCount: sum(t.active) };
}

/** `include=STATISTICS`: the per-launch-type counters. */
export function clusterStatistics(state: EcsState, clusterArn: string): KeyValuePair[] {
  const t = tally(state, clusterArn);
  const pairs: [string, number][] = [
    ['runningEC2TasksCount', t.running.EC2!], ['runningFargateTasksCount', t.running.FARGATE!],
    ['pendingEC2TasksCount', t.pending.EC2!], ['pendingFargateTasksCount', t.pending.FARGATE!],
    ['runningExternalTasksCount', t.running.EXTERNAL!], ['pendingExternalTasksCount', t.pending.EXTERNAL!],
    ['activeEC2ServiceCount', t.active.EC2!], ['activeFargateServiceCount', t.active.FARGATE!], ['drainingEC2ServiceCount', t.draining.EC2!],
    ['drainingFargateServiceCount', t.draining.FARGATE!], ['activeExternalServiceCount', t.active.EXTERNAL!], ['drainingExternalServiceCount', t.draining.EXTERNAL!],
  ];
  return pairs.map(([name, value]) => ({ name, value: String(value) }));
}
