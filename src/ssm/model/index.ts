/**
 * The SSM service model for request validation. ssm-model.json is generated from the installed
 * @aws-sdk/client-ssm by scripts/gen-model-ssm.ts; never edit it by hand. The JSON import makes
 * tsc emit it next to the compiled module.
 */
import { AwsError, unknownOperation } from '../../edge/errors.js';
import { validateInput, type ServiceModel, type ValidationErrorFactory } from '../../edge/validation/validate.js';
import model from './ssm-model.json' with { type: 'json' };

export const ssmModel: ServiceModel = model as ServiceModel;

/** Every SSM operation in the model, whether or not Berth implements it. */
export const ssmOperationNames: ReadonlySet<string> = new Set(Object.keys(ssmModel.operations));

/** SSM: wrong JSON types are SerializationException; constraint violations ValidationException. */
const errors: ValidationErrorFactory = {
  typeMismatch: (message) => new AwsError('SerializationException', message, 400),
  invalidValue: (message) => new AwsError('ValidationException', message, 400),
};

export function validateSsmInput(operation: string, input: unknown): void {
  if (!ssmOperationNames.has(operation)) throw unknownOperation();
  validateInput(ssmModel, operation, input, errors);
}
