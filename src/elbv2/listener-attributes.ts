import { AwsError } from '../edge/errors.js';
import { memberInvalid, validation } from './errors.js';
import { nodes, required, str, type Node } from './input.js';

/**
 * Listener attributes (Describe/ModifyListenerAttributes): the keys a listener has by its
 * protocol, their AWS defaults and the values they accept. Records keep only what callers set;
 * Describe shows every key of the listener's protocol with the defaults merged in.
 *
 * - TCP listeners: `tcp.idle_timeout.seconds` (60–6000, 350). AWS documents it for TCP listeners
 *   only: a TLS listener's idle timeout is 350 s and "can't be modified", UDP flows keep 120 s,
 *   and the console shows no attributes for any protocol but TCP — so TLS, UDP and TCP_UDP
 *   listeners have none, and a key set on them is not recognized.
 * - HTTP and HTTPS listeners: `routing.http.response.server.enabled` and the response headers
 *   the load balancer inserts (empty: none); HTTPS listeners also the names of the mTLS and TLS
 *   request headers. Berth has no mutual TLS, so the six mTLS names stay at their defaults:
 *   changing one answers NotImplementedException rather than succeeding without effect.
 */

/** Why a value is refused; undefined: accepted. */
type Check = (v: string) => string | undefined;

interface Spec { dflt: string; check: Check; notBuilt?: string }

/** RFC 9110 token characters: what a header name (and a method) is made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A value that can go on the wire as a header field value: visible ASCII, spaces and tabs
 * inside, nothing before or after. CR and LF above all, so a value cannot start a header of its own.
 */
const fieldValue: Check = (v) => (/^[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?$/.test(v) ? undefined : 'it must be printable ASCII without leading or trailing spaces');

/** Empty turns the header off; anything else must pass `more` as well as be a field value. */
const header = (more?: Check): Check => (v) => (v === '' ? undefined : fieldValue(v) ?? more?.(v));

const exactly = (...allowed: string[]): Check => (v) => (allowed.includes(v) ? undefined : `the valid values are ${allowed.map((a) => `'${a}'`).join(', ')}`);

const tokenList: Check = (v) => (v === '*' || v.split(',').every((p) => TOKEN.test(p.trim())) ? undefined : "it must be '*' or a comma-separated list of tokens");

const seconds: Check = (v) => (/^\d{1,10}$/.test(v) ? undefined : 'it must be a number of seconds');

const hsts: Check = (v) => (/(^|;)\s*max-age=\d+\s*(;|$)/i.test(v) ? undefined : "it must include a 'max-age=<seconds>' directive");

const frameOptions: Check = (v) =>
  (v === 'DENY' || v === 'SAMEORIGIN' || /^ALLOW-FROM https?:\/\/\S+$/.test(v) ? undefined : "the valid values are 'DENY', 'SAMEORIGIN' and 'ALLOW-FROM <origin>'");

const boolean: Check = (v) => (v === 'true' || v === 'false' ? undefined : "the valid values are 'true' and 'false'");

const range = (min: number, max: number): Check => (v) => (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? undefined : `it must be an integer from ${min} to ${max}`);

/** Request headers the load balancer writes or strips itself: a renamed TLS header must not take their place. */
const MANAGED = new Set([
  'host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length',
  'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-amzn-trace-id',
]);

const headerName: Check = (v) => {
  if (!TOKEN.test(v) || v.length > 256) return 'it must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~)';
  return MANAGED.has(v.toLowerCase()) ? 'it names a header the load balancer manages itself' : undefined;
};

const TCP: Record<string, Spec> = {
  'tcp.idle_timeout.seconds': { dflt: '350', check: range(60, 6000) },
};

const RESPONSE: Record<string, Spec> = {
  'routing.http.response.server.enabled': { dflt: 'true', check: boolean },
  'routing.http.response.strict_transport_security.header_value': { dflt: '', check: header(hsts) },
  'routing.http.response.access_control_allow_origin.header_value': { dflt: '', check: header() },
  'routing.http.response.access_control_allow_methods.header_value': { dflt: '', check: header(tokenList) },
  'routing.http.response.access_control_allow_headers.header_value': { dflt: '', check: header(tokenList) },
  'routing.http.response.access_control_allow_credentials.header_value': { dflt: '', check: header(exactly('true')) },
  'routing.http.response.access_control_expose_headers.header_value': { dflt: '', check: header(tokenList) },
  'routing.http.response.access_control_max_age.header_value': { dflt: '', check: header(seconds) },
  'routing.http.response.content_security_policy.header_value': { dflt: '', check: header() },
  'routing.http.response.x_content_type_options.header_value': { dflt: '', check: header(exactly('nosniff')) },
  'routing.http.response.x_frame_options.header_value': { dflt: '', check: header(frameOptions) },
};

const MTLS = 'Berth has no mutual TLS, so the mTLS request headers are never added and their names cannot be changed';

const REQUEST_NAMES: Record<string, Spec> = {
  'routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name': { dflt: 'X-Amzn-Mtls-Clientcert-Serial-Number', check: headerName, notBuilt: MTLS },
  'routing.http.request.x_amzn_mtls_clientcert_issuer.header_name': { dflt: 'X-Amzn-Mtls-Clientcert-Issuer', check: headerName, notBuilt: MTLS },
  'routing.http.request.x_amzn_mtls_clientcert_subject.header_name': { dflt: 'X-Amzn-Mtls-Clientcert-Subject', check: headerName, notBuilt: MTLS },
  'routing.http.request.x_amzn_mtls_clientcert_validity.header_name': { dflt: 'X-Amzn-Mtls-Clientcert-Validity', check: headerName, notBuilt: MTLS },
  'routing.http.request.x_amzn_mtls_clientcert_leaf.header_name': { dflt: 'X-Amzn-Mtls-Clientcert-Leaf', check: headerName, notBuilt: MTLS },
  'routing.http.request.x_amzn_mtls_clientcert.header_name': { dflt: 'X-Amzn-Mtls-Clientcert', check: headerName, notBuilt: MTLS },
  'routing.http.request.x_amzn_tls_version.header_name': { dflt: 'X-Amzn-Tls-Version', check: headerName },
  'routing.http.request.x_amzn_tls_cipher_suite.header_name': { dflt: 'X-Amzn-Tls-Cipher-Suite', check: headerName },
};

const HTTPS: Record<string, Spec> = { ...REQUEST_NAMES, ...RESPONSE };
const NONE: Record<string, Spec> = {};

function specsOf(protocol: string): Record<string, Spec> {
  switch (protocol) {
    case 'TCP': return TCP;
    case 'HTTP': return RESPONSE;
    case 'HTTPS': return HTTPS;
    default: return NONE;
  }
}

/** Every attribute of a listener with that protocol: the ones set, the defaults for the rest. */
export function listenerAttributes(protocol: string, set: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(specsOf(protocol))) out[k] = set[k] ?? s.dflt;
  return out;
}

