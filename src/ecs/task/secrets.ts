import type { TaskDefinition } from '@aws-sdk/client-ecs';

/**
 * What a task's containers take from Secrets Manager and Parameter Store: each container's
 * `secrets[]` become environment variables, its `logConfiguration.secretOptions` log driver
 * options. Pure; the reading itself is the TaskIdentity port's.
 */
export interface SecretRef { container: string; target: 'environment' | 'logOptions'; name: string; valueFrom: string }

export function secretRefs(def: Pick<TaskDefinition, 'containerDefinitions'>): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const c of def.containerDefinitions ?? []) {
    for (const s of c.secrets ?? []) refs.push({ container: c.name!, target: 'environment', name: s.name!, valueFrom: s.valueFrom! });
    for (const s of c.logConfiguration?.secretOptions ?? []) refs.push({ container: c.name!, target: 'logOptions', name: s.name!, valueFrom: s.valueFrom! });
  }
  return refs;
}

/** Environment files named by the definition or the task's overrides (S3 object ARNs). */
export function environmentFiles(def: Pick<TaskDefinition, 'containerDefinitions'>, overrides: { containerOverrides?: { name?: string; environmentFiles?: { value?: string }[] }[] }): string[] {
  const byName = new Map((overrides.containerOverrides ?? []).map((o) => [o.name, o.environmentFiles]));
  const files: string[] = [];
  for (const c of def.containerDefinitions ?? []) for (const f of byName.get(c.name) ?? c.environmentFiles ?? []) if (f.value) files.push(f.value);
  return files;
}

/** Whether the agent must ask for the task's secrets before creating its containers. */
export function needsSecrets(def: Pick<TaskDefinition, 'containerDefinitions'>, overrides: Parameters<typeof environmentFiles>[1]): boolean {
  return secretRefs(def).length > 0 || environmentFiles(def, overrides).length > 0;
}

export type ResolvedSecrets = Record<string, { environment: Record<string, string>; logOptions: Record<string, string> }>;

/**
 * Places read values by container and target. `read` gets every valueFrom once, in order, and
 * returns their values or throws (its message is what the task stops with).
 */
export function placeSecrets(refs: readonly SecretRef[], read: (valueFroms: string[]) => string[]): ResolvedSecrets {
  const unique = [...new Set(refs.map((r) => r.valueFrom))];
  const got = read(unique);
  const values = new Map(unique.map((v, i) => [v, got[i]!]));
  const out: ResolvedSecrets = {};
  for (const r of refs) {
    const slot = (out[r.container] ??= { environment: {}, logOptions: {} });
    slot[r.target][r.name] = values.get(r.valueFrom)!;
  }
  return out;
}
