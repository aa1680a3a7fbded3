/**
 * End to end through node's HTTP server: requests the real AWS SDK clients send, as node hands
 * them to the gateway (raw `req.url`, IncomingHttpHeaders), verify.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsError } from '../../src/edge/errors.js';
import { verifySigV4, type SignedRequest, type Verified } from '../../src/edge/sigv4/verify.js';

const AKID = 'AKIDBERTHSDKTEST0001';
const SECRET = 'sdk/Secret+Key/0123456789abcdefghijklmn';

describe('requests sent by the AWS SDK for JavaScript verify as node receives them', () => {
  let server: Server;
  let endpoint = '';
  const seen: Array<Verified | AwsError> = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '/';
        const q = url.indexOf('?');
        const signed: SignedRequest = {
          method: req.method ?? 'GET',
          path: q === -1 ? url : url.slice(0, q),
          query: q === -1 ? '' : url.slice(q + 1),
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        try {
          seen.push(verifySigV4(signed, (id) => (id === AKID ? SECRET : undefined), new Date()));
        } catch (err) {
          seen.push(err as AwsError);
        }
        if (signed.headers['x-amz-target']) {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"clusterArns":[]}');
        } else {
          res.writeHead(200, { 'content-type': 'text/xml' }).end(
            '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
              '<Arn>arn:aws:iam::000000000000:root</Arn><UserId>000000000000</UserId><Account>000000000000</Account>' +
              '</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('an ECS ListClusters call with a session token', async () => {
    const client = new ECSClient({
      endpoint, region: 'eu-west-3', maxAttempts: 1,
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: 'session/token+==' },
    });
    seen.length = 0;
    await client.send(new ListClustersCommand({ maxResults: 5 }));
    client.destroy();
    assert.equal(seen.length, 1);
    const v = seen[0];
    assert.ok(!(v instanceof Error), `verification failed: ${String(v)}`);
    assert.equal(v.region, 'eu-west-3');
    assert.equal(v.service, 'ecs');
    assert.equal(v.sessionToken, 'session/token+==');
  });

  test('an STS GetCallerIdentity call in the Query protocol', async () => {
    const client = new STSClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: AKID, secretAccessKey: SECRET } });
    seen.length = 0;
    await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
    assert.equal(seen.length, 1);
    const v = seen[0];
    assert.ok(!(v instanceof Error), `verification failed: ${String(v)}`);
    assert.equal(v.service, 'sts');
  });

  test('a call signed with the wrong secret is refused', async () => {
    const client = new ECSClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: AKID, secretAccessKey: 'wrong' } });
    seen.length = 0;
    await client.send(new ListClustersCommand({}));
    client.destroy();
    const e = seen[0];
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, 'InvalidSignatureException');
  });
});
