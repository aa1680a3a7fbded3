import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

/** A loopback port that was free a moment ago (for listeners a test asks a server to bind). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/**
 * One GET of `/` on 127.0.0.1:`port` on a fresh connection: the status and the trimmed body, or
 * status -1 and the error (a 5 s timeout included), so load loops can count failures.
 */
export function httpGet(port: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((ok) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on('error', (e) => ok({ status: -1, body: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => ok({ status: -1, body: e.message }));
    req.end();
  });
}
