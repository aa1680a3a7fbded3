import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Join tokens let an agent register into a cluster (or into the managed Fargate pool) without
 * AWS credentials: `bjt1.<base64url subject>.<hmac>`, signed with a secret kept (0600) in the
 * server's data dir. Subjects: `cluster:<account>:<region>:<cluster name>` and `managed:<host id>`.
 */
export class JoinTokens {
  constructor(private readonly secret: Buffer) {}

  static load(dataDir: string): JoinTokens {
    const file = join(dataDir, 'agent-secret');
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    return new JoinTokens(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
  }

  issue(subject: string): string {
    const s = Buffer.from(subject).toString('base64url');
    return `bjt1.${s}.${this.mac(s)}`;
  }

  /** The token's subject, or undefined when it is not one of ours. */
  verify(token: string): string | undefined {
    const [v, s, mac] = token.split('.');
    if (v !== 'bjt1' || !s || !mac) return undefined;
    const want = Buffer.from(this.mac(s));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    return Buffer.from(s, 'base64url').toString('utf8');
  }

  private mac(s: string): string {
    return createHmac('sha256', this.secret).update(s).digest('base64url');
  }
}

export const clusterSubject = (accountId: string, region: string, cluster: string): string => `cluster:${accountId}:${region}:${cluster}`;
export const managedSubject = (hostId: string): string => `managed:${hostId}`;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
export const newInstanceSecret = (): string => randomBytes(24).toString('base64url');
