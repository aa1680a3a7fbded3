import type { ContainerPayload } from '../../protocol/messages.js';

/** What the engine knows of one container of a task. */
export interface Known {
  state: 'absent' | 'created' | 'running' | 'exited';
  exitCode?: number;
  health?: 'starting' | 'healthy' | 'unhealthy';
}

export type Readiness = { ready: true } | { ready: false; failed?: string };

/**
 * Whether a container may start, from its `dependsOn` conditions (ECS Developer Guide,
 * "Container dependency"): START — the dependency has started; COMPLETE — it has exited;
 * SUCCESS — it has exited with 0; HEALTHY — its health check passed. A condition that can no
 * longer be met (SUCCESS after a non-zero exit, HEALTHY after the dependency turned unhealthy
 * or exited) fails the container with a reason. Pure.
 */
export function readiness(c: ContainerPayload, known: (name: string) => Known): Readiness {
  for (const d of c.dependsOn) {
    const k = known(d.containerName);
    switch (d.condition) {
      case 'START':
        if (k.state !== 'running' && k.state !== 'exited') return { ready: false };
        break;
      case 'COMPLETE':
        if (k.state !== 'exited') return { ready: false };
        break;
      case 'SUCCESS':
        if (k.state !== 'exited') return { ready: false };
        if (k.exitCode !== 0) return { ready: false, failed: dependencyFailed(c.name, d.containerName, d.condition, `exited with code ${k.exitCode}`) };
        break;
      case 'HEALTHY':
        if (k.state === 'exited' || k.health === 'unhealthy') {
          return { ready: false, failed: dependencyFailed(c.name, d.containerName, d.condition, k.state === 'exited' ? 'exited' : 'is unhealthy') };
        }
        if (k.health !== 'healthy') return { ready: false };
        break;
    }
  }
  return { ready: true };
}

const dependencyFailed = (name: string, dep: string, condition: string, what: string): string =>
  `DependencyConditionNotMet: container ${name} depends on ${dep} with condition ${condition}, but ${dep} ${what}`;

/** Stop order: containers that depend on others stop first (reverse of the start order). */
export function stopOrder(containers: readonly ContainerPayload[]): string[] {
  const byName = new Map(containers.map((c) => [c.name, c]));
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, seen: Set<string>): void => {
    if (done.has(name) || seen.has(name)) return;
    seen.add(name);
    for (const d of byName.get(name)?.dependsOn ?? []) visit(d.containerName, seen);
    for (const v of byName.get(name)?.volumesFrom ?? []) visit(v.sourceContainer, seen);
    done.add(name);
    order.push(name);
  };
  for (const c of containers) visit(c.name, new Set());
  return order.reverse();
}
