/**
 * The ECS service model for request validation, and the ECS flavour of the validator.
 *
 * ecs-model.json is generated from the installed @aws-sdk/client-ecs by scripts/gen-ecs-model.ts
 * (`npm run build && npm run gen:model`); never edit it by hand. The JSON import makes tsc emit the
 * file next to the compiled module, so the model resolves the same way from src/ and from dist/.
 */
import { AwsError, unknownOperation } from '../../edge/errors.js';
import { validateInput, type ServiceModel, type ValidationErrorFactory } from '../../edge/validation/validate.js';
import model from './ecs-model.json' with { type: 'json' };

export const ecsModel: ServiceModel = model as ServiceModel;

/** Every ECS operation in the model, whether or not Berth implements it. */
export const ecsOperationNames: ReadonlySet<string> = new Set(Object.keys(ecsModel.operations));

/**
 * ECS wire codes: a type mismatch is what the ECS frontend answers as `SerializationException`;
 * a constraint violation is an `InvalidParameterException`. Both are client faults (400).
 */
const ecsValidationErrors: ValidationErrorFactory = {
  typeMismatch: (message) => new AwsError('SerializationException', message, 400),
  invalidValue: (message) => new AwsError('InvalidParameterException', message, 400),
};

/**
 * Throws an `AwsError` (400) when `input` is not a valid request for the ECS `operation`; an
 * operation ECS does not have is an `UnknownOperationException`.
 */
export function validateEcsInput(operation: string, input: unknown): void {
  if (!ecsOperationNames.has(operation)) throw unknownOperation();
  validateInput(ecsModel, operation, input, ecsValidationErrors);
}