/**
 * The set attributes a listener keeps when it takes `protocol` (ModifyListener): those that
 * still apply. Undefined when none is left.
 */
export function keptListenerAttributes(protocol: string, set: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  const specs = specsOf(protocol);
  const kept = Object.entries(set ?? {}).filter(([k]) => specs[k] !== undefined);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

const KEY_PATTERN = /^[a-zA-Z0-9._]+$/;

/**
 * `Attributes.member.N.Key/Value` of ModifyListenerAttributes, each checked against the
 * listener's keys and values: ValidationError for an unknown key or a bad value,
 * NotImplementedException (501) for a change Berth cannot carry out.
 */
export function readListenerAttributes(n: Node, protocol: string): Record<string, string> {
  const list = nodes(n, 'Attributes') ?? [];
  if (list.length === 0) throw validation('1 validation error detected: Value null at \'attributes\' failed to satisfy constraint: Member must not be null');
  const specs = specsOf(protocol);
  const out: Record<string, string> = {};
  for (const a of list) {
    const key = required(a, 'Key', 'attributes.member.key');
    const value = str(a, 'Value') ?? '';
    if (key.length > 256) throw memberInvalid(key, 'attributes.member.key', 'Member must have length less than or equal to 256');
    if (!KEY_PATTERN.test(key)) throw memberInvalid(key, 'attributes.member.key', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9._]+$');
    const spec = specs[key];
    if (!spec && key === 'tcp.idle_timeout.seconds' && protocol === 'TLS') throw validation('The TCP idle timeout of TLS listeners is 350 seconds and cannot be modified');
    if (!spec) throw validation(`Listener attribute key '${key}' is not recognized for ${protocol} listeners`);
    const why = spec.check(value);
    if (why !== undefined) throw validation(`Listener attribute '${key}' value '${value}' is not valid: ${why}`);
    if (spec.notBuilt !== undefined && value.toLowerCase() !== spec.dflt.toLowerCase()) {
      throw new AwsError('NotImplementedException', `Listener attribute '${key}': ${spec.notBuilt} (its value stays '${spec.dflt}').`, 501, 'server');
    }
    out[key] = value;
  }
  return out;
}

/** Checks across a listener's attributes once merged: the two TLS headers need two names. */
export function checkListenerAttributes(protocol: string, set: Readonly<Record<string, string>>): void {
  const all = listenerAttributes(protocol, set);
  const version = all['routing.http.request.x_amzn_tls_version.header_name'];
  const cipher = all['routing.http.request.x_amzn_tls_cipher_suite.header_name'];
  if (version !== undefined && cipher !== undefined && version.toLowerCase() === cipher.toLowerCase()) {
    throw validation(`The TLS version and cipher suite headers cannot both be named '${version}'`);
  }
}
