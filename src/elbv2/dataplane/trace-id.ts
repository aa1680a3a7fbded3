/**
 * X-Amzn-Trace-Id, as ALB adds it to every request it forwards: `Root=1-<epoch seconds, 8 hex
 * digits>-<96 random bits, 24 hex digits>`. A request that already carries the header keeps it
 * unchanged (ALB would append `Self=…` for its own hop; Berth does not, so a client's trace
 * reaches the target exactly as sent).
 *
 * Random bytes are drawn in blocks so that one request costs a slice of a buffer, not a call
 * into the CSPRNG.
 */
import { randomFillSync } from 'node:crypto';

const block = Buffer.allocUnsafe(12 * 256);
let at = block.length;

export function newTraceId(epochMs: number = Date.now()): string {
  if (at + 12 > block.length) { randomFillSync(block); at = 0; }
  const random = block.toString('hex', at, at + 12);
  at += 12;
  return `Root=1-${Math.floor(epochMs / 1000).toString(16).padStart(8, '0')}-${random}`;
}

/** The shape of a Root trace id (for tests and for callers that want to validate one). */
export const TRACE_ROOT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;
