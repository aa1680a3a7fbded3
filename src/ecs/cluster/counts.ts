import type { KeyValuePair } from '@aws-sdk/client-ecs';
import type { EcsState } from '../state.js';

export interface ClusterCounts {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
}

/**
 * A cluster's counters as Describe reports them. Tasks and services arrive with later issues;
 * until then their tables are empty and the counts are what they truly are: zero.
 */
export function clusterCounts(state: EcsState, clusterArn: string): ClusterCounts {
  let registeredContainerInstancesCount = 0;
  for (const i of state.containerInstances.values()) if (i.clusterArn === clusterArn) registeredContainerInstancesCount++;
  return { registeredContainerInstancesCount, runningTasksCount: 0, pendingTasksCount: 0, activeServicesCount: 0 };
}

/** `include=STATISTICS`: the per-launch-type counters, in the order ECS lists them. */
export function clusterStatistics(state: EcsState, clusterArn: string): KeyValuePair[] {
  void state;
  void clusterArn;
  const names = [
    'runningEC2TasksCount', 'runningFargateTasksCount', 'pendingEC2TasksCount', 'pendingFargateTasksCount',
    'runningExternalTasksCount', 'pendingExternalTasksCount', 'activeEC2ServiceCount', 'activeFargateServiceCount',
    'drainingEC2ServiceCount', 'drainingFargateServiceCount', 'activeExternalServiceCount', 'drainingExternalServiceCount',
  ];
  return names.map((name) => ({ name, value: '0' }));
}
