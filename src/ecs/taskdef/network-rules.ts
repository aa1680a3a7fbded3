import type { ContainerDefinition, PortMapping } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';

/**
 * Network-mode rules (Developer Guide: "Network mode"; API reference: ContainerDefinition
 * "portMappings", "links", "hostname", "extraHosts"; PortMapping). `mode` is the effective
 * network mode (`bridge` when none is given).
 */

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
const RANGE = /^(\d+)-(\d+)$/;

/** A `containerPortRange` of the form `first-last`, 1..65535, first below last. */
export function isPortRange(range: string): boolean {
  const m = RANGE.exec(range);
  if (!m) return false;
  const [first, last] = [Number(m[1]), Number(m[2])];
  return isPort(first) && isPort(last) && first < last;
}

function checkMapping(c: ContainerDefinition, pm: PortMapping, mode: string): void {
  const name = c.name!;
  if (pm.containerPortRange !== undefined && pm.containerPort === undefined) {
    // PortMapping "containerPortRange": bridge or awsvpc only, no hostPort, first < last.
    // Messages are Berth's wording in the style of the containerPort one.
    if (!isPortRange(pm.containerPortRange) || pm.hostPort !== undefined) {
      throw clientException(`Invalid 'containerPortRange' setting for container '${name}'.`);
    }
    if (mode !== 'bridge' && mode !== 'awsvpc') {
      throw clientException(`Port ranges are not supported when networkMode=${mode}.`);
    }
    return;
  }
  // A mapping without a valid containerPort is what `[{"hostPort": 7000}]` produces; ECS answers
  // "Invalid 'containerPort' setting for container '<name>'." (aws/aws-cli#7288).
  if (!isPort(pm.containerPort)) throw clientException(`Invalid 'containerPort' setting for container '${name}'.`);
  if (pm.hostPort !== undefined && (!Number.isInteger(pm.hostPort) || pm.hostPort < 0 || pm.hostPort > 65535)) {
    throw clientException(`Invalid 'hostPort' setting for container '${name}'.`);
  }
  // awsvpc and host: "hostPort can be left blank or it must be the same value as the
  // containerPort"; 0 counts as blank (ECS rewrites it). The awsvpc message is ECS's; the host
  // one follows it.
  if ((mode === 'awsvpc' || mode === 'host') && pm.hostPort !== undefined && pm.hostPort !== 0 && pm.hostPort !== pm.containerPort) {
    throw clientException(`When networkMode=${mode}, the host ports and container ports in port mappings must match.`);
  }
}

/** The static host port a mapping reserves, if any (bridge 0/omitted is dynamic). */
function staticHostPort(pm: PortMapping, mode: string): number | undefined {
  if (pm.containerPort === undefined) return undefined;
  if (mode === 'awsvpc' || mode === 'host') return pm.containerPort;
  return pm.hostPort !== undefined && pm.hostPort > 0 ? pm.hostPort : undefined;
}

/**
 * Port mappings, links, hostname and extra hosts against the network mode, and host ports used
 * twice in the task ("TCP host port '3000' is mapped multiple times in task.", reported on
 * aws/amazon-ecs-agent#1220). The same port on tcp and udp is allowed (ECS dropped that
 * restriction, awsdocs/amazon-ecs-developer-guide#128).
 */
export function checkNetwork(containers: readonly ContainerDefinition[], mode: string): void {
  const names = new Set(containers.map((c) => c.name));
  const hostPorts = new Set<string>();
  for (const c of containers) {
    const mappings = c.portMappings ?? [];
    if (mode === 'none' && mappings.length > 0) {
      // Network mode docs: "If the network mode is set to none, you cannot specify port
      // mappings". Berth's wording, in the style of the links message.
      throw clientException('Port mappings are not supported when networkMode=none.');
    }
    for (const pm of mappings) {
      checkMapping(c, pm, mode);
      const port = staticHostPort(pm, mode);
      if (port === undefined) continue;
      const protocol = (pm.protocol ?? 'tcp').toUpperCase() === 'UDP' ? 'UDP' : 'TCP';
      const key = `${protocol}:${port}`;
      if (hostPorts.has(key)) throw clientException(`${protocol} host port '${port}' is mapped multiple times in task.`);
      hostPorts.add(key);
    }
    checkLinks(c, mode, names);
    // ContainerDefinition "hostname" and "extraHosts" are not supported with awsvpc.
    // Berth's wording, in the style of the links message.
    if (mode === 'awsvpc' && c.hostname !== undefined) throw clientException('Hostname is not supported when networkMode=awsvpc.');
    if (mode === 'awsvpc' && (c.extraHosts?.length ?? 0) > 0) throw clientException('Extra hosts are not supported when networkMode=awsvpc.');
  }
}

/**
 * ContainerDefinition "links": "only supported if the network mode of a task definition is
 * bridge". ECS says "Links are not supported when networkMode=awsvpc."; the other modes reuse it.
 * A link is `name` or `name:alias` and must name another container (Berth's wording).
 */
function checkLinks(c: ContainerDefinition, mode: string, names: ReadonlySet<string | undefined>): void {
  const links = c.links ?? [];
  if (links.length === 0) return;
  if (mode !== 'bridge') throw clientException(`Links are not supported when networkMode=${mode}.`);
  for (const link of links) {
    const target = link.split(':')[0];
    if (!names.has(target) || target === c.name) {
      throw clientException(`Invalid 'links' setting. Unknown container: '${target}'.`);
    }
  }
}
