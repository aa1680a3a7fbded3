/**
 * SigV4 signing keys. Deriving one costs four HMACs; a key only changes with the secret, the
 * scope date, the region and the service, so the verifier keeps recent keys in a small
 * bounded map. Entries are keyed by the secret itself (not the access key id), so a rotated
 * secret never meets a stale key.
 */
import { createHmac } from 'node:crypto';

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secret).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/** A bounded cache of derived keys; when full, the oldest entry makes room. */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(readonly capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The signing key for this secret and scope, derived on a miss. */
  get(secret: string, date: string, region: string, service: string): Buffer {
    // Unambiguous: date is 8 digits, and region and service never contain '/' (the scope is split on it).
    const id = date + '/' + region + '/' + service + '/' + secret;
    let key = this.entries.get(id);
    if (key === undefined) {
      key = deriveSigningKey(secret, date, region, service);
      if (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(id, key);
    }
    return key;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The process-wide cache `verifySigV4` uses. */
export const signingKeyCache = new SigningKeyCache();
