/**
 * The CloudWatch Logs service model for request validation, and the Logs flavour of the validator.
 *
 * logs-model.json is generated from the installed @aws-sdk/client-cloudwatch-logs by
 * scripts/gen-ecs-model.ts (`npm run build && npm run gen:model -- logs`); never edit it by hand.
 */
import { AwsError, unknownOperation } from '../../edge/errors.js';
import { validateInput, type ServiceModel, type ValidationErrorFactory } from '../../edge/validation/validate.js';
import model from './logs-model.json' with { type: 'json' };

export const logsModel: ServiceModel = model as ServiceModel;

/** Every CloudWatch Logs operation in the model, whether or not Berth implements it. */
export const logsOperationNames: ReadonlySet<string> = new Set(Object.keys(logsModel.operations));

/**
 * Logs wire codes: a body that does not deserialize (wrong JSON types) is a SerializationException,
 * as for every AWS JSON service; a constraint violation (missing member, length, range, enum) is
 * what CloudWatch Logs answers as InvalidParameterException.
 */
const logsValidationErrors: ValidationErrorFactory = {
  typeMismatch: (message) => new AwsError('SerializationException', message, 400),
  invalidValue: (message) => new AwsError('InvalidParameterException', message, 400),
};

export function validateLogsInput(operation: string, input: unknown): void {
  if (!logsOperationNames.has(operation)) throw unknownOperation();
  validateInput(logsModel, operation, input, logsValidationErrors);
}
