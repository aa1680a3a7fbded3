import type { TaskOverride } from '@aws-sdk/client-ecs';
import type { ObservedContainer, TaskStatus } from '../../protocol/messages.js';

/**
 * A task as the server keeps it (table `ecs.tasks`, key `account:region:cluster:taskId`).
 * Timestamps are epoch milliseconds. `lastStatus` only moves forward (TASK_STATUSES order); the
 * agent's reports are its only source after creation, except that the server itself stops tasks
 * that never reached an agent.
 */
export interface TaskRecord {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  accountId: string;
  region: string;
  taskDefinitionArn: string;
  /** Where it runs: a container instance ARN, or a managed (Fargate) host id. */
  hostId: string;
  containerInstanceArn?: string;
  launchType: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacityProviderName?: string;
  availabilityZone: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  /**
   * The stop asked for. `graceSeconds`: SIGTERM-to-SIGKILL time for every container (Spot).
   * `holdUntil`: the agent is not told before this time unless the stop is released earlier
   * (a service task draining from its target groups: ECS's DEACTIVATING).
   */
  stopRequest?: { stopCode: string; reason: string; graceSeconds?: number; holdUntil?: number };
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  startedBy?: string;
  group: string;
  cpu?: string;
  memory?: string;
  /** Resources counted against the host while the task is not STOPPED. */
  reserved: { cpu: number; memory: number; ports: number[]; portsUdp: number[]; gpus?: string[] };
  overrides: TaskOverride;
  enableExecuteCommand: boolean;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  containers: ContainerRecord[];
  /** awsvpc: the Docker network that realises the ENI's subnet on the host. */
  network?: { name: string; subnet: string; gateway: string };
  eni?: { attachmentId: string; eniId: string; subnetId: string; privateIPv4Address: string; macAddress: string; privateDnsName: string; status: 'PRECREATED' | 'ATTACHED' | 'DELETED' };
  platformVersion?: string;
  platformFamily?: string;
  /** Incremented on every change (Task.version). */
  version: number;
}

export interface ContainerRecord extends ObservedContainer {
  containerArn: string;
  image: string;
  cpu: number;
  memory?: number;
  memoryReservation?: number;
  essential: boolean;
  /** The host GPUs assigned to it (ECS's Container.gpuIds), from its task's. */
  gpuIds?: string[];
}
