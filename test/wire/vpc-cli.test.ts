import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBerth, type BerthProcess } from '../support/berth.js';

/** The real `aws ec2 …` CLI (botocore's EC2 Query serializer and parser) against Berth's VPC room. */
describe('the aws CLI with EC2 VPC commands', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  const ok = (args: string[]): any => berth.awsJson(args);

  it('describe-vpcs shows the default VPC', () => {
    const out = ok(['ec2', 'describe-vpcs']);
    assert.equal(out.Vpcs.length, 1);
    assert.equal(out.Vpcs[0].IsDefault, true);
    assert.equal(out.Vpcs[0].CidrBlock, '172.31.0.0/16');
    assert.equal(out.Vpcs[0].OwnerId, berth.creds.accountId);
  });

  it('describe-subnets --filters Name=default-for-az,Values=true lists one subnet per zone', () => {
    const out = ok(['ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true']);
    assert.deepEqual(out.Subnets.map((s: any) => [s.AvailabilityZone, s.CidrBlock, s.DefaultForAz, s.MapPublicIpOnLaunch]), [
      ['us-east-1a', '172.31.0.0/20', true, true],
      ['us-east-1b', '172.31.16.0/20', true, true],
      ['us-east-1c', '172.31.32.0/20', true, true],
    ]);
    const ids = ok(['ec2', 'describe-subnets', '--subnet-ids', out.Subnets[0].SubnetId, out.Subnets[2].SubnetId]);
    assert.deepEqual(ids.Subnets.map((s: any) => s.AvailabilityZone), ['us-east-1a', 'us-east-1c']);
  });

  it('create-security-group, authorize-security-group-ingress and describe-security-groups round-trip', () => {
    const created = ok(['ec2', 'create-security-group', '--group-name', 'cli-web', '--description', 'from the CLI']);
    assert.match(created.GroupId, /^sg-0[0-9a-f]{16}$/);
    ok(['ec2', 'authorize-security-group-ingress', '--group-id', created.GroupId, '--protocol', 'tcp', '--port', '8080', '--cidr', '10.0.0.0/16']);
    const again = berth.aws(['ec2', 'authorize-security-group-ingress', '--group-id', created.GroupId, '--protocol', 'tcp', '--port', '8080', '--cidr', '10.0.0.0/16']);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /InvalidPermission\.Duplicate/);
    const described = ok(['ec2', 'describe-security-groups', '--group-names', 'cli-web']);
    assert.deepEqual(described.SecurityGroups[0].IpPermissions, [
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '10.0.0.0/16' }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    const dup = berth.aws(['ec2', 'create-security-group', '--group-name', 'cli-web', '--description', 'again']);
    assert.notEqual(dup.status, 0);
    assert.match(dup.stderr, /InvalidGroup\.Duplicate/);
  });

  it('describe-network-interfaces answers an empty set, by filter and by unknown id', () => {
    assert.deepEqual(ok(['ec2', 'describe-network-interfaces']).NetworkInterfaces, []);
    assert.deepEqual(ok(['ec2', 'describe-network-interfaces', '--filters', 'Name=addresses.private-ip-address,Values=172.31.0.4']).NetworkInterfaces, []);
    const missing = berth.aws(['ec2', 'describe-network-interfaces', '--network-interface-ids', 'eni-0123456789abcdef0']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /InvalidNetworkInterfaceID\.NotFound.*The networkInterface ID 'eni-0123456789abcdef0' does not exist/);
  });

  it('create-vpc and create-subnet with a conflict error', () => {
    const vpc = ok(['ec2', 'create-vpc', '--cidr-block', '10.20.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=cli}]']).Vpc;
    assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'cli' }]);
    ok(['ec2', 'create-subnet', '--vpc-id', vpc.VpcId, '--cidr-block', '10.20.0.0/24']);
    const conflict = berth.aws(['ec2', 'create-subnet', '--vpc-id', vpc.VpcId, '--cidr-block', '10.20.0.0/25']);
    assert.notEqual(conflict.status, 0);
    assert.match(conflict.stderr, /InvalidSubnet\.Conflict/);
    assert.deepEqual(ok(['ec2', 'describe-availability-zones']).AvailabilityZones.map((z: any) => z.ZoneName), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  });
});
