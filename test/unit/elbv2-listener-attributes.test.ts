import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../src/edge/errors.js';
import { NO_RESPONSE_HEADERS, replaces, responseHeaderPlan } from '../../src/elbv2/dataplane/response-headers.js';
import { decode } from '../../src/elbv2/input.js';
import { checkListenerAttributes, keptListenerAttributes, listenerAttributes, readListenerAttributes } from '../../src/elbv2/listener-attributes.js';

/** Listener attributes: which keys each protocol has, their defaults, the values accepted, and the header plan they make. */

const input = (attrs: Array<[string, string]>): ReturnType<typeof decode> =>
  decode(new Map(attrs.flatMap(([k, v], i) => [[`Attributes.member.${i + 1}.Key`, k], [`Attributes.member.${i + 1}.Value`, v]] as Array<[string, string]>)));

/** The error code a Modify with these attributes answers, or 'ok'. */
function outcome(protocol: string, attrs: Array<[string, string]>): string {
  try {
    readListenerAttributes(input(attrs), protocol);
    return 'ok';
  } catch (e) {
    if (e instanceof AwsError) return `${e.code} ${e.status}`;
    throw e;
  }
}

const RESPONSE = 'routing.http.response';
const VALIDATION = 'ValidationError 400';

describe('the attributes each listener has', () => {
  it('a TCP listener has the TCP idle timeout, 350 s by default', () => assert.deepEqual(listenerAttributes('TCP', {}), { 'tcp.idle_timeout.seconds': '350' }));
  for (const p of ['TLS', 'UDP', 'TCP_UDP']) it(`a ${p} listener has none (its timeouts are fixed)`, () => assert.deepEqual(listenerAttributes(p, {}), {}));
  it('an HTTP listener has the Server switch on and ten response headers off', () => {
    const a = listenerAttributes('HTTP', {});
    assert.equal(Object.keys(a).length, 11);
    assert.equal(a[`${RESPONSE}.server.enabled`], 'true');
    assert.deepEqual(Object.entries(a).filter(([k]) => k.endsWith('.header_value')).map(([, v]) => v), Array(10).fill(''));
  });
  it('an HTTPS listener also names the eight mTLS/TLS request headers, at AWS default names', () => {
    const a = listenerAttributes('HTTPS', {});
    assert.equal(Object.keys(a).length, 19);
    assert.equal(a['routing.http.request.x_amzn_tls_version.header_name'], 'X-Amzn-Tls-Version');
    assert.equal(a['routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name'], 'X-Amzn-Mtls-Clientcert-Serial-Number');
  });
  it('set values show through, defaults fill the rest', () => assert.equal(listenerAttributes('TCP', { 'tcp.idle_timeout.seconds': '900' })['tcp.idle_timeout.seconds'], '900'));
});

interface Row { name: string; protocol: string; attrs: Array<[string, string]>; want: string }

