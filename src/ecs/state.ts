import type { Attribute, ClusterConfiguration, ClusterServiceConnectDefaults, ClusterSetting, CapacityProviderStrategyItem, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import type { StateStore, Table } from '../store/port.js';

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

/** The part of a container instance record the attributes API needs; the agent issue fills in the rest. */
export interface ContainerInstanceRecord {
  containerInstanceArn: string;
  clusterArn: string;
  ec2InstanceId?: string;
  attributes: Attribute[];
}

export class EcsState {
  readonly clusters: Table<ClusterRecord>;
  readonly taskDefinitions: Table<TaskDefinitionRecord>;
  readonly families: Table<FamilyRecord>;
  /** Tags by resource ARN. */
  readonly tags: Table<Tag[]>;
  readonly accountSettings: Table<AccountSettingRecord>;
  readonly containerInstances: Table<ContainerInstanceRecord>;

  constructor(readonly store: StateStore) {
    this.clusters = store.table('ecs.clusters');
    this.taskDefinitions = store.table('ecs.task_definitions');
    this.families = store.table('ecs.families');
    this.tags = store.table('ecs.tags');
    this.accountSettings = store.table('ecs.account_settings');
    this.containerInstances = store.table('ecs.container_instances');
  }
}
