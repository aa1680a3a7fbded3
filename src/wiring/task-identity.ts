import { randomUUID } from 'node:crypto';
import type { TaskIdentity } from '../ecs/agents/task-identity.js';
import { AwsError } from '../edge/errors.js';
import type { Authorizer } from '../iam/authorizer.js';
import type { RoleSessions } from '../iam/role-sessions.js';
import type { Principal } from '../identity/principal.js';
import { SecretResolutionError, type SecretsService } from '../secrets/service.js';
import { ParameterResolutionError, type ParameterStore } from '../ssm/service.js';

/** The service principal ECS tasks' roles must trust. */
export const ECS_TASKS = 'ecs-tasks.amazonaws.com';
const PULL = 'unable to pull secrets or registry auth: execution resource retrieval failed: ';
/** How long task-role credentials last; the agent renews them well before. */
const CREDENTIALS_SECONDS = 3600;

/**
 * Task roles over the IAM, Secrets Manager and SSM rooms. Secrets are read the way the ECS agent
 * reads them: as a session of the execution role (which must trust `ecs-tasks.amazonaws.com`),
 * each read authorised by that role's policies (`secretsmanager:GetSecretValue` on the secret's
 * ARN, `ssm:GetParameters` on the parameter's). Failures read as the ECS agent reports them.
 */
export function taskIdentity(deps: { sessions: RoleSessions; authorizer: Authorizer; secrets: SecretsService; parameters: ParameterStore; clock: () => Date }): TaskIdentity {
  const { sessions, authorizer, secrets, parameters, clock } = deps;
  const requestId = (): string => `status code: 400, request id: ${randomUUID()}`;

  function readAsm(role: Principal, scope: { accountId: string; region: string }, valueFrom: string, now: Date): string {
    try {
      return secrets.resolve(scope, valueFrom, now.getTime(), (arn) =>
        authorizer.check('secretsmanager', role, 'secretsmanager:GetSecretValue', arn, { now, region: scope.region }));
    } catch (err) {
      const fetch = `unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${valueFrom} from secrets manager: `;
      if (err instanceof AwsError) throw new Error(`${PULL}${fetch}${err.code}: ${err.message} ${requestId()}`);
      if (err instanceof SecretResolutionError) {
        if (err.code === 'JsonKeyNotFound' || err.code === 'BinarySecret') throw new Error(`${PULL}unable to retrieve secret from asm: ${err.message}`);
        throw new Error(`${PULL}${fetch}${err.code}: ${err.message} ${requestId()}`);
      }
      throw err;
    }
  }

  function readSsm(role: Principal, scope: { accountId: string; region: string }, valueFrom: string, now: Date): string {
    try {
      return parameters.resolve(scope, valueFrom, (arn) => authorizer.check('ssm', role, 'ssm:GetParameters', arn, { now, region: scope.region }));
    } catch (err) {
      if (!(err instanceof ParameterResolutionError)) throw err;
      // The agent asks for a task's parameters with GetParameters: missing ones come back as
      // InvalidParameters, the rest as the call's error.
      if (err.code === 'ParameterNotFound' || err.code === 'ParameterVersionNotFound') throw new Error(`${PULL}unable to retrieve secrets from ssm: invalid parameters: ${valueFrom}`);
      throw new Error(`${PULL}unable to retrieve secrets from ssm: service call has been retried 1 time(s): ${err.code}: ${err.message} ${requestId()}`);
    }
  }

  return {
    readSecrets(task, executionRoleArn, valueFroms) {
      if (valueFroms.length === 0) return [];
      if (!executionRoleArn) throw new Error(`${PULL}the task has secrets but no execution role`);
      const now = clock();
      let role: Principal;
      try {
        role = sessions.servicePrincipal(task.scope, executionRoleArn, ECS_TASKS, task.taskId, { now, sourceArn: task.taskArn });
      } catch (err) {
        throw new Error(`${PULL}unable to assume the execution role ${executionRoleArn}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return valueFroms.map((v) => (/^arn:[^:]+:secretsmanager:/.test(v) ? readAsm(role, task.scope, v, now) : readSsm(role, task.scope, v, now)));
    },

    roleCredentials(task, roleArn) {
      try {
        const r = sessions.assumeRoleForService(task.scope, roleArn, ECS_TASKS, task.taskId, { sourceArn: task.taskArn, durationSeconds: CREDENTIALS_SECONDS });
        const c = r.credentials;
        return { roleArn, accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration.getTime() };
      } catch (err) {
        throw new Error(`unable to assume the task role ${roleArn}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },

    checkRoles(caller, scope, roleArns, now) {
      for (const arn of new Set(roleArns)) {
        // Passing a role to ECS needs iam:PassRole on it (the root user may pass any).
        authorizer.check('ecs', caller, 'iam:PassRole', arn, { now }, { 'iam:PassedToService': ECS_TASKS });
        try {
          sessions.servicePrincipal(scope, arn, ECS_TASKS, 'berth-check', { now });
        } catch {
          throw new AwsError('InvalidParameterException', `ECS was unable to assume the role '${arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`, 400);
        }
      }
    },
  };
}
