import { AwsError } from '../edge/errors.js';

/**
 * CloudWatch Logs' modelled errors, with the messages the service gives where they are known.
 * Every one is a client fault (400) except ServiceUnavailable.
 */
export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

export const groupNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');

export const streamNotFound = (): AwsError => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');

export const resourceNotFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message);

export const groupExists = (): AwsError => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');

export const streamExists = (): AwsError => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');

export const limitExceeded = (message: string): AwsError => new AwsError('LimitExceededException', message);

export const malformedQuery = (message: string): AwsError => new AwsError('MalformedQueryException', message);

export const tooManyTags = (message: string): AwsError => new AwsError('TooManyTagsException', message);

export const validation = (message: string): AwsError => new AwsError('ValidationException', message);
