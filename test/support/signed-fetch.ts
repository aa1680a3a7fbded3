import type { BerthProcess } from './berth.js';

/**
 * A correctly signed raw AWS JSON 1.1 request (POST /, `X-Amz-Target`), made through the SDK's
 * own signer, so tests can send bodies no SDK would: invalid JSON, wrong types, unknown targets.
 * The body is signed as the UTF-8 bytes `fetch` sends for it.
 */
export async function signedFetch(berth: BerthProcess, target: string, body = '{}'): Promise<Response> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { NodeSha256 } = await import('./sha256.js');
  const url = new URL(berth.endpoint);
  const signer = new SignatureV4({ credentials: berth.creds, region: berth.region, service: 'ecs', sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body,
  });
  return fetch(berth.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body });
}
