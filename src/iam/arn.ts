/**
 * IAM ARNs. IAM is global, so its ARNs have no region: `arn:aws:iam::<account>:role<path><name>`
 * (path `/` or `/a/b/`). AWS managed policies live in the pseudo-account `aws`.
 */
export const roleArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:role${path}${name}`;
export const userArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:user${path}${name}`;
export const policyArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:policy${path}${name}`;
export const serverCertificateArn = (accountId: string, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:server-certificate${path}${name}`;
export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
export const assumedRoleArn = (accountId: string, roleName: string, session: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`;

export interface IamArn {
  readonly accountId: string;
  readonly type: 'role' | 'user' | 'policy';
  readonly path: string;
  readonly name: string;
}

/** Reads a role, user or policy ARN; undefined when `arn` is not one. */
export function parseIamArn(arn: string): IamArn | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):(role|user|policy)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/.exec(arn);
  if (!m) return undefined;
  return { accountId: m[1]!, type: m[2] as IamArn['type'], path: m[3]!, name: m[4]! };
}
