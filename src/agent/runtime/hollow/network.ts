import { RuntimeError, type ContainerSpec, type ContainerState, type NetworkSpec } from '../port.js';

/**
 * Networking of the hollow engine: simulated networks with IPv4 pools, and host ports, allocated
 * the way Docker does (first free address from .2, MAC 02:42 + the address, dynamic host ports
 * from 32768). Addresses and ports are held while a container runs and released when it exits.
 */

/** A simulated network: addresses in use are host offsets from `base`. */
interface Net { name: string; labels: Record<string, string>; base: number; size: number; gateway: number; used: Set<number>; cursor: number }

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new RuntimeError('InvalidSpec', `invalid IPv4 address ${ip}`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Docker's scheme: 02:42 followed by the four bytes of the address. */
function macFor(ip: number): string {
  return ['02', '42', ...[ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

function parseNet(spec: NetworkSpec): Net {
  const [addr, bitsText] = spec.subnet.split('/');
  const bits = Number(bitsText);
  if (!addr || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new RuntimeError('InvalidSpec', `invalid subnet ${spec.subnet}`);
  const size = 2 ** (32 - bits);
  const base = ipToInt(addr) - (ipToInt(addr) % size);
  const gateway = ipToInt(spec.gateway);
  if (gateway <= base || gateway >= base + size - 1) throw new RuntimeError('InvalidSpec', `gateway ${spec.gateway} is not in subnet ${spec.subnet}`);
  return { name: spec.name, labels: { ...spec.labels }, base, size, gateway, used: new Set([gateway]), cursor: 2 };
}

/** A static address when asked for (it must be in the subnet and free), else the next free one. */
function allocateIp(net: Net, wanted: string | undefined): number {
  if (wanted) {
    const ip = ipToInt(wanted);
    if (ip <= net.base || ip >= net.base + net.size - 1) throw new RuntimeError('InvalidSpec', `no configured subnet contains IP address ${wanted}`);
    if (net.used.has(ip)) throw new RuntimeError('Unknown', `Address already in use: ${wanted}`);
    net.used.add(ip);
    return ip;
  }
  for (let i = 0; i < net.size - 2; i++) {
    const host = net.cursor;
    net.cursor = host >= net.size - 2 ? 1 : host + 1;
    if (!net.used.has(net.base + host)) {
      net.used.add(net.base + host);
      return net.base + host;
    }
  }
  throw new RuntimeError('Unknown', `no available IPv4 addresses on network ${net.name}`);
}

const PORT_MIN = 32768;
const PORT_MAX = 60999;

/** Host ports bound on the simulated host, per protocol; dynamic ones come from Docker's range. */
class HostPorts {
  private readonly used = new Set<string>();
  private cursor = PORT_MIN;

  take(protocol: string, wanted: number | undefined, hostIp: string | undefined): number {
    if (wanted) {
      if (this.used.has(`${protocol}/${wanted}`)) throw new RuntimeError('Unknown', `Bind for ${hostIp || '0.0.0.0'}:${wanted} failed: port is already allocated`);
      this.used.add(`${protocol}/${wanted}`);
      return wanted;
    }
    for (let i = 0; i <= PORT_MAX - PORT_MIN; i++) {
      const port = this.cursor;
      this.cursor = port >= PORT_MAX ? PORT_MIN : port + 1;
      if (!this.used.has(`${protocol}/${port}`)) {
        this.used.add(`${protocol}/${port}`);
        return port;
      }
    }
    throw new RuntimeError('Unknown', 'no host ports left in the dynamic range');
  }

  release(protocol: string, port: number): void {
    this.used.delete(`${protocol}/${port}`);
  }
}

type Attachment = Pick<ContainerState, 'networks' | 'ports'>;

const BRIDGE: NetworkSpec = { name: 'bridge', subnet: '172.17.0.0/16', gateway: '172.17.0.1', labels: {} };

export class SimulatedNetworks {
  private readonly nets = new Map<string, Net>([['bridge', parseNet(BRIDGE)]]);
  private readonly hostPorts = new HostPorts();

  /** Idempotent by name; a subnet overlapping another network's is refused, as Docker does. */
  create(spec: NetworkSpec): void {
    if (this.nets.has(spec.name)) return;
    const net = parseNet(spec);
    for (const other of this.nets.values()) {
      if (net.base < other.base + other.size && other.base < net.base + net.size) {
        throw new RuntimeError('InvalidSpec', `cannot create network ${spec.name}: Pool overlaps with other one on this address space`);
      }
    }
    this.nets.set(spec.name, net);
  }

  /** `inUse` says whether a running container is attached to the network. */
  remove(name: string, inUse: boolean): void {
    if (!this.nets.has(name)) return;
    if (name === 'bridge') throw new RuntimeError('Unknown', 'bridge is a pre-defined network and cannot be removed');
    if (inUse) throw new RuntimeError('Unknown', `error while removing network: network ${name} has active endpoints`);
    this.nets.delete(name);
  }

  list(labels: Record<string, string>): string[] {
    const want = Object.entries(labels);
    const names = want.length ? [] : ['host', 'none'];
    for (const n of this.nets.values()) if (want.every(([k, v]) => n.labels[k] === v)) names.push(n.name);
    return names;
  }

  /**
   * Connects a starting container: an address and MAC on its network and its host ports.
   * `joined` is the state of the container named by a `container:<id>` network mode.
   */
  attach(spec: ContainerSpec, joined: (ref: string) => { id: string; running: boolean } | undefined): Attachment {
    const mode = spec.networkMode === 'default' ? 'bridge' : spec.networkMode;
    if (mode === 'host' || mode === 'none') return { networks: { [mode]: { ipv4Address: '', macAddress: '' } }, ports: [] };
    if (mode.startsWith('container:')) {
      const ref = mode.slice('container:'.length);
      const other = joined(ref);
      if (!other) throw new RuntimeError('InvalidSpec', `No such container: ${ref}`);
      if (!other.running) throw new RuntimeError('Unknown', `cannot join network of a non running container: ${other.id}`);
      return { networks: {}, ports: [] };
    }
    const net = this.nets.get(mode);
    if (!net) throw new RuntimeError('InvalidSpec', `network ${mode} not found`);
    const ip = allocateIp(net, spec.ipv4Address);
    const ports: ContainerState['ports'] = [];
    try {
      for (const p of spec.portBindings ?? []) {
        ports.push({ containerPort: p.containerPort, protocol: p.protocol, hostPort: this.hostPorts.take(p.protocol, p.hostPort, p.hostIp), hostIp: p.hostIp || '0.0.0.0' });
      }
    } catch (e) {
      net.used.delete(ip);
      for (const p of ports) this.hostPorts.release(p.protocol, p.hostPort);
      throw e;
    }
    return { networks: { [mode]: { ipv4Address: intToIp(ip), macAddress: spec.macAddress ?? macFor(ip) } }, ports };
  }

  /** Gives back what `attach` took; the container keeps its network names with empty addresses. */
  release(a: Attachment): Attachment {
    const networks: ContainerState['networks'] = {};
    for (const [name, n] of Object.entries(a.networks)) {
      const net = this.nets.get(name);
      if (net && n.ipv4Address) net.used.delete(ipToInt(n.ipv4Address));
      networks[name] = { ipv4Address: '', macAddress: '' };
    }
    for (const p of a.ports) this.hostPorts.release(p.protocol, p.hostPort);
    return { networks, ports: [] };
  }
}
