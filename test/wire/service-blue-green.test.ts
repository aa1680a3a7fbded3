import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContinueServiceDeploymentCommand, CreateClusterCommand, CreateServiceCommand, DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand, UpdateServiceCommand, type CreateServiceCommandInput, type ECSClient,
} from '@aws-sdk/client-ecs';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';
import { freePort } from '../support/net.js';

/**
 * The BLUE_GREEN strategy's API through @aws-sdk/client-ecs, without agents: what CreateService
 * and UpdateService accept and refuse, the lifecycle stage and PAUSE hook in
 * DescribeServiceDeployments, and ContinueServiceDeployment's checks. The deployment itself runs
 * on real Docker in test/docker/services-blue-green.test.ts.
 */
describe('blue/green service API through @aws-sdk/client-ecs (no agents)', () => {
  let berth: BerthProcess;
  let ecs: ECSClient;
  let td = '';
  before(async () => {
    berth = await startBerth();
    ecs = berth.ecs();
    await ecs.send(new CreateClusterCommand({ clusterName: 'bg' }));
    td = (await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'bg', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64, portMappings: [{ containerPort: 80 }] }],
    }))).taskDefinition!.taskDefinitionArn!;
  });
  after(async () => { await berth.stop(); });

  const create = (name: string, extra: Partial<CreateServiceCommandInput>): Promise<unknown> => ecs.send(new CreateServiceCommand({
    cluster: 'bg', serviceName: name, taskDefinition: td, desiredCount: 1, launchType: 'EC2', ...extra,
  }));

  it('refuses what ECS refuses, and answers NotImplementedException for what Berth has not built', async () => {
    const cases: [Partial<CreateServiceCommandInput>, string, RegExp][] = [
      [{ deploymentConfiguration: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } } }, 'InvalidParameterException', /stepPercent must be a multiple of 0.1 between 3.0 and 100.0/],
      [{ deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5.55 } } }, 'InvalidParameterException', /canaryPercent/],
      [{ deploymentConfiguration: { strategy: 'BLUE_GREEN', canaryConfiguration: { canaryPercent: 5 } } }, 'InvalidParameterException', /only valid with the CANARY/],
      [{ deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', lifecycleStages: ['POST_SCALE_UP'] }] } },
        'NotImplementedException', /AWS_LAMBDA lifecycle hooks/],
      [{ deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }] } },
        'InvalidParameterException', /PAUSE lifecycle hooks cannot be configured at the PRODUCTION_TRAFFIC_SHIFT stage/],
      [{ deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: [] }] } }, 'InvalidParameterException', /lifecycleStages/],
      [{ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 } }, 'InvalidParameterException', /bakeTimeInMinutes/],
      [{ schedulingStrategy: 'DAEMON', desiredCount: undefined, deploymentConfiguration: { strategy: 'BLUE_GREEN' } }, 'InvalidParameterException', /DAEMON/],
      // Features Berth has not built are refused, never stored and ignored.
      [{ serviceConnectConfiguration: { enabled: true, namespace: 'local' } }, 'NotImplementedException', /Service Connect/],
      [{ volumeConfigurations: [{ name: 'data', managedEBSVolume: { roleArn: 'arn:aws:iam::000000000000:role/ebs' } }] }, 'NotImplementedException', /EBS/],
    ];
    for (const [extra, code, message] of cases) {
      const err = await awsError(create('refused', extra));
      assert.equal(err.name, code, JSON.stringify(extra));
      assert.match(err.message, message);
    }
  });

  it('records the lifecycle stages in the service deployment, and a PAUSE hook awaiting action', async () => {
    await create('web', {
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN', bakeTimeInMinutes: 3,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 5, action: 'CONTINUE' } }],
      },
    });
    const arn = (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'bg', service: 'web' }))).serviceDeployments![0]!.serviceDeploymentArn!;
    const describe = async () => (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
    let d = await describe();
    for (let i = 0; i < 50 && !d.lifecycleHookDetails?.length; i++) { await new Promise((r) => setTimeout(r, 100)); d = await describe(); }
    assert.equal(d.lifecycleStage, 'PRE_SCALE_UP');
    assert.equal(d.deploymentConfiguration?.strategy, 'BLUE_GREEN');
    assert.equal(d.deploymentConfiguration?.bakeTimeInMinutes, 3);
    assert.equal(d.deploymentConfiguration?.lifecycleHooks?.[0]?.targetType, 'PAUSE');
    const hook = d.lifecycleHookDetails![0]!;
    assert.equal(hook.status, 'AWAITING_ACTION');
    assert.equal(hook.timeoutAction, 'CONTINUE');
    assert.ok(hook.expiresAt instanceof Date && hook.expiresAt.getTime() > Date.now() + 4 * 60_000);

    const wrong = await awsError(ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'other' })));
    assert.equal(wrong.name, 'InvalidParameterException');
    // ROLLBACK with nothing to roll back to: ECS's conflict.
    const nothing = await awsError(ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'ROLLBACK' })));
    assert.equal(nothing.name, 'ConflictException');
    await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId }));
    // No agent: the deployment moves on to SCALE_UP and waits there for its tasks.
    for (let i = 0; i < 50 && d.lifecycleStage !== 'SCALE_UP'; i++) { await new Promise((r) => setTimeout(r, 100)); d = await describe(); }
    assert.equal(d.lifecycleStage, 'SCALE_UP');
    assert.equal(d.targetServiceRevision?.requestedProductionTrafficWeight, 100, 'a first deployment has no blue: traffic is meant for it');
    assert.equal(d.lifecycleHookDetails![0]!.status, 'SUCCEEDED');
    const again = await awsError(ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId })));
    assert.equal(again.name, 'InvalidParameterException');
  });

  it('a service with load balancers needs advancedConfiguration for BLUE_GREEN', async () => {
    const aws = (args: string[]): any => berth.awsJson(args);
    const subnets = aws(['ec2', 'describe-subnets']).Subnets;
    const lb = aws(['elbv2', 'create-load-balancer', '--name', 'bg', '--subnets', subnets[0].SubnetId, subnets[1].SubnetId]).LoadBalancers[0];
    const tg = aws(['elbv2', 'create-target-group', '--name', 'bg', '--protocol', 'HTTP', '--port', '80', '--target-type', 'instance', '--vpc-id', subnets[0].VpcId]).TargetGroups[0];
    aws(['elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTP', '--port', String(await freePort()), '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`]);
    await create('rolling', {});
    const err = await awsError(ecs.send(new UpdateServiceCommand({
      cluster: 'bg', service: 'rolling', deploymentConfiguration: { strategy: 'BLUE_GREEN' },
      loadBalancers: [{ targetGroupArn: tg.TargetGroupArn, containerName: 'app', containerPort: 80 }],
    })));
    assert.equal(err.name, 'InvalidParameterException');
    assert.match(err.message, /advancedConfiguration with alternateTargetGroupArn, productionListenerRule and roleArn is required/);
  });
});
