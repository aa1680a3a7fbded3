import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { loadRootCredentials } from '../identity/root-credentials.js';
import { startServer } from '../server.js';
import { installedAwsCliVersion, readsEndpointUrlEnv } from './aws-cli-version.js';
import { printJoinToken, runAgent } from './agent-command.js';
import { startManagedCapacity } from './managed-capacity.js';
import { signedJsonCall } from './signed-call.js';

const USAGE = `usage: berth <command>

commands:
  up               run the server with its managed capacity, in the foreground
  server           run the API server only, in the foreground
  env              print export lines for the aws CLI and SDKs (eval "$(./berth env)")
  account create   create a tenant account with its own root access key (needs a running server)
  spot interrupt --cluster NAME [--task ARN]... [--warning-seconds N]
                   interrupt the cluster's Fargate Spot tasks (all, or those named), as AWS does
                   when it reclaims Spot capacity: stopCode SpotInterruption after the warning
  agent token --cluster NAME [--account ID]
                   print a join token for an agent of that cluster (reads the server's data dir)
  agent --server URL --token TOKEN [--state-dir DIR] [--cpu N] [--memory MiB] [--attribute k=v]... [--auto-scaling-group NAME] [--gpus ID,ID...]
                   run an agent on this host: registers a container instance, runs its tasks on Docker
  help             this text

environment: BERTH_PORT (4600), BERTH_DATA_DIR, BERTH_STORE (sqlite), BERTH_ROOT_ACCESS_KEY_ID,
BERTH_ROOT_SECRET_ACCESS_KEY, BERTH_REGION (us-east-1)`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      return serve(true);
    case 'server':
      return serve(false);
    case 'agent':
      return rest[0] === 'token' ? printJoinToken(rest.slice(1)) : runAgent(rest);
    case 'env':
      return printEnv();
    case 'account':
      if (rest[0] === 'create') return createAccount();
      break;
    case 'spot':
      if (rest[0] === 'interrupt') return interruptSpot(rest.slice(1));
      break;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return 0;
  }
  process.stderr.write(`berth: unknown command '${argv.join(' ')}'\n${USAGE}\n`);
  return 2;
}

async function serve(withCapacity: boolean): Promise<number> {
  const config = loadConfig();
  const running = await startServer(config);
  const log = (line: string): void => void process.stderr.write(`berth: ${line}\n`);
  const agent = withCapacity ? await startManagedCapacity(running, config.dataDir, log) : undefined;
  process.stderr.write(`berth: listening on http://${config.host}:${running.port} (data in ${config.dataDir}, store ${typeof config.store === 'string' ? config.store : 'postgres'}${agent ? ', managed capacity on' : ''})\n`);
  const stop = (): void => {
    agent?.stop();
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

function endpoint(config: ReturnType<typeof loadConfig>): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return `http://${host}:${config.port}`;
}

function printEnv(): number {
  const config = loadConfig();
  const root = loadRootCredentials(config.dataDir, process.env);
  const lines = [
    `export AWS_ACCESS_KEY_ID=${root.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${root.secretAccessKey}`,
    `export AWS_REGION=${config.region}`,
    `export AWS_DEFAULT_REGION=${config.region}`,
    `export AWS_ENDPOINT_URL=${endpoint(config)}`,
    'unset AWS_SESSION_TOKEN AWS_PROFILE',
  ];
  const cli = installedAwsCliVersion();
  if (cli && !readsEndpointUrlEnv(cli)) {
    lines.push(
      `# ${cli.split(' ')[0]} does not read AWS_ENDPOINT_URL; this function passes it on.`,
      'aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }',
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

async function createAccount(): Promise<number> {
  const config = loadConfig();
  const root = loadRootCredentials(config.dataDir, process.env);
  const out = await signedJsonCall(endpoint(config), config.region, 'berth', 'BerthAdmin.CreateAccount', {}, root);
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

/** `berth spot interrupt`: BerthAdmin.InterruptSpotTasks on the local server, as its root user. */
async function interruptSpot(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cluster: { type: 'string' }, task: { type: 'string', multiple: true }, 'warning-seconds': { type: 'string' }, account: { type: 'string' } } });
  if (!values.cluster) throw new Error('berth spot interrupt needs --cluster NAME');
  const config = loadConfig();
  const root = loadRootCredentials(config.dataDir, process.env);
  const input = {
    Cluster: values.cluster,
    ...(values.task ? { Tasks: values.task } : {}),
    ...(values['warning-seconds'] !== undefined ? { WarningSeconds: Number(values['warning-seconds']) } : {}),
    ...(values.account ? { AccountId: values.account } : {}),
  };
  const out = await signedJsonCall(endpoint(config), config.region, 'berth', 'BerthAdmin.InterruptSpotTasks', input, root);
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`berth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
