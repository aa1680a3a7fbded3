import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { adminSurface } from './admin/surface.js';
import type { Config } from './config.js';
import { createGateway } from './edge/gateway.js';
import { AgentHub } from './ecs/agents/hub.js';
import { JoinTokens } from './ecs/agents/tokens.js';
import { ecsSurface, TaskService } from './ecs/surface.js';
import { ServiceController } from './ecs/scheduler/service-controller.js';
import { ServiceTargets } from './ecs/scheduler/service-targets.js';
import { TaskLauncher } from './ecs/task/launcher.js';
import type { TaskNetworking } from './ecs/task/networking.js';
import { AGENT_PATH } from './protocol/messages.js';
import { EcsState } from './ecs/state.js';
import { KeyRing } from './identity/key-ring.js';
import { loadRootCredentials, type RootCredentials } from './identity/root-credentials.js';
import { MemoryStore } from './store/memory.js';
import type { StateStore } from './store/port.js';
import { openSqliteStore } from './store/sqlite.js';
import { stsSurface } from './sts/surface.js';
import { VpcService } from './vpc/service.js';
import { ec2Surface } from './vpc/surface.js';
import { logsSink } from './wiring/log-sink.js';
import { adminEcs } from './wiring/admin-ecs.js';
import { taskIdentity } from './wiring/task-identity.js';
import { vpcTaskNetworking } from './wiring/task-networking.js';
import { openSecretBox } from './crypto/key.js';
import { SecretsService, secretsSurface } from './secrets/surface.js';
import { ParameterStore, ssmSurface } from './ssm/surface.js';
import { openLogsRoom } from './logs/room.js';
import { openIamRoom } from './iam/room.js';
import { openElbv2Room } from './elbv2/room.js';
import { CapacityScaler, type ReservationReading } from './ecs/scheduler/capacity-scaler.js';
import { HollowCapacity } from './wiring/hollow-capacity.js';
import type { Scope } from './ecs/arn.js';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly root: RootCredentials;
  /** Issues agent join tokens (cluster or managed pool). */
  readonly tokens: JoinTokens;
  /**
   * Managed scaling of capacity providers, when on (BERTH_HOLLOW_SCALING=1 or `hollowScaling`):
   * each provider's last CapacityProviderReservation reading, and one evaluation on demand.
   */
  readonly capacity?: { reservation(scope: Scope, providerName: string): ReservationReading | undefined; tick(): void };
  close(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Managed scaling with hollow instances: capacity providers with managed scaling ENABLED get
   * in-process simulated hosts (wiring/hollow-capacity.ts). Off by default: a production server
   * does not invent hosts. Also on with BERTH_HOLLOW_SCALING=1.
   */
  hollowScaling?: boolean;
}

function openStore(config: Config): StateStore {
  if (config.store === 'memory') return new MemoryStore();
  if (config.store === 'sqlite') return openSqliteStore(join(config.dataDir, 'berth.db'), { fullSync: process.env.BERTH_SQLITE_SYNC === 'full' });
  throw new Error('The PostgreSQL store is not implemented yet; use BERTH_STORE=sqlite.');
}

