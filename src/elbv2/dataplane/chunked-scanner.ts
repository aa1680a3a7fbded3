/**
 * Finds where a chunked message body ends, without decoding it: the fast path relays chunked
 * bytes as they are and only needs to know when the message is over (so the target connection
 * can be reused) or that the framing is broken (so it must not be). Fed the body in pieces as
 * they arrive; keeps its state between calls.
 *
 *   chunk      = size [ ";" ext ] CRLF data CRLF      (size in hex)
 *   last-chunk = "0" [ ";" ext ] CRLF
 *   trailers   = *( field CRLF ) CRLF
 */

const enum S { Size, Ext, SizeLf, Data, DataCr, DataLf, LineStart, Line, LineLf, EndLf }

const CR = 13, LF = 10, SEMI = 59, SP = 32, TAB = 9;

/** More than this many hex digits is not a size anyone sends (and would lose precision). */
const MAX_SIZE_DIGITS = 12;

export class ChunkedScanner {
  private state = S.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;
  done = false;

  /**
   * Scans `buf` from `from`: the offset just past the message's last byte when it ends inside
   * `buf`, -1 when it needs more, or 'invalid' on a framing error.
   */
  scan(buf: Buffer, from = 0): number | 'invalid' {
    let i = from;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case S.Data: {
          const take = Math.min(this.remaining, n - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = S.DataCr;
          continue;
        }
        case S.Size: {
          const c = buf[i]!;
          const v = hex(c);
          if (v >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return 'invalid';
            this.size = this.size * 16 + v;
          } else if (this.digits === 0) return 'invalid';
          else if (c === CR) this.state = S.SizeLf;
          else if (c === SEMI || c === SP || c === TAB) this.state = S.Ext;
          else return 'invalid';
          break;
        }
        case S.Ext:
          if (buf[i] === CR) this.state = S.SizeLf;
          else if (buf[i] === LF) return 'invalid';
          break;
        case S.SizeLf:
          if (buf[i] !== LF) return 'invalid';
          if (this.size === 0) { this.state = S.LineStart; }
          else { this.remaining = this.size; this.state = S.Data; }
          this.size = 0;
          this.digits = 0;
          break;
        case S.DataCr:
          if (buf[i] !== CR) return 'invalid';
          this.state = S.DataLf;
          break;
        case S.DataLf:
          if (buf[i] !== LF) return 'invalid';
          this.state = S.Size;
          break;
        case S.LineStart:
          // After the last chunk: an empty line ends the message, anything else is a trailer field.
          if (buf[i] === CR) this.state = S.EndLf;
          else if (buf[i] === LF) return 'invalid';
          else this.state = S.Line;
          break;
        case S.Line:
          if (buf[i] === CR) this.state = S.LineLf;
          else if (buf[i] === LF) return 'invalid';
          break;
        case S.LineLf:
          if (buf[i] !== LF) return 'invalid';
          this.state = S.LineStart;
          break;
        case S.EndLf:
          if (buf[i] !== LF) return 'invalid';
          this.done = true;
          return i + 1;
      }
      i++;
    }
    return -1;
  }
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}
