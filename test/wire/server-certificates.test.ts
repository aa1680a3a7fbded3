import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import {
  AddListenerCertificatesCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeListenersCommand,
  ElasticLoadBalancingV2Client, ModifyListenerCommand, RegisterTargetsCommand, RemoveListenerCertificatesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetServerCertificateCommand, IAMClient, ListServerCertificatesCommand, UploadServerCertificateCommand } from '@aws-sdk/client-iam';
import { selfSignedCertificate } from '../../src/elbv2/dataplane/self-signed.js';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { defaultNetwork, waitForHealthy } from '../support/elbv2.js';
import { freePort } from '../support/net.js';

/**
 * HTTPS and TLS listeners serving a certificate uploaded from files to IAM
 * (`aws iam upload-server-certificate`), through the real `aws` CLI and the SDKs: the IAM
 * server certificate API and its errors, the listener's certificate checks, the certificate a
 * client is actually served (the default one, or one of the listener's list by SNI name), and
 * the same after a SIGKILL of the server.
 */

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

/** The certificate a TLS client is served on `port` (SNI `name`), as a fingerprint. */
function servedFingerprint(port: number, name: string): Promise<string> {
  return new Promise((ok, fail) => {
    const c = tlsConnect({ host: '127.0.0.1', port, servername: name, rejectUnauthorized: false }, () => {
      ok(c.getPeerX509Certificate()!.fingerprint256);
      c.end();
    });
    c.on('error', fail);
    c.setTimeout(5000, () => c.destroy(new Error('client timeout')));
  });
}

/** A GET through HTTPS that trusts only `ca` for `name`: it passes only if the listener serves that certificate. */
function trustedGet(port: number, name: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/', servername: name, headers: { host: name }, ca, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', fail);
    req.end();
  });
}

