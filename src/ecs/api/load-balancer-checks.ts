import type { LoadBalancer } from '@aws-sdk/client-ecs';
import type { Scope } from '../arn.js';
import { invalidParameter } from '../errors.js';
import type { TargetsPort } from '../scheduler/service-targets.js';
import type { TaskDefinitionRecord } from '../state.js';

/**
 * The load balancers of a service or a task set, checked as ECS checks them at CreateService,
 * UpdateService and CreateTaskSet: a target group (Berth has no Classic Load Balancers) that a
 * load balancer uses, a container and port of the task definition, and an `ip` group for awsvpc.
 */
export function checkLoadBalancers(
  targets: Pick<TargetsPort, 'describe'> | undefined, scope: Scope, def: TaskDefinitionRecord, lbs: readonly LoadBalancer[], owner: 'services' | 'task sets',
): void {
  for (const lb of lbs) {
    if (!lb.targetGroupArn) throw invalidParameter(`Berth ${owner} take load balancers by targetGroupArn (Classic Load Balancers are not supported).`);
    const tg = targets?.describe(scope, lb.targetGroupArn);
    if (!tg) throw invalidParameter('Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.');
    if (!tg.attached) throw invalidParameter(`The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`);
    const c = def.definition.containerDefinitions?.find((x) => x.name === lb.containerName);
    if (!c) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    if (!(c.portMappings ?? []).some((m) => m.containerPort === lb.containerPort)) throw invalidParameter(`The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`);
    if (def.definition.networkMode === 'awsvpc' && tg.targetType !== 'ip') {
      throw invalidParameter(`The provided target group ${lb.targetGroupArn} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.`);
    }
  }
}
