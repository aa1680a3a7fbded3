import {
  RuntimeError,
  type ContainerRuntime, type ContainerSpec, type ContainerState, type ContainerStats, type LogLine, type NetworkSpec, type RuntimeEvent,
} from './port.js';
import { EngineClient, engineError } from './docker/engine-client.js';
import { createBody, toState } from './docker/mapping.js';
import { subscribeEvents } from './docker/events.js';
import { LogDemuxer } from './docker/logs.js';
import { detectNvidiaGpus } from './gpus.js';

export interface DockerRuntimeOptions {
  /** The daemon's unix socket. */
  socketPath?: string;
  /** How the host's NVIDIA GPUs are found (default: nvidia-smi; none when it is missing). */
  detectGpus?: () => Promise<string[]>;
}

/**
 * ContainerRuntime on a real Docker Engine (API 1.41, Docker 20.10+), spoken directly over its
 * unix socket. Only local images are used: nothing is ever pulled.
 */
export class DockerRuntime implements ContainerRuntime {
  private readonly client: EngineClient;
  private gpus: Promise<string[]> | undefined;

  constructor(private readonly opts: DockerRuntimeOptions = {}) {
    this.client = new EngineClient(opts.socketPath ?? '/var/run/docker.sock');
  }

  /** The host's NVIDIA GPU ids, found once. */
  hostGpus(): Promise<string[]> {
    return (this.gpus ??= (this.opts.detectGpus ?? detectNvidiaGpus)());
  }

  /** Closes pooled connections; event subscriptions are closed by their unsubscribe functions. */
  close(): void {
    this.client.close();
  }

  async info(): Promise<{ name: string; version: string; cpus: number; memoryBytes: number; os: string; arch: string; gpus?: string[] }> {
    const res = await this.client.call('GET', '/info');
    if (res.status !== 200) throw engineError('docker info', res);
    const j = res.json;
    const gpus = await this.hostGpus();
    return {
      name: 'docker', version: String(j.ServerVersion), cpus: Number(j.NCPU), memoryBytes: Number(j.MemTotal), os: String(j.OSType), arch: String(j.Architecture),
      ...(gpus.length ? { gpus } : {}),
    };
  }

  async ensureImage(image: string): Promise<void> {
    const res = await this.client.call('GET', `/images/${imagePath(image)}/json`);
    if (res.status === 200) return;
    if (res.status === 404) throw new RuntimeError('ImageNotFound', `image ${image} is not present on this host (images are never pulled): ${res.message}`);
    throw engineError(`inspecting image ${image}`, res);
  }

  async create(spec: ContainerSpec): Promise<string> {
    const res = await this.client.call('POST', '/containers/create', { query: { name: spec.name }, body: createBody(spec, { nvidia: spec.gpuIds?.length ? (await this.hostGpus()).length > 0 : false }) });
    if (res.status === 201) return String(res.json.Id);
    if (res.status === 404 && /no such image/i.test(res.message)) {
      throw new RuntimeError('ImageNotFound', `image ${spec.image} is not present on this host: ${res.message}`);
    }
    throw engineError(`creating container ${spec.name}`, res, { 404: 'InvalidSpec', 409: 'NameConflict' });
  }

  async start(id: string): Promise<void> {
    const res = await this.client.call('POST', `/containers/${enc(id)}/start`);
    if (res.status === 204 || res.status === 304) return;
    // 404 names either this container, or the network / container it was told to join.
    const self = res.status === 404 && new RegExp(`no such container: ${escapeRe(id)}$`, 'i').test(res.message);
    throw engineError(`starting container ${id}`, res, { 404: self ? 'ContainerNotFound' : 'InvalidSpec' });
  }

  async stop(id: string, timeoutSec: number): Promise<void> {
    const t = Math.max(0, Math.round(timeoutSec));
    // Docker answers once the container is down; the wait below covers engines that answer early.
    const res = await this.client.call('POST', `/containers/${enc(id)}/stop`, { query: { t }, dedicated: true, timeoutMs: (t + 60) * 1000 });
    if (res.status === 404) return;
    if (res.status !== 204 && res.status !== 304) throw engineError(`stopping container ${id}`, res);
    const wait = await this.client.call('POST', `/containers/${enc(id)}/wait`, { query: { condition: 'not-running' }, dedicated: true, timeoutMs: 60_000 });
    if (wait.status !== 200 && wait.status !== 404) throw engineError(`waiting for container ${id}`, wait);
  }

  async remove(id: string): Promise<void> {
    const res = await this.client.call('DELETE', `/containers/${enc(id)}`, { query: { force: true, v: true } });
    if (res.status === 204 || res.status === 404) return;
    if (res.status === 409 && /already in progress/i.test(res.message)) return;
    throw engineError(`removing container ${id}`, res);
  }

