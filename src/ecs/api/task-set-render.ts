import type { Tag, TaskSet } from '@aws-sdk/client-ecs';
import type { ServiceRecord } from '../service/model.js';
import type { TaskSetRecord } from '../service/task-sets.js';

/**
 * A stored task set as CreateTaskSet, DescribeTaskSets and DescribeServices (`taskSets`) return
 * it. `startedBy` is left out: ECS fills it only for sets CodeDeploy created.
 */
export function renderTaskSet(s: Pick<ServiceRecord, 'serviceArn' | 'clusterArn'>, t: TaskSetRecord, tags?: Tag[]): TaskSet {
  const out: TaskSet = {
    id: t.id,
    taskSetArn: t.taskSetArn,
    serviceArn: s.serviceArn,
    clusterArn: s.clusterArn,
    status: t.status,
    taskDefinition: t.taskDefinition,
    computedDesiredCount: t.computedDesiredCount,
    pendingCount: t.pendingCount,
    runningCount: t.runningCount,
    createdAt: new Date(t.createdAt),
    updatedAt: new Date(t.updatedAt),
    loadBalancers: t.loadBalancers,
    serviceRegistries: t.serviceRegistries,
    scale: { value: t.scale.value, unit: t.scale.unit },
    stabilityStatus: t.stabilityStatus,
    stabilityStatusAt: new Date(t.stabilityStatusAt),
  };
  if (t.externalId !== undefined) out.externalId = t.externalId;
  if (t.launchType) out.launchType = t.launchType;
  if (t.capacityProviderStrategy) out.capacityProviderStrategy = t.capacityProviderStrategy;
  if (t.launchType === 'FARGATE') out.platformVersion = t.platformVersion ?? 'LATEST';
  if (t.networkConfiguration) out.networkConfiguration = t.networkConfiguration as TaskSet['networkConfiguration'];
  if (tags) out.tags = tags;
  return out;
}
