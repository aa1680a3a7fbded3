import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type ContainerDefinition, type ECSClient, type Volume } from '@aws-sdk/client-ecs';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AgentProcess, awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { running, stopped, waitForTask } from '../support/tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

const CLUSTER = 'roles';
const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const trustEcsTasks = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const allow = (action: string, resource: string | string[]): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** The container's environment as Docker holds it (not through any Berth API). */
function containerEnv(taskArn: string, container: string): Record<string, string> {
  const id = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.task-arn=${taskArn}`, '--filter', `label=com.amazonaws.ecs.container-name=${container}`], { encoding: 'utf8' }).trim();
  const env = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Config.Env}}', id], { encoding: 'utf8' })) as string[];
  return Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function containerLogs(taskArn: string): string {
  const id = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.task-arn=${taskArn}`, '--filter', 'label=com.amazonaws.ecs.container-name=app'], { encoding: 'utf8' }).trim();
  return id ? execFileSync('docker', ['logs', id], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) : '';
}

describe('task roles and secrets (EC2 launch type, real Docker)', () => {
  let berth: BerthProcess;
  let agent: AgentProcess;
  let ecs: ECSClient;
  let iam: IAMClient;
  let account = '';
  let dbSecretArn = '';
  let n = 0;
  const role = (name: string): string => `arn:aws:iam::${account}:role/${name}`;

  before(async () => {
    await ensureTestImage();
    // Containers reach the API through the Docker bridge, so the server listens beyond loopback.
    berth = await startBerth({ BERTH_HOST: '0.0.0.0' });
    account = berth.creds.accountId;
    ecs = berth.ecs();
    iam = berth.client(IAMClient);
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    agent = await new AgentProcess(berth, CLUSTER).start();
    const sm = berth.client(SecretsManagerClient);
    dbSecretArn = (await sm.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: JSON.stringify({ user: 'admin', password: 'hunter2-db' }) }))).ARN!;
    await sm.send(new CreateSecretCommand({ Name: 'prod/other', SecretString: 'not-for-this-task' }));
    await berth.client(SSMClient).send(new PutParameterCommand({ Name: '/app/token', Type: 'SecureString', Value: 'tok-123' }));
    for (const name of ['exec', 'exec-no-secrets', 'app']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustEcsTasks }));
    await iam.send(new CreateRoleCommand({ RoleName: 'not-for-ecs', AssumeRolePolicyDocument: trustEcsTasks.replace('ecs-tasks', 'lambda') }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'exec', PolicyName: 'secrets', PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' },
        { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: `arn:aws:ssm:us-east-1:${account}:parameter/app/*` },
      ],
    }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'exec-no-secrets', PolicyName: 'logs', PolicyDocument: allow('logs:*', '*') }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'db', PolicyDocument: allow('secretsmanager:GetSecretValue', dbSecretArn) }));
  });
  after(async () => {
    await agent?.kill('SIGTERM');
    await berth?.stop();
  });

  async function run(containers: ContainerDefinition[], extra: Record<string, unknown> = {}): Promise<string> {
    const family = `r${++n}`;
    await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: containers, ...extra }));
    const r = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family, launchType: 'EC2' }));
    assert.deepEqual(r.failures, []);
    return r.tasks![0]!.taskArn!;
  }

  const sleeper = (secrets: ContainerDefinition['secrets']): ContainerDefinition => ({
    name: 'app', image: TEST_IMAGE, memory: 16, command: ['sleep', '60'], stopTimeout: 1, environment: [{ name: 'PLAIN', value: 'visible' }], secrets,
  });

  it('puts secrets (whole, JSON key, SSM SecureString) into the environment, read with the execution role, and nowhere else', async () => {
    const arn = await run([sleeper([
      { name: 'DB_JSON', valueFrom: dbSecretArn },
      { name: 'DB_PASSWORD', valueFrom: `${dbSecretArn}:password::` },
      { name: 'TOKEN', valueFrom: '/app/token' },
    ])], { executionRoleArn: role('exec') });
    await waitForTask(ecs, CLUSTER, arn, running);
    const env = containerEnv(arn, 'app');
    assert.equal(env.DB_PASSWORD, 'hunter2-db');
    assert.deepEqual(JSON.parse(env.DB_JSON!), { user: 'admin', password: 'hunter2-db' });
    assert.equal(env.TOKEN, 'tok-123');
    assert.equal(env.PLAIN, 'visible');
    const described = JSON.stringify(await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [arn] })));
    for (const v of ['hunter2-db', 'tok-123']) assert.ok(!described.includes(v), 'DescribeTasks never shows a secret value');
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await waitForTask(ecs, CLUSTER, arn, stopped);
  });

  it('fails the task with ResourceInitializationError when the execution role may not read the secret', async () => {
    const arn = await run([sleeper([{ name: 'DB', valueFrom: dbSecretArn }])], { executionRoleArn: role('exec-no-secrets') });
    const t = await waitForTask(ecs, CLUSTER, arn, stopped);
    assert.equal(t.stopCode, 'TaskFailedToStart');
    assert.match(t.stoppedReason!, /^ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: .*failed to fetch secret arn:aws:secretsmanager:[^ ]+ from secrets manager: AccessDeniedException: User: arn:aws:sts::\d+:assumed-role\/exec-no-secrets\/[0-9a-f]+ is not authorized to perform: secretsmanager:GetSecretValue on resource: /);
    assert.equal(execFileSync('docker', ['ps', '-aq', '--filter', `label=com.amazonaws.ecs.task-arn=${arn}`], { encoding: 'utf8' }).trim(), '', 'no container was created');
  });

  it('fails the task when a secret or a parameter does not exist, in the ECS agent\'s words', async () => {
    const missing = dbSecretArn.replace('prod/db', 'prod/none');
    const a = await run([sleeper([{ name: 'X', valueFrom: missing }])], { executionRoleArn: role('exec') });
    const b = await run([sleeper([{ name: 'Y', valueFrom: '/app/none' }])], { executionRoleArn: role('exec') });
    const ta = await waitForTask(ecs, CLUSTER, a, stopped);
    const tb = await waitForTask(ecs, CLUSTER, b, stopped);
    assert.match(ta.stoppedReason!, /failed to fetch secret .* from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret\./);
    assert.equal(tb.stoppedReason, 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: invalid parameters: /app/none');
  });

  it('checks the roles a task names at RunTask: iam:PassRole for the caller, trust of ecs-tasks.amazonaws.com', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'passing', taskRoleArn: role('app'), containerDefinitions: [sleeper(undefined)] }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'untrusted', taskRoleArn: role('not-for-ecs'), containerDefinitions: [sleeper(undefined)] }));
    const bad = await awsError(ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'untrusted', launchType: 'EC2' })));
    assert.equal(bad.name, 'InvalidParameterException');
    assert.match(bad.message, /^ECS was unable to assume the role 'arn:aws:iam::\d+:role\/not-for-ecs' that was provided for this task\./);
    await iam.send(new CreateUserCommand({ UserName: 'runner' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'runner', PolicyArn: 'arn:aws:iam::aws:policy/AmazonECS_FullAccess' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'runner', PolicyName: 'no-pass', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }] }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'runner' }))).AccessKey!;
    const asUser = berth.ecs({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const denied = await awsError(asUser.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'passing', launchType: 'EC2' })));
    assert.equal(denied.name, 'AccessDeniedException');
    assert.match(denied.message, /is not authorized to perform: iam:PassRole on resource: arn:aws:iam::\d+:role\/app/);
  });

  it('gives the task role\'s credentials to an AWS SDK inside the container, which reads one secret and is denied another', async () => {
    // Node and the SDK come from the host, bind-mounted into the busybox image.
    const app = mkdtempSync(join(tmpdir(), 'berth-sdk-'));
    writeFileSync(join(app, 'read.cjs'), [
      "const { SecretsManagerClient, GetSecretValueCommand } = require('/sdk/node_modules/@aws-sdk/client-secrets-manager');",
      'const client = new SecretsManagerClient({});',
      '(async () => {',
      '  for (const id of process.argv.slice(2)) {',
      '    try { const r = await client.send(new GetSecretValueCommand({ SecretId: id })); console.log(`OK ${id} ${r.SecretString}`); }',
      '    catch (e) { console.log(`ERR ${id} ${e.name}`); }',
      '  }',
      "  console.log('DONE');",
      '})();',
    ].join('\n'));
    const node = execFileSync('readlink', ['-f', process.execPath], { encoding: 'utf8' }).trim();
    const mounts: [string, string, string][] = [
      ['node', node, '/usr/bin/node'], ['sdk', repo, '/sdk'], ['app', app, '/app'], ['lib', '/lib', '/lib'], ['lib64', '/lib64', '/lib64'],
    ];
    const volumes: Volume[] = mounts.map(([name, sourcePath]) => ({ name, host: { sourcePath } }));
    const arn = await run([{
      name: 'app', image: TEST_IMAGE, memory: 256,
      // The output goes to a file: the container is removed once the task has stopped.
      command: ['sh', '-c', '/usr/bin/node /app/read.cjs prod/db prod/other > /app/out.txt 2>&1'],
      environment: [{ name: 'AWS_ENDPOINT_URL', value: `http://172.17.0.1:${berth.port}` }],
      mountPoints: mounts.map(([name, , containerPath]) => ({ sourceVolume: name, containerPath, readOnly: name !== 'app' })),
    }], { taskRoleArn: role('app'), volumes });
    const t = await waitForTask(ecs, CLUSTER, arn, stopped, 60_000);
    const out = readFileSync(join(app, 'out.txt'), 'utf8');
    assert.equal(t.containers![0]!.exitCode, 0, `${t.stoppedReason}\n${out}`);
    assert.match(out, /^OK prod\/db \{"user":"admin","password":"hunter2-db"\}$/m, out);
    assert.match(out, /^ERR prod\/other AccessDeniedException$/m, out);
    assert.match(out, /^DONE$/m);
  });

  it('answers the credentials endpoint only to the task\'s own containers', async () => {
    const arn = await run([{ ...sleeper(undefined), command: ['sh', '-c', 'sleep 1; wget -q -O - http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI; echo; sleep 60'] }], { taskRoleArn: role('app') });
    await waitForTask(ecs, CLUSTER, arn, running);
    const env = containerEnv(arn, 'app');
    assert.match(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!, /^\/v2\/credentials\/[A-Za-z0-9_-]+$/);
    let creds: any;
    for (let i = 0; i < 50 && !creds; i++) {
      const line = containerLogs(arn).split('\n').find((l) => l.startsWith('{'));
      if (line) creds = JSON.parse(line);
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(creds, containerLogs(arn));
    assert.equal(creds.RoleArn, role('app'));
    assert.match(creds.AccessKeyId, /^ASIA/);
    assert.ok(creds.Token && creds.SecretAccessKey);
    assert.ok(Date.parse(creds.Expiration) > Date.now() + 30 * 60_000, 'at least half an hour left');
    // (The `sleep 1` above: a bridge container's route is added once Docker has given it its address, right after it starts.)
    // The same URI from the host (not one of the task's addresses) finds nothing.
    const metadata = new URL(env.ECS_CONTAINER_METADATA_URI_V4!);
    const fromHost = await fetch(`http://127.0.0.1:${metadata.port}${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}`);
    assert.equal(fromHost.status, 404);
    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: arn }));
    await waitForTask(ecs, CLUSTER, arn, stopped);
    const rules = execFileSync('iptables', ['-t', 'nat', '-S', 'PREROUTING'], { encoding: 'utf8' });
    assert.ok(!rules.includes(`--to-ports ${metadata.port}`), `the task's route is gone with it:\n${rules}`);
  });

  it('an agent restarted after a SIGKILL drops the credential routes of its tasks whose containers are gone', async () => {
    const arn = await run([{ ...sleeper(undefined), command: ['sleep', '600'] }], { taskRoleArn: role('app') });
    await waitForTask(ecs, CLUSTER, arn, running);
    const id = execFileSync('docker', ['ps', '-q', '--filter', `label=com.amazonaws.ecs.task-arn=${arn}`, '--filter', 'label=com.amazonaws.ecs.container-name=app'], { encoding: 'utf8' }).trim();
    const ip = execFileSync('docker', ['inspect', '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id], { encoding: 'utf8' }).trim();
    const routed = (): boolean => execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'PREROUTING'], { encoding: 'utf8' }).includes(`-s ${ip}/32 -d 169.254.170.2/32`);
    for (let i = 0; i < 50 && !routed(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(routed(), `a route for ${ip}`);

    // Killed with the task running: its route stays, like its container; then the container goes.
    await agent.kill('SIGKILL');
    assert.ok(routed(), 'a killed agent leaves its route behind');
    execFileSync('docker', ['rm', '-f', id]);
    await agent.start();
    assert.equal(routed(), false, `the restarted agent dropped the route of ${ip}, which no container holds`);
  });
});
