import { AwsError } from '../edge/errors.js';

// SSM's error codes and messages (API reference "Errors" sections; messages as the service words
// them where known). All are client faults answered with 400.

/** SSM answers ParameterNotFound with an empty message. */
export const parameterNotFound = (): AwsError => new AwsError('ParameterNotFound', '');

export const validation = (message: string): AwsError => new AwsError('ValidationException', message);

export const parameterAlreadyExists = (): AwsError =>
  new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');

export const versionNotFound = (name: string, selector: string): AwsError =>
  new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`);

export const labelLimitExceeded = (): AwsError =>
  new AwsError(
    'ParameterVersionLabelLimitExceeded',
    'A parameter version can have a maximum of 10 labels. Move one or more labels to another version and try again.',
  );

export const hierarchyLevelLimitExceeded = (): AwsError =>
  new AwsError(
    'HierarchyLevelLimitExceededException',
    'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.',
  );

export const invalidName = (): AwsError =>
  validation(
    'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
  );

export const invalidPath = (): AwsError =>
  validation(
    'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with \\"aws\\" or \\"ssm\\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
  );

export const invalidFilterKey = (message: string): AwsError => new AwsError('InvalidFilterKey', message);
export const invalidFilterOption = (message: string): AwsError => new AwsError('InvalidFilterOption', message);
export const invalidFilterValue = (message: string): AwsError => new AwsError('InvalidFilterValue', message);
export const invalidNextToken = (): AwsError => new AwsError('InvalidNextToken', 'The specified token is not valid.');
export const invalidResourceId = (): AwsError => new AwsError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
