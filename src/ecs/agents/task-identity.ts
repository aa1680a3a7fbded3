import type { RoleCredentials } from '../../protocol/messages.js';
import type { Principal } from '../../identity/principal.js';
import type { Scope } from '../arn.js';

/** The task a secret read or a credential is for (aws:SourceArn, the role session name). */
export interface TaskOfRole { scope: Scope; taskArn: string; taskId: string }

/**
 * What tasks get with their IAM roles, through this port so that the ECS room imports neither
 * IAM, Secrets Manager nor SSM (server.ts wires it). Errors thrown carry the message the task
 * stops with after `ResourceInitializationError: `.
 */
export interface TaskIdentity {
  /**
   * The values of `valueFroms` (Secrets Manager ARNs or SSM parameter names/ARNs), in order, read
   * with the execution role as the ECS agent reads them: the role must trust
   * `ecs-tasks.amazonaws.com` and allow `secretsmanager:GetSecretValue` / `ssm:GetParameters`.
   */
  readSecrets(task: TaskOfRole, executionRoleArn: string | undefined, valueFroms: readonly string[]): string[];
  /** Fresh temporary credentials for the task role, issued to `ecs-tasks.amazonaws.com`. */
  roleCredentials(task: TaskOfRole, roleArn: string): RoleCredentials;
  /**
   * RunTask's check of the roles a task names: the caller may pass each (`iam:PassRole`, else
   * AccessDeniedException) and each trusts `ecs-tasks.amazonaws.com` (else
   * InvalidParameterException "ECS was unable to assume the role …"). Throws AwsError.
   */
  checkRoles(caller: Principal, scope: Scope, roleArns: readonly string[], now: Date): void;
}
