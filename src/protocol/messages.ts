/**
 * The agent protocol: JSON messages over one WebSocket per agent (path `/agent/v1` on the
 * server's port). Shared by both sides; nothing here does I/O.
 *
 * The model is level-triggered, as the ECS agent's is: the server sends the agent its whole
 * desired state (`desired`: every task it should know, with desired status) whenever it changes
 * and on every (re)connect; the agent reconciles idempotently. The agent reports what it
 * observes as `state` messages with a per-agent sequence number; the server applies each at most
 * once (it remembers the last seq per instance) and acknowledges it. Unacknowledged reports are
 * resent after a reconnect, so nothing observed is lost and nothing is applied twice.
 */

export const PROTOCOL_VERSION = 1;
export const AGENT_PATH = '/agent/v1';

/**
 * A host's resources. `gpus`: the ids of its GPUs (NVIDIA UUIDs, or what a hollow host declares);
 * absent means none, so agents that predate GPUs still speak the same protocol.
 */
export interface Resources { cpu: number; memory: number; ports: number[]; portsUdp: number[]; gpus?: string[] }

/** agent → server, first message. */
export interface Hello {
  type: 'hello';
  protocol: number;
  /** Join token (`berth agent token`) for a first registration, or the identity issued then. */
  auth: { joinToken: string } | { instanceArn: string; instanceSecret: string };
  agentVersion: string;
  hostname: string;
  resources: Resources;
  attributes: { name: string; value?: string }[];
  /**
   * The "Auto Scaling group" the host belongs to: a name; the instance joins the cluster's
   * capacity provider whose group ARN ends in `autoScalingGroupName/<name>`.
   */
  autoScalingGroup?: string;
  /** Last acknowledged seq the agent knows of; reports after it are resent. */
  lastAckedSeq: number;
}


/** server → agent: who the agent is. Sent once after a valid hello. */
export interface Welcome {
  type: 'welcome';
  containerInstanceArn: string;
  /** Present on a first registration: the agent stores it and authenticates with it from then on. */
  instanceSecret?: string;
  clusterArn: string;
  region: string;
  accountId: string;
  lastAppliedSeq: number;
  /** Last awslogs batch id applied from this host: new batch ids continue above it. */
  lastLogSeq: number;
  heartbeatSec: number;
}

/** server → agent: every task the agent should hold, complete. */
export interface Desired { type: 'desired'; tasks: TaskPayload[] }

/** agent → server: observed state of one task. */
export interface StateReport {
  type: 'state';
  seq: number;
  task: ObservedTask;
}

export interface Ack { type: 'ack'; seq: number }

/**
 * The awslogs driver's traffic. `logs-prepare` makes sure the group (created when
 * `awslogs-create-group` is true) and stream exist before a container starts; `logs` carries a
 * batch of events. Both name the task, so the server files them under the task's account and only
 * for a task this agent holds. Each has an id answered by `logs-result`; `logs` ids increase per
 * agent and the server applies each at most once, so resending after a reconnect loses nothing
 * and duplicates nothing.
 */
export interface LogsPrepare { type: 'logs-prepare'; id: number; taskArn: string; region: string; group: string; stream: string; createGroup: boolean }
export interface LogsBatch { type: 'logs'; id: number; taskArn: string; region: string; group: string; stream: string; events: { timestamp: number; message: string }[] }
export interface LogsResult { type: 'logs-result'; id: number; error?: string }
/**
 * What a task needs from the server before its containers are created, fetched with the task's
 * roles as the ECS agent fetches them: `secrets` (the task's `secrets[].valueFrom` and
 * `logConfiguration.secretOptions`, read with its execution role) and `credentials` (temporary
 * credentials for its task role, served to its containers by the credentials endpoint). Reads
 * only, so a request is simply resent after a reconnect. Values live in the agent's memory, never
 * in its state file.
 */
