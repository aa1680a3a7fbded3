import type { JsonSurface } from '../edge/surface.js';
import { listOperations } from './api/list.js';
import { secretOperations } from './api/secrets.js';
import { tagOperations } from './api/tags.js';
import { valueOperations } from './api/values.js';
import { versionOperations } from './api/versions.js';
import { secretsOperationNames, validateSecretsInput } from './model/index.js';
import type { SecretsService } from './service.js';

/**
 * The Secrets Manager room (AWS JSON 1.1, target prefix `secretsmanager`, signing name
 * `secretsmanager`). Every operation of the model is implemented here or answers
 * NotImplementedException (rotation, replication, resource policies, batch reads …).
 */
export function secretsSurface(secrets: SecretsService): JsonSurface {
  return {
    protocol: 'json',
    signingName: 'secretsmanager',
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      ...secretOperations(secrets),
      ...valueOperations(secrets),
      ...listOperations(secrets),
      ...versionOperations(secrets),
      ...tagOperations(secrets),
    },
    validate: validateSecretsInput,
    knownOperations: secretsOperationNames,
    // Operations on one secret are authorised on its ARN (the full one when it exists).
    resourceOf: (_op, input, ctx) => {
      const id = input.SecretId ?? input.Name;
      if (typeof id !== 'string') return undefined;
      const scope = { accountId: ctx.principal.accountId, region: ctx.region };
      return secrets.find(scope, id, ctx.now.getTime())?.arn ?? (id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${id}`);
    },
  };
}

export { SecretsService, SecretResolutionError } from './service.js';
