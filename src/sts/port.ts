import type { Principal } from '../identity/principal.js';
import type { AssumeRoleRequest, AssumeRoleResult, CallFacts, Credentials } from '../identity/session-shapes.js';

export type { AssumeRoleRequest, AssumeRoleResult, CallFacts, Credentials };

/**
 * What the STS room needs from whoever owns roles and policies (the IAM room, wired in
 * server.ts): issuing temporary credentials after deciding whether the caller may have them.
 * Both calls throw the AwsError STS answers with (AccessDenied, ValidationError,
 * MalformedPolicyDocument …).
 */
export interface RoleSessionPort {
  assumeRole(caller: Principal, request: AssumeRoleRequest, facts: CallFacts): AssumeRoleResult;
  /** Temporary credentials for the caller itself; `durationSeconds` already within 900 … 129600. */
  getSessionToken(caller: Principal, durationSeconds: number | undefined, facts: CallFacts): Credentials;
}
