/**
 * What a TLS listener's security policy and ALPN policy mean to node:tls (pure).
 *
 * Security policies are applied by their protocol range, read from the name AWS gives them:
 * `…TLS13-1-3…` is TLS 1.3 only, `…TLS13-1-2…`/`…TLS-1-2…`/`…FS-1-2…` start at 1.2, `…-1-1…` at
 * 1.1, anything else (ELBSecurityPolicy-2016-08, the API's default, -2015-05, -TLS-1-0-…,
 * -FS-2018-06) at 1.0; only the TLS13 policies offer TLS 1.3. Cipher lists are not applied:
 * node's defaults are used. OpenSSL 3 refuses TLS 1.0 and 1.1 at its default security level, so
 * those versions stay unavailable even where a policy allows them.
 *
 * ALPN policies are AWS's preference lists; the listener picks the first one the client offers.
 */
import type { SecureVersion } from 'node:tls';

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

export interface TlsVersions { minVersion: SecureVersion; maxVersion: SecureVersion }

export function tlsVersions(policy: string = DEFAULT_SSL_POLICY): TlsVersions {
  const tls13 = policy.includes('TLS13');
  const maxVersion: SecureVersion = tls13 ? 'TLSv1.3' : 'TLSv1.2';
  const floor = /-1-([0-3])(-|$)/.exec(policy)?.[1];
  const minVersion: SecureVersion = floor === '3' ? 'TLSv1.3' : floor === '2' ? 'TLSv1.2' : floor === '1' ? 'TLSv1.1' : 'TLSv1';
  return { minVersion, maxVersion };
}

export const ALPN_POLICIES = ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None'] as const;
export type AlpnPolicy = (typeof ALPN_POLICIES)[number];

/** The protocols the listener offers, in preference order; undefined: no ALPN (None, or no policy). */
export function alpnProtocols(policy: string | undefined): string[] | undefined {
  switch (policy) {
    case 'HTTP1Only': return ['http/1.1', 'http/1.0'];
    case 'HTTP2Only': return ['h2'];
    case 'HTTP2Optional': return ['http/1.1', 'http/1.0', 'h2'];
    case 'HTTP2Preferred': return ['h2', 'http/1.1', 'http/1.0'];
    default: return undefined;
  }
}
