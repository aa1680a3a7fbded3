import { accessDenied, AwsError } from '../edge/errors.js';
import type { RequestContext } from '../edge/surface.js';
import type { JsonSurface } from '../edge/surface.js';
import type { KeyRing } from '../identity/key-ring.js';

/**
 * Berth's own administration API (JSON 1.1, target prefix `BerthAdmin`, signing name `berth`):
 * only the server's root account may call it. CreateAccount makes a new tenant account with its
 * own root key; `berth account create` uses it.
 */
/** What the admin room can ask of ECS (wired by server.ts). */
export interface AdminEcs {
  /** Interrupts FARGATE_SPOT tasks of a cluster (all, or those named); answers the ARNs interrupted. Throws AwsError. */
  interruptSpot(accountId: string, region: string, cluster: string, tasks: readonly string[] | undefined, warningSeconds: number | undefined, now: Date): string[];
}

export function adminSurface(keys: KeyRing, ecs?: AdminEcs): JsonSurface {
  const serverRoot = (ctx: RequestContext, what: string): void => {
    if (!ctx.principal.isRoot || ctx.principal.accountId !== keys.rootAccountId) throw accessDenied(`Only the root user of the Berth server account may ${what}.`);
  };
  return {
    protocol: 'json',
    signingName: 'berth',
    targetPrefix: 'BerthAdmin',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      CreateAccount: (_input, ctx) => {
        serverRoot(ctx, 'create accounts');
        const { account, key } = keys.createAccount(ctx.now);
        return { AccountId: account.accountId, AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey };
      },
      /**
       * InterruptSpotTasks {Cluster, Tasks?, AccountId?, WarningSeconds?}: Fargate Spot
       * interruptions on demand, for testing what a service does when AWS reclaims Spot capacity.
       */
      InterruptSpotTasks: (input, ctx) => {
        serverRoot(ctx, 'interrupt Spot tasks');
        if (!ecs) throw invalidInput('ECS is not available on this server.');
        const cluster = input.Cluster;
        if (typeof cluster !== 'string' || !cluster) throw invalidInput('Cluster is required.');
        const tasks = Array.isArray(input.Tasks) ? input.Tasks.filter((t): t is string => typeof t === 'string') : undefined;
        const warning = input.WarningSeconds;
        if (warning !== undefined && (typeof warning !== 'number' || warning < 0 || warning > 3600)) throw invalidInput('WarningSeconds must be between 0 and 3600.');
        const account = typeof input.AccountId === 'string' ? input.AccountId : ctx.principal.accountId;
        return { Interrupted: ecs.interruptSpot(account, ctx.region, cluster, tasks, warning as number | undefined, ctx.now) };
      },
    },
  };
}

const invalidInput = (message: string): AwsError => new AwsError('InvalidParameterException', message);
