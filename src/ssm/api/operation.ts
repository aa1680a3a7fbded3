import type { Operation, RequestContext } from '../../edge/surface.js';
import type { Scope } from '../state.js';

/**
 * Types an operation by the SDK's request shape. The gateway has already checked the input
 * against the service model, so the cast only names what validation established.
 */
export function operation<I>(fn: (input: I, ctx: RequestContext) => unknown): Operation {
  return fn as unknown as Operation;
}

export const scopeOf = (ctx: RequestContext): Scope => ({ accountId: ctx.principal.accountId, region: ctx.region });
