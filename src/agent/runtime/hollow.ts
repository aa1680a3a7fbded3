import { randomBytes } from 'node:crypto';
import {
  RuntimeError,
  type ContainerRuntime, type ContainerSpec, type ContainerState, type ContainerStats, type ContainerStatus, type LogLine, type NetworkSpec, type RuntimeEvent,
} from './port.js';
import { SimulatedNetworks } from './hollow/network.js';

type Health = 'starting' | 'healthy' | 'unhealthy';

export interface HollowOptions {
  /** Time `start` takes before the container runs. */
  startLatencyMs?: number;
  /** When the simulated process exits on its own after starting; undefined = it runs until stopped. */
  exitAfterMs?: (spec: ContainerSpec) => number | undefined;
  /** Its exit code when it exits on its own (default 0). */
  exitCode?: (spec: ContainerSpec) => number;
  /** Images present on the simulated host (default: every image). */
  knownImages?: (image: string) => boolean;
  cpus?: number;
  memoryBytes?: number;
  /**
   * Peak memory the simulated process uses. Above the container's hard limit it is OOM-killed
   * (`oom`, then `die` 137) when it would otherwise exit, or right after starting if it would not.
   */
  memoryUsageBytes?: (spec: ContainerSpec) => number;
  /** What the process does on SIGTERM: exit with this code (default 143), or ignore it and be SIGKILLed (137) after the stop timeout. */
  onSigterm?: (spec: ContainerSpec) => number | 'ignore';
  /** Health transitions after start for containers with a health check (default: healthy after the first interval). */
  health?: (spec: ContainerSpec) => { afterMs: number; status: 'healthy' | 'unhealthy' }[];
  /** What the simulated process writes to stdout when it starts (for log shipping tests and benchmarks). */
  logLines?: (spec: ContainerSpec) => string[];
}

interface Box {
  id: string;
  spec: ContainerSpec;
  status: ContainerStatus;
  exitCode?: number;
  oomKilled: boolean;
  error?: string;
  startedAt?: Date;
  finishedAt?: Date;
  health?: Health;
  networks: ContainerState['networks'];
  ports: ContainerState['ports'];
  /** Pending simulated happenings (exit, health steps, SIGKILL); none while nothing is scheduled. */
  timers?: NodeJS.Timeout[];
  /** Resolves a pending `stop`. */
  stopped?: { promise: Promise<void>; resolve: () => void };
  /** Followers of its output, told when it exits. */
  followers?: Set<() => void>;
}

/**
 * A simulated container engine behind the same port: containers are records, their processes
 * are scripted by the options, and events, addresses and host ports behave as Docker's do. It
 * never looks at a clock on its own — a timer exists only while something is scheduled (a start
 * latency, a scripted exit or health change, a SIGKILL after a stop timeout) — so thousands of
 * idle simulated containers cost only their records.
 */
export class HollowRuntime implements ContainerRuntime {
  private readonly boxes = new Map<string, Box>();
  private readonly byName = new Map<string, Box>();
  private readonly nets = new SimulatedNetworks();
  private readonly volumes = new Map<string, { labels: Record<string, string>; driver: string }>();
  private readonly subs = new Set<{ labelKey: string; onEvent: (e: RuntimeEvent) => void }>();

  constructor(private readonly opts: HollowOptions = {}) {}

  /** Number of containers that exist (any state). */
  get size(): number { return this.boxes.size; }

  async info(): Promise<{ name: string; version: string; cpus: number; memoryBytes: number; os: string; arch: string }> {
    return { name: 'hollow', version: '1', cpus: this.opts.cpus ?? 2, memoryBytes: this.opts.memoryBytes ?? 4 * 2 ** 30, os: 'linux', arch: 'x86_64' };
  }

  async ensureImage(image: string): Promise<void> {
    if (!(this.opts.knownImages?.(image) ?? true)) throw new RuntimeError('ImageNotFound', `image ${image} is not present on this host (images are never pulled)`);
  }

