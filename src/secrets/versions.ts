import type { SecretVersionRecord } from './state.js';

/**
 * Staging-label rules, pure. A label is on at most one version of a secret. Moving AWSCURRENT
 * onto a version gives AWSPREVIOUS to the version that held it (as PutSecretValue, UpdateSecret
 * and UpdateSecretVersionStage do). Versions left without labels are deprecated; past
 * MAX_VERSIONS the oldest deprecated ones are dropped.
 */
export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
export const MAX_VERSIONS = 100;
/** "You can attach up to 20 staging labels to a version" (UpdateSecretVersionStage). */
export const MAX_STAGES_PER_VERSION = 20;

export const holderOf = (versions: readonly SecretVersionRecord[], stage: string): SecretVersionRecord | undefined =>
  versions.find((v) => v.stages.includes(stage));

/** Puts `stage` on version `targetId` (and only there); the AWSCURRENT rule above applies. */
export function attachStage(versions: readonly SecretVersionRecord[], stage: string, targetId: string): SecretVersionRecord[] {
  const oldHolder = holderOf(versions, stage);
  let out = versions.map((v) =>
    v.versionId === targetId
      ? { ...v, stages: v.stages.includes(stage) ? v.stages : [...v.stages, stage] }
      : v.stages.includes(stage) ? { ...v, stages: v.stages.filter((s) => s !== stage) } : v,
  );
  if (stage === CURRENT && oldHolder && oldHolder.versionId !== targetId) out = attachStage(out, PREVIOUS, oldHolder.versionId);
  return out;
}

export function detachStage(versions: readonly SecretVersionRecord[], stage: string, fromId: string): SecretVersionRecord[] {
  return versions.map((v) => (v.versionId === fromId ? { ...v, stages: v.stages.filter((s) => s !== stage) } : v));
}

/** Appends a new version carrying `stages`, moving each label off its old holder, then prunes. */
export function addVersion(
  versions: readonly SecretVersionRecord[],
  version: Omit<SecretVersionRecord, 'stages'>,
  stages: readonly string[],
): SecretVersionRecord[] {
  let out: SecretVersionRecord[] = [...versions, { ...version, stages: [] }];
  for (const stage of new Set(stages)) out = attachStage(out, stage, version.versionId);
  return prune(out);
}

function prune(versions: SecretVersionRecord[]): SecretVersionRecord[] {
  const out = [...versions];
  while (out.length > MAX_VERSIONS) {
    const i = out.findIndex((v) => v.stages.length === 0);
    if (i < 0) break;
    out.splice(i, 1);
  }
  return out;
}

/** The versions that have labels, as `VersionIdsToStages` / `SecretVersionsToStages` show them. */
export function stagesMap(versions: readonly SecretVersionRecord[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const v of versions) if (v.stages.length > 0) map[v.versionId] = [...v.stages];
  return map;
}
