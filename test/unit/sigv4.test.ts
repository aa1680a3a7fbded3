/**
 * The SigV4 verifier against requests signed by the AWS SDK's own signer (@smithy/signature-v4):
 * what it signs must verify, and each way a request can be wrong must get AWS's error code.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsError } from '../../src/edge/errors.js';
import { readCredentialScope, verifySigV4, type SignedRequest } from '../../src/edge/sigv4/verify.js';
import { SigningKeyCache, deriveSigningKey, signingKeyCache } from '../../src/edge/sigv4/signing-key.js';
import { signRequest } from '../../src/edge/sigv4/sign.js';

const AKID = 'AKIDBERTHTEST0000001';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = new Date('2026-11-22T04:30:00Z');
const HOST = 'ecs.us-east-1.amazonaws.com';
const secretFor = (id: string): string | undefined => (id === AKID ? SECRET : undefined);

/** node:crypto behind the Hash interface the smithy signer expects. */
class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.h.digest());
  }
  reset(): void {}
}

function toBytes(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

/** RFC 3986 encoding, as the SDKs put names and values on the wire. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

type Query = Record<string, string | string[]>;

interface SignOpts {
  method?: string;
  /** The wire path, already percent-encoded the way an SDK serialiser sends it. */
  path?: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string;
  service?: string;
  secret?: string;
  sessionToken?: string;
  at?: Date;
  presignExpires?: number;
  applyChecksum?: boolean;
}

/** Signs with the SDK's signer and returns the request as node's server would present it. */
async function sign(o: SignOpts = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: o.service ?? 'ecs',
    region: 'us-east-1',
    sha256: NodeSha256,
    applyChecksum: o.applyChecksum ?? true,
    credentials: { accessKeyId: AKID, secretAccessKey: o.secret ?? SECRET, sessionToken: o.sessionToken },
  });
  const body = o.body ?? '';
  const request = {
    method: o.method ?? 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: o.path ?? '/',
    query: o.query ?? {},
    headers: { host: HOST, ...(o.headers ?? {}) },
    body: body === '' ? undefined : body,
  };
  const at = o.at ?? NOW;
  const signed =
    o.presignExpires !== undefined
      ? await signer.presign(request, { signingDate: at, expiresIn: o.presignExpires })
      : await signer.sign(request, { signingDate: at });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(signed.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v ?? '']) pairs.push(`${enc(k)}=${enc(one)}`);
  }
  return { method: signed.method, path: signed.path, query: pairs.join('&'), headers, body: Buffer.from(body) };
}

function rejects(req: SignedRequest, code: string, message?: string | RegExp, now = NOW, secrets = secretFor): void {
  assert.throws(
    () => verifySigV4(req, secrets, now),
    (err: unknown) => {
      assert.ok(err instanceof AwsError, `expected an AwsError, got ${String(err)}`);
      assert.equal(err.code, code, `code (message was: ${err.message})`);
      if (typeof message === 'string') assert.equal(err.message, message);
      else if (message) assert.match(err.message, message);
      return true;
    },
  );
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const JSON_HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
};

