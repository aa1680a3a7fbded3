import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DeleteSubnetCommand, DeleteTagsCommand, DeleteVpcCommand,
  DescribeAvailabilityZonesCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand,
  DescribeTagsCommand, DescribeVpcsCommand, EC2Client, RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { awsError, BerthProcess, startBerth, type Creds } from '../support/berth.js';
import { NodeSha256 } from '../support/sha256.js';

/** The EC2 VPC room over the wire: @aws-sdk/client-ec2 against a real `berth server`. */
const ec2Of = (berth: BerthProcess, creds: Creds = berth.creds, region = berth.region): EC2Client =>
  new EC2Client({ endpoint: berth.endpoint, region, credentials: creds, maxAttempts: 1 });

/** A signed raw EC2 Query POST, to look at the XML itself. */
async function rawEc2(berth: BerthProcess, body: string): Promise<{ status: number; text: string }> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const url = new URL(berth.endpoint);
  const signer = new SignatureV4({ credentials: berth.creds, region: berth.region, service: 'ec2', sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' }, body,
  });
  const r = await fetch(berth.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: r.status, text: await r.text() };
}

describe('EC2 VPCs, subnets and zones', () => {
  let berth: BerthProcess;
  let ec2: EC2Client;
  before(async () => { berth = await startBerth(); ec2 = ec2Of(berth); });
  after(async () => { await berth.stop(); });

  it('shows a fresh account its default VPC, default subnets, default security group and zones', async () => {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    assert.equal(vpcs.length, 1);
    const v = vpcs[0]!;
    assert.match(v.VpcId!, /^vpc-0[0-9a-f]{16}$/);
    assert.equal(v.CidrBlock, '172.31.0.0/16');
    assert.equal(v.IsDefault, true);
    assert.equal(v.State, 'available');
    assert.equal(v.OwnerId, berth.creds.accountId);
    assert.equal(v.InstanceTenancy, 'default');
    assert.match(v.DhcpOptionsId!, /^dopt-/);
    assert.equal(v.CidrBlockAssociationSet?.[0]?.CidrBlockState?.State, 'associated');

    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    assert.deepEqual(subnets.map((s) => [s.AvailabilityZone, s.CidrBlock, s.AvailableIpAddressCount, s.MapPublicIpOnLaunch, s.VpcId]), [
      ['us-east-1a', '172.31.0.0/20', 4091, true, v.VpcId],
      ['us-east-1b', '172.31.16.0/20', 4091, true, v.VpcId],
      ['us-east-1c', '172.31.32.0/20', 4091, true, v.VpcId],
    ]);
    assert.equal(subnets[0]!.SubnetArn, `arn:aws:ec2:us-east-1:${berth.creds.accountId}:subnet/${subnets[0]!.SubnetId}`);
    assert.equal(subnets[0]!.State, 'available');
    assert.deepEqual(subnets[0]!.Ipv6CidrBlockAssociationSet, []);

    const [sg] = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups!;
    assert.equal(sg!.VpcId, v.VpcId);
    assert.equal(sg!.Description, 'default VPC security group');
    assert.deepEqual(sg!.IpPermissions, [{
      IpProtocol: '-1', UserIdGroupPairs: [{ UserId: berth.creds.accountId, GroupId: sg!.GroupId }], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [],
    }]);
    assert.deepEqual(sg!.IpPermissionsEgress, [{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }]);

    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    assert.deepEqual(zones.map((z) => [z.ZoneName, z.ZoneId, z.State, z.RegionName, z.ZoneType]), [
      ['us-east-1a', 'use1-az1', 'available', 'us-east-1', 'availability-zone'],
      ['us-east-1b', 'use1-az2', 'available', 'us-east-1', 'availability-zone'],
      ['us-east-1c', 'use1-az3', 'available', 'us-east-1', 'availability-zone'],
    ]);
    const one = await ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1b'] }));
    assert.deepEqual(one.AvailabilityZones!.map((z) => z.ZoneId), ['use1-az2']);
    assert.equal((await awsError(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })))).name, 'InvalidParameterValue');
  });

  it('creates a VPC and subnets inside it, and rejects bad, outside and overlapping CIDRs', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'app' }] }] }))).Vpc!;
    assert.equal(vpc.IsDefault, false);
    assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'app' }]);
    const sn = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.1.1.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!;
    assert.match(sn.SubnetId!, /^subnet-0[0-9a-f]{16}$/);
    assert.deepEqual([sn.VpcId, sn.CidrBlock, sn.AvailabilityZone, sn.AvailabilityZoneId, sn.AvailableIpAddressCount, sn.DefaultForAz, sn.MapPublicIpOnLaunch],
      [vpc.VpcId, '10.1.1.0/24', 'us-east-1b', 'use1-az2', 251, false, false]);

    const conflict = await awsError(ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.1.1.128/25' })));
    assert.deepEqual([conflict.name, conflict.message, conflict.status], ['InvalidSubnet.Conflict', "The CIDR '10.1.1.128/25' conflicts with another subnet", 400]);
    const bad = await awsError(ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.1.2.0/33' })));
    assert.deepEqual([bad.name, bad.message], ['InvalidParameterValue', 'Value (10.1.2.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block.']);
    assert.equal((await awsError(ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.2.0.0/24' })))).name, 'InvalidSubnet.Range');
    assert.equal((await awsError(ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.1.3.0/29' })))).name, 'InvalidSubnet.Range');
    assert.equal((await awsError(ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.1.3.0/24', AvailabilityZone: 'us-west-2a' })))).name, 'InvalidParameterValue');
    assert.equal((await awsError(ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.1.3.0/24' })))).name, 'InvalidVpcID.NotFound');
    assert.equal((await awsError(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })))).name, 'InvalidVpc.Range');
    assert.equal((await awsError(ec2.send(new CreateVpcCommand({ CidrBlock: 'ten' })))).name, 'InvalidParameterValue');

    // Filters and ids.
    const byVpc = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
    assert.deepEqual(byVpc.map((s) => s.SubnetId), [sn.SubnetId]);
    const byZone = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }, { Name: 'default-for-az', Values: ['false'] }] }))).Subnets!;
    assert.deepEqual(byZone.map((s) => s.SubnetId), [sn.SubnetId]);
    assert.equal((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [sn.SubnetId!] }))).Subnets!.length, 1);
    const missing = await awsError(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })));
    assert.deepEqual([missing.name, missing.message], ['InvalidSubnetID.NotFound', "The subnet ID 'subnet-0123456789abcdef0' does not exist"]);
    assert.deepEqual((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['app'] }] }))).Vpcs!.map((v) => v.VpcId), [vpc.VpcId]);
    assert.deepEqual((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] }))).Vpcs!.map((v) => v.VpcId), [vpc.VpcId]);
    assert.equal((await awsError(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })))).name, 'InvalidVpcID.NotFound');
    assert.equal((await awsError(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'flavour', Values: ['x'] }] })))).name, 'InvalidParameterValue');

    // Dependencies: a VPC with a subnet cannot go; without, it goes with its default group.
    const dep = await awsError(ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId })));
    assert.deepEqual([dep.name, dep.message], ['DependencyViolation', `The vpc '${vpc.VpcId}' has dependencies and cannot be deleted.`]);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: sn.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId }));
    assert.equal((await awsError(ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId })))).name, 'InvalidVpcID.NotFound');
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).SecurityGroups!;
    assert.deepEqual(groups, []);
  });

  it('paginates Describe calls with MaxResults and NextToken', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!;
    for (let i = 0; i < 6; i++) await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: `10.7.${i}.0/24` }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }], MaxResults: 5, NextToken: token }));
      seen.push(...page.Subnets!.map((s) => s.CidrBlock!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, ['10.7.0.0/24', '10.7.1.0/24', '10.7.2.0/24', '10.7.3.0/24', '10.7.4.0/24', '10.7.5.0/24']);
  });

  it('tags VPC resources with CreateTags, DescribeTags and DeleteTags', async () => {
    const [subnet] = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1c'] }] }))).Subnets!;
    await ec2.send(new CreateTagsCommand({ Resources: [subnet!.SubnetId!], Tags: [{ Key: 'tier', Value: 'public' }, { Key: 'team', Value: 'a' }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [subnet!.SubnetId!] }] }));
    assert.deepEqual(tags.Tags, [
      { ResourceId: subnet!.SubnetId, ResourceType: 'subnet', Key: 'tier', Value: 'public' },
      { ResourceId: subnet!.SubnetId, ResourceType: 'subnet', Key: 'team', Value: 'a' },
    ]);
    await ec2.send(new DeleteTagsCommand({ Resources: [subnet!.SubnetId!], Tags: [{ Key: 'team' }, { Key: 'tier', Value: 'private' }] }));
    const left = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet!.SubnetId!] }))).Subnets![0]!;
    assert.deepEqual(left.Tags, [{ Key: 'tier', Value: 'public' }], 'a key with a non-matching value stays');
    assert.equal((await awsError(ec2.send(new CreateTagsCommand({ Resources: ['subnet-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] })))).name, 'InvalidSubnetID.NotFound');
  });

  it('speaks the EC2 XML envelopes, DryRun, NotImplemented and InvalidAction', async () => {
    const ok = await rawEc2(berth, 'Action=DescribeAvailabilityZones&Version=2016-11-15&ZoneName.1=us-east-1a');
    assert.equal(ok.status, 200);
    assert.match(ok.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeAvailabilityZonesResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><availabilityZoneInfo><item><zoneName>us-east-1a<\/zoneName>/);
    const err = await rawEc2(berth, 'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-nope');
    assert.equal(err.status, 400);
    assert.match(err.text, /<Response><Errors><Error><Code>InvalidVpcID.NotFound<\/Code><Message>The vpc ID &apos;vpc-nope&apos; does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
    const dry = await awsError(ec2.send(new DescribeVpcsCommand({ DryRun: true })));
    assert.deepEqual([dry.name, dry.status], ['DryRunOperation', 412]);
    const ni = await awsError(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: 'ami-1' })));
    assert.deepEqual([ni.name, ni.status], ['NotImplementedException', 501]);
    const unknown = await rawEc2(berth, 'Action=FrobnicateVpc&Version=2016-11-15');
    assert.match(unknown.text, /<Code>InvalidAction<\/Code>/);
  });

  it('keeps accounts and regions apart', async () => {
    const created = spawnSync(process.execPath, ['dist/src/cli/main.js', 'account', 'create'], {
      encoding: 'utf8', env: { ...process.env, BERTH_PORT: String(berth.port), BERTH_DATA_DIR: berth.dataDir },
    });
    assert.equal(created.status, 0, created.stderr);
    const other = JSON.parse(created.stdout) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
    const theirs = ec2Of(berth, { accessKeyId: other.AccessKeyId, secretAccessKey: other.SecretAccessKey });
    const mine = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!.map((v) => v.VpcId!);
    const [theirVpc] = (await theirs.send(new DescribeVpcsCommand({}))).Vpcs!;
    assert.equal(theirVpc!.OwnerId, other.AccountId);
    assert.equal(theirVpc!.CidrBlock, '172.31.0.0/16');
    assert.ok(!mine.includes(theirVpc!.VpcId!));
    assert.equal((await awsError(theirs.send(new DescribeVpcsCommand({ VpcIds: [mine[0]!] })))).name, 'InvalidVpcID.NotFound');
    assert.deepEqual((await theirs.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces, []);
    const west = (await ec2Of(berth, berth.creds, 'us-west-2').send(new DescribeSubnetsCommand({}))).Subnets!;
    assert.deepEqual(west.map((s) => s.AvailabilityZone), ['us-west-2a', 'us-west-2b', 'us-west-2c']);
    assert.ok(!mine.includes(west[0]!.VpcId!));
  });
});

describe('EC2 VPC state across a restart', () => {
  it('keeps the default network and created resources after SIGKILL', async () => {
    const berth = await new BerthProcess().start();
    try {
      const before = ec2Of(berth);
      const defaults = (await before.send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId);
      const vpc = (await before.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc!;
      const sn = (await before.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.3.0.0/20' }))).Subnet!;
      await berth.kill('SIGKILL');
      await berth.start();
      const again = ec2Of(berth);
      const subnets = (await again.send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId);
      assert.deepEqual(subnets, [...defaults, sn.SubnetId]);
      assert.deepEqual((await again.send(new DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs!.map((v) => v.CidrBlock), ['10.3.0.0/16']);
      assert.equal((await again.send(new DescribeVpcsCommand({}))).Vpcs!.filter((v) => v.IsDefault).length, 1, 'no second default VPC');
    } finally {
      await berth.stop();
    }
  });
});
