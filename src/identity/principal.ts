/** Who is calling: resolved from the access key of a verified SigV4 signature. */
export interface Principal {
  readonly accountId: string;
  /** e.g. `arn:aws:iam::123456789012:root`. */
  readonly arn: string;
  /** The unique id GetCallerIdentity reports as `UserId`. */
  readonly userId: string;
  readonly accessKeyId: string;
  readonly isRoot: boolean;
}

/** A stored access key: the secret SigV4 verification needs and the principal it authenticates. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly principal: Principal;
  readonly status: 'Active' | 'Inactive';
}
