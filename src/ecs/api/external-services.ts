import type { CreateServiceRequest, UpdateServiceRequest } from '@aws-sdk/client-ecs';
import { AwsError } from '../../edge/errors.js';
import { invalidParameter } from '../errors.js';
import type { ServiceRecord } from '../service/model.js';
import { rescaled } from '../service/task-sets.js';

/**
 * What CreateService and UpdateService do differently for the EXTERNAL deployment controller
 * (services.ts calls these; the task set operations are in task-sets.ts). An EXTERNAL service has
 * no deployments: its tasks come from task sets, and what they run with (task definition, launch
 * type, network, load balancers, platform version) is set per task set, never by UpdateService.
 */

/** CODE_DEPLOY needs AWS CodeDeploy to drive task sets; Berth has no CodeDeploy. */
export function codeDeployNotImplemented(): AwsError {
  return new AwsError(
    'NotImplementedException',
    'The CODE_DEPLOY deployment controller is not implemented in Berth: Berth has no CodeDeploy to drive its task sets. Use the EXTERNAL deployment controller and the task set operations instead.',
    501, 'server',
  );
}

/** CreateService with EXTERNAL: checks that apply to it only. */
export function checkExternalCreate(input: CreateServiceRequest): void {
  if (input.schedulingStrategy === 'DAEMON') throw invalidParameter('The DAEMON scheduling strategy does not support the EXTERNAL deployment controller.');
  const cb = input.deploymentConfiguration?.deploymentCircuitBreaker;
  if (cb?.enable) throw invalidParameter('The deployment circuit breaker is only supported for services using the rolling update (ECS) deployment controller.');
}

/** The service record CreateService stores for EXTERNAL: no deployment, no task set yet. */
export function externalService(s: ServiceRecord): ServiceRecord {
  return { ...s, deploymentController: { type: 'EXTERNAL' }, deployments: [], taskSets: [] };
}

/**
 * UpdateService on an EXTERNAL service changes only the desired count, the minimum/maximum
 * percent, placement, the health check grace period, ECS Exec, managed tags and tag propagation
 * (ECS's documented list). The rest needs a new task set; ECS refuses it in the words it uses for
 * CODE_DEPLOY services (`Unable to update task definition on services with a CODE_DEPLOY
 * deployment controller. …`), here with EXTERNAL and the task set remedy.
 */
export function rejectExternalUpdate(input: UpdateServiceRequest): void {
  const refused: [unknown, string][] = [
    [input.taskDefinition, 'task definition'],
    [input.networkConfiguration, 'network parameters'],
    [input.platformVersion, 'platform version'],
    [input.capacityProviderStrategy, 'capacity provider strategy'],
    [input.loadBalancers, 'load balancers'],
    [input.serviceRegistries, 'service registries'],
    [input.forceNewDeployment || undefined, 'tasks (forceNewDeployment)'],
  ];
  for (const [value, what] of refused) {
    if (value !== undefined) throw invalidParameter(`Unable to update ${what} on services with a EXTERNAL deployment controller. Create a new task set instead.`);
  }
  const dc = input.deploymentConfiguration;
  if (dc && (dc.deploymentCircuitBreaker || dc.strategy || dc.alarms || dc.bakeTimeInMinutes !== undefined || dc.lifecycleHooks)) {
    throw invalidParameter('Only minimumHealthyPercent and maximumPercent of the deployment configuration can be updated on services with a EXTERNAL deployment controller.');
  }
}

/** After a change of the desired count: every set's computedDesiredCount follows at once. */
export function rescaleTaskSets(s: ServiceRecord, now: number): ServiceRecord {
  return { ...s, taskSets: (s.taskSets ?? []).map((t) => rescaled(s, t, now)) };
}
