import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';

/**
 * Per-container rules of RegisterTaskDefinition (API reference: ContainerDefinition "name",
 * "image", "cpu", "memory", "memoryReservation", "essential"). Messages are the ones ECS returns
 * as users report them, unless noted "Berth's wording".
 */

/** Container names: up to 255 letters, numbers, hyphens and underscores. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/** Docker's minimum (Docker 20.10+ reserves 6 MiB), which the ContainerDefinition docs repeat. */
export const MIN_CONTAINER_MEMORY_MIB = 6;

/** The per-task container quota (Service quotas: "Containers per task definition", 10). */
export const MAX_CONTAINERS = 10;

const IMAGE_CHARS = /^[A-Za-z0-9_\-:./#]+$/;
const DIGEST = /^sha256:[A-Fa-f0-9]{64}$/;

/**
 * ContainerDefinition "image": `repository-url/image:tag` is up to 255 letters, numbers, hyphens,
 * underscores, colons, periods, forward slashes and number signs; with `@digest`, the limit
 * applies before the `@` and the digest must be `sha256:` and 64 hex digits.
 */
export function isValidImage(image: string): boolean {
  const at = image.indexOf('@');
  const repo = at < 0 ? image : image.slice(0, at);
  if (repo.length === 0 || repo.length > 255 || !IMAGE_CHARS.test(repo)) return false;
  return at < 0 || DIGEST.test(image.slice(at + 1));
}

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

/** Essential defaults to true ("If this parameter is omitted, a container is assumed to be essential"). */
export const isEssential = (c: ContainerDefinition): boolean => c.essential !== false;

/**
 * Validates the container list: present, at most 10, each named and imaged, names unique, memory
 * settings coherent, at least one essential container. `taskMemory` is the task-level memory in
 * MiB, if given: without it every container needs `memory` or `memoryReservation`.
 */
export function checkContainers(containers: readonly ContainerDefinition[], taskMemory: number | undefined): void {
  if (containers.length === 0) throw clientException('Container list cannot be empty.');
  if (containers.length > MAX_CONTAINERS) throw clientException('Too many containers.');
  const seen = new Set<string>();
  for (const c of containers) {
    if (c.name === undefined || c.name === '') throw clientException('Container.name should not be null or empty.');
    if (!NAME_PATTERN.test(c.name)) throw clientException('Container.name contains invalid characters.');
    if (seen.has(c.name)) throw clientException('Container names must be unique within a Task Definition.');
    seen.add(c.name);
    if (c.image === undefined || c.image === '') throw clientException('Container.image should not be null or empty.');
    if (!isValidImage(c.image)) throw clientException('Container.image contains invalid characters.');
    checkContainerResources(c, taskMemory);
  }
  if (!containers.some(isEssential)) {
    // Berth's wording; ECS reports that the definition "doesn't have any essential container".
    throw clientException("Task definition doesn't have any essential container.");
  }
}

function checkContainerResources(c: ContainerDefinition, taskMemory: number | undefined): void {
  const name = c.name!;
  if (c.cpu !== undefined && (!isWhole(c.cpu) || c.cpu < 0)) {
    throw clientException(`Invalid 'cpu' setting for container '${name}'.`);
  }
  if (c.memory !== undefined && (!isWhole(c.memory) || c.memory < MIN_CONTAINER_MEMORY_MIB)) {
    throw clientException(`Invalid 'memory' setting for container '${name}'.`);
  }
  if (c.memoryReservation !== undefined && (!isWhole(c.memoryReservation) || c.memoryReservation < MIN_CONTAINER_MEMORY_MIB)) {
    throw clientException(`Invalid 'memoryReservation' setting for container '${name}'.`);
  }
  if (c.memory === undefined && c.memoryReservation === undefined && taskMemory === undefined) {
    throw clientException(`Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
  }
  // The API reference says memory "must be greater than memoryReservation"; the ECS docs
  // correction (awsdocs/amazon-ecs-developer-guide#242) reports equal values are accepted.
  if (c.memory !== undefined && c.memoryReservation !== undefined && c.memoryReservation > c.memory) {
    // Berth's wording, in the style of the memory messages above.
    throw clientException(`Invalid setting for container '${name}'. 'memory' must be greater than or equal to 'memoryReservation'.`);
  }
}

/**
 * The containers must fit in the task (API reference: ContainerDefinition "cpu" - "the total
 * amount of CPU reserved for all containers within a task be lower than the task-level cpu";
 * "memory" - "The total amount of memory reserved for all containers within a task must be lower
 * than the task memory value"). A container reserves its memoryReservation, else its memory.
 */
export function checkContainersFitTask(
  containers: readonly ContainerDefinition[], taskCpu: number | undefined, taskMemory: number | undefined,
): void {
  if (taskMemory !== undefined) {
    for (const c of containers) {
      if (c.memory !== undefined && c.memory > taskMemory) {
        throw clientException(`The 'memory' setting for container '${c.name}' is greater than for the task.`);
      }
    }
    const reserved = containers.reduce((sum, c) => sum + (c.memoryReservation ?? c.memory ?? 0), 0);
    if (reserved > taskMemory) {
      // The 'memoryReservation' form is ECS's; the 'memory' form (no container sets a
      // reservation) is Berth's extension of it.
      const field = containers.some((c) => c.memoryReservation !== undefined) ? 'memoryReservation' : 'memory';
      throw clientException(`The sum of all container '${field}' values cannot be greater than the value of the task 'memory'.`);
    }
  }
  if (taskCpu !== undefined) {
    const cpu = containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
    if (cpu > taskCpu) {
      throw clientException("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
    }
  }
}
