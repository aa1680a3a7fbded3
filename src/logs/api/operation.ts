import type { Operation, RequestContext } from '../../edge/surface.js';

/**
 * Types a Logs operation by the SDK's request shape. The gateway has already checked the input
 * against the service model, so the cast only names what validation established.
 */
export function operation<I>(fn: (input: I, ctx: RequestContext) => unknown): Operation {
  return fn as unknown as Operation;
}
