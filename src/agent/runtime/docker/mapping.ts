import type { ContainerSpec, ContainerState, ContainerStatus, RuntimeEvent } from '../port.js';

/**
 * Pure translations between the port's shapes and the Docker Engine API's (v1.41) JSON.
 */

const NS_PER_SEC = 1e9;

/** Network modes Docker predefines; anything else but `container:<id>` is a user network. */
export function isUserNetwork(mode: string): boolean {
  return !['bridge', 'host', 'none', 'default'].includes(mode) && !mode.startsWith('container:');
}

/**
 * The body of `POST /containers/create`. `nvidia`: the host has NVIDIA GPUs (nvidia-smi found), so
 * a container's `gpuIds` become a device request to the NVIDIA container runtime.
 */
export function createBody(spec: ContainerSpec, host: { nvidia?: boolean } = {}): Record<string, unknown> {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.portBindings ?? []) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    // An empty HostPort asks Docker for a dynamic port from its ephemeral range.
    (bindings[key] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: p.hostPort ? String(p.hostPort) : '' });
  }
  const hc = spec.healthcheck;
  const ns = (sec: number | undefined): number | undefined => (sec === undefined ? undefined : Math.round(sec * NS_PER_SEC));
  const userNet = isUserNetwork(spec.networkMode);
  return {
    Image: spec.image,
    Labels: spec.labels,
    Env: spec.env,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    WorkingDir: spec.workingDir,
    User: spec.user,
    Hostname: spec.hostname,
    ExposedPorts: spec.portBindings?.length ? exposed : undefined,
    StopSignal: spec.stopSignal,
    StopTimeout: spec.stopTimeoutSec,
    // API 1.41 takes the MAC address at container level (per-endpoint MacAddress came in 1.44).
    MacAddress: spec.macAddress,
    Healthcheck: hc
      ? { Test: hc.test, Interval: ns(hc.intervalSec), Timeout: ns(hc.timeoutSec), Retries: hc.retries, StartPeriod: ns(hc.startPeriodSec) }
      : undefined,
    HostConfig: {
      NetworkMode: spec.networkMode,
      PortBindings: spec.portBindings?.length ? bindings : undefined,
      CpuShares: spec.cpuShares === undefined ? undefined : Math.max(2, spec.cpuShares),
      Memory: spec.memoryBytes,
      // No swap beyond the hard limit: a container over its ECS `memory` is OOM-killed, as on ECS.
      MemorySwap: spec.memoryBytes,
      MemoryReservation: spec.memoryReservationBytes,
      Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      ReadonlyRootfs: spec.readonlyRootfs,
      Init: spec.init,
      Privileged: spec.privileged,
      CapAdd: spec.capAdd,
      CapDrop: spec.capDrop,
      Binds: spec.binds,
      VolumesFrom: spec.volumesFrom,
      ExtraHosts: spec.extraHosts,
      Dns: spec.dns,
      DeviceRequests: host.nvidia && spec.gpuIds?.length ? [{ Driver: 'nvidia', DeviceIDs: spec.gpuIds, Capabilities: [['gpu']] }] : undefined,
    },
    NetworkingConfig: userNet && (spec.ipv4Address || spec.macAddress)
      ? { EndpointsConfig: { [spec.networkMode]: { IPAMConfig: spec.ipv4Address ? { IPv4Address: spec.ipv4Address } : undefined, MacAddress: spec.macAddress } } }
      : undefined,
  };
}

/** Docker writes Go's zero time for "never". */
function time(s: unknown): Date | undefined {
  if (typeof s !== 'string' || !s || s.startsWith('0001-01-01')) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `GET /containers/{id}/json` → ContainerState. */
export function toState(j: any): ContainerState {
  const st = j.State ?? {};
  const status = (st.Status ?? 'created') as ContainerStatus;
  const ended = status === 'exited' || status === 'dead';
  const networks: ContainerState['networks'] = {};
  for (const [name, n] of Object.entries<any>(j.NetworkSettings?.Networks ?? {})) {
    networks[name] = { ipv4Address: n?.IPAddress ?? '', macAddress: n?.MacAddress ?? '' };
  }
  const ports: ContainerState['ports'] = [];
  for (const [key, binds] of Object.entries<any>(j.NetworkSettings?.Ports ?? {})) {
    const [port, proto] = key.split('/');
    for (const b of binds ?? []) {
      const entry = { containerPort: Number(port), protocol: (proto === 'udp' ? 'udp' : 'tcp') as 'tcp' | 'udp', hostPort: Number(b.HostPort), hostIp: String(b.HostIp ?? '') };
      // Docker binds IPv4 and IPv6, normally to the same host port (and, under concurrent starts,
      // Docker 20.10 sometimes to another one): report one binding per container port, IPv4's.
      // A container port mapped twice on purpose keeps both IPv4 bindings.
      const samePort = (p: ContainerState['ports'][number]): boolean => p.containerPort === entry.containerPort && p.protocol === entry.protocol;
      if (entry.hostIp.includes(':')) {
        if (!ports.some(samePort)) ports.push(entry);
      } else {
        for (let k = ports.length - 1; k >= 0; k--) if (samePort(ports[k]!) && ports[k]!.hostIp.includes(':')) ports.splice(k, 1);
        if (!ports.some((p) => samePort(p) && p.hostPort === entry.hostPort)) ports.push(entry);
      }
    }
  }
  const health = st.Health?.Status;
  return {
    id: j.Id,
    name: String(j.Name ?? '').replace(/^\//, ''),
    image: j.Config?.Image ?? j.Image,
    labels: j.Config?.Labels ?? {},
    status,
    exitCode: ended ? st.ExitCode : undefined,
    oomKilled: st.OOMKilled === true,
    error: st.Error || undefined,
    startedAt: time(st.StartedAt),
    finishedAt: time(st.FinishedAt),
    health: health === 'starting' || health === 'healthy' || health === 'unhealthy' ? health : undefined,
    networks,
    ports,
  };
}

/**
 * Attributes Docker adds to a container event's Actor next to the container's labels. A label
 * with one of these keys cannot be told apart from them and is not reported.
 */
const EVENT_ATTRIBUTES = new Set(['image', 'name', 'exitCode', 'signal']);

/** A `/events` message → RuntimeEvent, or undefined for events the port does not carry. */
export function toEvent(m: any): RuntimeEvent | undefined {
  if (m?.Type !== 'container') return undefined;
  const action = String(m.Action ?? m.status ?? '');
  const attrs: Record<string, string> = m.Actor?.Attributes ?? {};
  const id = String(m.Actor?.ID ?? m.id ?? '');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (!EVENT_ATTRIBUTES.has(k)) labels[k] = v;
  switch (action) {
    case 'start':
    case 'oom':
    case 'destroy':
      return { type: action, id, labels };
    case 'die':
      return { type: 'die', id, labels, exitCode: attrs.exitCode === undefined ? undefined : Number(attrs.exitCode) };
  }
  const h = /^health_status: (starting|healthy|unhealthy)$/.exec(action);
  return h ? { type: 'health', id, labels, health: h[1] as 'starting' | 'healthy' | 'unhealthy' } : undefined;
}