describe('requests signed by the SDK signer verify', () => {
  const cases: Array<[string, SignOpts]> = [
    ['a POST with a JSON body', { headers: JSON_HEADERS, body: '{"maxResults":10,"name":"café ☕"}' }],
    ['a POST without the x-amz-content-sha256 header', { headers: JSON_HEADERS, body: '{"a":1}', applyChecksum: false }],
    ['a POST with an empty body', { headers: JSON_HEADERS }],
    [
      'a GET whose query holds reserved and non-ASCII characters',
      {
        method: 'GET',
        query: {
          Action: 'ListThings',
          filter: 'a b/c?d=e&f=g',
          plus: '1+1=2',
          'tilde~key': '~x*y(z)!\'',
          utf: 'héllo ✓ 😀',
          multi: ['b', 'a', 'a b'],
          'a-b': '1',
          a: '2',
          empty: '',
        },
      },
    ],
    ['a path whose segments need encoding', { method: 'GET', path: '/clusters/my%20cluster/a%2Fb/%C3%A9t%C3%A9/%21%28%29%2A:@' }],
    ['a path with dot segments and doubled slashes', { method: 'GET', path: '/a/./b/../c//d/' }],
    ['headers with repeated and surrounding spaces', { headers: { ...JSON_HEADERS, 'x-custom': '  a   b \t c  ' }, body: '{}' }],
    ['a request carrying a session token', { headers: JSON_HEADERS, body: '{}', sessionToken: 'FQoGZXIvYXdzE+/token==' }],
    ['a request signed 15 minutes before now', { headers: JSON_HEADERS, at: new Date(NOW.getTime() - 15 * 60000) }],
    ['a request signed 15 minutes after now', { headers: JSON_HEADERS, at: new Date(NOW.getTime() + 15 * 60000) }],
  ];
  for (const [name, opts] of cases) {
    test(`${name}`, async () => {
      const req = await sign(opts);
      const v = verifySigV4(req, secretFor, NOW);
      assert.equal(v.accessKeyId, AKID);
      assert.equal(v.region, 'us-east-1');
      assert.equal(v.service, 'ecs');
      assert.equal(v.signedAt.getTime(), (opts.at ?? NOW).getTime());
      assert.equal(v.sessionToken, opts.sessionToken);
    });
  }

  test('a presigned GET URL, with its session token returned', async () => {
    const req = await sign({
      method: 'GET', service: 'sts', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      presignExpires: 300, sessionToken: 'IQoJb3JpZ2luX2Vj+token/==',
    });
    assert.equal(req.headers['authorization'], undefined);
    const v = verifySigV4(req, secretFor, new Date(NOW.getTime() + 299_000));
    assert.deepEqual(v, { accessKeyId: AKID, region: 'us-east-1', service: 'sts', signedAt: NOW, sessionToken: 'IQoJb3JpZ2luX2Vj+token/==' });
  });

  test('a presigned URL whose payload is UNSIGNED-PAYLOAD, whatever body arrives', async () => {
    const req = await sign({ method: 'PUT', path: '/bucket/key%20x', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, presignExpires: 3600 });
    assert.match(req.query, /X-Amz-Content-Sha256=UNSIGNED-PAYLOAD/i);
    verifySigV4({ ...req, body: Buffer.from('anything') }, secretFor, NOW);
  });

  test('a header whose values node keeps apart is joined with commas', async () => {
    const req = await sign({ headers: { ...JSON_HEADERS, 'x-multi': 'one,two' }, body: '{}' });
    verifySigV4({ ...req, headers: { ...req.headers, 'x-multi': ['one', ' two '] } }, secretFor, NOW);
  });
});

describe('readCredentialScope', () => {
  test('reads the scope of a header-signed request without verifying it', async () => {
    const req = await sign({ headers: JSON_HEADERS, body: '{}', secret: 'not-the-real-secret' });
    assert.deepEqual(readCredentialScope(req), { accessKeyId: AKID, date: '20261122', region: 'us-east-1', service: 'ecs' });
  });
  test('reads the scope of a presigned URL', async () => {
    const req = await sign({ method: 'GET', service: 'sts', query: { Action: 'GetCallerIdentity' }, presignExpires: 60 });
    assert.deepEqual(readCredentialScope(req), { accessKeyId: AKID, date: '20261122', region: 'us-east-1', service: 'sts' });
  });
  test('returns undefined for a request with no SigV4 auth at all', () => {
    const req = { method: 'GET', path: '/', query: 'Action=X', headers: { host: HOST }, body: Buffer.alloc(0) };
    assert.equal(readCredentialScope(req), undefined);
  });
  test('throws IncompleteSignatureException for a malformed Authorization header', () => {
    const req = { method: 'GET', path: '/', query: '', headers: { host: HOST, authorization: 'Bearer abc' }, body: Buffer.alloc(0) };
    assert.throws(() => readCredentialScope(req), { code: 'IncompleteSignatureException' });
  });
});

