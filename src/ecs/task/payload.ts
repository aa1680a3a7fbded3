import { needsSecrets } from './secrets.js';
import type { ContainerDefinition, ContainerOverride, TaskDefinition } from '@aws-sdk/client-ecs';
import type { ContainerPayload, TaskPayload } from '../../protocol/messages.js';
import type { TaskRecord } from './record.js';

/**
 * What the agent needs to run a task: the task definition with the RunTask overrides applied.
 * Pure; the agent receives it as part of its desired state.
 */
/**
 * What an agent is told of a task. A stop the server holds back (a service task draining from its
 * target groups, `stopRequest.holdUntil`) is not passed on yet: the task keeps running until it is
 * released or the time has come.
 */
export function taskPayload(task: TaskRecord, def: TaskDefinition, network?: TaskPayload['network'], now: number = Date.now()): TaskPayload {
  const held = task.desiredStatus === 'STOPPED' && task.stopRequest?.holdUntil !== undefined && task.stopRequest.holdUntil > now;
  const overrides = new Map((task.overrides.containerOverrides ?? []).map((o) => [o.name, o]));
  const payload: TaskPayload = {
    taskArn: task.taskArn,
    family: def.family!,
    revision: def.revision!,
    desiredStatus: held ? 'RUNNING' : task.desiredStatus,
    clusterArn: task.clusterArn,
    accountId: task.accountId,
    region: task.region,
    launchType: task.launchType,
    availabilityZone: task.availabilityZone,
    networkMode: (def.networkMode ?? 'bridge') as TaskPayload['networkMode'],
    volumes: (def.volumes ?? []).map((v) => ({
      name: v.name!,
      ...(v.host ? { host: { ...(v.host.sourcePath ? { sourcePath: v.host.sourcePath } : {}) } } : {}),
      ...(v.dockerVolumeConfiguration
        ? {
            docker: {
              ...(v.dockerVolumeConfiguration.scope ? { scope: v.dockerVolumeConfiguration.scope } : {}),
              ...(v.dockerVolumeConfiguration.autoprovision !== undefined ? { autoprovision: v.dockerVolumeConfiguration.autoprovision } : {}),
              ...(v.dockerVolumeConfiguration.driver ? { driver: v.dockerVolumeConfiguration.driver } : {}),
              ...(v.dockerVolumeConfiguration.driverOpts ? { driverOpts: v.dockerVolumeConfiguration.driverOpts } : {}),
              ...(v.dockerVolumeConfiguration.labels ? { labels: v.dockerVolumeConfiguration.labels } : {}),
            },
          }
        : {}),
    })),
    containers: (def.containerDefinitions ?? []).map((c) => containerPayload(task, c, overrides.get(c.name))),
  };
  if (task.stopRequest && !held) {
    const { holdUntil: _, ...stop } = task.stopRequest;
    payload.stopRequest = stop;
  }
  if (network) payload.network = network;
  const cpu = task.overrides.cpu ?? def.cpu;
  const memory = task.overrides.memory ?? def.memory;
  if (cpu) payload.cpu = cpu;
  if (memory) payload.memory = memory;
  if (def.pidMode) payload.pidMode = def.pidMode;
  if (def.ipcMode) payload.ipcMode = def.ipcMode;
  const exec = task.overrides.executionRoleArn ?? def.executionRoleArn;
  const role = task.overrides.taskRoleArn ?? def.taskRoleArn;
  if (exec) payload.executionRoleArn = exec;
  if (role) payload.taskRoleArn = role;
  if (needsSecrets(def, task.overrides)) payload.needsSecrets = true;
  return payload;
}

function containerPayload(task: TaskRecord, c: ContainerDefinition, o: ContainerOverride | undefined): ContainerPayload {
  const record = task.containers.find((r) => r.name === c.name)!;
  // Override environment entries replace same-named ones and add new ones, as ECS merges them.
  const env = new Map((c.environment ?? []).map((e) => [e.name!, e.value ?? '']));
  for (const e of o?.environment ?? []) env.set(e.name!, e.value ?? '');
  const p: ContainerPayload = {
    name: c.name!,
    containerArn: record.containerArn,
    image: c.image!,
    essential: c.essential !== false,
    environment: [...env].map(([name, value]) => ({ name, value })),
    cpu: o?.cpu ?? c.cpu ?? 0,
    portMappings: (c.portMappings ?? []).map((m) => ({
      containerPort: m.containerPort!,
      ...(m.hostPort !== undefined ? { hostPort: m.hostPort } : {}),
      protocol: (m.protocol ?? 'tcp') as 'tcp' | 'udp',
    })),
    dependsOn: (c.dependsOn ?? []).map((d) => ({ containerName: d.containerName!, condition: d.condition as ContainerPayload['dependsOn'][number]['condition'] })),
    mountPoints: (c.mountPoints ?? []).map((m) => ({ sourceVolume: m.sourceVolume!, containerPath: m.containerPath!, ...(m.readOnly ? { readOnly: true } : {}) })),
    volumesFrom: (c.volumesFrom ?? []).map((v) => ({ sourceContainer: v.sourceContainer!, ...(v.readOnly ? { readOnly: true } : {}) })),
  };
  const command = o?.command ?? c.command;
  if (command) p.command = command;
  if (record.gpuIds?.length) p.gpuIds = [...record.gpuIds];
  if (c.entryPoint) p.entryPoint = c.entryPoint;
  if (c.workingDirectory) p.workingDirectory = c.workingDirectory;
  if (c.user) p.user = c.user;
  if (c.hostname) p.hostname = c.hostname;
  const memory = o?.memory ?? c.memory;
  const reservation = o?.memoryReservation ?? c.memoryReservation;
  if (memory !== undefined) p.memory = memory;
  if (reservation !== undefined) p.memoryReservation = reservation;
  if (c.healthCheck?.command) {
    p.healthCheck = {
      command: c.healthCheck.command,
      ...(c.healthCheck.interval !== undefined ? { interval: c.healthCheck.interval } : {}),
      ...(c.healthCheck.timeout !== undefined ? { timeout: c.healthCheck.timeout } : {}),
      ...(c.healthCheck.retries !== undefined ? { retries: c.healthCheck.retries } : {}),
      ...(c.healthCheck.startPeriod !== undefined ? { startPeriod: c.healthCheck.startPeriod } : {}),
    };
  }
  if (c.stopTimeout !== undefined) p.stopTimeout = c.stopTimeout;
  if (c.ulimits) p.ulimits = c.ulimits.map((u) => ({ name: u.name!, softLimit: u.softLimit!, hardLimit: u.hardLimit! }));
  if (c.dockerLabels) p.dockerLabels = c.dockerLabels;
  if (c.readonlyRootFilesystem) p.readonlyRootFilesystem = true;
  if (c.linuxParameters?.initProcessEnabled) p.initProcessEnabled = true;
  if (c.privileged) p.privileged = true;
  if (c.linuxParameters?.capabilities?.add) p.capAdd = c.linuxParameters.capabilities.add;
  if (c.linuxParameters?.capabilities?.drop) p.capDrop = c.linuxParameters.capabilities.drop;
  if (c.links) p.links = c.links;
  if (c.extraHosts) p.extraHosts = c.extraHosts.map((h) => ({ hostname: h.hostname!, ipAddress: h.ipAddress! }));
  if (c.dnsServers) p.dnsServers = c.dnsServers;
  if (c.logConfiguration?.logDriver) p.logConfiguration = { logDriver: c.logConfiguration.logDriver, options: c.logConfiguration.options ?? {} };
  return p;
}