  async inspect(id: string): Promise<ContainerState | undefined> {
    const res = await this.client.call('GET', `/containers/${enc(id)}/json`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw engineError(`inspecting container ${id}`, res);
    return toState(res.json);
  }

  async list(labels: Record<string, string>): Promise<ContainerState[]> {
    const res = await this.client.call('GET', '/containers/json', { query: { all: 1, filters: labelFilters(labels) } });
    if (res.status !== 200) throw engineError('listing containers', res);
    // The summary lacks exit codes, health and addresses: inspect each (a container removed
    // meanwhile is simply left out).
    const states = await Promise.all((res.json as { Id: string }[]).map((c) => this.inspect(c.Id)));
    return states.filter((s): s is ContainerState => s !== undefined);
  }

  events(labelKey: string, onEvent: (e: RuntimeEvent) => void): () => void {
    return subscribeEvents(this.client, labelKey, onEvent);
  }

  async createNetwork(spec: NetworkSpec): Promise<void> {
    const res = await this.client.call('POST', '/networks/create', {
      body: {
        Name: spec.name,
        CheckDuplicate: true,
        Driver: 'bridge',
        IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet, Gateway: spec.gateway }] },
        Labels: spec.labels,
      },
    });
    // 409: a network of that name exists — idempotent by contract.
    if (res.status === 201 || res.status === 409) return;
    // 403 is how Docker refuses an overlapping pool or a predefined name.
    throw engineError(`creating network ${spec.name}`, res, { 403: 'InvalidSpec' });
  }

  async removeNetwork(name: string): Promise<void> {
    const res = await this.client.call('DELETE', `/networks/${enc(name)}`);
    if (res.status === 204 || res.status === 404) return;
    // e.g. 403 "error while removing network: network X id … has active endpoints".
    throw engineError(`removing network ${name}`, res);
  }

  async listNetworks(labels: Record<string, string>): Promise<string[]> {
    const res = await this.client.call('GET', '/networks', { query: { filters: labelFilters(labels) } });
    if (res.status !== 200) throw engineError('listing networks', res);
    return (res.json as { Name: string }[]).map((n) => n.Name);
  }

  async createVolume(name: string, labels: Record<string, string>, driver?: string, driverOpts?: Record<string, string>): Promise<void> {
    const res = await this.client.call('POST', '/volumes/create', { body: { Name: name, Labels: labels, Driver: driver, DriverOpts: driverOpts } });
    if (res.status === 201) return;
    throw engineError(`creating volume ${name}`, res, { 409: 'NameConflict' });
  }

  async removeVolume(name: string): Promise<void> {
    const res = await this.client.call('DELETE', `/volumes/${enc(name)}`);
    if (res.status === 204 || res.status === 404) return;
    // 409: still in use by a container.
    throw engineError(`removing volume ${name}`, res);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    // One sample; Docker takes about a second to fill in the previous CPU reading.
    const res = await this.client.call('GET', `/containers/${enc(id)}/stats`, { query: { stream: false }, dedicated: true, timeoutMs: 30_000 });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw engineError(`stats of container ${id}`, res);
    return { raw: res.json as Record<string, unknown> };
  }

  /**
   * Follows a container's output. When the engine ends the follow (the container stopped), the
   * last seconds are read twice more without following, the second time a moment later: Docker's
   * follow can end before the last lines written just before the exit reach it, and those are
   * exactly the lines a task's last words are (a read right after the follow once missed a line
   * too, under load). Lines already delivered are skipped by their stream, time and count.
   */
  logs(id: string, onLine: (l: LogLine) => void, onEnd: () => void): () => void {
    const seen = { stdout: { ms: -1, count: 0 }, stderr: { ms: -1, count: 0 } };
    const deliver = (l: LogLine): void => {
      const s = seen[l.stream];
      if (l.timestamp === s.ms) s.count++;
      else { s.ms = l.timestamp; s.count = 1; }
      onLine(l);
    };
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const tailRead = (then: () => void): void => {
      const last = Math.max(seen.stdout.ms, seen.stderr.ms);
      const skip = { stdout: { ...seen.stdout }, stderr: { ...seen.stderr } };
      const tail = new LogDemuxer((l) => {
        const s = skip[l.stream];
        if (l.timestamp < s.ms) return;
        if (l.timestamp === s.ms && s.count > 0) { s.count--; return; }
        deliver(l);
      });
      const since = last < 0 ? 0 : Math.max(0, (last - TAIL_CHECK_MS) / 1000);
      current = this.client.rawStream(`/containers/${enc(id)}/logs`, { follow: false, stdout: true, stderr: true, timestamps: true, since: since.toFixed(3) }, (c) => tail.push(c), () => {
        tail.end();
        then();
      });
    };
    const demux = new LogDemuxer(deliver);
    let current = this.client.rawStream(`/containers/${enc(id)}/logs`, { follow: true, stdout: true, stderr: true, timestamps: true }, (c) => demux.push(c), () => {
      demux.end();
      if (closed) { onEnd(); return; }
      tailRead(() => {
        if (closed) { onEnd(); return; }
        timer = setTimeout(() => { timer = undefined; tailRead(onEnd); }, TAIL_AGAIN_MS);
      });
    });
    return () => {
      closed = true;
      // Stopped between the two reads: nothing is reading, so the end is reported here.
      if (timer) { clearTimeout(timer); timer = undefined; onEnd(); return; }
      current.close();
    };
  }
}

const enc = encodeURIComponent;

/** How far back the reads after a follow ends look for lines the follow missed. */
const TAIL_CHECK_MS = 2000;
/** How long after the first of those reads the second one is made. */
const TAIL_AGAIN_MS = 300;

/** Image references keep their `/` path segments; Docker routes `/images/{name:.*}/json`. */
function imagePath(image: string): string {
  return image.split('/').map(enc).join('/');
}

function labelFilters(labels: Record<string, string>): string | undefined {
  const entries = Object.entries(labels);
  return entries.length ? JSON.stringify({ label: entries.map(([k, v]) => `${k}=${v}`) }) : undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
