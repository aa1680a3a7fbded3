import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** The `Checksum` constructor @smithy/signature-v4 wants, backed by node's crypto. */
export class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret instanceof ArrayBuffer ? secret : secret.buffer));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void { this.h.update(typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength)); }
  async digest(): Promise<Uint8Array> { return new Uint8Array(this.h.digest()); }
  reset(): void { throw new Error('not supported'); }
}
