/**
 * Generates src/ssm/model/ssm-model.json from the installed `@aws-sdk/client-ssm` and
 * src/ssm/model/constraints.ts, with the shared generator of scripts/gen-ecs-model.ts. Run
 * `node dist/scripts/gen-model-ssm.js` after a build.
 *
 * The SSM package writes some anonymous collection schemas inline at every use (e.g.
 * `TargetMaps`, a list of maps, appears as a fresh array literal in each structure). The shared
 * generator identifies a named shape by its schema object, so it would see "two different shapes
 * named TargetMaps". Before building, `unifyInlineSchemas` makes structurally identical inline
 * list/map schemas one object (in memory only; the package is not touched).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ssmSdk from '@aws-sdk/client-ssm';
import { generateModelJson, type ServiceSpec } from './gen-ecs-model.js';
import { ssmConstraints } from '../src/ssm/model/constraints.js';

const OPERATION = 9;
const LIST = 1;
const MAP = 2;
const STRUCTURE = 3;
const UNION = 4;
const ERROR = -3;

type Schema = unknown[];

/** A structural key: nested arrays by value, thunks by the name of the schema they return. */
function structuralKey(schema: Schema): string {
  return JSON.stringify(schema, (_k, v: unknown) => {
    if (typeof v !== 'function') return v;
    const target = (v as () => unknown)();
    return Array.isArray(target) ? `ref:${String(target[0])}:${String(target[2])}` : `ref:${String(target)}`;
  });
}

const isInlineCollection = (v: unknown): v is Schema => Array.isArray(v) && v.length >= 5 && (v[0] === LIST || v[0] === MAP);

/** Replaces, in every schema reachable from the operations, duplicate inline collections by the first seen. */
export function unifyInlineSchemas(sdk: Readonly<Record<string, unknown>>): void {
  const canonical = new Map<string, Schema>();
  const visited = new Set<unknown>();
  const unify = (holder: unknown[], index: number): void => {
    let slot = holder[index];
    // A member wrapper `[ref, memberTraits]`: unify its ref in place.
    if (Array.isArray(slot) && slot.length === 2) {
      unify(slot, 0);
      return;
    }
    if (isInlineCollection(slot)) {
      const key = structuralKey(slot);
      const first = canonical.get(key);
      if (first) holder[index] = slot = first;
      else canonical.set(key, slot);
    }
    visit(typeof slot === 'function' ? (slot as () => unknown)() : slot);
  };
  const visit = (schema: unknown): void => {
    if (!Array.isArray(schema) || visited.has(schema)) return;
    visited.add(schema);
    switch (schema[0]) {
      case OPERATION: unify(schema, 4); break;
      case LIST: unify(schema, 4); break;
      case MAP: unify(schema, 4); unify(schema, 5); break;
      case STRUCTURE: case UNION: case ERROR: {
        const members = schema[5];
        if (Array.isArray(members)) for (let i = 0; i < members.length; i++) unify(members, i);
        break;
      }
      default: if (schema.length >= 5) unify(schema, 4); // a named simple schema wrapping its target
    }
  };
  for (const value of Object.values(sdk)) if (Array.isArray(value) && value[0] === OPERATION) visit(value);
}

export const ssmModelSpec: ServiceSpec = {
  packageName: '@aws-sdk/client-ssm',
  sdk: ssmSdk,
  constraints: ssmConstraints,
  modelPath: fileURLToPath(new URL('../../src/ssm/model/ssm-model.json', import.meta.url)),
};

/** The exact text of ssm-model.json for the installed SDK. */
export function generateSsmModelJson(): string {
  unifyInlineSchemas(ssmModelSpec.sdk);
  return generateModelJson(ssmModelSpec);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(ssmModelSpec.modelPath, generateSsmModelJson());
  console.log(`wrote ${ssmModelSpec.modelPath}`);
}
