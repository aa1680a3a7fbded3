/**
 * Percent-encoding as SigV4 defines it (RFC 3986): every byte outside the unreserved set
 * `A-Z a-z 0-9 - _ . ~` becomes `%XX` with upper-case hex, text is taken as UTF-8. These run on
 * every request, so each has a fast path that returns its input untouched when nothing needs
 * encoding.
 */

const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9\-_.~]/.test(ch)) UNRESERVED[c] = 1;
}

const PCT: string[] = [];
for (let b = 0; b < 256; b++) PCT.push('%' + b.toString(16).toUpperCase().padStart(2, '0'));

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

function allUnreserved(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || UNRESERVED[c] === 0) return false;
  }
  return true;
}

/** Appends the UTF-8 bytes of the code point at `s[i]` percent-encoded; returns how many UTF-16 units it used. */
function encodeNonAscii(s: string, i: number, out: string[]): number {
  const cp = s.codePointAt(i)!;
  const width = cp > 0xffff ? 2 : 1;
  // Buffer.from replaces a lone surrogate with U+FFFD instead of throwing like encodeURIComponent.
  const bytes = Buffer.from(s.slice(i, i + width), 'utf8');
  for (const b of bytes) out.push(PCT[b]);
  return width;
}

/**
 * Encodes every character of `s` that is not unreserved, `%` included. This is what the AWS
 * signers do to a path segment that is already percent-encoded on the wire, which yields the
 * "encoded twice" canonical URI of non-S3 services.
 */
export function uriEncode(s: string): string {
  if (allUnreserved(s)) return s;
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      out.push(UNRESERVED[c] === 1 ? s[i] : PCT[c]);
      i++;
    } else {
      i += encodeNonAscii(s, i, out);
    }
  }
  return out.join('');
}

/**
 * Brings one raw query-string name or value to its canonical SigV4 form: the bytes it denotes
 * (`%XX` decoded, `+` read as a space as in form encoding) re-encoded per RFC 3986. A `%` not
 * followed by two hex digits stands for itself. Decoding stays at the byte level, so a value
 * that is not valid UTF-8 still canonicalises the way the client encoded it.
 */
export function canonicalQueryComponent(s: string): string {
  if (allUnreserved(s)) return s;
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */ && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const b = hi * 16 + lo;
        out.push(b < 128 && UNRESERVED[b] === 1 ? String.fromCharCode(b) : PCT[b]);
        i += 3;
        continue;
      }
    }
    if (c === 43 /* + */) {
      out.push('%20');
      i++;
    } else if (c < 128) {
      out.push(UNRESERVED[c] === 1 ? s[i] : PCT[c]);
      i++;
    } else {
      i += encodeNonAscii(s, i, out);
    }
  }
  return out.join('');
}

/**
 * Decodes a raw query-string value to text (`+` as space), for reading the presigned
 * `X-Amz-*` parameters. Malformed escapes leave the value as received.
 */
export function decodeQueryComponent(s: string): string {
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s;
  const spaced = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
