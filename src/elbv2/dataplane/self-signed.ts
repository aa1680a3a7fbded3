/**
 * Self-signed certificates without openssl or a dependency: node:crypto makes the P-256 key
 * pair and signs, der.ts writes the X.509 v3 structure (subject = issuer = CN, a
 * subjectAltName with the host names and IP addresses, basicConstraints CA:false).
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import { bits, explicit, octets, oid, seq, set, time, tlv, uint, utf8 } from './der.js';
import type { CertificateIssuer, KeyPairPem } from './ports.js';

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand "::" and write 16 bytes.
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export function selfSignedCertificate(hostNames: string[], now = new Date(), days = 825): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cn = hostNames.find((h) => isIP(h) === 0) ?? hostNames[0] ?? 'localhost';
  const name = seq(set(seq(oid('2.5.4.3'), utf8(cn))));
  const alg = seq(oid(ECDSA_SHA256));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const san = seq(...hostNames.map((h) => (isIP(h) ? tlv(0x87, ipBytes(h)) : tlv(0x82, Buffer.from(h, 'ascii')))));
  const extensions = explicit(3, seq(
    seq(oid('2.5.29.19'), octets(seq())),
    seq(oid('2.5.29.17'), octets(san)),
  ));
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + days * 86_400_000);
  const tbs = seq(
    explicit(0, uint(Buffer.from([2]))),
    uint(serial),
    alg,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const der = seq(tbs, alg, bits(sign('sha256', tbs, privateKey)));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The default issuer: one self-signed certificate per set of names, made on first use. */
export function selfSignedIssuer(): CertificateIssuer {
  const cache = new Map<string, KeyPairPem>();
  return {
    async issue(hostNames) {
      const k = hostNames.join(',');
      let pair = cache.get(k);
      if (!pair) { pair = selfSignedCertificate(hostNames); cache.set(k, pair); }
      return pair;
    },
  };
}