  async create(spec: ContainerSpec): Promise<string> {
    await this.ensureImage(spec.image);
    if (!/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(spec.name)) throw new RuntimeError('InvalidSpec', `Invalid container name (${spec.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const name = spec.name.replace(/^\//, '');
    if (this.byName.has(name)) throw new RuntimeError('NameConflict', `Conflict. The container name "/${name}" is already in use`);
    const joins = spec.networkMode.startsWith('container:');
    if (joins && spec.hostname) throw new RuntimeError('InvalidSpec', 'conflicting options: hostname and the network mode');
    if (joins && spec.portBindings?.length) throw new RuntimeError('InvalidSpec', 'conflicting options: port publishing and the container type network mode');
    if (spec.ipv4Address && (joins || ['bridge', 'host', 'none', 'default'].includes(spec.networkMode))) {
      throw new RuntimeError('InvalidSpec', 'user specified IP address is supported on user defined networks only');
    }
    const box: Box = { id: randomBytes(32).toString('hex'), spec: { ...spec, name }, status: 'created', oomKilled: false, networks: {}, ports: [] };
    this.boxes.set(box.id, box);
    this.byName.set(name, box);
    return box.id;
  }

  async start(id: string): Promise<void> {
    if (this.opts.startLatencyMs && this.find(id)?.status !== 'running') await new Promise((r) => setTimeout(r, this.opts.startLatencyMs));
    // Looked up after the latency: the container may have been removed or started meanwhile.
    const box = this.find(id);
    if (!box) throw new RuntimeError('ContainerNotFound', `No such container: ${id}`);
    if (box.status === 'running') return;
    try {
      Object.assign(box, this.nets.attach(box.spec, (ref) => {
        const other = this.find(ref);
        return other && { id: other.id, running: other.status === 'running' };
      }));
    } catch (e) {
      box.error = (e as Error).message;
      throw e;
    }
    const spec = box.spec;
    Object.assign(box, { status: 'running', exitCode: undefined, oomKilled: false, error: undefined, startedAt: new Date() });
    const hc = spec.healthcheck;
    box.health = hc && hc.test[0] !== 'NONE' ? 'starting' : undefined;
    this.emit(box, { type: 'start' });
    if (box.health) {
      const steps = this.opts.health?.(spec) ?? [{ afterMs: (hc?.intervalSec ?? 30) * 1000, status: 'healthy' }];
      for (const s of steps) this.schedule(box, s.afterMs, () => this.changeHealth(box, s.status));
    }
    const exitAfter = this.opts.exitAfterMs?.(spec);
    const usage = this.opts.memoryUsageBytes?.(spec);
    if (spec.memoryBytes && usage !== undefined && usage > spec.memoryBytes) {
      this.schedule(box, exitAfter ?? 0, () => this.finish(box, 137, true));
    } else if (exitAfter !== undefined) {
      this.schedule(box, exitAfter, () => this.finish(box, this.opts.exitCode?.(spec) ?? 0, false));
    }
  }

  async stop(id: string, timeoutSec: number): Promise<void> {
    const box = this.find(id);
    if (!box || box.status !== 'running') return;
    if (box.stopped) return box.stopped.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => { resolve = r; });
    box.stopped = { promise, resolve };
    const onTerm = this.opts.onSigterm?.(box.spec) ?? 143;
    if (onTerm !== 'ignore') this.finish(box, onTerm, false);
    else if (timeoutSec <= 0) this.finish(box, 137, false);
    else this.schedule(box, timeoutSec * 1000, () => this.finish(box, 137, false));
    return promise;
  }

  async remove(id: string): Promise<void> {
    const box = this.find(id);
    if (!box) return;
    this.finish(box, 137, false);
    this.boxes.delete(box.id);
    this.byName.delete(box.spec.name);
    this.emit(box, { type: 'destroy' });
  }

  async inspect(id: string): Promise<ContainerState | undefined> {
    const box = this.find(id);
    return box && snapshot(box);
  }

  async list(labels: Record<string, string>): Promise<ContainerState[]> {
    const want = Object.entries(labels);
    const out: ContainerState[] = [];
    for (const box of this.boxes.values()) if (want.every(([k, v]) => box.spec.labels[k] === v)) out.push(snapshot(box));
    return out;
  }

  events(labelKey: string, onEvent: (e: RuntimeEvent) => void): () => void {
    const sub = { labelKey, onEvent };
    this.subs.add(sub);
    return () => { this.subs.delete(sub); };
  }

  async createNetwork(spec: NetworkSpec): Promise<void> {
    this.nets.create(spec);
  }

  async removeNetwork(name: string): Promise<void> {
    let inUse = false;
    for (const box of this.boxes.values()) if (box.status === 'running' && box.networks[name]) inUse = true;
    this.nets.remove(name, inUse);
  }

  async listNetworks(labels: Record<string, string>): Promise<string[]> {
    return this.nets.list(labels);
  }

  async createVolume(name: string, labels: Record<string, string>, driver = 'local'): Promise<void> {
    if (!this.volumes.has(name)) this.volumes.set(name, { labels, driver });
  }

  async removeVolume(name: string): Promise<void> {
    if (!this.volumes.has(name)) return;
    for (const box of this.boxes.values()) {
      if (box.spec.binds?.some((b) => b.split(':')[0] === name)) throw new RuntimeError('Unknown', `remove ${name}: volume is in use - [${box.id}]`);
    }
    this.volumes.delete(name);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const box = this.find(id);
    if (!box) return undefined;
    const running = box.status === 'running';
    const cpu = { cpu_usage: { total_usage: 0, percpu_usage: [], usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 0, online_cpus: this.opts.cpus ?? 2, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
    return {
      raw: {
        id: box.id,
        name: `/${box.spec.name}`,
        read: new Date().toISOString(),
        preread: new Date(Date.now() - 1000).toISOString(),
        pids_stats: { current: running ? 1 : 0 },
        cpu_stats: cpu,
        precpu_stats: cpu,
        memory_stats: running ? { usage: this.opts.memoryUsageBytes?.(box.spec) ?? 4 << 20, limit: box.spec.memoryBytes ?? (await this.info()).memoryBytes, stats: {} } : {},
        blkio_stats: {},
        networks: running ? { eth0: { rx_bytes: 0, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: 0, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } } : undefined,
      },
    };
  }

  // --- simulation controls: what a real process could do to itself ---

  /** The container's process dies now (e.g. a crash) with `exitCode`; OOM kills report 137 with `oomKilled`. */
  crash(id: string, exitCode: number, oomKilled = false): void {
    const box = this.find(id);
    if (box) this.finish(box, oomKilled ? 137 : exitCode, oomKilled);
  }

  /** Sets a running container's health, emitting a `health` event on change. */
  setHealth(id: string, health: 'healthy' | 'unhealthy'): void {
    const box = this.find(id);
    if (box) this.changeHealth(box, health);
  }

  // --- internals ---

  private find(idOrName: string): Box | undefined {
    return this.boxes.get(idOrName) ?? this.byName.get(idOrName.replace(/^\//, ''));
  }

  private schedule(box: Box, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      box.timers = box.timers?.filter((x) => x !== t);
      fn();
    }, ms);
    (box.timers ??= []).push(t);
  }

  /** The process is gone: releases its address and ports, reports `oom`/`die`, wakes `stop`. */
  private finish(box: Box, exitCode: number, oom: boolean): void {
    if (box.status !== 'running') return;
    for (const t of box.timers ?? []) clearTimeout(t);
    box.timers = undefined;
    Object.assign(box, this.nets.release(box), { status: 'exited', exitCode, oomKilled: oom, finishedAt: new Date() });
    if (oom) this.emit(box, { type: 'oom' });
    this.emit(box, { type: 'die', exitCode });
    const stopped = box.stopped;
    box.stopped = undefined;
    stopped?.resolve();
    for (const end of box.followers ?? []) queueMicrotask(end);
    box.followers = undefined;
  }

  logs(id: string, onLine: (l: LogLine) => void, onEnd: () => void): () => void {
    const box = this.find(id);
    if (!box) {
      queueMicrotask(onEnd);
      return () => undefined;
    }
    const at = (box.startedAt ?? new Date()).getTime();
    const lines = this.opts.logLines?.(box.spec) ?? [];
    queueMicrotask(() => lines.forEach((text) => onLine({ stream: 'stdout', timestamp: at, text })));
    if (box.status === 'exited' || box.status === 'dead') {
      queueMicrotask(onEnd);
      return () => undefined;
    }
    const end = (): void => onEnd();
    (box.followers ??= new Set()).add(end);
    return () => box.followers?.delete(end);
  }

  private changeHealth(box: Box, health: Health): void {
    if (box.status !== 'running' || box.health === undefined || box.health === health) return;
    box.health = health;
    this.emit(box, { type: 'health', health });
  }

  /** Delivered asynchronously and in order, as Docker's event stream would. */
  private emit(box: Box, e: { type: 'start' | 'die' | 'oom' | 'destroy'; exitCode?: number } | { type: 'health'; health: Health }): void {
    const labels = box.spec.labels;
    for (const sub of this.subs) {
      if (!(sub.labelKey in labels)) continue;
      const event = { ...e, id: box.id, labels: { ...labels } } as RuntimeEvent;
      queueMicrotask(() => { if (this.subs.has(sub)) sub.onEvent(event); });
    }
  }
}

function snapshot(box: Box): ContainerState {
  const ended = box.status === 'exited' || box.status === 'dead';
  const networks: ContainerState['networks'] = {};
  for (const [k, v] of Object.entries(box.networks)) networks[k] = { ...v };
  return {
    id: box.id, name: box.spec.name, image: box.spec.image, labels: { ...box.spec.labels }, status: box.status,
    exitCode: ended ? box.exitCode : undefined, oomKilled: box.oomKilled, error: box.error,
    startedAt: box.startedAt, finishedAt: ended ? box.finishedAt : undefined, health: box.health,
    networks, ports: box.ports.map((p) => ({ ...p })),
  };
}
