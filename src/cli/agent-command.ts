import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../agent/agent.js';
import { ensurePauseImage } from '../agent/runtime/busybox-image.js';
import { DockerRuntime } from '../agent/runtime/docker.js';
import { parseGpuIds } from '../agent/runtime/gpus.js';
import { FileAgentState } from '../agent/state-store.js';
import { loadConfig } from '../config.js';
import { clusterSubject, JoinTokens } from '../ecs/agents/tokens.js';
import { loadRootCredentials } from '../identity/root-credentials.js';

/** `berth agent token --cluster NAME`: a join token signed with the server's secret. */
export function printJoinToken(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { cluster: { type: 'string' }, account: { type: 'string' }, region: { type: 'string' } } });
  const config = loadConfig();
  const account = values.account ?? loadRootCredentials(config.dataDir, process.env).accountId;
  const token = JoinTokens.load(config.dataDir).issue(clusterSubject(account, values.region ?? config.region, values.cluster ?? 'default'));
  process.stdout.write(token + '\n');
  return 0;
}

/** `berth agent …`: runs in the foreground until SIGINT/SIGTERM; containers keep running after. */
export async function runAgent(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' }, token: { type: 'string' }, 'state-dir': { type: 'string' },
      cpu: { type: 'string' }, memory: { type: 'string' }, attribute: { type: 'string', multiple: true },
      'auto-scaling-group': { type: 'string' }, gpus: { type: 'string' },
    },
  });
  if (!values.server || !values.token) throw new Error('berth agent needs --server URL and --token TOKEN (see `berth agent token`)');
  const log = (line: string): void => void process.stderr.write(`berth: ${line}\n`);
  const attributes = (values.attribute ?? []).map((a) => {
    const [name, ...v] = a.split('=');
    return v.length ? { name: name!, value: v.join('=') } : { name: name! };
  });
  const resources: { cpu?: number; memory?: number; gpus?: string[] } = {};
  if (values.cpu) resources.cpu = Number(values.cpu);
  if (values.memory) resources.memory = Number(values.memory);
  // `--gpus id1,id2` declares the host's GPUs instead of asking nvidia-smi.
  if (values.gpus !== undefined) resources.gpus = parseGpuIds(values.gpus);
  const agent = new Agent({
    serverUrl: values.server,
    joinToken: values.token,
    runtime: new DockerRuntime(),
    stateStore: new FileAgentState(values['state-dir'] ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'berth-agent')),
    pauseImage: await ensurePauseImage(),
    resources,
    attributes,
    ...(values['auto-scaling-group'] ? { autoScalingGroup: values['auto-scaling-group'] } : {}),
    log,
  });
  await agent.start();
  await agent.ready;
  process.stderr.write(`berth: agent registered as ${agent.containerInstanceArn}\n`);
  const stop = (): void => {
    agent.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
