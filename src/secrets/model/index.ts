/**
 * The Secrets Manager service model for request validation. secrets-model.json is generated from
 * the installed @aws-sdk/client-secrets-manager by scripts/gen-model-secrets.ts; never edit it by
 * hand. The JSON import makes tsc emit it next to the compiled module.
 */
import { AwsError, unknownOperation } from '../../edge/errors.js';
import { validateInput, type ServiceModel, type ValidationErrorFactory } from '../../edge/validation/validate.js';
import model from './secrets-model.json' with { type: 'json' };

export const secretsModel: ServiceModel = model as ServiceModel;

/** Every Secrets Manager operation in the model, whether or not Berth implements it. */
export const secretsOperationNames: ReadonlySet<string> = new Set(Object.keys(secretsModel.operations));

/**
 * Secrets Manager's frontend answers a body that does not deserialize (wrong JSON types) with
 * SerializationException, and a constraint violation (missing member, bad enum, length) with
 * ValidationException.
 */
const errors: ValidationErrorFactory = {
  typeMismatch: (message) => new AwsError('SerializationException', message, 400),
  invalidValue: (message) => new AwsError('ValidationException', message, 400),
};

export function validateSecretsInput(operation: string, input: unknown): void {
  if (!secretsOperationNames.has(operation)) throw unknownOperation();
  validateInput(secretsModel, operation, input, errors);
}
