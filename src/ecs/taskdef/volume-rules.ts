import type { ContainerDefinition, Volume } from '@aws-sdk/client-ecs';
import { clientException } from '../errors.js';
import { NAME_PATTERN } from './container-rules.js';

/**
 * Volumes, mount points and volumes-from (Developer Guide: "Using data volumes in tasks"; API
 * reference: Volume, MountPoint, VolumeFrom).
 */
export function checkVolumes(volumes: readonly Volume[], containers: readonly ContainerDefinition[]): void {
  const names = new Set<string>();
  for (const v of volumes) {
    // Volume "name": up to 255 letters, numbers, hyphens and underscores; referenced by
    // mountPoints. These three messages are Berth's wording in the style of Container.name's.
    if (v.name === undefined || v.name === '') throw clientException('Volume.name should not be null or empty.');
    if (!NAME_PATTERN.test(v.name)) throw clientException('Volume.name contains invalid characters.');
    if (names.has(v.name)) throw clientException('Volume names must be unique within a Task Definition.');
    names.add(v.name);
    // ECS answers a blank bind-mount path with "host.sourcePath should not be blank."
    // (aws/amazon-ecs-cli#11); an omitted sourcePath is a Docker-managed bind mount.
    if (v.host?.sourcePath === '') throw clientException('host.sourcePath should not be blank.');
  }
  const containerNames = new Set(containers.map((c) => c.name));
  for (const c of containers) {
    for (const mp of c.mountPoints ?? []) {
      // ECS: "Unknown volume 'root-RO'." and, for a mount point without sourceVolume,
      // "Unknown volume 'null'." (ansible/ansible#35777, blinkist/terraform-aws-airship-ecs-service#46).
      if (mp.sourceVolume === undefined || !names.has(mp.sourceVolume)) {
        throw clientException(`Unknown volume '${mp.sourceVolume ?? 'null'}'.`);
      }
    }
    for (const vf of c.volumesFrom ?? []) {
      // ECS: "Invalid 'volumesFrom' setting. Unknown container: 'container'." (eagletmt/hako#54).
      if (vf.sourceContainer === undefined || !containerNames.has(vf.sourceContainer) || vf.sourceContainer === c.name) {
        throw clientException(`Invalid 'volumesFrom' setting. Unknown container: '${vf.sourceContainer ?? 'null'}'.`);
      }
    }
  }
}
