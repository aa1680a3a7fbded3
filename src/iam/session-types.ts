/**
 * The shapes of issued sessions. They match the STS room's RoleSessionPort structurally (the
 * wiring in server.ts hands RoleSessions to the STS surface), without the IAM room importing
 * another room.
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
  readonly durationSeconds?: number;
  readonly policy?: string;
  readonly policyArns: readonly string[];
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly externalId?: string;
  readonly sourceIdentity?: string;
}

export interface AssumeRoleResult {
  readonly credentials: Credentials;
  readonly assumedRoleUser: { readonly arn: string; readonly assumedRoleId: string };
  readonly packedPolicySize?: number;
  readonly sourceIdentity?: string;
}

export interface CallFacts {
  readonly now: Date;
  readonly sourceIp?: string;
  readonly region?: string;
}
