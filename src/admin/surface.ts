import { accessDenied } from '../edge/errors.js';
import type { JsonSurface } from '../edge/surface.js';
import type { KeyRing } from '../identity/key-ring.js';

/**
 * Berth's own administration API (JSON 1.1, target prefix `BerthAdmin`, signing name `berth`):
 * only the server's root account may call it. CreateAccount makes a new tenant account with its
 * own root key; `berth account create` uses it.
 */
export function adminSurface(keys: KeyRing): JsonSurface {
  return {
    protocol: 'json',
    signingName: 'berth',
    targetPrefix: 'BerthAdmin',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      CreateAccount: (_input, ctx) => {
        if (!ctx.principal.isRoot || ctx.principal.accountId !== keys.rootAccountId) {
          throw accessDenied('Only the root user of the Berth server account may create accounts.');
        }
        const { account, key } = keys.createAccount(ctx.now);
        return { AccountId: account.accountId, AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey };
      },
    },
  };
}
