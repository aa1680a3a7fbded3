import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Action, Condition } from '../../src/elbv2/dataplane/config.js';
import { compileRules, hostOf, matchRule, type RequestView } from '../../src/elbv2/dataplane/rules.js';
import { compileWildcard } from '../../src/elbv2/dataplane/wildcard.js';

const HIT: Action = { type: 'fixed-response', statusCode: '200', messageBody: 'hit' };
const MISS: Action = { type: 'fixed-response', statusCode: '404', messageBody: 'default' };

function req(p: Partial<RequestView> & { host?: string } = {}): RequestView {
  return { method: p.method ?? 'GET', url: p.url ?? '/', headers: { host: p.host ?? 'www.example.com', ...p.headers }, sourceIp: p.sourceIp ?? '10.0.0.5' };
}

interface Row { name: string; condition: Condition; request: RequestView; matches: boolean }

// One condition per row; each row is a case AWS documents for that condition type.
const rows: Row[] = [
  { name: 'path: * matches any suffix', condition: { field: 'path-pattern', values: ['/api/*'] }, request: req({ url: '/api/v1/users' }), matches: true },
  { name: 'path: * matches zero characters', condition: { field: 'path-pattern', values: ['/api/*'] }, request: req({ url: '/api/' }), matches: true },
  { name: 'path: ? matches exactly one character', condition: { field: 'path-pattern', values: ['/v?/x'] }, request: req({ url: '/v2/x' }), matches: true },
  { name: 'path: ? does not match two characters', condition: { field: 'path-pattern', values: ['/v?/x'] }, request: req({ url: '/v10/x' }), matches: false },
  { name: 'path: comparison is case-sensitive', condition: { field: 'path-pattern', values: ['/API/*'] }, request: req({ url: '/api/x' }), matches: false },
  { name: 'path: the query string is not part of the path', condition: { field: 'path-pattern', values: ['/search'] }, request: req({ url: '/search?q=*' }), matches: true },
  { name: 'path: regex metacharacters are literal', condition: { field: 'path-pattern', values: ['/a.b'] }, request: req({ url: '/axb' }), matches: false },
  { name: 'path: any of several values', condition: { field: 'path-pattern', values: ['/a', '/b/*'] }, request: req({ url: '/b/c' }), matches: true },
  { name: 'host: case-insensitive', condition: { field: 'host-header', values: ['api.example.com'] }, request: req({ host: 'API.Example.COM' }), matches: true },
  { name: 'host: the port is not compared', condition: { field: 'host-header', values: ['api.example.com'] }, request: req({ host: 'api.example.com:8080' }), matches: true },
  { name: 'host: wildcard subdomain', condition: { field: 'host-header', values: ['*.example.com'] }, request: req({ host: 'shop.example.com' }), matches: true },
  { name: 'host: wildcard needs the dot', condition: { field: 'host-header', values: ['*.example.com'] }, request: req({ host: 'example.com' }), matches: false },
  { name: 'http-header: name and value case-insensitive', condition: { field: 'http-header', headerName: 'User-Agent', values: ['*MOBILE*'] }, request: req({ headers: { 'user-agent': 'Foo Mobile Safari' } }), matches: true },
  { name: 'http-header: absent header never matches', condition: { field: 'http-header', headerName: 'x-env', values: ['*'] }, request: req(), matches: false },
  { name: 'http-header: a repeated header matches on any value', condition: { field: 'http-header', headerName: 'x-env', values: ['beta'] }, request: req({ headers: { 'x-env': ['prod', 'beta'] } }), matches: true },
  { name: 'method: exact', condition: { field: 'http-request-method', values: ['POST', 'PUT'] }, request: req({ method: 'PUT' }), matches: true },
  { name: 'method: case-sensitive', condition: { field: 'http-request-method', values: ['post'] }, request: req({ method: 'POST' }), matches: false },
  { name: 'query: key and value', condition: { field: 'query-string', values: [{ key: 'version', value: 'v2' }] }, request: req({ url: '/?a=1&version=v2' }), matches: true },
  { name: 'query: value only matches any key', condition: { field: 'query-string', values: [{ value: 'beta' }] }, request: req({ url: '/?channel=beta' }), matches: true },
  { name: 'query: case-insensitive with wildcards', condition: { field: 'query-string', values: [{ key: 'Lang', value: 'EN-*' }] }, request: req({ url: '/?lang=en-gb' }), matches: true },
  { name: 'query: compared percent-decoded', condition: { field: 'query-string', values: [{ key: 'q', value: 'a b' }] }, request: req({ url: '/?q=a%20b' }), matches: true },
  { name: 'query: no query string', condition: { field: 'query-string', values: [{ value: '*' }] }, request: req({ url: '/x' }), matches: false },
  { name: 'source-ip: inside the CIDR', condition: { field: 'source-ip', values: ['10.0.0.0/8'] }, request: req({ sourceIp: '10.1.2.3' }), matches: true },
  { name: 'source-ip: an IPv4-mapped peer address', condition: { field: 'source-ip', values: ['127.0.0.0/8'] }, request: req({ sourceIp: '::ffff:127.0.0.1' }), matches: true },
  { name: 'source-ip: outside the CIDR', condition: { field: 'source-ip', values: ['192.168.0.0/16'] }, request: req({ sourceIp: '10.1.2.3' }), matches: false },
  { name: 'source-ip: IPv6 block', condition: { field: 'source-ip', values: ['2001:db8::/32'] }, request: req({ sourceIp: '2001:db8::1' }), matches: true },
];

describe('listener rule conditions', () => {
  for (const r of rows) {
    it(r.name, () => {
      const table = compileRules([{ priority: 1, conditions: [r.condition], actions: [HIT] }], [MISS]);
      assert.equal(matchRule(r.request, table), r.matches ? HIT : MISS);
    });
  }
});

describe('rule evaluation', () => {
  const A: Action = { type: 'fixed-response', statusCode: '200', messageBody: 'A' };
  const B: Action = { type: 'fixed-response', statusCode: '200', messageBody: 'B' };
  it('tries rules in ascending priority whatever their order in the list', () => {
    const table = compileRules([
      { priority: 50, conditions: [{ field: 'path-pattern', values: ['/*'] }], actions: [B] },
      { priority: 5, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [A] },
    ], [MISS]);
    assert.equal(matchRule(req({ url: '/api/x' }), table), A);
    assert.equal(matchRule(req({ url: '/web' }), table), B);
  });
  it('needs every condition of a rule to hold', () => {
    const table = compileRules([{ priority: 1, conditions: [
      { field: 'path-pattern', values: ['/api/*'] },
      { field: 'http-request-method', values: ['POST'] },
    ], actions: [A] }], [MISS]);
    assert.equal(matchRule(req({ url: '/api/x', method: 'POST' }), table), A);
    assert.equal(matchRule(req({ url: '/api/x', method: 'GET' }), table), MISS);
  });
  it('falls back to the default action', () => {
    assert.equal(matchRule(req(), compileRules([], [MISS])), MISS);
  });
});

describe('wildcards and hosts', () => {
  it('an exact pattern is compared as a string', () => assert.ok(compileWildcard('/a+b', false)('/a+b')));
  it('* spans slashes', () => assert.ok(compileWildcard('/a*z', false)('/a/b/c/z')));
  it('an IPv6 host literal keeps its brackets and drops the port', () => assert.equal(hostOf({ host: '[::1]:8080' }), '[::1]'));
  it('an HTTP/2 :authority stands for Host', () => assert.equal(hostOf({ ':authority': 'h2.example.com:443' }), 'h2.example.com'));
});
