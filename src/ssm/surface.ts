import type { JsonSurface } from '../edge/surface.js';
import { describeOperations } from './api/describe.js';
import { getOperations } from './api/get.js';
import { historyOperations } from './api/history.js';
import { parameterOperations } from './api/parameters.js';
import { tagOperations } from './api/tags.js';
import { ssmOperationNames, validateSsmInput } from './model/index.js';
import { parameterArn, parseReference } from './names.js';
import type { ParameterStore } from './service.js';

/**
 * The SSM room, Parameter Store part (AWS JSON 1.1, target prefix `AmazonSSM`, signing name
 * `ssm`). Every other operation of the SSM model (documents, Run Command, sessions, patching …)
 * answers NotImplementedException.
 */
export function ssmSurface(params: ParameterStore): JsonSurface {
  return {
    protocol: 'json',
    signingName: 'ssm',
    targetPrefix: 'AmazonSSM',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      ...parameterOperations(params),
      ...getOperations(params),
      ...describeOperations(params),
      ...historyOperations(params),
      ...tagOperations(params),
    },
    validate: validateSsmInput,
    knownOperations: ssmOperationNames,
    // Operations on named parameters are authorised on each parameter's ARN.
    resourceOf: (_op, input, ctx) => {
      const names = typeof input.Name === 'string' ? [input.Name] : Array.isArray(input.Names) ? input.Names.filter((n): n is string => typeof n === 'string') : undefined;
      if (!names) return undefined;
      const here = { accountId: ctx.principal.accountId, region: ctx.region };
      return names.map((n) => {
        const ref = parseReference(n);
        return parameterArn(ref?.scope ?? here, ref?.candidates.at(-1) ?? n);
      });
    },
  };
}

export { ParameterStore, ParameterResolutionError } from './service.js';
