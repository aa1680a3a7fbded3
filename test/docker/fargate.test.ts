import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBerth, type BerthProcess } from '../support/berth.js';
import { fargateTaskTests } from './fargate-tasks.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

/**
 * awsvpc tasks on `berth up`'s managed Fargate capacity (local Docker). All awsvpc tests live in
 * this one file: test servers on one host share the Docker networks of their (identical) default
 * subnets, so two files running at once could hand out the same address.
 */
describe('Fargate tasks with awsvpc networking', () => {
  let berth: BerthProcess;
  before(async () => {
    await ensureTestImage();
    berth = await startBerth({}, 'up');
  });
  after(async () => { await berth.stop(); });

  it('runs the getting-started flow with the aws CLI: ENI from describe-tasks, IP from EC2, curl, stop', async () => {
    const aws = (args: string[]): any => berth.awsJson(args);
    aws(['ecs', 'create-cluster', '--cluster-name', 'demo']);
    const file = join(berth.dataDir, 'web.json');
    writeFileSync(file, JSON.stringify({
      family: 'web', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512',
      containerDefinitions: [{
        name: 'web', image: TEST_IMAGE, essential: true, command: ['httpd', '-f', '-p', '80', '-h', '/www'],
        portMappings: [{ containerPort: 80, protocol: 'tcp' }], linuxParameters: { initProcessEnabled: true },
      }],
    }));
    aws(['ecs', 'register-task-definition', '--cli-input-json', `file://${file}`]);
    const subnet = aws(['ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true']).Subnets[0].SubnetId as string;
    const run = aws(['ecs', 'run-task', '--cluster', 'demo', '--launch-type', 'FARGATE', '--task-definition', 'web',
      '--network-configuration', `awsvpcConfiguration={subnets=[${subnet}],assignPublicIp=ENABLED}`]);
    assert.deepEqual(run.failures, []);
    const taskArn = run.tasks[0].taskArn as string;
    const waited = berth.aws(['ecs', 'wait', 'tasks-running', '--cluster', 'demo', '--tasks', taskArn]);
    assert.equal(waited.status, 0, `${waited.stderr} ${JSON.stringify(berth.aws(['ecs', 'describe-tasks', '--cluster', 'demo', '--tasks', taskArn]).json)}`);

    const task = aws(['ecs', 'describe-tasks', '--cluster', 'demo', '--tasks', taskArn]).tasks[0];
    assert.equal(task.lastStatus, 'RUNNING');
    assert.equal(task.launchType, 'FARGATE');
    assert.equal(task.platformVersion, '1.4.0');
    const details = Object.fromEntries(task.attachments[0].details.map((d: { name: string; value: string }) => [d.name, d.value]));
    assert.equal(task.attachments[0].type, 'ElasticNetworkInterface');
    assert.equal(details.subnetId, subnet);
    assert.match(details.networkInterfaceId, /^eni-[0-9a-f]{17}$/);
    assert.match(details.macAddress, /^0e(:[0-9a-f]{2}){5}$/);
    const eni = aws(['ec2', 'describe-network-interfaces', '--network-interface-ids', details.networkInterfaceId]).NetworkInterfaces[0];
    assert.equal(eni.PrivateIpAddress, details.privateIPv4Address);
    assert.equal(eni.Status, 'in-use');
    const ip = eni.Association.PublicIp as string;
    const body = execFileSync('curl', ['-s', '--max-time', '5', `http://${ip}/`], { encoding: 'utf8' });
    assert.match(body, /berth test/);

    aws(['ecs', 'stop-task', '--cluster', 'demo', '--task', taskArn]);
    assert.equal(berth.aws(['ecs', 'wait', 'tasks-stopped', '--cluster', 'demo', '--tasks', taskArn]).status, 0);
    const stopped = aws(['ecs', 'describe-tasks', '--cluster', 'demo', '--tasks', taskArn]).tasks[0];
    assert.equal(stopped.stopCode, 'UserInitiated');
    assert.equal(stopped.attachments[0].status, 'DELETED');
    const enis = aws(['ec2', 'describe-network-interfaces', '--filters', `Name=subnet-id,Values=${subnet}`]).NetworkInterfaces;
    assert.deepEqual(enis, [], 'the ENI is released');
  });

  fargateTaskTests(() => berth);
});
