import { ALPN_POLICIES, DEFAULT_SSL_POLICY } from './dataplane/index.js';
import { alpnPolicyNotFound, certificateNotFound, sslPolicyNotFound, tooManyCertificates, validation } from './errors.js';
import { nodes, required, str, strings, type Node } from './input.js';
import type { ListenerRecord } from './state.js';

/**
 * A listener's certificate, security policy and ALPN policy, read as ELBv2 checks them.
 *
 * TLS listeners (NLB) follow AWS: exactly one certificate (none: ValidationError, more:
 * TooManyCertificates), given as an ACM or IAM server certificate ARN (anything else:
 * CertificateNotFound); `SslPolicy` a predefined policy (SSLPolicyNotFound), by default
 * ELBSecurityPolicy-2016-08 as for the API and CLI; `AlpnPolicy` one of AWS's five names
 * (ALPNPolicyNotFound), TLS listeners only. An IAM server certificate ARN must name a certificate
 * uploaded to the IAM room (CertificateNotFound), whose PEM pair the data plane then serves.
 * Berth has no ACM: an ACM ARN is checked for form only and served with a generated self-signed
 * certificate.
 *
 * HTTPS listeners check a given certificate ARN the same way, but a certificate is optional
 * there: without one the listener serves a generated self-signed certificate.
 */
export interface ListenerSecurity {
  certificates: { CertificateArn: string }[];
  sslPolicy?: string;
  alpnPolicy?: string[];
}

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+|iam::\d{12}:server-certificate\/[\w+=,.@/-]+)$/;
const IAM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:iam::/;

/** Whether an IAM server certificate ARN names an uploaded certificate (the IAM room's answer). */
export type CertificateKnown = (arn: string) => boolean;

/** Certificate ARNs must be ACM or IAM ones; an IAM one must name an uploaded certificate (CertificateNotFound). */
export function checkCertificateArns(arns: readonly string[], known: CertificateKnown | undefined): void {
  for (const arn of arns) {
    const found = CERTIFICATE_ARN.test(arn) && (!IAM_CERTIFICATE_ARN.test(arn) || known === undefined || known(arn));
    if (!found) throw certificateNotFound(`Certificate '${arn}' not found`);
  }
}

const checkCertificates = (certificates: readonly { CertificateArn: string }[], known: CertificateKnown | undefined): void =>
  checkCertificateArns(certificates.map((c) => c.CertificateArn), known);

/**
 * The predefined policy names ELBv2 lists for NLB TLS listeners. A name of the same form with
 * a later date is accepted too, so a policy AWS adds does not need a Berth release.
 */
const SSL_POLICIES = new Set([
  'ELBSecurityPolicy-2016-08', 'ELBSecurityPolicy-2015-05', 'ELBSecurityPolicy-TLS-1-0-2015-04', 'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-TLS-1-2-2017-01', 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06', 'ELBSecurityPolicy-FS-2018-06', 'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-FS-1-2-2019-08', 'ELBSecurityPolicy-FS-1-2-Res-2019-08', 'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  'ELBSecurityPolicy-TLS13-1-0-2021-06', 'ELBSecurityPolicy-TLS13-1-1-2021-06', 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06', 'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06', 'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
]);
const LATER_POLICY = /^ELBSecurityPolicy-TLS13-1-[0-3](-[A-Za-z0-9]+)*-20(2[3-9]|[3-9]\d)-(0[1-9]|1[0-2])$/;

export const isSslPolicy = (name: string): boolean => SSL_POLICIES.has(name) || LATER_POLICY.test(name);

/** The `Certificates` member's ARNs. `IsDefault` is output only: ELBv2 refuses it in requests. */
export function readCertificateArns(n: Node): string[] {
  return (nodes(n, 'Certificates') ?? []).map((c) => {
    if (str(c, 'IsDefault') !== undefined) throw validation('You cannot set the isDefault parameter for a certificate.');
    return required(c, 'CertificateArn', 'certificates.member.certificateArn');
  });
}

function certificatesOf(n: Node): { CertificateArn: string }[] | undefined {
  if (nodes(n, 'Certificates') === undefined) return undefined;
  return readCertificateArns(n).map((CertificateArn) => ({ CertificateArn }));
}

/** Reads a listener's security settings for `protocol`, keeping `prior`'s where the request names none. */
export function readListenerSecurity(n: Node, protocol: string, prior?: ListenerRecord, known?: CertificateKnown): ListenerSecurity {
  const given = certificatesOf(n);
  const alpn = strings(n, 'AlpnPolicy');
  const policy = str(n, 'SslPolicy');
  if (protocol === 'HTTPS') {
    const keep = prior?.protocol === 'HTTPS';
    const sslPolicy = policy ?? (keep ? prior.sslPolicy : undefined) ?? DEFAULT_SSL_POLICY;
    const alpnPolicy = alpn ?? (keep ? prior.alpnPolicy : undefined);
    if (given !== undefined) checkCertificates(given, known);
    return { certificates: given ?? (keep ? prior.certificates : []), sslPolicy, ...(alpnPolicy && alpnPolicy.length > 0 ? { alpnPolicy } : {}) };
  }
  if (protocol !== 'TLS') {
    if ((given?.length ?? 0) > 0) throw validation(`Certificates are not supported for listeners with protocol '${protocol}'`);
    if (policy !== undefined) throw validation(`An SSL policy is not supported for listeners with protocol '${protocol}'`);
    if ((alpn?.length ?? 0) > 0) throw validation(`An ALPN policy is supported only for TLS listeners, not for protocol '${protocol}'`);
    return { certificates: [] };
  }
  const keep = prior?.protocol === 'TLS';
  const certificates = given ?? (keep ? prior.certificates : []);
  if (certificates.length === 0) throw validation('A certificate must be specified for TLS listeners');
  if (certificates.length > 1) throw tooManyCertificates(`Up to '1' certificate ARNs can be specified, but '${certificates.length}' were specified`);
  if (given !== undefined) checkCertificates(certificates, known);
  const sslPolicy = policy ?? (keep ? prior.sslPolicy : undefined) ?? DEFAULT_SSL_POLICY;
  if (!isSslPolicy(sslPolicy)) throw sslPolicyNotFound(`SSL policy '${sslPolicy}' not found`);
  if (alpn !== undefined && alpn.length > 1) throw validation('You can specify one ALPN policy name');
  for (const a of alpn ?? []) {
    if (!(ALPN_POLICIES as readonly string[]).includes(a)) throw alpnPolicyNotFound(`ALPN policy '${a}' not found`);
  }
  const alpnPolicy = alpn ?? (keep ? prior.alpnPolicy : undefined);
  return { certificates, sslPolicy, ...(alpnPolicy && alpnPolicy.length > 0 ? { alpnPolicy } : {}) };
}
