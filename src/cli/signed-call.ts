import { request } from 'node:http';
import { signRequest } from '../edge/sigv4/sign.js';

/** A SigV4-signed AWS JSON 1.1 call, for the CLI's own commands (`berth account create`). */
export async function signedJsonCall(
  endpoint: string,
  region: string,
  service: string,
  target: string,
  input: unknown,
  creds: { accessKeyId: string; secretAccessKey: string },
): Promise<unknown> {
  const url = new URL(endpoint);
  const body = Buffer.from(JSON.stringify(input));
  const headers = signRequest({
    method: 'POST', host: url.host, path: '/', query: '', body, region, service, creds, now: new Date(),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
  });
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const parsed = text ? (JSON.parse(text) as { __type?: string; message?: string }) : {};
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${parsed.__type ?? res.statusCode}: ${parsed.message ?? text}`));
        else resolve(parsed);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
