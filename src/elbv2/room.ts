import type { QuerySurface } from '../edge/surface.js';
import type { StateStore } from '../store/port.js';
import type { Elbv2, Elbv2Certificates, Elbv2Network } from './api/operation.js';
import { rememberNames } from './api/targets.js';
import { Applier } from './applier.js';
import { LoadBalancerRuntime, type RuntimeOptions } from './dataplane/index.js';
import { Elbv2State, type Scope } from './state.js';
import { elbv2Surface } from './surface.js';
import { targetRegistry, type TargetRegistry } from './targets-port.js';

export interface Elbv2RoomOptions {
  store: StateStore;
  /** The server's clock (API timestamps). */
  clock: () => Date;
  /** Where listeners bind: 127.0.0.1 unless the caller says (BERTH_ELB_HOST). */
  host?: string;
  /** Subnet and security group lookups in the VPC room; without it ids are checked for form only. */
  network?: Elbv2Network;
  /** An instance target's address; default 127.0.0.1 for every instance id. */
  resolveInstance?: (scope: Scope, instanceId: string) => string | undefined;
  /** IAM server certificates for HTTPS and TLS listeners; an ARN without a PEM pair → a self-signed certificate. */
  certificates?: Elbv2Certificates;
  /** Data plane options for tests (probe, clock, random). */
  runtime?: Omit<RuntimeOptions, 'host'>;
  log?: (line: string) => void;
}

export interface Elbv2Room {
  readonly surface: QuerySurface;
  readonly runtime: LoadBalancerRuntime;
  /** The ECS room's port: register, deregister and read the health of service targets. */
  readonly targets: TargetRegistry;
  close(): Promise<void>;
}

/**
 * The ELBv2 room: the API over the store, and the data plane that carries the traffic. The
 * listeners in the store are bound before this resolves (restart safety); one whose port is
 * taken is logged and left down until modified.
 */
export async function openElbv2Room(opts: Elbv2RoomOptions): Promise<Elbv2Room> {
  const state = new Elbv2State(opts.store);
  const log = opts.log ?? ((line: string) => process.stderr.write(`berth: ${line}\n`));
  const runtime = new LoadBalancerRuntime({ ...opts.runtime, ...(opts.host !== undefined ? { host: opts.host } : {}) });
  const certificates = opts.certificates;
  const applier = new Applier(state, runtime, {
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(certificates ? { certificate: (scope: Scope, arn: string) => certificates.serverCertificate(scope, arn) } : {}),
  }, log);
  const elb: Elbv2 = {
    state, applier, runtime,
    ...(opts.network ? { network: opts.network } : {}),
    resolveInstance: opts.resolveInstance ?? (() => '127.0.0.1'),
    names: new Map(),
    ...(certificates ? { certificates } : {}),
  };
  for (const tg of state.targetGroups.values()) rememberNames(elb, tg.arn, tg.targets);
  await applier.start().catch((err: unknown) => log(`elbv2: binding the load balancers failed: ${err instanceof Error ? err.message : String(err)}`));
  return { surface: elbv2Surface(elb), runtime, targets: targetRegistry(elb), close: () => runtime.close() };
}
