/**
 * HTTP/1.1 message heads for the fast path (pure). The fast path accepts only a strict, common
 * subset of requests; for anything else `parseRequestHead` answers 'general' and the connection
 * is handed to node:http, which knows the whole protocol (and how to reject bad input with 400
 * or 431). So the rules below are deliberately narrower than RFC 9112:
 *
 * - request line `METHOD /origin-form HTTP/1.1`: upper-case method, visible ASCII target;
 * - every line ends in CRLF, header names are tokens, values hold no control characters but
 *   HTAB (obs-fold, bare LF or CR → general);
 * - exactly one Host; at most one Content-Length (digits only); no Transfer-Encoding, Expect
 *   or Upgrade, no `Connection: upgrade` (chunked uploads, 100-continue and WebSockets → general).
 *
 * Heads are decoded as latin1 so every byte survives the round trip back onto the wire.
 */

/** Node's default --max-http-header-size: a longer head goes to node:http for its 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

export interface RequestHead {
  method: string;
  target: string;
  /** Header name/value pairs as received, like IncomingMessage.rawHeaders. */
  raw: string[];
  /** Body length; 0 when the request has none. */
  contentLength: number;
  /** The client asked to close after this exchange (`Connection: close`). */
  close: boolean;
  host: string;
  cookie: string | undefined;
  /** Offset just past the head's final CRLFCRLF. */
  end: number;
}

export interface ResponseHead {
  status: number;
  /** Reason phrase as the target sent it (may be empty). */
  reason: string;
  raw: string[];
  /** -1: no Content-Length. */
  contentLength: number;
  /** Transfer-Encoding present: chunked when its last coding is `chunked`, else read to close. */
  transferEncoding: 'none' | 'chunked' | 'other';
  /** The target will close after this response (`Connection: close`, or HTTP/1.0 without keep-alive). */
  close: boolean;
  end: number;
}

const REQUEST_LINE = /^([A-Z]+) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
const DIGITS = /^\d{1,15}$/;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/** tchar (RFC 9110 §5.6.2) and field-vchar/SP/HTAB, indexed by byte. */
const TOKEN = new Uint8Array(256);
const FIELD = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN[c.charCodeAt(0)] = 1;
FIELD[9] = 1;
for (let c = 0x20; c <= 0xff; c++) if (c !== 0x7f) FIELD[c] = 1;

function trimOws(v: string): string {
  let a = 0, b = v.length;
  while (a < b && (v.charCodeAt(a) === 32 || v.charCodeAt(a) === 9)) a++;
  while (b > a && (v.charCodeAt(b - 1) === 32 || v.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === v.length ? v : v.slice(a, b);
}

/** Whether a comma-separated header value lists `token` (case-insensitive). */
export function hasToken(value: string, token: string): boolean {
  const v = value.toLowerCase();
  if (v === token) return true;
  for (const part of v.split(',')) if (trimOws(part) === token) return true;
  return false;
}

/**
 * The header fields of `text` (a head without its final CRLFCRLF) from `pos`, as name/value
 * pairs with the value's surrounding whitespace dropped; undefined when a line is not
 * `token ":" field-value` (which also catches a bare CR or LF, and obs-fold).
 * One pass with byte tables, so a request costs no regex match objects.
 */
function fields(text: string, pos: number): string[] | undefined {
  const raw: string[] = [];
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf('\r\n', pos);
    if (eol < 0) eol = n;
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > eol) return undefined;
    for (let i = pos; i < colon; i++) if (TOKEN[text.charCodeAt(i)] === 0) return undefined;
    let vs = colon + 1, ve = eol;
    for (let i = vs; i < ve; i++) if (FIELD[text.charCodeAt(i)] === 0) return undefined;
    while (vs < ve && (text.charCodeAt(vs) === 32 || text.charCodeAt(vs) === 9)) vs++;
    while (ve > vs && (text.charCodeAt(ve - 1) === 32 || text.charCodeAt(ve - 1) === 9)) ve--;
    raw.push(text.slice(pos, colon), text.slice(vs, ve));
    pos = eol + 2;
  }
  return raw;
}

