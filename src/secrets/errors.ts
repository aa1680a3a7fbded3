import { AwsError } from '../edge/errors.js';

// Secrets Manager's error codes and messages (API reference, "Errors" of each operation). All are
// client faults answered with 400.

export const secretNotFound = (): AwsError =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const resourceNotFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message);

export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

export const invalidRequest = (message: string): AwsError => new AwsError('InvalidRequestException', message);

export const validation = (message: string): AwsError => new AwsError('ValidationException', message);

export const resourceExists = (message: string): AwsError => new AwsError('ResourceExistsException', message);

export const limitExceeded = (message: string): AwsError => new AwsError('LimitExceededException', message);

export const invalidNextToken = (): AwsError => new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');

export const markedForDeletion = (): AwsError =>
  invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");

export const invalidName = (): AwsError =>
  validation('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
