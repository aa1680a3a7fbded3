import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';
import { isEssential } from './container-rules.js';
import { CONTAINER_CONDITIONS, checkEnum } from './enums.js';

/**
 * Container start-up dependencies (Developer Guide: "Container dependency"; API reference:
 * ContainerDependency). START waits for the dependency to start; COMPLETE and SUCCESS wait for it
 * to exit ("This condition can't be set on an essential container"); HEALTHY waits for its Docker
 * health check ("This requires that the dependent container has health checks configured").
 */
export function checkDependencies(containers: readonly ContainerDefinition[]): void {
  const byName = new Map(containers.map((c) => [c.name!, c]));
  for (const c of containers) {
    for (const dep of c.dependsOn ?? []) {
      const targetName = dep.containerName ?? '';
      const target = byName.get(targetName);
      // ECS's message, typo included: "Cannot depend on container + 'x' because it does not
      // exist" (eagletmt/hako#99, dagster-io/dagster#6926).
      if (!target) throw clientException(`Cannot depend on container + '${targetName}' because it does not exist`);
      // Berth's wording: a container waiting on itself never starts.
      if (target === c) throw clientException(`Container '${c.name}' cannot depend on itself.`);
      if (dep.condition === undefined) throw clientException('ContainerDependency.condition should not be null or empty.');
      checkEnum('condition', dep.condition, CONTAINER_CONDITIONS);
      if ((dep.condition === 'SUCCESS' || dep.condition === 'COMPLETE') && isEssential(target)) {
        // ECS's message (boto/boto3#2436; klothoplatform/klotho#892).
        throw clientException('A dependency container with SUCCESS or COMPLETE condition cannot be an essential container');
      }
      if (dep.condition === 'HEALTHY' && target.healthCheck === undefined) {
        // Berth's wording, in the style of the SUCCESS/COMPLETE message.
        throw clientException(`A dependency container with HEALTHY condition must have a health check configured: '${targetName}'`);
      }
    }
  }
  checkNoCycle(containers);
}

/** A dependency cycle can never start; Berth rejects it at registration (Berth's wording). */
function checkNoCycle(containers: readonly ContainerDefinition[]): void {
  const edges = new Map(containers.map((c) => [c.name!, (c.dependsOn ?? []).map((d) => d.containerName!)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' -> ');
      throw clientException(`Container dependencies contain a cycle: ${cycle}.`);
    }
    state.set(name, 'visiting');
    for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of edges.keys()) visit(name, []);
}
