import type { KeyValuePair } from '@aws-sdk/client-ecs';
import type { EcsState } from '../state.js';

export interface ClusterCounts {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
}

interface Tally { running: Record<string, number>; pending: Record<string, number> }

function tally(state: EcsState, clusterArn: string): Tally {
  const t: Tally = { running: { EC2: 0, FARGATE: 0, EXTERNAL: 0 }, pending: { EC2: 0, FARGATE: 0, EXTERNAL: 0 } };
  for (const task of state.tasks.values()) {
    if (task.clusterArn !== clusterArn || task.lastStatus === 'STOPPED') continue;
    if (task.lastStatus === 'RUNNING') t.running[task.launchType]!++;
    else if (statusBeforeRunning(task.lastStatus)) t.pending[task.launchType]!++;
  }
  return t;
}

const statusBeforeRunning = (s: string): boolean => s === 'PROVISIONING' || s === 'PENDING' || s === 'ACTIVATING';
const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);

/** A cluster's counters as Describe reports them. Services arrive with the services issue. */
export function clusterCounts(state: EcsState, clusterArn: string): ClusterCounts {
  let registeredContainerInstancesCount = 0;
  for (const i of state.containerInstances.values()) if (i.clusterArn === clusterArn && i.status !== 'INACTIVE') registeredContainerInstancesCount++;
  const t = tally(state, clusterArn);
  return { registeredContainerInstancesCount, runningTasksCount: sum(t.running), pendingTasksCount: sum(t.pending), activeServicesCount: 0 };
}

/** `include=STATISTICS`: the per-launch-type counters. */
export function clusterStatistics(state: EcsState, clusterArn: string): KeyValuePair[] {
  const t = tally(state, clusterArn);
  const pairs: [string, number][] = [
    ['runningEC2TasksCount', t.running.EC2!], ['runningFargateTasksCount', t.running.FARGATE!],
    ['pendingEC2TasksCount', t.pending.EC2!], ['pendingFargateTasksCount', t.pending.FARGATE!],
    ['runningExternalTasksCount', t.running.EXTERNAL!], ['pendingExternalTasksCount', t.pending.EXTERNAL!],
    ['activeEC2ServiceCount', 0], ['activeFargateServiceCount', 0], ['drainingEC2ServiceCount', 0], ['drainingFargateServiceCount', 0],
    ['activeExternalServiceCount', 0], ['drainingExternalServiceCount', 0],
  ];
  return pairs.map(([name, value]) => ({ name, value: String(value) }));
}
