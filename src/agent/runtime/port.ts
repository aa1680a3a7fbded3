/**
 * The container runtime port: everything the agent's task engine needs from a container engine,
 * and nothing more. Two adapters implement it: `docker.ts` (Docker Engine API over its unix
 * socket) and `hollow.ts` (a simulated engine for scale tests and benchmarks). The engine never
 * knows which one it drives; `test/unit/runtime-conformance.test.ts` holds both to this contract.
 *
 * Contract:
 * - Every method is idempotent where its name allows: removing a container or network that is
 *   gone, stopping a container that is not running, creating a network that exists with the same
 *   name — all succeed quietly.
 * - Failures are typed `RuntimeError`s with a `kind` the engine maps to ECS reasons
 *   (`ImageNotFound` → CannotPullContainerError, …); anything else is `Unknown`.
 * - Containers created through the port carry the labels given; `list(labels)` finds them after
 *   an agent restart, which is how the agent adopts its containers instead of starting them twice.
 */
export interface ContainerSpec {
  /** Docker container name (unique on the host). */
  name: string;
  image: string;
  labels: Record<string, string>;
  env?: string[];
  cmd?: string[];
  entrypoint?: string[];
  workingDir?: string;
  user?: string;
  hostname?: string;
  /**
   * `bridge` | `host` | `none` | `container:<id>` (join another container's namespaces, as awsvpc
   * tasks join their pause container) | the name of a network created with `createNetwork`.
   */
  networkMode: string;
  /** Static address on `networkMode`'s user-defined network (awsvpc pause containers). */
  ipv4Address?: string;
  macAddress?: string;
  portBindings?: PortBinding[];
  /** CPU shares (ECS container `cpu` units map 1:1, with Docker's minimum of 2). */
  cpuShares?: number;
  /** Hard memory limit in bytes (ECS `memory`). */
  memoryBytes?: number;
  /** Soft limit in bytes (ECS `memoryReservation`). */
  memoryReservationBytes?: number;
  ulimits?: { name: string; soft: number; hard: number }[];
  readonlyRootfs?: boolean;
  /** Run an init process as PID 1 (ECS `linuxParameters.initProcessEnabled`). */
  init?: boolean;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  /** `host-path:container-path[:ro]` or `volume-name:container-path[:ro]`. */
  binds?: string[];
  /** `container-id[:ro]`. */
  volumesFrom?: string[];
  extraHosts?: string[];
  dns?: string[];
  /** Host GPU ids the container gets (a runtime on a host with NVIDIA GPUs passes them through). */
  gpuIds?: string[];
  healthcheck?: { test: string[]; intervalSec?: number; timeoutSec?: number; retries?: number; startPeriodSec?: number };
  /** Seconds between SIGTERM and SIGKILL when stopped. */
  stopTimeoutSec?: number;
  stopSignal?: string;
}

export interface PortBinding { containerPort: number; protocol: 'tcp' | 'udp'; /** 0 or undefined = dynamic. */ hostPort?: number; hostIp?: string }

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  status: ContainerStatus;
  exitCode?: number;
  oomKilled?: boolean;
  /** Docker's error text when it could not start the container. */
  error?: string;
  startedAt?: Date;
  finishedAt?: Date;
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** Address per attached network name. */
  networks: Record<string, { ipv4Address: string; macAddress: string }>;
  /** Bound host ports (after dynamic assignment). */
  ports: { containerPort: number; protocol: 'tcp' | 'udp'; hostPort: number; hostIp: string }[];
}

export type RuntimeEvent =
  | { type: 'start' | 'die' | 'oom' | 'destroy'; id: string; labels: Record<string, string>; exitCode?: number }
  | { type: 'health'; id: string; labels: Record<string, string>; health: 'starting' | 'healthy' | 'unhealthy' };

export interface NetworkSpec { name: string; subnet: string; gateway: string; labels: Record<string, string> }

export interface ContainerStats {
  /** Raw engine stats in Docker's JSON shape (what the task metadata endpoint serves). */
  raw: Record<string, unknown>;
}

export type RuntimeErrorKind = 'ImageNotFound' | 'ContainerNotFound' | 'NameConflict' | 'InvalidSpec' | 'Unavailable' | 'Unknown';

export class RuntimeError extends Error {
  constructor(readonly kind: RuntimeErrorKind, message: string) {
    super(message);
    this.name = `RuntimeError(${kind})`;
  }
}

/** One line a container wrote, with the engine's timestamp (epoch ms). */
export interface LogLine { stream: 'stdout' | 'stderr'; timestamp: number; text: string }

export interface ContainerRuntime {
  /** Engine identity, e.g. `docker 20.10.24` or `hollow`. */
  /** `gpus`: the host's NVIDIA GPU ids when the runtime found any (absent: none). */
  info(): Promise<{ name: string; version: string; cpus: number; memoryBytes: number; os: string; arch: string; gpus?: string[] }>;
  /** Resolves an image locally (no registry is reachable): ImageNotFound when absent. */
  ensureImage(image: string): Promise<void>;
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSec`. Resolves when the container has exited. */
  stop(id: string, timeoutSec: number): Promise<void>;
  remove(id: string): Promise<void>;
  inspect(id: string): Promise<ContainerState | undefined>;
  /** Containers (running or not) whose labels include every given label. */
  list(labels: Record<string, string>): Promise<ContainerState[]>;
  /** Streams events of containers that carry `labelKey`; returns an unsubscribe function. */
  events(labelKey: string, onEvent: (e: RuntimeEvent) => void): () => void;
  createNetwork(spec: NetworkSpec): Promise<void>;
  removeNetwork(name: string): Promise<void>;
  listNetworks(labels: Record<string, string>): Promise<string[]>;
  createVolume(name: string, labels: Record<string, string>, driver?: string, driverOpts?: Record<string, string>): Promise<void>;
  removeVolume(name: string): Promise<void>;
  stats(id: string): Promise<ContainerStats | undefined>;
  /**
   * Follows a container's stdout and stderr from its start, in order, until it exits: `onEnd`
   * is called once every line has been delivered. Returns a function that stops following.
   */
  logs(id: string, onLine: (l: LogLine) => void, onEnd: () => void): () => void;
}
