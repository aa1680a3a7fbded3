import type { ContainerDefinition, RegisterTaskDefinitionRequest, TaskDefinition } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';
import { resolveCompatibilities } from './compatibilities.js';
import { checkContainers, checkContainersFitTask } from './container-rules.js';
import { compact, effectiveMode, withContainerDefaults } from './defaults.js';
import { checkDependencies } from './dependency-rules.js';
import { COMPATIBILITIES, IPC_MODES, NETWORK_MODES, PID_MODES, checkEnum } from './enums.js';
import { checkNetwork } from './network-rules.js';
import { taskDefinitionArn } from './ref.js';
import { requiredAttributes } from './requires-attributes.js';
import { checkFamily, checkTaskSettings } from './task-rules.js';
import { normaliseTaskCpu, normaliseTaskMemory } from './units.js';
import { checkVolumes } from './volume-rules.js';

export { parseTaskDefinitionRef, taskDefinitionArn } from './ref.js';

export interface RegistrationContext {
  accountId: string;
  region: string;
  revision: number;
  registeredAt: Date;
  /** The principal ARN of the caller. */
  registeredBy: string;
}

/**
 * Validates a RegisterTaskDefinition input and returns the TaskDefinition ECS would store and
 * return (without tags — tags are returned separately by the API). Throws AwsError.
 *
 * Checks run in the order ECS reports problems as far as users' reports show: the family, the
 * container list, enumerations, task size, each container (names, images, memory), networking,
 * volumes, dependencies, other task settings, containers against the task size, then the launch
 * types named in `requiresCompatibilities` (so a Fargate definition with a bad container memory
 * setting gets the container message first).
 */
export function buildTaskDefinition(input: RegisterTaskDefinitionRequest, ctx: RegistrationContext): TaskDefinition {
  const { tags: _tags, ...request } = compact(input);
  void _tags;
  checkFamily(request.family);
  if (!Array.isArray(request.containerDefinitions)) throw clientException('Container list cannot be empty.');
  checkEnum('networkMode', request.networkMode, NETWORK_MODES);
  checkEnum('pidMode', request.pidMode, PID_MODES);
  checkEnum('ipcMode', request.ipcMode, IPC_MODES);
  for (const c of request.requiresCompatibilities ?? []) checkEnum('requiresCompatibilities', c, COMPATIBILITIES);

  const def: RegisterTaskDefinitionRequest = {
    ...request,
    cpu: normaliseTaskCpu(request.cpu),
    memory: normaliseTaskMemory(request.memory),
  };
  const containers = def.containerDefinitions!;
  const taskCpu = def.cpu === undefined ? undefined : Number(def.cpu);
  const taskMemory = def.memory === undefined ? undefined : Number(def.memory);
  const mode = effectiveMode(def.networkMode);

  checkContainers(containers, taskMemory);
  checkNetwork(containers, mode);
  checkVolumes(def.volumes ?? [], containers);
  checkDependencies(containers);
  checkTaskSettings(def);
  checkContainersFitTask(containers, taskCpu, taskMemory);
  const compatibilities = resolveCompatibilities(def);
  const requiresAttributes = requiredAttributes(def);

  const out: TaskDefinition = {
    taskDefinitionArn: taskDefinitionArn(ctx.region, ctx.accountId, def.family!, ctx.revision),
    ...def,
    containerDefinitions: containers.map((c: ContainerDefinition) => withContainerDefaults(c, mode)),
    revision: ctx.revision,
    volumes: def.volumes ?? [],
    status: 'ACTIVE',
    placementConstraints: def.placementConstraints ?? [],
    compatibilities,
    registeredAt: new Date(ctx.registeredAt.getTime()),
    registeredBy: ctx.registeredBy,
    enableFaultInjection: def.enableFaultInjection ?? false,
  };
  // Describe omits requiresAttributes when nothing is required (AWS CLI example output), and
  // omits cpu/memory/networkMode/requiresCompatibilities that were not given.
  if (requiresAttributes.length > 0) out.requiresAttributes = requiresAttributes;
  for (const key of Object.keys(out) as Array<keyof TaskDefinition>) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}
