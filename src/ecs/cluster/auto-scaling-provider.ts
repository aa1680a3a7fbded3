import type { AutoScalingGroupProvider, AutoScalingGroupProviderUpdate, ManagedScaling } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';

/**
 * The rules of a custom capacity provider's configuration — pure. Ranges of ManagedScaling
 * members are in the model's constraints overlay (checked before the operation runs); what is here
 * is what the model cannot say: names, the group ARN's form, defaults.
 */

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;
/** ECS reserves these prefixes (any letter case) for its own providers. */
const RESERVED_PREFIX = /^(aws|ecs|fargate)/i;

/** ECS's message for a name that breaks either rule (quoted in public CloudFormation/CDK reports). */
export const INVALID_NAME =
  'The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.';

export function checkProviderName(name: string): void {
  if (!NAME.test(name) || RESERVED_PREFIX.test(name)) throw clientException(INVALID_NAME);
}

/**
 * The Auto Scaling group name in an ARN of the form
 * `arn:<partition>:autoscaling:<region>:<account>:autoScalingGroup:<uuid>:autoScalingGroupName/<name>`;
 * undefined when the ARN has no such part. In Berth this names the group of container instances
 * behind a provider.
 */
export function groupNameOf(arn: string): string | undefined {
  const at = arn.indexOf(':autoScalingGroupName/');
  if (!arn.startsWith('arn:') || at < 0) return undefined;
  const name = arn.slice(at + ':autoScalingGroupName/'.length);
  return name.length > 0 && name.length <= 255 ? name : undefined;
}

export function checkGroupArn(arn: string): void {
  const parts = arn.split(':');
  if (parts[2] !== 'autoscaling' || parts[5] !== 'autoScalingGroup' || groupNameOf(arn) === undefined) {
    throw clientException('The specified Auto Scaling group ARN is invalid. Specify a valid Auto Scaling group ARN and try again.');
  }
}

/** ECS's documented defaults: target 100 %, steps 1 to 10 000, 300 s warm-up. */
export function withScalingDefaults(m: ManagedScaling | undefined, current?: ManagedScaling): ManagedScaling {
  return {
    status: m?.status ?? current?.status ?? 'DISABLED',
    targetCapacity: m?.targetCapacity ?? current?.targetCapacity ?? 100,
    minimumScalingStepSize: m?.minimumScalingStepSize ?? current?.minimumScalingStepSize ?? 1,
    maximumScalingStepSize: m?.maximumScalingStepSize ?? current?.maximumScalingStepSize ?? 10000,
    instanceWarmupPeriod: m?.instanceWarmupPeriod ?? current?.instanceWarmupPeriod ?? 300,
  };
}

function checkSteps(m: ManagedScaling): void {
  if (m.minimumScalingStepSize! > m.maximumScalingStepSize!) {
    throw clientException('The managed scaling minimum scaling step size must be less than or equal to the maximum scaling step size.');
  }
}

/** A new provider's configuration, every default filled in. */
export function newGroupProvider(input: AutoScalingGroupProvider): AutoScalingGroupProvider {
  checkGroupArn(input.autoScalingGroupArn!);
  const managedScaling = withScalingDefaults(input.managedScaling);
  checkSteps(managedScaling);
  return {
    autoScalingGroupArn: input.autoScalingGroupArn!,
    managedScaling,
    managedTerminationProtection: input.managedTerminationProtection ?? 'DISABLED',
    managedDraining: input.managedDraining ?? 'ENABLED',
  };
}

/** UpdateCapacityProvider: members given replace the current ones; the group ARN never changes. */
export function updatedGroupProvider(current: AutoScalingGroupProvider, update: AutoScalingGroupProviderUpdate): AutoScalingGroupProvider {
  const managedScaling = withScalingDefaults(update.managedScaling, current.managedScaling);
  checkSteps(managedScaling);
  return {
    autoScalingGroupArn: current.autoScalingGroupArn,
    managedScaling,
    managedTerminationProtection: update.managedTerminationProtection ?? current.managedTerminationProtection ?? 'DISABLED',
    managedDraining: update.managedDraining ?? current.managedDraining ?? 'ENABLED',
  };
}
