import type { Deployment, Service, Tag } from '@aws-sdk/client-ecs';
import type { DeploymentRecord, ServiceRecord } from '../service/model.js';
import { renderTaskSet } from './task-set-render.js';

/** A stored service as DescribeServices/CreateService return it: dates as Dates, the scheduler's bookkeeping left out. */
export function renderService(s: ServiceRecord, tags?: Tag[]): Service {
  const c = s.deploymentConfiguration;
  const out: Service = {
    serviceArn: s.serviceArn,
    serviceName: s.serviceName,
    clusterArn: s.clusterArn,
    loadBalancers: s.loadBalancers,
    serviceRegistries: s.serviceRegistries,
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    taskDefinition: s.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: c.deploymentCircuitBreaker.enable, rollback: c.deploymentCircuitBreaker.rollback },
      maximumPercent: c.maximumPercent,
      minimumHealthyPercent: c.minimumHealthyPercent,
      strategy: c.strategy,
      ...(c.bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes: c.bakeTimeInMinutes } : {}),
      ...(c.lifecycleHooks ? { lifecycleHooks: c.lifecycleHooks as never } : {}),
      ...(c.linearConfiguration ? { linearConfiguration: c.linearConfiguration } : {}),
      ...(c.canaryConfiguration ? { canaryConfiguration: c.canaryConfiguration } : {}),
      ...(c.alarms ? { alarms: c.alarms } : {}),
    },
    deployments: s.deployments.map(renderDeployment),
    events: s.events.map((e) => ({ id: e.id, createdAt: new Date(e.createdAt), message: e.message })),
    createdAt: new Date(s.createdAt),
    placementConstraints: s.placementConstraints as Service['placementConstraints'],
    placementStrategy: s.placementStrategy as Service['placementStrategy'],
    schedulingStrategy: s.schedulingStrategy,
    availabilityZoneRebalancing: s.availabilityZoneRebalancing ?? 'DISABLED',
    deploymentController: s.deploymentController,
    enableECSManagedTags: s.enableECSManagedTags,
    propagateTags: s.propagateTags,
    enableExecuteCommand: s.enableExecuteCommand,
  };
  if (s.launchType) out.launchType = s.launchType;
  if (s.capacityProviderStrategy) out.capacityProviderStrategy = s.capacityProviderStrategy;
  if (s.launchType === 'FARGATE') out.platformVersion = s.platformVersion ?? 'LATEST';
  if (s.networkConfiguration) out.networkConfiguration = s.networkConfiguration as Service['networkConfiguration'];
  if (s.healthCheckGracePeriodSeconds !== undefined) out.healthCheckGracePeriodSeconds = s.healthCheckGracePeriodSeconds;
  if (s.roleArn) out.roleArn = s.roleArn;
  if (s.createdBy) out.createdBy = s.createdBy;
  if (tags) out.tags = tags;
  if (s.deploymentController.type === 'EXTERNAL') {
    // ECS lists task sets instead of deployments; with no PRIMARY set, no task definition.
    delete out.deployments;
    if (!s.taskDefinition) delete out.taskDefinition;
    out.taskSets = (s.taskSets ?? []).map((t) => renderTaskSet(s, t));
  }
  return out;
}

function renderDeployment(d: DeploymentRecord): Deployment {
  const out: Deployment = {
    id: d.id, status: d.status, taskDefinition: d.taskDefinition, desiredCount: d.desiredCount, pendingCount: d.pendingCount,
    runningCount: d.runningCount, failedTasks: d.failedTasks, createdAt: new Date(d.createdAt), updatedAt: new Date(d.updatedAt),
    rolloutState: d.rolloutState, rolloutStateReason: d.rolloutStateReason,
  };
  if (d.launchType) out.launchType = d.launchType;
  if (d.capacityProviderStrategy) out.capacityProviderStrategy = d.capacityProviderStrategy;
  if (d.launchType === 'FARGATE') out.platformVersion = d.platformVersion ?? 'LATEST';
  if (d.networkConfiguration) out.networkConfiguration = d.networkConfiguration as Deployment['networkConfiguration'];
  return out;
}
