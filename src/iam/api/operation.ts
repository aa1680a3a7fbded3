import type { RequestContext } from '../../edge/surface.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { KeyRing } from '../../identity/key-ring.js';
import type { PolicyResolver } from '../resolver.js';
import type { IamState } from '../state.js';
import type { Params } from '../params.js';

/** What IAM operations work with: the room's state, policy lookups, the identity keys, and the box that seals server certificates' keys. */
export interface Iam {
  readonly state: IamState;
  readonly resolver: PolicyResolver;
  readonly keys: KeyRing;
  readonly box: SecretBox;
}

/** An IAM Query operation: parameters in, the `<XResult>` members out (XML). */
export type IamOperation = (p: Params, ctx: RequestContext, iam: Iam) => string;

export const accountOf = (ctx: RequestContext): string => ctx.principal.accountId;
