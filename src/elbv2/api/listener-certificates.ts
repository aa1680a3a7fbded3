import { certificateNotFound, operationNotPermitted, tooManyCertificates, validation } from '../errors.js';
import { nodes, required, type Node } from '../input.js';
import { checkCertificateArns, readCertificateArns } from '../listener-security.js';
import { recordKey, type ListenerRecord } from '../state.js';
import { el, list } from '../xml.js';
import { certificateKnown } from './listeners.js';
import { loadListener, paged, type Elbv2Operation } from './operation.js';

/**
 * A listener's certificate list (AddListenerCertificates, RemoveListenerCertificates,
 * DescribeListenerCertificates): certificates served beside the default one to clients that ask
 * for their names with SNI (dataplane/sni.ts). HTTPS and TLS listeners only, up to 25 besides
 * the default, as ELBv2's quota. The default certificate is changed with ModifyListener and
 * cannot be removed here; adding it to the list too is allowed, and it is then listed twice.
 */

const CERTIFICATES_PER_LISTENER = 25;

function loadSecureListener(n: Node, s: Parameters<Elbv2Operation>[1], elb: Parameters<Elbv2Operation>[3]): ListenerRecord {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') throw validation(`Certificates are not supported for listeners with protocol '${l.protocol}'`);
  return l;
}

function givenArns(n: Node): string[] {
  if ((nodes(n, 'Certificates') ?? []).length === 0) throw validation("1 validation error detected: Value null at 'certificates' failed to satisfy constraint: Member must not be null");
  return readCertificateArns(n);
}

const renderCertificate = (arn: string, isDefault: boolean): string => el('CertificateArn', arn) + el('IsDefault', isDefault);

const AddListenerCertificates: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const l = loadSecureListener(n, s, elb);
  const arns = givenArns(n);
  checkCertificateArns(arns, certificateKnown(elb, s));
  const next = [...(l.sniCertificates ?? [])];
  for (const arn of arns) if (!next.includes(arn)) next.push(arn);
  if (next.length > CERTIFICATES_PER_LISTENER) {
    throw tooManyCertificates(`You've reached the limit on the number of certificates per listener ('${CERTIFICATES_PER_LISTENER}')`);
  }
  return {
    write: () => elb.state.listeners.put(recordKey(s, l.id), { ...l, sniCertificates: next }),
    result: list('Certificates', next, (arn) => renderCertificate(arn, false)),
  };
});

const RemoveListenerCertificates: Elbv2Operation = (n, s, _now, elb) => elb.applier.change(() => {
  const l = loadSecureListener(n, s, elb);
  const listed = l.sniCertificates ?? [];
  const arns = givenArns(n);
  for (const arn of arns) {
    if (listed.includes(arn)) continue;
    if (l.certificates.some((c) => c.CertificateArn === arn)) throw operationNotPermitted('Default certificate cannot be removed');
    throw certificateNotFound(`Certificate '${arn}' not found on listener '${l.arn}'`);
  }
  const next = listed.filter((arn) => !arns.includes(arn));
  const { sniCertificates: _old, ...rest } = l;
  return { write: () => elb.state.listeners.put(recordKey(s, l.id), next.length > 0 ? { ...rest, sniCertificates: next } : rest), result: '' };
});

const DescribeListenerCertificates: Elbv2Operation = (n, s, _now, elb) => {
  const l = loadListener(elb, s, required(n, 'ListenerArn'));
  const all = [
    ...l.certificates.map((c) => ({ arn: c.CertificateArn, isDefault: true })),
    ...(l.sniCertificates ?? []).map((arn) => ({ arn, isDefault: false })),
  ].map((c, i) => ({ ...c, key: String(i).padStart(4, '0') }));
  const { page, xml } = paged(n, all, (c) => c.key);
  return list('Certificates', page, (c) => renderCertificate(c.arn, c.isDefault)) + xml;
};

export const LISTENER_CERTIFICATE_OPERATIONS: Readonly<Record<string, Elbv2Operation>> = {
  AddListenerCertificates, RemoveListenerCertificates, DescribeListenerCertificates,
};
