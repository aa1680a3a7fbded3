import type { QueryOperation, QuerySurface, RequestContext } from '../edge/surface.js';
import { xmlEscape } from '../edge/query-protocol.js';
import { int, policyArns, tags, text, type Params } from './params.js';
import type { Credentials, RoleSessionPort } from './port.js';

/**
 * STS, Query protocol. GetCallerIdentity always (it needs no permission: the caller learns who it
 * is); AssumeRole and GetSessionToken when a RoleSessionPort (the IAM room) is wired in, since
 * deciding who may have credentials takes roles and policies.
 */
const NAME = /^[\w+=,.@-]*$/;

const el = (name: string, value: string | number | undefined): string =>
  value === undefined ? '' : `<${name}>${typeof value === 'string' ? xmlEscape(value) : String(value)}</${name}>`;

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const credentialsXml = (c: Credentials): string =>
  `<Credentials>${el('AccessKeyId', c.accessKeyId)}${el('SecretAccessKey', c.secretAccessKey)}` +
  `${el('SessionToken', c.sessionToken)}${el('Expiration', isoSeconds(c.expiration))}</Credentials>`;

const facts = (ctx: RequestContext): { now: Date; sourceIp?: string; region: string } =>
  ({ now: ctx.now, region: ctx.region, ...(ctx.sourceIp ? { sourceIp: ctx.sourceIp } : {}) });

function assumeRole(sessions: RoleSessionPort): QueryOperation {
  return (p: Params, ctx) => {
    const roleArn = text(p, 'RoleArn', 20, 2048, undefined, true)!;
    const roleSessionName = text(p, 'RoleSessionName', 2, 64, NAME, true)!;
    const durationSeconds = int(p, 'DurationSeconds', 900, 43200);
    const policy = text(p, 'Policy', 1, 2048);
    const externalId = text(p, 'ExternalId', 2, 1224, /^[\w+=,.@:/-]*$/);
    const sourceIdentity = text(p, 'SourceIdentity', 2, 64, NAME);
    const r = sessions.assumeRole(ctx.principal, {
      roleArn,
      roleSessionName,
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      ...(policy !== undefined ? { policy } : {}),
      policyArns: policyArns(p),
      tags: tags(p),
      ...(externalId !== undefined ? { externalId } : {}),
      ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
    }, facts(ctx));
    return (
      credentialsXml(r.credentials) +
      `<AssumedRoleUser>${el('AssumedRoleId', r.assumedRoleUser.assumedRoleId)}${el('Arn', r.assumedRoleUser.arn)}</AssumedRoleUser>` +
      el('PackedPolicySize', r.packedPolicySize) + el('SourceIdentity', r.sourceIdentity)
    );
  };
}

function getSessionToken(sessions: RoleSessionPort): QueryOperation {
  return (p, ctx) => credentialsXml(sessions.getSessionToken(ctx.principal, int(p, 'DurationSeconds', 900, 129600), facts(ctx)));
}

export function stsSurface(sessions?: RoleSessionPort): QuerySurface {
  const operations: Record<string, QueryOperation> = {
    GetCallerIdentity: (_params, ctx) =>
      `<Arn>${xmlEscape(ctx.principal.arn)}</Arn><UserId>${xmlEscape(ctx.principal.userId)}</UserId><Account>${ctx.principal.accountId}</Account>`,
  };
  if (sessions) {
    operations.AssumeRole = assumeRole(sessions);
    operations.GetSessionToken = getSessionToken(sessions);
  }
  return {
    protocol: 'query',
    signingName: 'sts',
    version: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    knownOperations: new Set([
      'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot', 'DecodeAuthorizationMessage',
      'GetAccessKeyInfo', 'GetFederationToken', 'GetSessionToken',
    ]),
    operations,
  };
}
