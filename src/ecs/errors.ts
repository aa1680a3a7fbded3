import { AwsError } from '../edge/errors.js';

/** ECS's modelled errors, each with the message real ECS uses where it is known. */
export const clientException = (message: string): AwsError => new AwsError('ClientException', message);
export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
export const clusterNotFound = (): AwsError => new AwsError('ClusterNotFoundException', 'Cluster not found.');
export const resourceNotFound = (message: string): AwsError => new AwsError('ResourceNotFoundException', message);
export const targetNotFound = (message: string): AwsError => new AwsError('TargetNotFoundException', message);
export const attributeLimitExceeded = (message: string): AwsError => new AwsError('AttributeLimitExceededException', message);
export const limitExceeded = (message: string): AwsError => new AwsError('LimitExceededException', message);
export const resourceInUse = (message: string): AwsError => new AwsError('ResourceInUseException', message);
export const serviceNotFound = (): AwsError => new AwsError('ServiceNotFoundException', 'Service not found.');
export const serviceNotActive = (): AwsError => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
