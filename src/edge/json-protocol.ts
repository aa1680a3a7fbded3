import type { ServerResponse } from 'node:http';
import type { AwsError } from './errors.js';

/**
 * AWS JSON 1.0/1.1 encoding. Timestamps travel as epoch seconds (fractions allowed), so Dates in
 * an output object are turned into numbers here, in one place.
 */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

export function sendJson(res: ServerResponse, contentType: string, requestId: string, output: unknown): void {
  const body = JSON.stringify(output ?? {}, replacer);
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

export function sendJsonError(res: ServerResponse, contentType: string, requestId: string, err: AwsError): void {
  const body = JSON.stringify({ __type: err.code, message: err.message });
  res.writeHead(err.status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.code,
  });
  res.end(body);
}

/**
 * AWS JSON treats a member set to null as absent, so the decoder drops such members and no
 * operation ever sees a null where the model says "optional". List elements keep their nulls
 * (validation rejects them). The cost: a null inside a free-form document member is dropped too.
 */
function dropNullMembers(this: unknown, _key: string, value: unknown): unknown {
  return value === null && !Array.isArray(this) ? undefined : value;
}

/** Parses a JSON request body: empty means `{}`; anything but an object is a SerializationException (undefined here). */
export function parseJsonBody(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'), dropNullMembers);
  } catch {
    return undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
