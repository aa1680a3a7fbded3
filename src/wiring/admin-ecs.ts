import type { AdminEcs } from '../admin/surface.js';
import { clusterNotFound } from '../ecs/errors.js';
import type { EcsState } from '../ecs/state.js';
import type { TaskService } from '../ecs/task/service.js';

/**
 * The admin room's reach into ECS. A Spot interruption's warning (SIGTERM, then this long before
 * the containers are killed) is two minutes unless the call or BERTH_SPOT_WARNING_SECONDS says.
 */
export function adminEcs(state: EcsState, tasks: TaskService, defaultWarningSeconds: number): AdminEcs {
  return {
    interruptSpot(accountId, region, cluster, refs, warningSeconds, now) {
      const c = state.clusters.get(`${accountId}:${region}:${cluster.split('/').pop()}`);
      if (!c || c.status !== 'ACTIVE') throw clusterNotFound();
      return tasks.interruptSpot({ accountId, region }, c.clusterName, refs, warningSeconds ?? defaultWarningSeconds, now.getTime()).map((t) => t.taskArn);
    },
  };
}
