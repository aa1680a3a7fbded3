import type { ContainerPayload, TaskPayload } from '../../protocol/messages.js';
import type { ContainerSpec } from '../runtime/port.js';

/** Labels the real ECS agent puts on task containers; Berth uses them to find its own again. */
export const LABEL_TASK_ARN = 'com.amazonaws.ecs.task-arn';
export const LABEL_CONTAINER = 'com.amazonaws.ecs.container-name';
export const LABEL_CLUSTER = 'com.amazonaws.ecs.cluster';
export const LABEL_FAMILY = 'com.amazonaws.ecs.task-definition-family';
export const LABEL_REVISION = 'com.amazonaws.ecs.task-definition-version';
/** Which agent owns a container: its persistent agent id. */
export const LABEL_AGENT = 'berth.agent';
export const PAUSE = '~internal~ecs~pause';

export const taskIdOf = (taskArn: string): string => taskArn.split('/').pop()!;
export const containerName = (taskArn: string, name: string): string => `berth-${taskIdOf(taskArn)}-${name === PAUSE ? 'pause' : name}`;
export const taskVolumeName = (taskArn: string, volume: string): string => `berth-${taskIdOf(taskArn)}-${volume}`;

export interface SpecContext {
  agentId: string;
  /** Container ids by container name, for `volumesFrom` and joining the pause container. */
  idOf: (name: string) => string | undefined;
  /** Environment every container gets (metadata URIs, region, execution env). */
  baseEnv: (container: ContainerPayload) => Record<string, string>;
}

function labels(task: TaskPayload, name: string, agentId: string, extra?: Record<string, string>): Record<string, string> {
  return {
    ...extra,
    [LABEL_TASK_ARN]: task.taskArn,
    [LABEL_CONTAINER]: name,
    [LABEL_CLUSTER]: task.clusterArn,
    [LABEL_FAMILY]: task.family,
    [LABEL_REVISION]: String(task.revision),
    [LABEL_AGENT]: agentId,
  };
}

/** The pause container that owns an awsvpc task's network namespace, on the subnet's network. */
export function pauseSpec(task: TaskPayload, agentId: string, image: string): ContainerSpec {
  const n = task.network!;
  return {
    name: containerName(task.taskArn, PAUSE),
    image,
    labels: labels(task, PAUSE, agentId),
    networkMode: n.name,
    ipv4Address: n.ipv4Address,
    macAddress: n.macAddress,
    hostname: n.privateDnsName.split('.')[0],
    stopTimeoutSec: 1,
  };
}

/** ECS container definition (with overrides applied) → engine container spec. Pure. */
export function containerSpec(task: TaskPayload, c: ContainerPayload, ctx: SpecContext): ContainerSpec {
  const env = { ...ctx.baseEnv(c) };
  for (const e of c.environment) env[e.name] = e.value;
  // As the ECS agent does: the assigned GPUs are named to the NVIDIA container runtime.
  if (c.gpuIds?.length) env.NVIDIA_VISIBLE_DEVICES = c.gpuIds.join(',');
  const spec: ContainerSpec = {
    name: containerName(task.taskArn, c.name),
    image: c.image,
    labels: labels(task, c.name, ctx.agentId, c.dockerLabels),
    env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    networkMode: networkModeOf(task, ctx),
    // The ECS agent gives a container with cpu 0 the minimum of 2 shares.
    cpuShares: Math.max(2, c.cpu),
  };
  if (c.command) spec.cmd = c.command;
  if (c.entryPoint) spec.entrypoint = c.entryPoint;
  if (c.workingDirectory) spec.workingDir = c.workingDirectory;
  if (c.user) spec.user = c.user;
  if (c.hostname && task.networkMode !== 'awsvpc' && task.networkMode !== 'host') spec.hostname = c.hostname;
  if (c.memory !== undefined) spec.memoryBytes = c.memory * 1024 * 1024;
  if (c.memoryReservation !== undefined) spec.memoryReservationBytes = c.memoryReservation * 1024 * 1024;
  if (task.networkMode === 'bridge' && c.portMappings.length) {
    spec.portBindings = c.portMappings.map((m) => ({ containerPort: m.containerPort, protocol: m.protocol, ...(m.hostPort ? { hostPort: m.hostPort } : {}) }));
  }
  if (c.ulimits) spec.ulimits = c.ulimits.map((u) => ({ name: u.name, soft: u.softLimit, hard: u.hardLimit }));
  if (c.readonlyRootFilesystem) spec.readonlyRootfs = true;
  if (c.initProcessEnabled) spec.init = true;
  if (c.privileged) spec.privileged = true;
  if (c.capAdd) spec.capAdd = c.capAdd;
  if (c.capDrop) spec.capDrop = c.capDrop;
  if (c.extraHosts) spec.extraHosts = c.extraHosts.map((h) => `${h.hostname}:${h.ipAddress}`);
  if (c.dnsServers) spec.dns = c.dnsServers;
  if (c.gpuIds?.length) spec.gpuIds = [...c.gpuIds];
  if (c.stopTimeout !== undefined) spec.stopTimeoutSec = c.stopTimeout;
  if (c.healthCheck) {
    // ECS's defaults: interval 30 s, timeout 5 s, retries 3, no start period.
    spec.healthcheck = {
      test: c.healthCheck.command,
      intervalSec: c.healthCheck.interval ?? 30,
      timeoutSec: c.healthCheck.timeout ?? 5,
      retries: c.healthCheck.retries ?? 3,
      startPeriodSec: c.healthCheck.startPeriod ?? 0,
    };
  }
  const binds = c.mountPoints.map((m) => {
    const v = task.volumes.find((x) => x.name === m.sourceVolume);
    const source = v?.host?.sourcePath ?? (v?.docker?.scope === 'shared' ? v.name : taskVolumeName(task.taskArn, m.sourceVolume));
    return `${source}:${m.containerPath}${m.readOnly ? ':ro' : ''}`;
  });
  if (binds.length) spec.binds = binds;
  const from = c.volumesFrom.map((v) => `${ctx.idOf(v.sourceContainer) ?? containerName(task.taskArn, v.sourceContainer)}${v.readOnly ? ':ro' : ''}`);
  if (from.length) spec.volumesFrom = from;
  return spec;
}

function networkModeOf(task: TaskPayload, ctx: SpecContext): string {
  if (task.networkMode === 'awsvpc') return `container:${ctx.idOf(PAUSE) ?? containerName(task.taskArn, PAUSE)}`;
  return task.networkMode;
}