/** Wires the store, identity, surfaces and gateway, and listens. The one place that knows every room. */
export async function startServer(config: Config, env: NodeJS.ProcessEnv = process.env, options: ServerOptions = {}): Promise<RunningServer> {
  const store = openStore(config);
  const root = loadRootCredentials(config.dataDir, env);
  const keys = new KeyRing(store, root);
  // Secret values are sealed with a key kept outside the database (crypto/key.ts).
  const secretBox = openSecretBox(config.dataDir, env, store);
  const secrets = new SecretsService(store, secretBox);
  const parameters = new ParameterStore(store, secretBox);
  const ecs = new EcsState(store);
  const vpc = new VpcService(store);
  const tokens = JoinTokens.load(config.dataDir);
  const net: TaskNetworking = vpcTaskNetworking(vpc);
  const tasks = new TaskService(ecs, net);
  // BERTH_CLOCK_OFFSET_SECONDS shifts the server's clock (tests: expiring temporary credentials
  // without waiting); SigV4 then expects clients whose clock is shifted the same.
  const clockOffsetMs = Number(env.BERTH_CLOCK_OFFSET_SECONDS ?? 0) * 1000;
  if (!Number.isFinite(clockOffsetMs)) throw new Error('BERTH_CLOCK_OFFSET_SECONDS must be a number of seconds');
  const clock = (): Date => new Date(Date.now() + clockOffsetMs);
  const iam = openIamRoom({ store, keys, box: secretBox, clock });
  const logs = openLogsRoom({ store, dataDir: config.dataDir, durable: config.store !== 'memory', fullSync: process.env.BERTH_SQLITE_SYNC === 'full', clock });
  const identity = taskIdentity({ sessions: iam.sessions, authorizer: iam.authorizer, secrets, parameters, clock });
  // Load balancers bind their listeners (those in the store too) before the API answers.
  const elbv2 = await openElbv2Room({
    store, clock, host: env.BERTH_ELB_HOST,
    network: {
      subnet: (scope, id) => { const sn = vpc.findSubnet(scope, id); return sn && { vpcId: sn.vpcId, availabilityZone: sn.availabilityZone }; },
      securityGroup: (scope, id) => { const sg = vpc.findSecurityGroup(scope, id); return sg && { vpcId: sg.vpcId }; },
    },
    certificates: { serverCertificate: (scope, arn) => iam.serverCertificate(scope.accountId, arn) },
  });
  const hub = new AgentHub(ecs, tasks, tokens, clock, logsSink(logs.service), identity);
  const launcher = new TaskLauncher(ecs, tasks, net, () => hub.managedHostIds());
  const logLine = (line: string): void => void process.stderr.write(`berth: ${line}\n`);
  const serviceTargets = new ServiceTargets(elbv2.targets, ecs, logLine, () => undefined);
  const services = new ServiceController(ecs, tasks, launcher, hub, clock, logLine, serviceTargets);
  tasks.onTaskChanged = (t) => services.taskChanged(t);
  let port = config.port;
  const endpoint = (): string => `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  let hollow: HollowCapacity | undefined;
  let scaler: CapacityScaler | undefined;
  if (options.hollowScaling ?? env.BERTH_HOLLOW_SCALING === '1') {
    const num = (name: string, dflt: number): number => {
      const v = Number(env[name] ?? dflt);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
      return v;
    };
    hollow = new HollowCapacity({ serverUrl: endpoint, tokens, state: ecs, tasks });
    scaler = new CapacityScaler(ecs, tasks, hollow, clock, logLine, {
      intervalMs: num('BERTH_SCALING_INTERVAL_MS', 5000),
      scaleInAfterMs: num('BERTH_SCALING_SCALE_IN_SEC', 300) * 1000,
      maxSize: num('BERTH_SCALING_MAX_SIZE', 100),
    });
    launcher.onProviderLaunch = (e) => scaler!.taskLaunch(e);
  }
  let ready = false;
  const handler = createGateway({
    surfaces: [ecsSurface({ state: ecs, tasks, view: hub, net, endpoint, identity, launcher, services, targets: elbv2.targets }), stsSurface(iam.sessions), adminSurface(keys, adminEcs(ecs, tasks, Number(env.BERTH_SPOT_WARNING_SECONDS ?? 120))), ec2Surface(vpc), secretsSurface(secrets), ssmSurface(parameters), logs.surface, iam.surface, elbv2.surface],
    findKey: (id) => keys.find(id),
    clock,
    authorize: iam.authorize,
    ready: () => ready,
    onInternalError: (err, requestId) => {
      process.stderr.write(`berth: internal error in request ${requestId}: ${err instanceof Error ? err.stack : String(err)}\n`);
    },
  });
  const server = createServer({ keepAliveTimeout: 65_000 }, handler);
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] === AGENT_PATH) hub.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  // STOPPED tasks stay describable for an hour, then go.
  const sweeper = setInterval(() => tasks.sweep(Date.now()), 60_000);
  sweeper.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  ready = true;
  port = (server.address() as AddressInfo).port;
  services.start();
  scaler?.start();
  return {
    server,
    port,
    root,
    tokens,
    ...(scaler ? { capacity: { reservation: (scope: Scope, name: string) => scaler.reservation(scope, name), tick: () => scaler.tick() } } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        services.stop();
        scaler?.stop();
        hollow?.close();
        hub.close();
        server.close(() => {
          void elbv2.close().finally(() => {
            logs.close();
            store.close();
            resolve();
          });
        });
        server.closeAllConnections();
      }),
  };
}
