import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of secret values at rest (AES-256-GCM, a fresh random 96-bit IV per
 * value). A sealed value is one base64 string: version byte, IV, tag, ciphertext. The `context`
 * (e.g. a secret's ARN and version id) is bound in as additional authenticated data, so a sealed
 * value copied onto another record does not open there. The key never leaves this object and no
 * plaintext is ever part of an error message.
 */
export class SecretBox {
  private static readonly VERSION = 1;
  private static readonly IV_BYTES = 12;
  private static readonly TAG_BYTES = 16;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The secrets key must be 32 bytes (AES-256).');
  }

  seal(plaintext: Buffer | string, context: string): string {
    const iv = randomBytes(SecretBox.IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return Buffer.concat([Buffer.of(SecretBox.VERSION), iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws `SealedValueError` when the value is malformed, was sealed for another context, or under another key. */
  open(sealed: string, context: string): Buffer {
    const raw = Buffer.from(sealed, 'base64');
    const head = 1 + SecretBox.IV_BYTES + SecretBox.TAG_BYTES;
    if (raw.length < head || raw[0] !== SecretBox.VERSION) throw new SealedValueError();
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(1, 1 + SecretBox.IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(1 + SecretBox.IV_BYTES, head));
    try {
      return Buffer.concat([decipher.update(raw.subarray(head)), decipher.final()]);
    } catch {
      throw new SealedValueError();
    }
  }

  openText(sealed: string, context: string): string {
    return this.open(sealed, context).toString('utf8');
  }
}

/** A sealed value that does not open with this key and context. Carries no value material. */
export class SealedValueError extends Error {
  constructor() {
    super('A stored secret value could not be decrypted: wrong secrets key or a damaged record.');
    this.name = 'SealedValueError';
  }
}