/**
 * Parses the request head starting at `start`: the head, 'incomplete' (wait for more bytes), or
 * 'general' (not for the fast path; hand the connection to node:http from this request on).
 */
export function parseRequestHead(buf: Buffer, start = 0): RequestHead | 'incomplete' | 'general' {
  const at = buf.indexOf(HEAD_END, start);
  if (at < 0) return buf.length - start > MAX_HEAD_BYTES ? 'general' : 'incomplete';
  if (at - start > MAX_HEAD_BYTES) return 'general';
  const text = buf.toString('latin1', start, at);
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const m = REQUEST_LINE.exec(eol === text.length ? text : text.slice(0, eol));
  if (!m) return 'general';
  const raw = fields(text, eol + 2);
  if (!raw) return 'general';
  let contentLength = -1;
  let close = false;
  let host: string | undefined;
  let cookie: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') { if (host !== undefined) return 'general'; host = value; }
        break;
      case 6:
        if (name.toLowerCase() === 'expect') return 'general';
        if (name.toLowerCase() === 'cookie') cookie = cookie === undefined ? value : `${cookie}; ${value}`;
        break;
      case 7:
        if (name.toLowerCase() === 'upgrade') return 'general';
        break;
      case 10:
        if (name.toLowerCase() === 'connection') {
          if (hasToken(value, 'upgrade')) return 'general';
          if (hasToken(value, 'close')) close = true;
        }
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') {
          if (contentLength >= 0 || !DIGITS.test(value)) return 'general';
          contentLength = Number(value);
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') return 'general';
        break;
    }
  }
  if (host === undefined) return 'general';
  return { method: m[1]!, target: m[2]!, raw, contentLength: Math.max(0, contentLength), close, host, cookie, end: at + 4 };
}

/**
 * Parses a target's response head: the head, 'incomplete', or 'invalid' (the ALB answers 502).
 * `maxBytes` bounds how much may pile up before the head ends.
 */
export function parseResponseHead(buf: Buffer, start = 0, maxBytes = 64 * 1024): ResponseHead | 'incomplete' | 'invalid' {
  const at = buf.indexOf(HEAD_END, start);
  if (at < 0) return buf.length - start > maxBytes ? 'invalid' : 'incomplete';
  const text = buf.toString('latin1', start, at);
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const m = STATUS_LINE.exec(eol === text.length ? text : text.slice(0, eol));
  if (!m) return 'invalid';
  const raw = fields(text, eol + 2);
  if (!raw) return 'invalid';
  const http10 = m[1] === '0';
  let contentLength = -1;
  let transferEncoding: ResponseHead['transferEncoding'] = 'none';
  let close = http10;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const l = name.length === 10 || name.length === 14 || name.length === 17 ? name.toLowerCase() : '';
    if (l === 'connection') {
      if (hasToken(value, 'close')) close = true;
      else if (http10 && hasToken(value, 'keep-alive')) close = false;
    } else if (l === 'content-length') {
      if (!DIGITS.test(value)) return 'invalid';
      const n = Number(value);
      if (contentLength >= 0 && contentLength !== n) return 'invalid';
      contentLength = n;
    } else if (l === 'transfer-encoding') {
      const codings = value.toLowerCase().split(',');
      transferEncoding = trimOws(codings[codings.length - 1]!) === 'chunked' ? 'chunked' : 'other';
    }
  }
  return { status: Number(m[2]), reason: m[3] ?? '', raw, contentLength, transferEncoding, close, end: at + 4 };
}

/** How the body after a response head is delimited (RFC 9112 §6.3, in its order). */
export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' };

export function responseFraming(method: string, head: ResponseHead): BodyFraming {
  if (method === 'HEAD' || head.status === 204 || head.status === 304 || head.status < 200) return { kind: 'none' };
  if (head.transferEncoding === 'chunked') return { kind: 'chunked' };
  if (head.transferEncoding === 'other') return { kind: 'close' };
  if (head.contentLength >= 0) return head.contentLength === 0 ? { kind: 'none' } : { kind: 'length', length: head.contentLength };
  return { kind: 'close' };
}
