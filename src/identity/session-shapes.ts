/**
 * The shapes of STS sessions, shared by the STS room (which answers the calls) and the IAM room
 * (which decides and issues them), so that neither room imports the other.
 */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** 900 … the role's MaxSessionDuration; 3600 when absent. */
  readonly durationSeconds?: number;
  /** An inline session policy (JSON text). */
  readonly policy?: string;
  /** Managed policies used as session policies. */
  readonly policyArns: readonly string[];
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly externalId?: string;
  readonly sourceIdentity?: string;
}

export interface AssumeRoleResult {
  readonly credentials: Credentials;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` and `AROA…:<session>`. */
  readonly assumedRoleUser: { readonly arn: string; readonly assumedRoleId: string };
  /** Percentage of the packed-policy quota the session policies and tags use, when any were given. */
  readonly packedPolicySize?: number;
  readonly sourceIdentity?: string;
}

/** About the call itself, for the condition keys of the policies involved. */
export interface CallFacts {
  readonly now: Date;
  readonly sourceIp?: string;
  readonly region?: string;
}
