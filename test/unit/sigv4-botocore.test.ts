/**
 * Requests signed by botocore (the AWS CLI's and boto3's signer) verify. Runs a child python
 * process; skipped when botocore is not importable.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { verifySigV4, type SignedRequest } from '../../src/edge/sigv4/verify.js';

const AKID = 'AKIDBERTHBOTOCORE001';
const SECRET = 'boto/Secret+Key/0123456789abcdefghijklmn';

const hasBotocore = spawnSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' }).status === 0;

// Signs each case given on stdin and prints the signed method, URL, headers and body.
const SIGNER = `
import json, sys
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
out = []
for c in json.load(sys.stdin):
    creds = Credentials(c['akid'], c['secret'], c.get('token'))
    req = AWSRequest(method=c['method'], url=c['url'], data=c['body'].encode('utf-8'), headers=c['headers'])
    if c.get('expires'):
        SigV4QueryAuth(creds, c['service'], c['region'], expires=c['expires']).add_auth(req)
    else:
        SigV4Auth(creds, c['service'], c['region']).add_auth(req)
    out.append({'method': req.method, 'url': req.url, 'headers': dict(req.headers.items()), 'body': c['body']})
json.dump(out, sys.stdout)
`;

interface BotoCase {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  service: string;
  region: string;
  token?: string;
  expires?: number;
}

function toSigned(s: { method: string; url: string; headers: Record<string, string>; body: string }): SignedRequest {
  const url = new URL(s.url);
  const headers: Record<string, string> = { host: url.host };
  for (const [k, v] of Object.entries(s.headers)) headers[k.toLowerCase()] = v;
  // URL normalises nothing in pathname/search that botocore sent encoded, so they are the wire form.
  return { method: s.method, path: url.pathname, query: url.search.slice(1), headers, body: Buffer.from(s.body) };
}

describe('requests signed by botocore verify', { skip: hasBotocore ? false : 'botocore is not importable' }, () => {
  const cases: BotoCase[] = [
    {
      name: 'a JSON POST with a session token', method: 'POST', url: 'https://ecs.us-east-1.amazonaws.com/',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
      body: '{"maxResults": 3}', service: 'ecs', region: 'us-east-1', token: 'boto/session+token==',
    },
    {
      name: 'a GET with an encoded path and a reserved-character query', method: 'GET',
      url: 'https://ecs.us-east-1.amazonaws.com/clusters/my%20cluster/a%2Fb/%C3%A9?b=x%2Fy%20z&a=1&a=0&tilde=~',
      headers: { 'X-Custom': '  spaced   value ' }, body: '', service: 'ecs', region: 'us-east-1',
    },
    {
      name: 'a form-encoded Query-protocol POST', method: 'POST', url: 'https://sts.amazonaws.com/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts', region: 'us-east-1',
    },
    {
      name: 'a presigned STS URL', method: 'GET', url: 'https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15',
      headers: {}, body: '', service: 'sts', region: 'us-east-1', token: 'presign/token+==', expires: 60,
    },
  ];

  let signed: Array<{ method: string; url: string; headers: Record<string, string>; body: string }> = [];
  let now = new Date();
  before(() => {
    const input = cases.map((c) => ({ ...c, akid: AKID, secret: SECRET }));
    const run = spawnSync('python3', ['-c', SIGNER], { input: JSON.stringify(input), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    signed = JSON.parse(run.stdout) as typeof signed;
    now = new Date();
  });

  cases.forEach((c, i) => {
    test(`${c.name}, and fails once tampered with`, () => {
      const req = toSigned(signed[i]);
      const v = verifySigV4(req, (id) => (id === AKID ? SECRET : undefined), now);
      assert.equal(v.service, c.service);
      assert.equal(v.region, c.region);
      assert.equal(v.sessionToken, c.token);
      assert.throws(() => verifySigV4({ ...req, method: req.method === 'GET' ? 'HEAD' : 'PUT' }, () => SECRET, now), {
        code: 'InvalidSignatureException',
      });
    });
  });
});
