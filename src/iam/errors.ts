import { AwsError } from '../edge/errors.js';

/**
 * IAM's error codes with the HTTP statuses and, where known, the messages IAM sends. They go out
 * in the Query `<ErrorResponse>` envelope with `<Type>Sender</Type>`.
 */
const e = (code: string, status: number) => (message: string): AwsError => new AwsError(code, message, status);

export const noSuchEntity = e('NoSuchEntity', 404);
export const entityAlreadyExists = e('EntityAlreadyExists', 409);
export const deleteConflict = e('DeleteConflict', 409);
export const limitExceeded = e('LimitExceeded', 409);
export const malformedPolicy = e('MalformedPolicyDocument', 400);
export const invalidInput = e('InvalidInput', 400);
export const validationError = e('ValidationError', 400);
export const accessDenied = e('AccessDenied', 403);
export const malformedCertificate = e('MalformedCertificate', 400);
export const keyPairMismatch = e('KeyPairMismatch', 400);

export const roleNotFound = (name: string): AwsError => noSuchEntity(`The role with name ${name} cannot be found.`);
export const userNotFound = (name: string): AwsError => noSuchEntity(`The user with name ${name} cannot be found.`);
export const policyNotFound = (arn: string): AwsError => noSuchEntity(`Policy ${arn} was not found.`);
export const serverCertificateNotFound = (name: string): AwsError => noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
export const policyNotAttachable = (arn: string): AwsError => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);

/** The AWS validation message for one member (`1 validation error detected: …`). */
export function memberInvalid(value: string | null, member: string, constraint: string): AwsError {
  const shown = value === null ? 'null' : `'${value}'`;
  return validationError(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}
