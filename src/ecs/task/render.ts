import type { Attachment, Container, Task } from '@aws-sdk/client-ecs';
import type { TaskRecord } from './record.js';

const at = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/** The task as DescribeTasks returns it. */
export function renderTask(t: TaskRecord, tags?: { key?: string; value?: string }[]): Task {
  const attachments: Attachment[] = [];
  if (t.eni) {
    attachments.push({
      id: t.eni.attachmentId,
      type: 'ElasticNetworkInterface',
      status: t.eni.status,
      details: [
        { name: 'subnetId', value: t.eni.subnetId },
        { name: 'networkInterfaceId', value: t.eni.eniId },
        { name: 'macAddress', value: t.eni.macAddress },
        { name: 'privateDnsName', value: t.eni.privateDnsName },
        { name: 'privateIPv4Address', value: t.eni.privateIPv4Address },
      ],
    });
  }
  const containers: Container[] = t.containers.map((c) => {
    const out: Container = {
      containerArn: c.containerArn,
      taskArn: t.taskArn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      networkBindings: c.networkBindings ?? [],
      networkInterfaces: t.eni ? [{ attachmentId: t.eni.attachmentId, privateIpv4Address: t.eni.privateIPv4Address }] : [],
      healthStatus: c.healthStatus ?? 'UNKNOWN',
      cpu: String(c.cpu),
    };
    if (c.gpuIds?.length) out.gpuIds = [...c.gpuIds];
    if (c.runtimeId) out.runtimeId = c.runtimeId;
    if (c.exitCode !== undefined) out.exitCode = c.exitCode;
    if (c.reason) out.reason = c.reason;
    if (c.memory !== undefined) out.memory = String(c.memory);
    if (c.memoryReservation !== undefined) out.memoryReservation = String(c.memoryReservation);
    return out;
  });
  const task: Task = {
    taskArn: t.taskArn,
    clusterArn: t.clusterArn,
    taskDefinitionArn: t.taskDefinitionArn,
    availabilityZone: t.availabilityZone,
    attachments,
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    containers,
    createdAt: at(t.createdAt),
    desiredStatus: t.desiredStatus,
    lastStatus: t.lastStatus,
    launchType: t.launchType,
    enableExecuteCommand: t.enableExecuteCommand,
    group: t.group,
    healthStatus: t.healthStatus,
    overrides: { containerOverrides: t.overrides.containerOverrides ?? [], inferenceAcceleratorOverrides: [] },
    version: t.version,
    tags: tags ?? [],
  };
  if (t.containerInstanceArn) task.containerInstanceArn = t.containerInstanceArn;
  if (t.capacityProviderName) task.capacityProviderName = t.capacityProviderName;
  if (t.cpu) task.cpu = t.cpu;
  if (t.memory) task.memory = t.memory;
  if (t.startedBy) task.startedBy = t.startedBy;
  if (t.launchType === 'FARGATE') {
    task.platformVersion = t.platformVersion ?? '1.4.0';
    task.platformFamily = t.platformFamily ?? 'Linux';
    task.ephemeralStorage = { sizeInGiB: 20 };
  }
  if (t.connectivity) {
    task.connectivity = t.connectivity;
    task.connectivityAt = at(t.connectivityAt);
  }
  for (const k of ['pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'executionStoppedAt', 'stoppedAt'] as const) {
    if (t[k] !== undefined) task[k] = at(t[k]);
  }
  if (t.stopCode) task.stopCode = t.stopCode as Task['stopCode'];
  if (t.stoppedReason) task.stoppedReason = t.stoppedReason;
  return task;
}
