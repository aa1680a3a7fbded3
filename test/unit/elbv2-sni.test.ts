import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SniContexts, certificateNames } from '../../src/elbv2/dataplane/sni.js';
import { selfSignedCertificate } from '../../src/elbv2/dataplane/self-signed.js';

/** The SNI choice of a listener's certificate list (dataplane/sni.ts), without sockets. */
describe('SniContexts', () => {
  const byDefault = selfSignedCertificate(['shop.example.com']);
  const wide = selfSignedCertificate(['*.example.com']);
  const exact = selfSignedCertificate(['api.example.com', 'API2.example.com']);
  const table = new SniContexts([byDefault, wide, exact]);
  const same = (a: unknown, b: unknown, what: string): void => assert.ok(a !== undefined && a === b, what);

  it('reads a certificate\'s DNS names', () => {
    assert.deepEqual(certificateNames(exact.certPem), ['api.example.com', 'API2.example.com']);
    assert.deepEqual(certificateNames('not a certificate'), []);
  });

  it('prefers an exact name to a wildcard, whatever the list order, and ignores case', () => {
    same(table.lookup('api.example.com'), table.lookup('API.Example.com'), 'case-insensitive');
    assert.notEqual(table.lookup('api.example.com'), table.lookup('orders.example.com'), 'exact beats wildcard');
    same(table.lookup('api2.example.com'), table.lookup('api.example.com'), 'one certificate, two names');
  });

  it('lets a wildcard cover one label only, and leaves other names to the default certificate', () => {
    assert.ok(table.lookup('orders.example.com') !== undefined);
    assert.equal(table.lookup('a.b.example.com'), undefined);
    assert.equal(table.lookup('example.com'), undefined);
    assert.equal(table.lookup('other.org'), undefined);
  });

  it('answers the default certificate\'s own names from the table too', () => {
    assert.ok(table.lookup('shop.example.com') !== undefined);
    assert.notEqual(table.lookup('shop.example.com'), table.lookup('orders.example.com'));
  });
});
