/**
 * The certificate list of an HTTPS or TLS listener (its default certificate and the ones added
 * with AddListenerCertificates), chosen by the name a client asks for with SNI: a certificate
 * naming that host exactly comes first, then one whose wildcard (`*.example.com`) covers it; a
 * name no certificate covers, or no SNI at all, gets the default certificate, as ALB and NLB do.
 * The names are the certificate's DNS subject alternative names, or its common name when it has
 * none; among certificates naming the same host the first in the list wins.
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import type { KeyPairPem } from './ports.js';

export class SniContexts {
  private readonly exact = new Map<string, SecureContext>();
  /** Keyed by the domain a wildcard covers: `*.example.com` → `example.com`. */
  private readonly wildcard = new Map<string, SecureContext>();

  /** `pairs[0]` is the default certificate; `options` are the listener's (TLS versions). */
  constructor(pairs: readonly KeyPairPem[], options: SecureContextOptions = {}) {
    for (const p of pairs) {
      const context = createSecureContext({ ...options, key: p.keyPem, cert: p.certPem });
      for (const name of certificateNames(p.certPem)) {
        const l = name.toLowerCase();
        const [table, key] = l.startsWith('*.') ? [this.wildcard, l.slice(2)] : [this.exact, l];
        if (!table.has(key)) table.set(key, context);
      }
    }
  }

  /** The context for an SNI name; undefined: the listener's default certificate. */
  lookup(serverName: string): SecureContext | undefined {
    const l = serverName.toLowerCase();
    const hit = this.exact.get(l);
    if (hit) return hit;
    const dot = l.indexOf('.');
    return dot > 0 ? this.wildcard.get(l.slice(dot + 1)) : undefined;
  }
}

/** The host names a certificate is for: its DNS subject alternative names, else its common name. */
export function certificateNames(certPem: string): string[] {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch {
    return [];
  }
  const alt = (x509.subjectAltName ?? '').split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  if (alt.length > 0) return alt;
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x509.subject)?.[1];
  return cn ? [cn] : [];
}

/** An SNICallback over a listener's current table (swapped as its certificate list changes). */
export function sniCallback(current: () => SniContexts | undefined) {
  return (serverName: string, done: (err: Error | null, ctx?: SecureContext) => void): void => done(null, current()?.lookup(serverName));
}
