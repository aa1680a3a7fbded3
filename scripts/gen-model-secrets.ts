/**
 * Generates src/secrets/model/secrets-model.json from the installed
 * `@aws-sdk/client-secrets-manager` and src/secrets/model/constraints.ts, with the shared
 * generator of scripts/gen-ecs-model.ts. Run `node dist/scripts/gen-model-secrets.js` after a build.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as secretsSdk from '@aws-sdk/client-secrets-manager';
import { generateModelJson, type ServiceSpec } from './gen-ecs-model.js';
import { secretsConstraints } from '../src/secrets/model/constraints.js';

export const secretsModelSpec: ServiceSpec = {
  packageName: '@aws-sdk/client-secrets-manager',
  sdk: secretsSdk,
  constraints: secretsConstraints,
  modelPath: fileURLToPath(new URL('../../src/secrets/model/secrets-model.json', import.meta.url)),
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(secretsModelSpec.modelPath, generateModelJson(secretsModelSpec));
  console.log(`wrote ${secretsModelSpec.modelPath}`);
}
