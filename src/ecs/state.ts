import type { Attribute, AutoScalingGroupProvider, CapacityProviderUpdateStatus, ClusterConfiguration, ClusterServiceConnectDefaults, ClusterSetting, CapacityProviderStrategyItem, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import type { StateStore, Table } from '../store/port.js';
import type { ServiceDeploymentRecord } from './service/history.js';
import type { ServiceRecord } from './service/model.js';
import type { TaskRecord } from './task/record.js';

/**
 * ECS's tables. Records hold plain JSON (timestamps as epoch milliseconds), never Dates, so a
 * record reads the same from memory as after a restart. Keys start with `account:region:`.
 */
export interface ClusterRecord {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'INACTIVE';
  settings: ClusterSetting[];
  configuration?: ClusterConfiguration;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: ClusterServiceConnectDefaults;
  createdAt: number;
}

/** A registered revision. `definition` is the TaskDefinition as Describe returns it, less its timestamps. */
export interface TaskDefinitionRecord {
  definition: Omit<TaskDefinition, 'registeredAt' | 'deregisteredAt' | 'deleteRequestedAt'>;
  registeredAt: number;
  deregisteredAt?: number;
  deleteRequestedAt?: number;
}

/** Per family: the last revision number handed out. Revisions are never reused, even after deletion. */
export interface FamilyRecord { family: string; lastRevision: number }

export interface AccountSettingRecord { name: string; value: string; principalArn: string }

/**
 * A container instance (table `ecs.container_instances`, keyed by its ARN). Registered by an
 * agent's first hello with a join token, or by RegisterContainerInstance.
 */
export interface ContainerInstanceRecord {
  containerInstanceArn: string;
  clusterArn: string;
  accountId: string;
  region: string;
  ec2InstanceId?: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  agentConnected: boolean;
  registeredResources: HostResources;
  attributes: Attribute[];
  versionInfo: { agentVersion: string; agentHash?: string; dockerVersion?: string };
  registeredAt: number;
  hostname?: string;
  /** sha256 of the secret the agent authenticates with after its first registration. */
  secretHash?: string;
  /** Last agent report applied (the protocol's at-most-once sequence). */
  lastSeq: number;
  /** Last awslogs batch applied from its agent (at most once, like `lastSeq`). */
  lastLogSeq?: number;
  capacityProviderName?: string;
}

/**
 * A host's resources (registered) or what tasks hold of them (reserved). `gpus`: GPU ids, absent
 * when none; a task holds the ids placement gave it.
 */
export interface HostResources { cpu: number; memory: number; ports: number[]; portsUdp: number[]; gpus?: string[] }

/**
 * A host of the managed (Fargate) pool: runs FARGATE tasks of every account; never a container
 * instance of any cluster. Table `ecs.managed_hosts`, keyed by host id.
 */
export interface ManagedHostRecord {
  hostId: string;
  agentConnected: boolean;
  registeredResources: HostResources;
  secretHash?: string;
  lastSeq: number;
  /** Last awslogs batch applied from its agent (at most once, like `lastSeq`). */
  lastLogSeq?: number;
  registeredAt: number;
}

/**
 * A custom (Auto Scaling group) capacity provider (table `ecs.capacity_providers`, keyed
 * `account:region:name`). In Berth the "Auto Scaling group" is a named group of registered
 * container instances; `autoScalingGroupProvider` holds the ARN as given and every default filled
 * in. Which cluster it belongs to is not stored here: it is the ACTIVE cluster whose
 * `capacityProviders` name it (one source of truth). FARGATE and FARGATE_SPOT are never stored.
 */
export interface CapacityProviderRecord {
  capacityProviderArn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  autoScalingGroupProvider: AutoScalingGroupProvider;
  updateStatus?: CapacityProviderUpdateStatus;
  updateStatusReason?: string;
  createdAt: number;
  updatedAt: number;
}

export class EcsState {
  readonly clusters: Table<ClusterRecord>;
  readonly taskDefinitions: Table<TaskDefinitionRecord>;
  readonly families: Table<FamilyRecord>;
  /** Tags by resource ARN. */
  readonly tags: Table<Tag[]>;
  readonly accountSettings: Table<AccountSettingRecord>;
  readonly containerInstances: Table<ContainerInstanceRecord>;
  readonly managedHosts: Table<ManagedHostRecord>;
  readonly tasks: Table<TaskRecord>;
  readonly capacityProviders: Table<CapacityProviderRecord>;
  /** Services by `account:region:cluster:name` (service/model.ts). */
  readonly services: Table<ServiceRecord>;
  /** Service deployments by ARN (service/history.ts), written with their service. */
  readonly serviceDeployments: Table<ServiceDeploymentRecord>;

  constructor(readonly store: StateStore) {
    this.clusters = store.table('ecs.clusters');
    this.taskDefinitions = store.table('ecs.task_definitions');
    this.families = store.table('ecs.families');
    this.tags = store.table('ecs.tags');
    this.accountSettings = store.table('ecs.account_settings');
    this.containerInstances = store.table('ecs.container_instances');
    this.managedHosts = store.table('ecs.managed_hosts');
    this.tasks = store.table('ecs.tasks');
    this.capacityProviders = store.table('ecs.capacity_providers');
    this.services = store.table('ecs.services');
    this.serviceDeployments = store.table('ecs.service_deployments');
  }
}