// Each row: one ModifyListenerAttributes on a listener of `protocol`, and what it answers.
const rows: Row[] = [
  { name: 'the TCP idle timeout at its lower bound', protocol: 'TCP', attrs: [['tcp.idle_timeout.seconds', '60']], want: 'ok' },
  { name: 'the TCP idle timeout at its upper bound', protocol: 'TCP', attrs: [['tcp.idle_timeout.seconds', '6000']], want: 'ok' },
  { name: 'the TCP idle timeout below 60', protocol: 'TCP', attrs: [['tcp.idle_timeout.seconds', '59']], want: VALIDATION },
  { name: 'the TCP idle timeout above 6000', protocol: 'TCP', attrs: [['tcp.idle_timeout.seconds', '6001']], want: VALIDATION },
  { name: 'the TCP idle timeout not a number', protocol: 'TCP', attrs: [['tcp.idle_timeout.seconds', '5m']], want: VALIDATION },
  { name: 'the TCP idle timeout on a TLS listener (fixed at 350 s)', protocol: 'TLS', attrs: [['tcp.idle_timeout.seconds', '400']], want: VALIDATION },
  { name: 'the TCP idle timeout on a UDP listener', protocol: 'UDP', attrs: [['tcp.idle_timeout.seconds', '400']], want: VALIDATION },
  { name: 'the TCP idle timeout on an ALB listener', protocol: 'HTTP', attrs: [['tcp.idle_timeout.seconds', '400']], want: VALIDATION },
  { name: 'a response header on an NLB listener', protocol: 'TCP', attrs: [[`${RESPONSE}.x_frame_options.header_value`, 'DENY']], want: VALIDATION },
  { name: 'an unknown key', protocol: 'HTTP', attrs: [['routing.http.response.referrer_policy.header_value', 'no-referrer']], want: VALIDATION },
  { name: 'a key outside the key pattern', protocol: 'HTTP', attrs: [['routing http', 'x']], want: VALIDATION },
  { name: 'the Server header switched off', protocol: 'HTTP', attrs: [[`${RESPONSE}.server.enabled`, 'false']], want: 'ok' },
  { name: 'the Server switch with a non-boolean', protocol: 'HTTP', attrs: [[`${RESPONSE}.server.enabled`, 'no']], want: VALIDATION },
  { name: 'HSTS with max-age and directives', protocol: 'HTTPS', attrs: [[`${RESPONSE}.strict_transport_security.header_value`, 'max-age=31536000; includeSubDomains; preload']], want: 'ok' },
  { name: 'HSTS without max-age', protocol: 'HTTPS', attrs: [[`${RESPONSE}.strict_transport_security.header_value`, 'includeSubDomains']], want: VALIDATION },
  { name: 'X-Content-Type-Options nosniff', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_content_type_options.header_value`, 'nosniff']], want: 'ok' },
  { name: 'X-Content-Type-Options anything else', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_content_type_options.header_value`, 'sniff']], want: VALIDATION },
  { name: 'X-Frame-Options DENY', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_frame_options.header_value`, 'DENY']], want: 'ok' },
  { name: 'X-Frame-Options SAMEORIGIN', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_frame_options.header_value`, 'SAMEORIGIN']], want: 'ok' },
  { name: 'X-Frame-Options ALLOW-FROM an origin', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_frame_options.header_value`, 'ALLOW-FROM https://example.com']], want: 'ok' },
  { name: 'X-Frame-Options ALLOWALL', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_frame_options.header_value`, 'ALLOWALL']], want: VALIDATION },
  { name: 'Access-Control-Allow-Credentials true', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_allow_credentials.header_value`, 'true']], want: 'ok' },
  { name: 'Access-Control-Allow-Credentials false (the header only has true)', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_allow_credentials.header_value`, 'false']], want: VALIDATION },
  { name: 'Access-Control-Allow-Methods as a list', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_allow_methods.header_value`, 'GET, POST,OPTIONS']], want: 'ok' },
  { name: 'Access-Control-Allow-Methods with a stray character', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_allow_methods.header_value`, 'GET;POST']], want: VALIDATION },
  { name: 'Access-Control-Max-Age in seconds', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_max_age.header_value`, '600']], want: 'ok' },
  { name: 'Access-Control-Max-Age not a number', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_max_age.header_value`, 'ten']], want: VALIDATION },
  { name: 'a CSP with quotes and semicolons', protocol: 'HTTP', attrs: [[`${RESPONSE}.content_security_policy.header_value`, "default-src 'self'; img-src *"]], want: 'ok' },
  { name: 'a value with CR LF (a header of its own)', protocol: 'HTTP', attrs: [[`${RESPONSE}.content_security_policy.header_value`, "default-src 'self'\r\nSet-Cookie: a=1"]], want: VALIDATION },
  { name: 'a value with leading spaces', protocol: 'HTTP', attrs: [[`${RESPONSE}.access_control_allow_origin.header_value`, ' *']], want: VALIDATION },
  { name: 'an empty value turns a header off', protocol: 'HTTP', attrs: [[`${RESPONSE}.x_frame_options.header_value`, '']], want: 'ok' },
  { name: 'a TLS header renamed on HTTPS', protocol: 'HTTPS', attrs: [['routing.http.request.x_amzn_tls_version.header_name', 'X-Tls-Proto']], want: 'ok' },
  { name: 'a TLS header renamed on HTTP (HTTPS only)', protocol: 'HTTP', attrs: [['routing.http.request.x_amzn_tls_version.header_name', 'X-Tls-Proto']], want: VALIDATION },
  { name: 'a TLS header renamed to something not a header name', protocol: 'HTTPS', attrs: [['routing.http.request.x_amzn_tls_cipher_suite.header_name', 'tls cipher']], want: VALIDATION },
  { name: 'a TLS header renamed over Host', protocol: 'HTTPS', attrs: [['routing.http.request.x_amzn_tls_cipher_suite.header_name', 'Host']], want: VALIDATION },
  { name: 'an mTLS header renamed (Berth has no mTLS)', protocol: 'HTTPS', attrs: [['routing.http.request.x_amzn_mtls_clientcert.header_name', 'X-Client-Cert']], want: 'NotImplementedException 501' },
  { name: 'an mTLS header set to its default name (no change)', protocol: 'HTTPS', attrs: [['routing.http.request.x_amzn_mtls_clientcert.header_name', 'X-Amzn-Mtls-Clientcert']], want: 'ok' },
  { name: 'no attributes at all', protocol: 'HTTP', attrs: [], want: VALIDATION },
];