describe('IAM server certificates on HTTPS and TLS listeners', () => {
  let berth: BerthProcess;
  let elb: ElasticLoadBalancingV2Client;
  let iam: IAMClient;
  let dir: string;
  let target: Server;
  let vpcId: string;
  let subnets: string[];
  const site = selfSignedCertificate(['shop.berth.test']);
  const other = selfSignedCertificate(['other.berth.test']);
  const wildcard = selfSignedCertificate(['*.api.berth.test']);
  const listeners: { https?: number; tls?: number } = {};
  let certArn: string;

  const cli = (args: string[]): any => berth.awsJson(args);
  const healthy = (tgArn: string): Promise<void> => waitForHealthy(elb, tgArn);
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return `file://${p}`;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-certs-'));
    berth = await startBerth();
    elb = berth.client(ElasticLoadBalancingV2Client);
    iam = berth.client(IAMClient);
    target = createHttpServer((req, res) => res.end(`served ${req.headers['x-forwarded-proto']}`));
    await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
    ({ subnets, vpcId } = defaultNetwork(berth));
  });
  after(async () => {
    target.close();
    await berth.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a certificate from files with the aws CLI, and reads it back without its key', async () => {
    const up = cli(['iam', 'upload-server-certificate', '--server-certificate-name', 'shop', '--path', '/web/',
      '--certificate-body', file('cert.pem', site.certPem), '--private-key', file('key.pem', site.keyPem),
      '--tags', 'Key=team,Value=shop']);
    const meta = up.ServerCertificateMetadata;
    certArn = meta.Arn;
    assert.equal(certArn, `arn:aws:iam::${berth.creds.accountId}:server-certificate/web/shop`);
    assert.equal(meta.Path, '/web/');
    assert.match(meta.ServerCertificateId, /^ASCA[A-Z2-7]{17}$/);
    assert.equal(new Date(meta.Expiration).getTime(), new Date(new X509Certificate(site.certPem).validTo).getTime());
    assert.deepEqual(up.Tags, [{ Key: 'team', Value: 'shop' }]);

    const got = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'shop' }));
    assert.equal(fingerprint(got.ServerCertificate!.CertificateBody!), fingerprint(site.certPem));
    assert.equal(got.ServerCertificate!.ServerCertificateMetadata!.Arn, certArn);
    assert.ok(!JSON.stringify(got).includes('PRIVATE KEY'), 'the private key is never returned');
    const listed = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/web/' }));
    assert.deepEqual(listed.ServerCertificateMetadataList!.map((m) => m.ServerCertificateName), ['shop']);
    assert.deepEqual((await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/api/' }))).ServerCertificateMetadataList, []);
  });

  it('refuses malformed, mismatched, expired and duplicate certificates as IAM does', async () => {
    const expired = selfSignedCertificate(['old.berth.test'], new Date(Date.now() - 3 * 86_400_000), 1);
    const upload = (name: string, body: string, key: string): Promise<{ name: string; message: string }> =>
      awsError(iam.send(new UploadServerCertificateCommand({ ServerCertificateName: name, CertificateBody: body, PrivateKey: key })));
    const cases: Array<[string, Promise<{ name: string; message: string }>, string]> = [
      ['a body that is no certificate', upload('bad', 'not a certificate', site.keyPem), 'MalformedCertificateException'],
      ['a key that is no key', upload('bad', site.certPem, 'not a key'), 'MalformedCertificateException'],
      ["another certificate's key", upload('bad', site.certPem, other.keyPem), 'KeyPairMismatchException'],
      ['an expired certificate', upload('bad', expired.certPem, expired.keyPem), 'MalformedCertificateException'],
      ['a name already taken', upload('shop', other.certPem, other.keyPem), 'EntityAlreadyExistsException'],
    ];
    for (const [what, pending, code] of cases) assert.equal((await pending).name, code, what);
    const missing = berth.aws(['iam', 'get-server-certificate', '--server-certificate-name', 'nope']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /NoSuchEntity.*The Server Certificate with name nope cannot be found/);
  });

  it('serves the uploaded certificate on an HTTPS listener, and on an NLB TLS listener', async () => {
    const alb = cli(['elbv2', 'create-load-balancer', '--name', 'shop-alb', '--subnets', subnets[0]!, subnets[1]!]).LoadBalancers[0];
    const tg = cli(['elbv2', 'create-target-group', '--name', 'shop-web', '--protocol', 'HTTP', '--port', String((target.address() as AddressInfo).port),
      '--target-type', 'ip', '--vpc-id', vpcId, '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2']).TargetGroups[0];
    cli(['elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', `Id=127.0.0.1,Port=${(target.address() as AddressInfo).port}`]);
    listeners.https = await freePort();
    const l = cli(['elbv2', 'create-listener', '--load-balancer-arn', alb.LoadBalancerArn, '--protocol', 'HTTPS', '--port', String(listeners.https),
      '--certificates', `CertificateArn=${certArn}`, '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`]).Listeners[0];
    assert.deepEqual(l.Certificates, [{ CertificateArn: certArn }]);
    await healthy(tg.TargetGroupArn);
    assert.equal(await servedFingerprint(listeners.https, 'shop.berth.test'), fingerprint(site.certPem));
    assert.deepEqual(await trustedGet(listeners.https, 'shop.berth.test', site.certPem), { status: 200, body: 'served https' });

    const nlb = await elb.send(new CreateLoadBalancerCommand({ Name: 'shop-nlb', Type: 'network', Subnets: [subnets[0]!] }));
    const tcp = await elb.send(new CreateTargetGroupCommand({
      Name: 'shop-tcp', Protocol: 'TCP', Port: (target.address() as AddressInfo).port, VpcId: vpcId, TargetType: 'ip', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2,
    }));
    const tcpArn = tcp.TargetGroups![0]!.TargetGroupArn!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tcpArn, Targets: [{ Id: '127.0.0.1' }] }));
    listeners.tls = await freePort();
    await elb.send(new CreateListenerCommand({
      LoadBalancerArn: nlb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'TLS', Port: listeners.tls,
      Certificates: [{ CertificateArn: certArn }], DefaultActions: [{ Type: 'forward', TargetGroupArn: tcpArn }],
    }));
    await healthy(tcpArn);
    assert.equal(await servedFingerprint(listeners.tls, 'shop.berth.test'), fingerprint(site.certPem));
    assert.deepEqual(await trustedGet(listeners.tls, 'shop.berth.test', site.certPem), { status: 200, body: 'served undefined' });
  });

  it('answers CertificateNotFound for an IAM certificate ARN nobody uploaded', async () => {
    const alb = cli(['elbv2', 'describe-load-balancers', '--names', 'shop-alb']).LoadBalancers[0];
    const tg = cli(['elbv2', 'describe-target-groups', '--names', 'shop-web']).TargetGroups[0];
    const unknown = `arn:aws:iam::${berth.creds.accountId}:server-certificate/web/nobody`;
    const err = await awsError(elb.send(new CreateListenerCommand({
      LoadBalancerArn: alb.LoadBalancerArn, Protocol: 'HTTPS', Port: await freePort(), Certificates: [{ CertificateArn: unknown }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
    })));
    assert.equal(err.name, 'CertificateNotFoundException');
    const listener = cli(['elbv2', 'describe-listeners', '--load-balancer-arn', alb.LoadBalancerArn]).Listeners[0];
    const modify = await awsError(elb.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, Certificates: [{ CertificateArn: unknown }] })));
    assert.equal(modify.name, 'CertificateNotFoundException');
  });

  it('serves the listener certificates by SNI name: add-, describe- and remove-listener-certificates', async () => {
    const upload = (name: string, pair: { certPem: string; keyPem: string }): string => cli(['iam', 'upload-server-certificate',
      '--server-certificate-name', name, '--certificate-body', file(`${name}.pem`, pair.certPem), '--private-key', file(`${name}.key`, pair.keyPem)])
      .ServerCertificateMetadata.Arn;
    const otherArn = upload('other', other);
    const wildArn = upload('api-wildcard', wildcard);
    const alb = cli(['elbv2', 'describe-load-balancers', '--names', 'shop-alb']).LoadBalancers[0];
    const https = cli(['elbv2', 'describe-listeners', '--load-balancer-arn', alb.LoadBalancerArn]).Listeners[0].ListenerArn;
    const added = cli(['elbv2', 'add-listener-certificates', '--listener-arn', https, '--certificates', `CertificateArn=${otherArn}`, `CertificateArn=${wildArn}`]);
    assert.deepEqual(added.Certificates.map((c: any) => c.CertificateArn), [otherArn, wildArn]);
    const described = cli(['elbv2', 'describe-listener-certificates', '--listener-arn', https]).Certificates;
    assert.deepEqual(described, [
      { CertificateArn: certArn, IsDefault: true }, { CertificateArn: otherArn, IsDefault: false }, { CertificateArn: wildArn, IsDefault: false },
    ]);
    const port = listeners.https!;
    assert.equal(await servedFingerprint(port, 'other.berth.test'), fingerprint(other.certPem), 'an exact name');
    assert.equal(await servedFingerprint(port, 'orders.api.berth.test'), fingerprint(wildcard.certPem), 'a wildcard name');
    assert.equal(await servedFingerprint(port, 'shop.berth.test'), fingerprint(site.certPem), 'the default certificate by name');
    assert.equal(await servedFingerprint(port, 'a.b.api.berth.test'), fingerprint(site.certPem), 'a wildcard covers one label only');
    assert.equal(await servedFingerprint(port, 'unknown.example'), fingerprint(site.certPem), 'no match: the default certificate');
    assert.deepEqual(await trustedGet(port, 'other.berth.test', other.certPem), { status: 200, body: 'served https' });

    const tls = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: cli(['elbv2', 'describe-load-balancers', '--names', 'shop-nlb']).LoadBalancers[0].LoadBalancerArn })))
      .Listeners![0]!.ListenerArn!;
    await elb.send(new AddListenerCertificatesCommand({ ListenerArn: tls, Certificates: [{ CertificateArn: otherArn }] }));
    assert.equal(await servedFingerprint(listeners.tls!, 'other.berth.test'), fingerprint(other.certPem), 'SNI on an NLB TLS listener');

    const errors: Array<[string, Promise<{ name: string; message: string }>, string]> = [
      ['removing the default certificate', awsError(elb.send(new RemoveListenerCertificatesCommand({ ListenerArn: https, Certificates: [{ CertificateArn: certArn }] }))), 'OperationNotPermittedException'],
      ['removing a certificate not on the list', awsError(elb.send(new RemoveListenerCertificatesCommand({ ListenerArn: tls, Certificates: [{ CertificateArn: wildArn }] }))), 'CertificateNotFoundException'],
      ['IsDefault in a request', awsError(elb.send(new AddListenerCertificatesCommand({ ListenerArn: https, Certificates: [{ CertificateArn: otherArn, IsDefault: true }] }))), 'ValidationError'],
      ['an IAM certificate nobody uploaded', awsError(elb.send(new AddListenerCertificatesCommand({ ListenerArn: https, Certificates: [{ CertificateArn: `${otherArn}-gone` }] }))), 'CertificateNotFoundException'],
    ];
    for (const [what, pending, code] of errors) assert.equal((await pending).name, code, what);

    cli(['elbv2', 'remove-listener-certificates', '--listener-arn', https, '--certificates', `CertificateArn=${wildArn}`]);
    assert.deepEqual(cli(['elbv2', 'describe-listener-certificates', '--listener-arn', https]).Certificates.map((c: any) => c.CertificateArn), [certArn, otherArn]);
    assert.equal(await servedFingerprint(port, 'orders.api.berth.test'), fingerprint(site.certPem), 'a removed certificate is no longer served');
    assert.equal(await servedFingerprint(port, 'other.berth.test'), fingerprint(other.certPem));
  });

  it('serves the same certificates after a SIGKILL of the server', async () => {
    await berth.kill('SIGKILL');
    await berth.start();
    elb = berth.client(ElasticLoadBalancingV2Client);
    assert.equal(await servedFingerprint(listeners.https!, 'shop.berth.test'), fingerprint(site.certPem));
    assert.equal(await servedFingerprint(listeners.https!, 'other.berth.test'), fingerprint(other.certPem));
    assert.equal(await servedFingerprint(listeners.tls!, 'shop.berth.test'), fingerprint(site.certPem));
    assert.equal(await servedFingerprint(listeners.tls!, 'other.berth.test'), fingerprint(other.certPem));
  });

});
