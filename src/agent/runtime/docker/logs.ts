import type { LogLine } from '../port.js';

/**
 * Splits Docker's multiplexed log stream (non-TTY containers): frames of an 8-byte header —
 * stream type (1 stdout, 2 stderr), three zero bytes, big-endian payload length — then the
 * payload. With `timestamps=1` each line starts with an RFC 3339 time and a space. Lines can
 * span frames; a partial line is kept until its newline arrives (or the stream ends).
 */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly onLine: (l: LogLine) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const stream = this.pending[0] === 2 ? 'stderr' : 'stdout';
      const text = this.partial[stream] + this.pending.subarray(8, 8 + size).toString('utf8');
      this.pending = this.pending.subarray(8 + size);
      const lines = text.split('\n');
      this.partial[stream] = lines.pop()!;
      for (const line of lines) this.emit(stream, line);
    }
  }

  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.emit(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  private emit(stream: 'stdout' | 'stderr', line: string): void {
    const sp = line.indexOf(' ');
    const t = sp > 0 ? this.parseTime(line, sp) : NaN;
    if (Number.isNaN(t)) this.onLine({ stream, timestamp: Date.now(), text: line });
    else this.onLine({ stream, timestamp: t, text: line.slice(sp + 1) });
  }

  /** The last whole second parsed (`YYYY-MM-DDTHH:MM:SS`) and its epoch ms: lines come many to a second. */
  private second = '';
  private secondMs = NaN;

  /**
   * Docker's RFC 3339 timestamp (`2026-12-01T23:48:14.123456789Z`) in epoch ms. The date and time
   * to the second are parsed once per second; the fraction is read digit by digit.
   */
  private parseTime(line: string, end: number): number {
    if (end < 20 || line.charCodeAt(end - 1) !== 90 /* Z */ || line.charCodeAt(19) !== 46 /* . */) return Date.parse(line.slice(0, end));
    const head = line.slice(0, 19);
    if (head !== this.second) {
      this.second = head;
      this.secondMs = Date.parse(`${head}Z`);
    }
    let ms = 0;
    for (let i = 20, k = 0; k < 3; i++, k++) {
      const d = i < end - 1 ? line.charCodeAt(i) - 48 : 0;
      if (d < 0 || d > 9) return Date.parse(line.slice(0, end));
      ms = ms * 10 + d;
    }
    return this.secondMs + ms;
  }
}
