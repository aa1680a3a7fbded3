import type { QuerySurface } from '../edge/surface.js';
import { xmlEscape } from '../edge/query-protocol.js';

/**
 * STS, Query protocol. GetCallerIdentity only for now: it proves the Query path end to end and
 * tells a user which account their Berth credentials belong to. AssumeRole comes with IAM.
 */
export function stsSurface(): QuerySurface {
  return {
    protocol: 'query',
    signingName: 'sts',
    version: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    knownOperations: new Set([
      'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'DecodeAuthorizationMessage',
      'GetAccessKeyInfo', 'GetFederationToken', 'GetSessionToken',
    ]),
    operations: {
      GetCallerIdentity: (_params, ctx) =>
        `<Arn>${xmlEscape(ctx.principal.arn)}</Arn><UserId>${xmlEscape(ctx.principal.userId)}</UserId><Account>${ctx.principal.accountId}</Account>`,
    },
  };
}
