/**
 * The plain data the placement pipeline works on. Everything here is a snapshot: the pipeline never
 * mutates what it is given; it places on a working copy and returns the decision.
 */

/** Container-instance statuses as ECS names them; only ACTIVE instances take new tasks. */
export type InstanceStatus = 'ACTIVE' | 'DRAINING' | 'REGISTERING' | 'REGISTRATION_FAILED' | 'DEREGISTERING' | 'INACTIVE';

/** One candidate container instance. */
export interface InstanceView {
  /** containerInstanceArn. */
  readonly id: string;
  readonly ec2InstanceId: string;
  readonly status: InstanceStatus;
  /** Whether the agent is connected now. */
  readonly connected: boolean;
  /** Name → value (undefined for a value-less attribute such as `ecs.capability.*`). */
  readonly attributes: ReadonlyMap<string, string | undefined>;
  readonly remaining: {
    readonly cpu: number;
    readonly memory: number;
    /** TCP host ports in use. */
    readonly ports: ReadonlySet<number>;
    /** UDP host ports in use. */
    readonly portsUdp: ReadonlySet<number>;
    /** Free GPU ids, in the order they are handed out. */
    readonly gpus: readonly string[];
  };
  /** Task group → count of its non-STOPPED tasks here (ECS looks at desired status, not last). */
  readonly taskGroups: ReadonlyMap<string, number>;
  readonly runningTasksCount: number;
}

/** What one task needs from an instance. */
export interface TaskNeed {
  cpu: number;
  memory: number;
  /** Fixed TCP host ports (dynamic mappings, hostPort 0, are not listed). */
  ports: readonly number[];
  /** Fixed UDP host ports. */
  portsUdp: readonly number[];
  /** Number of whole GPUs. */
  gpus: number;
  /** The task definition's requiresAttributes (value absent: the attribute only has to exist). */
  requiresAttributes: readonly { name: string; value?: string }[];
  /** `service:<name>` for service tasks, the RunTask `group` (default `family:<family>`) otherwise. */
  group: string;
  /** awsvpc tasks get their own network interface and so hold no host ports. */
  networkMode?: string;
}

/** ECS's PlacementStrategy shape. */
export interface PlacementStrategy {
  type: 'binpack' | 'spread' | 'random';
  /** binpack: `cpu` | `memory`; spread: `instanceId` | `host` | `attribute:<name>`; random: unused. */
  field?: string;
}

/** ECS's PlacementConstraint, with memberOf's expression already compiled to a predicate elsewhere. */
export type PlacementConstraint =
  | { type: 'distinctInstance' }
  | { type: 'memberOf'; expression: string; test: (instance: InstanceView) => boolean };

export interface PlacementRequest {
  need: TaskNeed;
  /** Tasks to place, one after the other on the same working copy. */
  count: number;
  /** The only source of randomness: the same instances and request give the same decision. */
  seed: number;
  /** Applied in order: the first ranks, the next breaks its ties, the seeded random breaks the rest. */
  strategies: readonly PlacementStrategy[];
  constraints: readonly PlacementConstraint[];
}

/**
 * Why an instance was turned away. The first six are the RunTask `failures[].reason` codes ECS
 * documents (API failure reasons). For the two constraints ECS returns a sentence instead of a code
 * (`MemberOf placement constraint unsatisfied.` is what RunTask and the service event show for
 * memberOf); we keep ECS's strings so they can be passed through as they are.
 */
export const REJECTION = {
  agent: 'AGENT',
  attribute: 'ATTRIBUTE',
  cpu: 'RESOURCE:CPU',
  memory: 'RESOURCE:MEMORY',
  ports: 'RESOURCE:PORTS',
  gpu: 'RESOURCE:GPU',
  memberOf: 'MemberOf placement constraint unsatisfied.',
  distinctInstance: 'DistinctInstance placement constraint unsatisfied.',
} as const;
export type Rejection = (typeof REJECTION)[keyof typeof REJECTION];

/** A task placed: where, and which GPUs it got. */
export interface Placement { instanceId: string; gpuIds: string[] }

/**
 * A task that could not be placed: the reason the closest matching instance gave (ECS's RunTask
 * `failures[]` carries that instance's ARN and reason), or MISSING when there are no instances.
 */
export interface PlacementFailure { reason: Rejection | 'MISSING'; instanceId?: string }