describe('ModifyListenerAttributes values', () => {
  for (const r of rows) it(`${r.name}: ${r.want}`, () => assert.equal(outcome(r.protocol, r.attrs), r.want));
  it('names the key and the reason in its message', () => {
    assert.throws(() => readListenerAttributes(input([['tcp.idle_timeout.seconds', '30']]), 'TCP'),
      { message: "Listener attribute 'tcp.idle_timeout.seconds' value '30' is not valid: it must be an integer from 60 to 6000" });
  });
  it('refuses the two TLS headers under one name', () => {
    assert.throws(() => checkListenerAttributes('HTTPS', { 'routing.http.request.x_amzn_tls_cipher_suite.header_name': 'x-amzn-tls-version' }), { name: 'ValidationError' });
  });
});

describe('attributes across a change of protocol', () => {
  const https = { 'routing.http.request.x_amzn_tls_version.header_name': 'X-Tls', [`${RESPONSE}.x_frame_options.header_value`]: 'DENY' };
  it('HTTPS → HTTP keeps the response headers and drops the request header names', () => assert.deepEqual(keptListenerAttributes('HTTP', https), { [`${RESPONSE}.x_frame_options.header_value`]: 'DENY' }));
  it('TCP → TLS drops the idle timeout', () => assert.equal(keptListenerAttributes('TLS', { 'tcp.idle_timeout.seconds': '900' }), undefined));
  it('a record without attributes stays without', () => assert.equal(keptListenerAttributes('TCP', undefined), undefined));
});

describe('the response header plan', () => {
  it('is the shared empty plan when nothing is set, whatever the defaults say', () => {
    assert.equal(responseHeaderPlan(undefined), NO_RESPONSE_HEADERS);
    assert.equal(responseHeaderPlan(listenerAttributes('HTTPS', {})), NO_RESPONSE_HEADERS);
    assert.equal(NO_RESPONSE_HEADERS.block, '');
    assert.equal(NO_RESPONSE_HEADERS.names, undefined);
  });
  it('renders the set headers once, in a fixed order, for HTTP/1.1 heads and for writeHead', () => {
    const plan = responseHeaderPlan({ [`${RESPONSE}.x_frame_options.header_value`]: 'DENY', [`${RESPONSE}.strict_transport_security.header_value`]: 'max-age=60' });
    assert.equal(plan.block, 'Strict-Transport-Security: max-age=60\r\nX-Frame-Options: DENY\r\n');
    assert.deepEqual(plan.own, { Server: 'awselb/2.0', 'Strict-Transport-Security': 'max-age=60', 'X-Frame-Options': 'DENY' });
    assert.ok(replaces(plan, 'x-frame-options') && replaces(plan, 'X-FRAME-OPTIONS'));
    assert.ok(!replaces(plan, 'X-Frame-Option') && !replaces(plan, 'Content-Type'));
  });
  it('drops the Server header of the load balancer when server.enabled is false', () => {
    const plan = responseHeaderPlan({ [`${RESPONSE}.server.enabled`]: 'false' });
    assert.equal(plan.server, false);
    assert.deepEqual(plan.own, {});
    assert.equal(plan.names, undefined);
  });
});
