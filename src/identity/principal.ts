/**
 * Who is calling: resolved from the access key of a verified SigV4 signature.
 *
 * A principal is plain data (it is stored with its access key). It names the identity but does
 * not carry its policies: the IAM room resolves the identity policies of a user or role at the
 * moment a request is evaluated, so attaching or detaching a policy takes effect at once, as in
 * AWS. What belongs to the session itself (session policies, session tags, expiry) is carried
 * here, because it is fixed when the session is issued.
 */
export type PrincipalKind = 'root' | 'user' | 'assumed-role';

export interface Tag { readonly Key: string; readonly Value: string }

export interface Principal {
  readonly accountId: string;
  /**
   * `arn:aws:iam::123456789012:root`, `arn:aws:iam::123456789012:user/path/name`, or
   * `arn:aws:sts::123456789012:assumed-role/role-name/session-name`.
   */
  readonly arn: string;
  /** The unique id GetCallerIdentity reports as `UserId`: account id, `AIDA…`, or `AROA…:session`. */
  readonly userId: string;
  readonly accessKeyId: string;
  /** The account's root user (also true for a root GetSessionToken session). */
  readonly isRoot: boolean;
  /**
   * Absent on records stored before IAM existed: those are all account root keys, so readers
   * use `principalKind(p)`, never `p.kind` directly.
   */
  readonly kind?: PrincipalKind;
  /** IAM user name (kind `user`). */
  readonly userName?: string;
  /** The assumed role (kind `assumed-role`): its ARN, name and unique id `AROA…`. */
  readonly role?: { readonly arn: string; readonly name: string; readonly roleId: string };
  /** The role session name (kind `assumed-role`). */
  readonly sessionName?: string;
  /** Present on temporary credentials: which STS call issued them. */
  readonly session?: SessionFacts;
}

/** What a temporary-credentials session fixed when it was issued. */
export interface SessionFacts {
  readonly issuedBy: 'AssumeRole' | 'GetSessionToken';
  readonly issuedAt: number;
  readonly expiresAt: number;
  /**
   * Session policies (AssumeRole `Policy` JSON text and `PolicyArns`): when present, the session
   * may do only what both the role's policies and these allow. Managed policy ARNs are resolved
   * at evaluation time.
   */
  readonly policy?: string;
  readonly policyArns?: readonly string[];
  readonly tags?: readonly Tag[];
  readonly sourceIdentity?: string;
  /** Issued to a session principal (role chaining), so limited to one hour. */
  readonly chained?: boolean;
  /** Issued to an AWS service principal (e.g. `ecs-tasks.amazonaws.com` for task roles). */
  readonly service?: string;
}

export const principalKind = (p: Principal): PrincipalKind => p.kind ?? (p.isRoot ? 'root' : 'user');

/**
 * A stored access key: the secret SigV4 verification needs and the principal it authenticates.
 * Temporary credentials also carry their session token (which the request's
 * `X-Amz-Security-Token` must equal) and their expiry (epoch ms).
 */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principal: Principal;
  readonly status: 'Active' | 'Inactive';
  readonly createdAt?: number;
  readonly sessionToken?: string;
  readonly expiresAt?: number;
}
