import type { Compatibility, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { AwsError } from '../../edge/errors.js';
import { clientException } from '../errors.js';
import { fargateProblem } from './fargate-rules.js';

/**
 * The launch types a definition validates against: ECS reports them as `compatibilities`, and
 * rejects a registration whose `requiresCompatibilities` names one the definition fails
 * ("If the task definition doesn't validate against the compatibilities specified, a client
 * exception is returned" - Developer Guide "Task definition parameters", Capacity).
 *
 * What real DescribeTaskDefinition output shows, and Berth computes:
 *   - EC2: always present.
 *   - EXTERNAL (ECS Anywhere): present unless the network mode is `awsvpc`, which external
 *     instances don't support (Developer Guide "ECS Anywhere"); a definition with no network
 *     mode shows ["EXTERNAL", "EC2"] (AWS CLI register-task-definition example).
 *   - FARGATE: present when the definition passes every Fargate rule (awsvpc, a table size, ...).
 *   - MANAGED_INSTANCES: present when the network mode is explicitly `awsvpc` or `host`
 *     ("You must specify a network mode" - Developer Guide "Managed Instances task networking")
 *     and every log driver is one Managed Instances supports.
 * Order: EXTERNAL first, then EC2, FARGATE, MANAGED_INSTANCES, as the observed outputs list them.
 */

/** Log drivers Managed Instances supports (API reference: LogConfiguration "logDriver"). */
const MANAGED_INSTANCES_LOG_DRIVERS: readonly string[] = ['awslogs', 'splunk', 'awsfirelens', 'json-file'];

/** Why `def` cannot use `compatibility`, or undefined when it can. Messages other than Fargate's are Berth's wording. */
export function compatibilityProblem(def: RegisterTaskDefinitionRequest, compatibility: string): AwsError | undefined {
  switch (compatibility) {
    case 'EC2':
      return undefined;
    case 'FARGATE':
      return fargateProblem(def);
    case 'EXTERNAL':
      return def.networkMode === 'awsvpc'
        ? clientException('External only supports network modes \u2018bridge\u2019, \u2018host\u2019 and \u2018none\u2019.')
        : undefined;
    case 'MANAGED_INSTANCES': {
      if (def.networkMode !== 'awsvpc' && def.networkMode !== 'host') {
        return clientException('Managed Instances only supports network modes \u2018awsvpc\u2019 and \u2018host\u2019.');
      }
      const driver = (def.containerDefinitions ?? [])
        .map((c) => c.logConfiguration?.logDriver)
        .find((d) => d !== undefined && !MANAGED_INSTANCES_LOG_DRIVERS.includes(d));
      return driver === undefined ? undefined : clientException(`Managed Instances does not support log driver ${driver}.`);
    }
    default:
      return undefined;
  }
}

const ORDER: readonly Compatibility[] = ['EXTERNAL', 'EC2', 'FARGATE', 'MANAGED_INSTANCES'];

/** Throws the first problem with a required compatibility; returns every compatibility `def` meets. */
export function resolveCompatibilities(def: RegisterTaskDefinitionRequest): Compatibility[] {
  for (const required of def.requiresCompatibilities ?? []) {
    const problem = compatibilityProblem(def, required);
    if (problem) throw problem;
  }
  return ORDER.filter((c) => compatibilityProblem(def, c) === undefined);
}
