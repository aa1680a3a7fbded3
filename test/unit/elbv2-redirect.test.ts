import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RedirectConfig } from '../../src/elbv2/dataplane/config.js';
import { buildRedirectUrl, redirectStatus, type RedirectRequest } from '../../src/elbv2/dataplane/redirect.js';

const request: RedirectRequest = { protocol: 'http', host: 'www.example.com', port: 80, path: '/shop/cart', query: 'id=7' };

interface Row { name: string; cfg: Omit<RedirectConfig, 'statusCode'>; want: string }

// Each row: a redirect configuration from the ALB guide and the Location it produces.
const rows: Row[] = [
  { name: 'HTTP to HTTPS keeps host, path and query', cfg: { protocol: 'HTTPS', port: '443' }, want: 'https://www.example.com:443/shop/cart?id=7' },
  { name: 'nothing set keeps every component', cfg: {}, want: 'http://www.example.com:80/shop/cart?id=7' },
  { name: '#{path} has no leading slash', cfg: { path: '/new/#{path}' }, want: 'http://www.example.com:80/new/shop/cart?id=7' },
  { name: 'a host prefix with #{host}', cfg: { host: 'm.#{host}' }, want: 'http://m.www.example.com:80/shop/cart?id=7' },
  { name: 'a query appended to #{query}', cfg: { query: '#{query}&from=alb' }, want: 'http://www.example.com:80/shop/cart?id=7&from=alb' },
  { name: 'an empty query drops the "?"', cfg: { query: '' }, want: 'http://www.example.com:80/shop/cart' },
  { name: '#{port} and #{host} inside the path', cfg: { path: '/#{host}/#{port}' }, want: 'http://www.example.com:80/www.example.com/80?id=7' },
  { name: '#{protocol} is lower-case in the URL', cfg: { protocol: '#{protocol}', host: 'other.example.com' }, want: 'http://other.example.com:80/shop/cart?id=7' },
  { name: 'a fixed host and port', cfg: { host: 'example.org', port: '8443', protocol: 'HTTPS', path: '/' }, want: 'https://example.org:8443/?id=7' },
];

describe('redirect URLs', () => {
  for (const r of rows) it(r.name, () => assert.equal(buildRedirectUrl({ ...r.cfg, statusCode: 'HTTP_301' }, request), r.want));
  it('HTTP_301 is permanent, HTTP_302 temporary', () => {
    assert.equal(redirectStatus({ statusCode: 'HTTP_301' }), 301);
    assert.equal(redirectStatus({ statusCode: 'HTTP_302' }), 302);
  });
});
