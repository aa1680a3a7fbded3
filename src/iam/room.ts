import type { SecretBox } from '../crypto/secret-box.js';
import type { Authorize } from '../edge/gateway.js';
import type { QuerySurface } from '../edge/surface.js';
import type { KeyRing } from '../identity/key-ring.js';
import type { StateStore } from '../store/port.js';
import { serverCertificatePem } from './api/server-certificates.js';
import { Authorizer } from './authorizer.js';
import { PolicyResolver } from './resolver.js';
import { RoleSessions } from './role-sessions.js';
import { IamState } from './state.js';
import { iamSurface } from './surface.js';

export interface IamRoom {
  /** The IAM Query API. */
  readonly surface: QuerySurface;
  /** The gateway's authorization hook: every non-root call is checked against its policies. */
  readonly authorize: Authorize;
  /** Policy decisions for other rooms' own checks (iam:PassRole, execution roles …). */
  readonly authorizer: Authorizer;
  /** AssumeRole/GetSessionToken for the STS room, and task-role credentials for ECS. */
  readonly sessions: RoleSessions;
  readonly resolver: PolicyResolver;
  /** An uploaded server certificate's PEM pair by ARN, for the load balancers' HTTPS and TLS listeners. */
  serverCertificate(accountId: string, arn: string): { certPem: string; keyPem: string } | undefined;
}

/**
 * The IAM room over the store, with the identity KeyRing that holds users' keys and sessions and
 * the SecretBox that seals server certificates' private keys.
 */
export function openIamRoom(opts: { store: StateStore; keys: KeyRing; box: SecretBox; clock: () => Date }): IamRoom {
  const state = new IamState(opts.store);
  const resolver = new PolicyResolver(state);
  const authorizer = new Authorizer(resolver);
  const sessions = new RoleSessions(resolver, authorizer, opts.keys, opts.clock);
  const iam = { state, resolver, keys: opts.keys, box: opts.box };
  return {
    surface: iamSurface(iam),
    authorize: authorizer.authorize,
    authorizer,
    sessions,
    resolver,
    serverCertificate: (accountId, arn) => serverCertificatePem(iam, accountId, arn),
  };
}
