import assert from 'node:assert/strict';
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { BerthProcess } from './berth.js';

/** The default VPC and its default subnets (one per zone), read with the aws CLI. */
export function defaultNetwork(berth: BerthProcess): { vpcId: string; subnets: string[] } {
  const sn = berth.awsJson(['ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true']).Subnets as Array<{ SubnetId: string; VpcId: string }>;
  return { vpcId: sn[0]!.VpcId, subnets: sn.map((s) => s.SubnetId) };
}

/** Waits (bounded) until `count` targets of a group are healthy; fails with what the group says. */
export async function waitForHealthy(elb: ElasticLoadBalancingV2Client, tgArn: string, count = 1, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
    if (d.filter((x) => x.TargetHealth?.State === 'healthy').length >= count) return;
    if (Date.now() > deadline) assert.fail(`targets of ${tgArn} did not become healthy: ${JSON.stringify(d)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
