import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { BerthProcess } from '../support/berth.js';

const clients = (berth: BerthProcess): { sm: SecretsManagerClient; ssm: SSMClient } => {
  const opts = { endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 };
  return { sm: new SecretsManagerClient(opts), ssm: new SSMClient(opts) };
};

describe('secrets and parameters at rest', () => {
  it('keep every acknowledged write across a SIGKILL, under a 0600 key file made on first start', async () => {
    const berth = await new BerthProcess().start();
    try {
      const keyFile = join(berth.dataDir, 'secrets.key');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      const { sm, ssm } = clients(berth);
      await sm.send(new CreateSecretCommand({ Name: 'durable', SecretString: 'v0' }));
      const acked: { secret: [string, string][]; params: string[] } = { secret: [], params: [] };
      let killed = false;
      let n = 0;
      const writer = async (): Promise<void> => {
        while (!killed) {
          const i = n++;
          try {
            const put = await sm.send(new PutSecretValueCommand({ SecretId: 'durable', SecretString: `v${i + 1}` }));
            acked.secret.push([put.VersionId!, `v${i + 1}`]);
            await ssm.send(new PutParameterCommand({ Name: `/durable/p${i}`, Value: `secure-${i}`, Type: 'SecureString' }));
            acked.params.push(`/durable/p${i}`);
          } catch {
            return;
          }
          if (acked.params.length >= 40 && !killed) {
            killed = true;
            await berth.kill('SIGKILL');
          }
        }
      };
      await Promise.all([writer(), writer(), writer()]);
      await berth.kill('SIGKILL');
      await berth.start();
      const after = clients(berth);
      for (const name of acked.params) {
        const p = await after.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        assert.equal(p.Parameter?.Value, `secure-${name.slice('/durable/p'.length)}`);
      }
      for (const [versionId, value] of acked.secret) {
        assert.equal((await after.sm.send(new GetSecretValueCommand({ SecretId: 'durable', VersionId: versionId }))).SecretString, value);
      }
      const current = await after.sm.send(new GetSecretValueCommand({ SecretId: 'durable' }));
      assert.match(current.SecretString!, /^v\d+$/);
    } finally {
      await berth.stop();
    }
  });

  it('use BERTH_SECRETS_KEY when set, and refuse to start with a key that does not open the data', async () => {
    const key = randomBytes(32).toString('base64');
    const berth = await new BerthProcess(undefined, { BERTH_SECRETS_KEY: key }).start();
    try {
      assert.equal(existsSync(join(berth.dataDir, 'secrets.key')), false, 'no key file when the environment supplies the key');
      await clients(berth).sm.send(new CreateSecretCommand({ Name: 'env-keyed', SecretString: 'from env' }));
      await berth.kill('SIGKILL');
      await berth.start();
      assert.equal((await clients(berth).sm.send(new GetSecretValueCommand({ SecretId: 'env-keyed' }))).SecretString, 'from env');
      await berth.kill('SIGTERM');

      const wrong = new BerthProcess(berth.dataDir, { BERTH_SECRETS_KEY: randomBytes(32).toString('base64') });
      await assert.rejects(wrong.start(), /not the key this data dir's secrets were encrypted with/);
      const malformed = new BerthProcess(berth.dataDir, { BERTH_SECRETS_KEY: 'c2hvcnQ=' });
      await assert.rejects(malformed.start(), /BERTH_SECRETS_KEY must hold the base64 encoding of exactly 32 bytes/);
    } finally {
      await berth.stop();
    }
  });
});
