import type { JsonSurface } from '../edge/surface.js';
import { accountSettingOperations } from './api/account-settings.js';
import { agentStateChangeOperations } from './api/agent-state-changes.js';
import { attributeOperations } from './api/attributes.js';
import { capacityProviderOperations } from './api/capacity-providers.js';
import { clusterKey, clusterOperations } from './api/clusters.js';
import { providerKey } from './cluster/provider-registry.js';
import { containerInstanceOperations } from './api/container-instances.js';
import { tagOperations } from './api/tags.js';
import { findTaskDefinition, taskDefinitionOperations } from './api/task-definitions.js';
import { taskOperations, type TaskRuntimeView } from './api/tasks.js';
import { ecsOperationNames, validateEcsInput } from './model/index.js';
import type { TaskIdentity } from './agents/task-identity.js';
import type { EcsState } from './state.js';
import type { TaskNetworking } from './task/networking.js';
import type { TaskLauncher } from './task/launcher.js';
import { serviceDeploymentOperations } from './api/service-deployments.js';
import { serviceKey, serviceOperations, type ServiceScheduling } from './api/services.js';
import { taskSetOperations } from './api/task-sets.js';
import type { TargetsPort } from './scheduler/service-targets.js';
import { TaskService } from './task/service.js';

export interface EcsDeps {
  state: EcsState;
  tasks: TaskService;
  /** Which hosts have an agent connected (the agent hub). */
  view: TaskRuntimeView;
  net: TaskNetworking | undefined;
  /** The server's own URL, for DiscoverPollEndpoint. */
  endpoint: () => string;
  /** Roles and secrets of tasks (IAM, Secrets Manager, SSM), wired by server.ts. */
  identity?: TaskIdentity;
  /** Launches tasks for RunTask and the service scheduler. */
  launcher: TaskLauncher;
  /** The service controller: told when a service changed. */
  services: ServiceScheduling;
  /** ELBv2 target groups, for services with load balancers. */
  targets?: Pick<TargetsPort, 'describe' | 'forwardWeights'>;
}

/**
 * The ECS room: every operation of the ECS model is either implemented here or answers
 * NotImplementedException (through `knownOperations`), never a silent success.
 */
export function ecsSurface(deps: EcsDeps): JsonSurface {
  const { state, tasks, view, launcher } = deps;
  const operations = {
    ...clusterOperations(state),
    ...taskDefinitionOperations(state),
    ...accountSettingOperations(state),
    ...attributeOperations(state),
    ...capacityProviderOperations(state),
    ...taskOperations(state, tasks, launcher, deps.identity),
    ...serviceOperations(state, launcher, deps.services, deps.targets),
    ...serviceDeploymentOperations(state, deps.services),
    ...taskSetOperations(state, launcher, deps.services, deps.targets),
    ...containerInstanceOperations(state, tasks, view, deps.endpoint),
    ...agentStateChangeOperations(state, tasks),
    ...tagOperations(state, {
      cluster: (st, s, name) => st.clusters.get(clusterKey(s, name))?.status === 'ACTIVE',
      'task-definition': (st, s, rest) => findTaskDefinition(st, s, rest) !== undefined && rest.includes(':'),
      task: (_st, s, rest) => {
        const [cluster, id] = rest.split('/');
        return !!cluster && !!id && tasks.find(s, cluster, id) !== undefined;
      },
      'capacity-provider': (st, s, name) => st.capacityProviders.get(providerKey(s, name))?.status === 'ACTIVE',
      'container-instance': (st, s, rest) => {
        const i = st.containerInstances.get(`arn:aws:ecs:${s.region}:${s.accountId}:container-instance/${rest}`);
        return !!i && i.status !== 'INACTIVE';
      },
      // service/<cluster>/<name>; task-set/<cluster>/<service>/ecs-svc/<digits>
      service: (st, s, rest) => {
        const [cluster, name, extra] = rest.split('/');
        const svc = cluster && name && extra === undefined ? st.services.get(serviceKey(s, cluster, name)) : undefined;
        return !!svc && svc.status !== 'INACTIVE';
      },
      'task-set': (st, s, rest) => {
        const [cluster, name, ...id] = rest.split('/');
        const svc = cluster && name ? st.services.get(serviceKey(s, cluster, name)) : undefined;
        return !!svc && svc.status !== 'INACTIVE' && (svc.taskSets ?? []).some((t) => t.id === id.join('/'));
      },
    }),
  };
  return {
    protocol: 'json',
    signingName: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    contentType: 'application/x-amz-json-1.1',
    operations,
    validate: validateEcsInput,
    knownOperations: ecsOperationNames,
  };
}

export { TaskService };