export interface TaskResourceRequest { type: 'task-resource'; id: number; taskArn: string; what: 'secrets' | 'credentials' }
export interface TaskResourceResult {
  type: 'task-resource-result';
  id: number;
  /** Why the resource could not be had, in the words the task stops with (after `ResourceInitializationError: `). */
  error?: string;
  /** `secrets`: per container name, the environment variables and log driver options to add. */
  secrets?: Record<string, { environment: Record<string, string>; logOptions: Record<string, string> }>;
  /** `credentials`: the task role's temporary credentials (expiration in epoch ms). */
  credentials?: RoleCredentials;
}
export interface RoleCredentials { roleArn: string; accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number }
export interface Heartbeat { type: 'heartbeat'; at: number }
export interface Refused { type: 'refused'; reason: string }

export type ToServer = Hello | StateReport | Heartbeat | LogsPrepare | LogsBatch | TaskResourceRequest;
export type ToAgent = Welcome | Desired | Ack | Refused | Heartbeat | LogsResult | TaskResourceResult;

/** The ECS task states in order; an observed status only moves forward. */
export const TASK_STATUSES = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const CONTAINER_STATUSES = ['PENDING', 'RUNNING', 'STOPPED'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

export interface TaskPayload {
  taskArn: string;
  family: string;
  revision: number;
  desiredStatus: 'RUNNING' | 'STOPPED';
  /**
   * Why the server wants it stopped (becomes stoppedReason/stopCode). `graceSeconds`, when set,
   * is how long each container has after SIGTERM before it is killed, whatever its stopTimeout
   * (a Spot interruption's warning).
   */
  stopRequest?: { stopCode: string; reason: string; graceSeconds?: number };
  clusterArn: string;
  accountId: string;
  region: string;
  launchType: string;
  availabilityZone: string;
  networkMode: 'awsvpc' | 'bridge' | 'host' | 'none';
  /** awsvpc: the Docker network realising the subnet, and the ENI's address. */
  network?: { name: string; subnet: string; gateway: string; ipv4Address: string; macAddress: string; eniId: string; subnetId: string; privateDnsName: string };
  cpu?: string;
  memory?: string;
  pidMode?: string;
  ipcMode?: string;
  volumes: { name: string; host?: { sourcePath?: string }; docker?: { scope?: 'task' | 'shared'; autoprovision?: boolean; driver?: string; driverOpts?: Record<string, string>; labels?: Record<string, string> } }[];
  containers: ContainerPayload[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  /** The task has secrets or environment files: ask for them (`task-resource` secrets) before creating containers. */
  needsSecrets?: boolean;
}

export interface ContainerPayload {
  name: string;
  containerArn: string;
  image: string;
  essential: boolean;
  command?: string[];
  entryPoint?: string[];
  environment: { name: string; value: string }[];
  workingDirectory?: string;
  user?: string;
  hostname?: string;
  cpu: number;
  memory?: number;
  memoryReservation?: number;
  portMappings: { containerPort: number; hostPort?: number; protocol: 'tcp' | 'udp' }[];
  healthCheck?: { command: string[]; interval?: number; timeout?: number; retries?: number; startPeriod?: number };
  dependsOn: { containerName: string; condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY' }[];
  stopTimeout?: number;
  ulimits?: { name: string; softLimit: number; hardLimit: number }[];
  dockerLabels?: Record<string, string>;
  readonlyRootFilesystem?: boolean;
  initProcessEnabled?: boolean;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  mountPoints: { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
  volumesFrom: { sourceContainer: string; readOnly?: boolean }[];
  links?: string[];
  extraHosts?: { hostname: string; ipAddress: string }[];
  dnsServers?: string[];
  /** The host GPU ids the server assigned this container (its `resourceRequirements` of type GPU). */
  gpuIds?: string[];
  logConfiguration?: { logDriver: string; options: Record<string, string> };
}

export interface ObservedContainer {
  name: string;
  lastStatus: ContainerStatus;
  runtimeId?: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  networkBindings?: { bindIP: string; containerPort: number; hostPort: number; protocol: 'tcp' | 'udp' }[];
}

export interface ObservedTask {
  taskArn: string;
  lastStatus: TaskStatus;
  containers: ObservedContainer[];
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
}

export function statusRank(s: TaskStatus): number {
  return TASK_STATUSES.indexOf(s);
}