describe('malformed authentication is refused as AWS refuses it', () => {
  const withAuth = (req: SignedRequest, f: (auth: string) => string): SignedRequest => ({
    ...req, headers: { ...req.headers, authorization: f(req.headers['authorization'] as string) },
  });
  const withoutHeader = (req: SignedRequest, name: string): SignedRequest => {
    const headers = { ...req.headers };
    delete headers[name];
    return { ...req, headers };
  };
  const base = () => sign({ headers: JSON_HEADERS, body: '{"a":1}' });

  const cases: Array<[string, (r: SignedRequest) => SignedRequest, string, string | RegExp | undefined]> = [
    ['a request without any auth gets MissingAuthenticationTokenException',
      (r) => withoutHeader(r, 'authorization'), 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
    ['an Authorization header of another scheme gets IncompleteSignatureException',
      (r) => withAuth(r, () => 'Basic dXNlcjpwYXNz'), 'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Basic dXNlcjpwYXNz"],
    ['a header without Signature gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace(/, Signature=[0-9a-f]+/, '')), 'IncompleteSignatureException',
      /^Authorization header requires 'Signature' parameter\. Authorization=AWS4-HMAC-SHA256 Credential=/],
    ['a header without SignedHeaders gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace(/SignedHeaders=[^,]+, /, '')), 'IncompleteSignatureException',
      /^Authorization header requires 'SignedHeaders' parameter\./],
    ['a header without Credential gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace(/Credential=[^,]+, /, '')), 'IncompleteSignatureException',
      /^Authorization header requires 'Credential' parameter\./],
    ['a credential with four elements gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace('/us-east-1/', '/')), 'IncompleteSignatureException',
      /^Credential must have exactly 5 slash-delimited elements, e\.g\. keyid\/date\/region\/service\/term, got '/],
    ['a credential with the wrong terminator gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace('aws4_request', 'aws5_request')), 'IncompleteSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."],
    ['a credential with a malformed date gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace('/20261122/', '/2026-11-22/')), 'IncompleteSignatureException', /Invalid credential date/],
    ['another algorithm gets IncompleteSignatureException',
      (r) => withAuth(r, (a) => a.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512')), 'IncompleteSignatureException',
      /Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'/],
    ['a request without X-Amz-Date or Date gets IncompleteSignatureException',
      (r) => withoutHeader(r, 'x-amz-date'), 'IncompleteSignatureException',
      /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256/],
    ['an X-Amz-Date not in ISO 8601 basic format gets IncompleteSignatureException',
      (r) => ({ ...r, headers: { ...r.headers, 'x-amz-date': '2026-11-22T04:30:00Z' } }), 'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '2026-11-22T04:30:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"],
    ['a credential scope dated another day gets InvalidSignatureException',
      (r) => withAuth(r, (a) => a.replace('/20261122/', '/20261121/')), 'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261121' != '20261122', from '20261122T043000Z'."],
    ['an unknown access key gets UnrecognizedClientException',
      (r) => withAuth(r, (a) => a.replace(AKID, 'AKIDUNKNOWN000000000')), 'UnrecognizedClientException',
      'The security token included in the request is invalid.'],
    ['a tampered body gets InvalidSignatureException',
      (r) => ({ ...r, body: Buffer.from('{"a":2}') }), 'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed."],
    ['a tampered signed header gets InvalidSignatureException',
      (r) => ({ ...r, headers: { ...r.headers, 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DeleteCluster' } }),
      'InvalidSignatureException', MISMATCH],
    ['a tampered path gets InvalidSignatureException', (r) => ({ ...r, path: '/x' }), 'InvalidSignatureException', MISMATCH],
    ['a tampered query gets InvalidSignatureException', (r) => ({ ...r, query: 'a=1' }), 'InvalidSignatureException', MISMATCH],
    ['a tampered method gets InvalidSignatureException', (r) => ({ ...r, method: 'PUT' }), 'InvalidSignatureException', MISMATCH],
    ['a tampered date gets InvalidSignatureException',
      (r) => ({ ...r, headers: { ...r.headers, 'x-amz-date': '20261122T043001Z' } }), 'InvalidSignatureException', MISMATCH],
    ['a tampered signature gets InvalidSignatureException',
      (r) => withAuth(r, (a) => a.replace(/Signature=./, (m) => m.slice(0, -1) + (m.endsWith('0') ? '1' : '0'))),
      'InvalidSignatureException', MISMATCH],
    ['a signature in upper-case hex gets InvalidSignatureException',
      (r) => withAuth(r, (a) => a.replace(/Signature=([0-9a-f]+)/, (_m, s: string) => `Signature=${s.toUpperCase()}`)),
      'InvalidSignatureException', MISMATCH],
    ['a truncated signature gets InvalidSignatureException',
      (r) => withAuth(r, (a) => a.slice(0, -2)), 'InvalidSignatureException', MISMATCH],
    ['both an Authorization header and X-Amz-Algorithm get IncompleteSignatureException',
      (r) => ({ ...r, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }), 'IncompleteSignatureException', /Found both/],
  ];
  for (const [name, mutate, code, message] of cases) {
    test(name, async () => rejects(mutate(await base()), code, message));
  }

  test('a request signed with another secret gets InvalidSignatureException', async () => {
    rejects(await sign({ headers: JSON_HEADERS, body: '{}', secret: 'another-secret' }), 'InvalidSignatureException', MISMATCH);
  });

  test('a tampered body without x-amz-content-sha256 gets the signature mismatch', async () => {
    const req = await sign({ headers: JSON_HEADERS, body: '{"a":1}', applyChecksum: false });
    assert.equal(req.headers['x-amz-content-sha256'], undefined);
    rejects({ ...req, body: Buffer.from('{"a":2}') }, 'InvalidSignatureException', MISMATCH);
  });

  test('a request without host among SignedHeaders gets InvalidSignatureException', async () => {
    const signer = new SignatureV4({ service: 'ecs', region: 'us-east-1', sha256: NodeSha256, credentials: { accessKeyId: AKID, secretAccessKey: SECRET } });
    const signed = await signer.sign({ method: 'POST', protocol: 'https:', hostname: HOST, path: '/', query: {}, headers: { ...JSON_HEADERS } }, { signingDate: NOW });
    assert.doesNotMatch(signed.headers['authorization'], /host/);
    const req = { method: 'POST', path: '/', query: '', headers: { ...signed.headers, host: HOST }, body: Buffer.alloc(0) };
    rejects(req, 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('a request signed more than 15 minutes ago has an expired signature', async () => {
    const req = await sign({ headers: JSON_HEADERS, at: new Date('2026-11-22T04:14:59Z') });
    rejects(req, 'InvalidSignatureException', 'Signature expired: 20261122T041459Z is now earlier than 20261122T041500Z (20261122T043000Z - 15 min.)');
  });

  test('a request signed more than 15 minutes ahead is not yet current', async () => {
    const req = await sign({ headers: JSON_HEADERS, at: new Date('2026-11-22T04:45:01Z') });
    rejects(req, 'InvalidSignatureException', 'Signature not yet current: 20261122T044501Z is still later than 20261122T044500Z (20261122T043000Z + 15 min.)');
  });

  test('a request dated only by a Date header verifies, in HTTP-date or basic form', () => {
    // The SDKs always send X-Amz-Date, so this request is signed by hand: the string to sign
    // carries the Date header's instant in ISO 8601 basic form.
    for (const date of ['Sun, 22 Nov 2026 04:30:00 GMT', '20261122T043000Z']) {
      const canonical = `GET\n/\n\ndate:${date}\nhost:${HOST}\n\ndate;host\n${createHash('sha256').update('').digest('hex')}`;
      const toSign = `AWS4-HMAC-SHA256\n20261122T043000Z\n20261122/us-east-1/ecs/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
      const signature = createHmac('sha256', deriveSigningKey(SECRET, '20261122', 'us-east-1', 'ecs')).update(toSign).digest('hex');
      const authorization = `AWS4-HMAC-SHA256 Credential=${AKID}/20261122/us-east-1/ecs/aws4_request, SignedHeaders=date;host, Signature=${signature}`;
      const req = { method: 'GET', path: '/', query: '', headers: { host: HOST, date, authorization }, body: Buffer.alloc(0) };
      assert.equal(verifySigV4(req, secretFor, NOW).signedAt.getTime(), NOW.getTime());
    }
  });
});

describe('presigned URLs are refused as AWS refuses them', () => {
  const presigned = () => sign({ method: 'GET', service: 'sts', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, presignExpires: 300 });
  const dropParam = (req: SignedRequest, name: string): SignedRequest => ({
    ...req, query: req.query.split('&').filter((p) => !p.startsWith(name + '=')).join('&'),
  });
  const setParam = (req: SignedRequest, name: string, value: string): SignedRequest => ({
    ...req, query: req.query.split('&').map((p) => (p.startsWith(name + '=') ? `${name}=${value}` : p)).join('&'),
  });

  test('a URL used after X-Amz-Expires has an expired signature', async () => {
    rejects(await presigned(), 'InvalidSignatureException',
      'Signature expired: 20261122T043000Z is now earlier than 20261122T043001Z (20261122T043501Z - 5 min.)',
      new Date(NOW.getTime() + 301_000));
  });
  test('a URL dated more than 15 minutes ahead is not yet current', async () => {
    rejects(await presigned(), 'InvalidSignatureException', /^Signature not yet current: 20261122T043000Z is still later than/,
      new Date(NOW.getTime() - 16 * 60000));
  });
  test('a URL without X-Amz-Signature gets IncompleteSignatureException', async () => {
    rejects(dropParam(await presigned(), 'X-Amz-Signature'), 'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.");
  });
  test('a URL without X-Amz-Algorithm and X-Amz-Date gets IncompleteSignatureException naming both', async () => {
    rejects(dropParam(dropParam(await presigned(), 'X-Amz-Algorithm'), 'X-Amz-Date'), 'IncompleteSignatureException',
      "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
  });
  test('a URL with another algorithm gets IncompleteSignatureException', async () => {
    rejects(setParam(await presigned(), 'X-Amz-Algorithm', 'AWS4-HMAC-SHA1'), 'IncompleteSignatureException', /only supports/);
  });
  test('a URL with a non-numeric X-Amz-Expires gets IncompleteSignatureException', async () => {
    rejects(setParam(await presigned(), 'X-Amz-Expires', 'soon'), 'IncompleteSignatureException', 'X-Amz-Expires should be a number');
  });
  test('a URL valid for more than a week gets IncompleteSignatureException', async () => {
    rejects(setParam(await presigned(), 'X-Amz-Expires', '604801'), 'IncompleteSignatureException', /less than a week/);
  });
  test('a URL with a tampered operation parameter gets InvalidSignatureException', async () => {
    rejects(setParam(await presigned(), 'Action', 'AssumeRole'), 'InvalidSignatureException', MISMATCH);
  });
  test('a URL with a tampered expiry gets InvalidSignatureException', async () => {
    rejects(setParam(await presigned(), 'X-Amz-Expires', '600'), 'InvalidSignatureException', MISMATCH);
  });
  test('a URL with a tampered signature gets InvalidSignatureException', async () => {
    rejects(setParam(await presigned(), 'X-Amz-Signature', '0'.repeat(64)), 'InvalidSignatureException', MISMATCH);
  });
  test('UNSIGNED-PAYLOAD is not honoured on a header-signed request', async () => {
    const req = await sign({ headers: { ...JSON_HEADERS, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '{}' });
    rejects(req, 'InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  });
});

describe('the signing-key cache', () => {
  test('derives the same key as the SigV4 key chain and stays within its capacity', () => {
    const cache = new SigningKeyCache(4);
    for (let day = 1; day <= 20; day++) {
      const date = `202611${String(day).padStart(2, '0')}`;
      assert.deepEqual(cache.get(SECRET, date, 'us-east-1', 'ecs'), deriveSigningKey(SECRET, date, 'us-east-1', 'ecs'));
      assert.ok(cache.size <= 4);
    }
    assert.equal(cache.size, 4);
  });

  test('keeps the verifier\'s cache bounded across many distinct secrets', async () => {
    const many = signingKeyCache.capacity + 20;
    for (let i = 0; i < many; i++) {
      const secret = `secret-${i}`;
      const req = await sign({ headers: JSON_HEADERS, secret });
      verifySigV4(req, () => secret, NOW);
      assert.ok(signingKeyCache.size <= signingKeyCache.capacity);
    }
    assert.equal(signingKeyCache.size, signingKeyCache.capacity);
  });

  test('a rotated secret is never served a key derived from the old one', async () => {
    const req = await sign({ headers: JSON_HEADERS, secret: 'old-secret' });
    verifySigV4(req, () => 'old-secret', NOW);
    rejects(req, 'InvalidSignatureException', MISMATCH, NOW, () => 'new-secret');
  });
});

describe("Berth's own signer", () => {
  test('signs exactly as the SDK signer does, and its requests verify', async () => {
    const body = '{"cluster":"a b"}';
    const sdk = await sign({ method: 'POST', path: '/x%20y/', query: { b: '2', a: 'c d' }, headers: JSON_HEADERS, body, applyChecksum: false, sessionToken: 'tok/en+' });
    const ours = signRequest({
      method: 'POST', host: HOST, path: '/x%20y/', query: 'b=2&a=c%20d', body: Buffer.from(body), region: 'us-east-1', service: 'ecs',
      creds: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: 'tok/en+' }, now: NOW, headers: JSON_HEADERS,
    });
    assert.equal(ours['authorization'], sdk.headers['authorization']);
    assert.equal(ours['content-length'], String(Buffer.byteLength(body)));
    const v = verifySigV4({ method: 'POST', path: '/x%20y/', query: 'b=2&a=c%20d', headers: ours, body: Buffer.from(body) }, secretFor, NOW);
    assert.equal(v.sessionToken, 'tok/en+');
  });
});
