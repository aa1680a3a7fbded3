import type { JsonSurface } from '../edge/surface.js';
import { accountSettingOperations } from './api/account-settings.js';
import { attributeOperations } from './api/attributes.js';
import { capacityProviderOperations } from './api/capacity-providers.js';
import { clusterKey, clusterOperations } from './api/clusters.js';
import { tagOperations } from './api/tags.js';
import { findTaskDefinition, taskDefinitionOperations } from './api/task-definitions.js';
import { ecsOperationNames, validateEcsInput } from './model/index.js';
import type { EcsState } from './state.js';

/**
 * The ECS room: every operation of the ECS model is either implemented here or answers
 * NotImplementedException (through `knownOperations`), never a silent success.
 */
export function ecsSurface(state: EcsState): JsonSurface {
  const operations = {
    ...clusterOperations(state),
    ...taskDefinitionOperations(state),
    ...accountSettingOperations(state),
    ...attributeOperations(state),
    ...capacityProviderOperations(),
    ...tagOperations(state, {
      cluster: (st, s, name) => st.clusters.get(clusterKey(s, name))?.status === 'ACTIVE',
      'task-definition': (st, s, rest) => findTaskDefinition(st, s, rest) !== undefined && rest.includes(':'),
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
