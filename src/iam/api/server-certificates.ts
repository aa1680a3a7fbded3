import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { newUniqueId } from '../../identity/keys.js';
import { serverCertificateArn } from '../arn.js';
import { entityAlreadyExists, keyPairMismatch, limitExceeded, malformedCertificate, serverCertificateNotFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { checkLength, members, name, optional, path, pathPrefix, required, tags, type Params } from '../params.js';
import { nameKey, type ServerCertificateRecord } from '../state.js';
import { el, isoDate, renderTags, wrap } from '../xml.js';
import { mergeTags } from './roles.js';
import { accountOf, type Iam, type IamOperation } from './operation.js';

/**
 * IAM server certificates: the PEM certificate, key and chain a user uploads from files
 * (`aws iam upload-server-certificate --certificate-body file://cert.pem --private-key
 * file://key.pem`) and then names by ARN on an HTTPS or TLS listener. The certificate must parse,
 * be in date and match the key; the key is kept sealed and never returned.
 */

const SERVER_CERTIFICATES_PER_ACCOUNT = 20;

function load(p: Params, accountId: string, iam: Iam): ServerCertificateRecord {
  const n = name(p, 'ServerCertificateName', 128)!;
  const cert = iam.state.serverCertificate(accountId, n);
  if (!cert) throw serverCertificateNotFound(n);
  return cert;
}

const save = (iam: Iam, c: ServerCertificateRecord): void => iam.state.serverCertificates.put(nameKey(c.accountId, c.name), c);

function parseCertificate(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw malformedCertificate(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  }
}

function parseKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw malformedCertificate('Unable to parse private key. Please ensure the private key is in PEM format.');
  }
}

/** Each PEM block of a chain, as its own certificate. */
function chainOf(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw malformedCertificate('Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.');
  return blocks;
}

const UploadServerCertificate: IamOperation = (p, ctx, iam) => {
  const accountId = accountOf(ctx);
  const certName = name(p, 'ServerCertificateName', 128)!;
  const certPath = path(p);
  const body = required(p, 'CertificateBody');
  const key = required(p, 'PrivateKey');
  const chain = optional(p, 'CertificateChain');
  checkLength(body, 'CertificateBody', 1, 16384);
  checkLength(key, 'PrivateKey', 1, 16384);
  if (chain !== undefined) checkLength(chain, 'CertificateChain', 1, 2097152);
  const certTags = mergeTags([], tags(p), 'ServerCertificate');
  const x509 = parseCertificate(body, 'certificate');
  const privateKey = parseKey(key);
  for (const block of chain !== undefined ? chainOf(chain) : []) parseCertificate(block, 'certificate chain');
  const expiresAt = new Date(x509.validTo).getTime();
  if (!(expiresAt > ctx.now.getTime())) throw malformedCertificate('Certificate is expired.');
  if (!x509.checkPrivateKey(privateKey)) throw keyPairMismatch('The private key did not match the public key provided. Please verify the key material and try again.');
  if (iam.state.serverCertificate(accountId, certName)) throw entityAlreadyExists(`The Server Certificate with name ${certName} already exists.`);
  if (iam.state.listOf(iam.state.serverCertificates, accountId).length >= SERVER_CERTIFICATES_PER_ACCOUNT) {
    throw limitExceeded(`Cannot exceed quota for ServerCertificatesPerAccount: ${SERVER_CERTIFICATES_PER_ACCOUNT}`);
  }
  const serverCertificateId = newUniqueId('ASCA');
  const record: ServerCertificateRecord = {
    accountId,
    name: certName,
    path: certPath,
    serverCertificateId,
    arn: serverCertificateArn(accountId, certPath, certName),
    certificateBody: body,
    ...(chain !== undefined ? { certificateChain: chain } : {}),
    sealedPrivateKey: iam.box.seal(key, serverCertificateId),
    uploadedAt: ctx.now.getTime(),
    expiresAt,
    tags: certTags,
  };
  iam.state.store.transaction(() => save(iam, record));
  return metadata(record, 'ServerCertificateMetadata') + (record.tags.length > 0 ? renderTags(record.tags) : '');
};

function metadata(c: ServerCertificateRecord, wrapper: string): string {
  return wrap(
    wrapper,
    el('Path', c.path) + el('ServerCertificateName', c.name) + el('ServerCertificateId', c.serverCertificateId) + el('Arn', c.arn) +
      el('UploadDate', isoDate(c.uploadedAt)) + el('Expiration', isoDate(c.expiresAt)),
  );
}

