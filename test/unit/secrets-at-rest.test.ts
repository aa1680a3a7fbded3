import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretsKey, openSecretBox } from '../../src/crypto/key.js';
import { SealedValueError, SecretBox } from '../../src/crypto/secret-box.js';
import type { RequestContext } from '../../src/edge/surface.js';
import { SecretsService, secretsSurface } from '../../src/secrets/surface.js';
import { ParameterStore, ssmSurface } from '../../src/ssm/surface.js';
import { MemoryStore } from '../../src/store/memory.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'berth-crypto-'));
  dirs.push(d);
  return d;
};

const ctx: RequestContext = {
  principal: { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:root', userId: '123456789012', accessKeyId: 'AKIA', isRoot: true },
  region: 'us-east-1',
  requestId: 'r',
  now: new Date(),
};

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, with a fresh IV per value', () => {
    const a = box.seal('same', 'ctx');
    const b = box.seal('same', 'ctx');
    assert.notEqual(a, b);
    assert.equal(box.openText(a, 'ctx'), 'same');
    assert.deepEqual(box.open(box.seal(Buffer.from([0, 255]), 'c'), 'c'), Buffer.from([0, 255]));
  });

  it('refuses another context, another key, and tampering, without echoing anything', () => {
    const sealed = box.seal('tamper-me-123', 'secret-a');
    assert.throws(() => box.open(sealed, 'secret-b'), SealedValueError);
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'secret-a'), SealedValueError);
    const raw = Buffer.from(sealed, 'base64');
    raw[raw.length - 1] ^= 1;
    assert.throws(() => box.open(raw.toString('base64'), 'secret-a'), (err: Error) => err instanceof SealedValueError && !err.message.includes('tamper-me'));
    assert.throws(() => box.open('AAAA', 'secret-a'), SealedValueError);
    assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/);
  });
});

describe('the secrets key', () => {
  it('is created once as a 0600 file in the data dir and read back after', () => {
    const dir = tempDir();
    const key = loadSecretsKey(dir, {});
    assert.equal(key.length, 32);
    assert.equal(statSync(join(dir, 'secrets.key')).mode & 0o777, 0o600);
    assert.deepEqual(loadSecretsKey(dir, {}), key);
  });

  it('comes from BERTH_SECRETS_KEY when set, which must be base64 of 32 bytes', () => {
    const dir = tempDir();
    const key = randomBytes(32);
    assert.deepEqual(loadSecretsKey(dir, { BERTH_SECRETS_KEY: key.toString('base64') }), key);
    assert.equal(existsSync(join(dir, 'secrets.key')), false);
    assert.throws(() => loadSecretsKey(dir, { BERTH_SECRETS_KEY: randomBytes(31).toString('base64') }), /exactly 32 bytes/);
    assert.throws(() => loadSecretsKey(dir, { BERTH_SECRETS_KEY: 'not base64!' }), /exactly 32 bytes/);
  });

  it('must be the key the store was sealed with', () => {
    const dir = tempDir();
    const store = new MemoryStore();
    openSecretBox(dir, {}, store);
    assert.throws(() => openSecretBox(dir, { BERTH_SECRETS_KEY: randomBytes(32).toString('base64') }, store), /not the key/);
    openSecretBox(dir, {}, store);
  });
});

describe('values at rest', () => {
  it('never reach the SQLite file in plaintext', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'berth.db');
    const store = openSqliteStore(dbFile);
    const box = openSecretBox(dir, {}, store);
    const secrets = secretsSurface(new SecretsService(store, box)).operations;
    const ssm = ssmSurface(new ParameterStore(store, box)).operations;
    const marker = (what: string): string => `PLAINTEXT-${what}-${randomBytes(8).toString('hex')}`;
    const hidden = [marker('secret-string'), marker('secret-put'), marker('secure-string'), marker('secret-binary')];
    await secrets.CreateSecret!({ Name: 'a', SecretString: hidden[0] }, ctx);
    await secrets.PutSecretValue!({ SecretId: 'a', SecretString: hidden[1] }, ctx);
    await secrets.CreateSecret!({ Name: 'b', SecretBinary: Buffer.from(hidden[3]!).toString('base64') }, ctx);
    await ssm.PutParameter!({ Name: '/p/secure', Value: hidden[2], Type: 'SecureString' }, ctx);
    const visible = marker('plain-string');
    await ssm.PutParameter!({ Name: '/p/plain', Value: visible, Type: 'String' }, ctx);
    store.close();
    const bytes = [dbFile, `${dbFile}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    assert.ok(bytes.includes(visible), 'a String parameter is stored as is (the search works)');
    for (const h of hidden) {
      assert.ok(!bytes.includes(h), `${h.split('-')[1]} is not in the database in plaintext`);
      assert.ok(!bytes.includes(Buffer.from(h).toString('base64')), `${h.split('-')[1]} is not in the database as base64`);
    }
    // And the values are all still there for a reopened store with the same key.
    const reopened = openSqliteStore(dbFile);
    const again = new SecretsService(reopened, openSecretBox(dir, {}, reopened));
    assert.equal(again.resolve({ accountId: '123456789012', region: 'us-east-1' }, 'a'), hidden[1]);
    reopened.close();
  });
});
