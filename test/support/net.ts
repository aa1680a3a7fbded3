import { createServer, type AddressInfo } from 'node:net';

/** A loopback port that was free a moment ago (for listeners a test asks a server to bind). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}