const GetServerCertificate: IamOperation = (p, ctx, iam) => {
  const c = load(p, accountOf(ctx), iam);
  return wrap(
    'ServerCertificate',
    metadata(c, 'ServerCertificateMetadata') + el('CertificateBody', c.certificateBody) + el('CertificateChain', c.certificateChain) +
      (c.tags.length > 0 ? renderTags(c.tags) : ''),
  );
};

const ListServerCertificates: IamOperation = (p, ctx, iam) => {
  const prefix = pathPrefix(p);
  const certs = iam.state.listOf(iam.state.serverCertificates, accountOf(ctx)).filter((c) => c.path.startsWith(prefix));
  const { page, xml } = paginate(certs, (c) => c.name.toLowerCase(), p);
  return `<ServerCertificateMetadataList>${page.map((c) => metadata(c, 'member')).join('')}</ServerCertificateMetadataList>` + xml;
};

/** Renames or moves a certificate: its ARN changes with it, its id does not. */
const UpdateServerCertificate: IamOperation = (p, ctx, iam) => {
  const c = load(p, accountOf(ctx), iam);
  const newName = name(p, 'NewServerCertificateName', 128, false) ?? c.name;
  const newPath = p.has('NewPath') ? path(p, 'NewPath') : c.path;
  if (newName.toLowerCase() !== c.name.toLowerCase() && iam.state.serverCertificate(c.accountId, newName)) {
    throw entityAlreadyExists(`The Server Certificate with name ${newName} already exists.`);
  }
  const next: ServerCertificateRecord = { ...c, name: newName, path: newPath, arn: serverCertificateArn(c.accountId, newPath, newName) };
  iam.state.store.transaction(() => {
    iam.state.serverCertificates.delete(nameKey(c.accountId, c.name));
    save(iam, next);
  });
  return '';
};

const DeleteServerCertificate: IamOperation = (p, ctx, iam) => {
  const c = load(p, accountOf(ctx), iam);
  iam.state.store.transaction(() => iam.state.serverCertificates.delete(nameKey(c.accountId, c.name)));
  return '';
};

const TagServerCertificate: IamOperation = (p, ctx, iam) => {
  const c = load(p, accountOf(ctx), iam);
  const incoming = tags(p);
  if (incoming.length === 0) required(p, 'Tags');
  iam.state.store.transaction(() => save(iam, { ...c, tags: mergeTags(c.tags, incoming, 'ServerCertificate') }));
  return '';
};

const UntagServerCertificate: IamOperation = (p, ctx, iam) => {
  const c = load(p, accountOf(ctx), iam);
  const keys = new Set(members(p, 'TagKeys'));
  iam.state.store.transaction(() => save(iam, { ...c, tags: c.tags.filter((t) => !keys.has(t.Key)) }));
  return '';
};

const ListServerCertificateTags: IamOperation = (p, ctx, iam) => {
  const c = load(p, accountOf(ctx), iam);
  const { page, xml } = paginate([...c.tags].sort((a, b) => (a.Key < b.Key ? -1 : 1)), (t) => t.Key, p);
  return renderTags(page) + xml;
};

export const SERVER_CERTIFICATE_OPERATIONS: Readonly<Record<string, IamOperation>> = {
  UploadServerCertificate, GetServerCertificate, ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate,
  TagServerCertificate, UntagServerCertificate, ListServerCertificateTags,
};

/**
 * The PEM pair of the server certificate `arn` names, for the load balancers' data plane;
 * undefined when no certificate of `accountId` has that ARN or its key no longer opens.
 */
export function serverCertificatePem(iam: Iam, accountId: string, arn: string): { certPem: string; keyPem: string } | undefined {
  // The name is the ARN's last segment; the record's own ARN then decides (account, path, name).
  const c = iam.state.serverCertificate(accountId, arn.slice(arn.lastIndexOf('/') + 1));
  if (!c || c.arn !== arn) return undefined;
  const certPem = c.certificateChain !== undefined ? `${c.certificateBody.trim()}\n${c.certificateChain.trim()}\n` : c.certificateBody;
  try {
    return { certPem, keyPem: iam.box.open(c.sealedPrivateKey, c.serverCertificateId).toString('utf8') };
  } catch {
    return undefined; // sealed under another secrets key: the listener falls back to a self-signed certificate
  }
}
