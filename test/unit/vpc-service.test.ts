import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CreateSubnetCommand, CreateVpcCommand, CreateSecurityGroupCommand, DeleteSecurityGroupCommand, DeleteSubnetCommand,
  DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../src/edge/errors.js';
import { MemoryStore } from '../../src/store/memory.js';
import { VpcService, type Scope } from '../../src/vpc/service.js';
import { ec2Surface } from '../../src/vpc/surface.js';

/**
 * VpcService (the ECS side's way to place awsvpc tasks) against a MemoryStore, and the ENI XML it
 * leads to, read back by the real @aws-sdk/client-ec2 parser through an in-process handler (the
 * wire tests cannot create ENIs).
 */
const scope: Scope = { accountId: '111122223333', region: 'us-east-1' };
const other: Scope = { accountId: '444455556666', region: 'us-east-1' };

/** An EC2Client whose requests go straight to the surface: same parameters in, same XML out as the gateway. */
function inProcessEc2(vpc: VpcService, s: Scope = scope): EC2Client {
  const surface = ec2Surface(vpc);
  return new EC2Client({
    region: s.region,
    endpoint: 'http://ec2.test',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { body?: unknown }) => {
        const params = new Map(new URLSearchParams(String(req.body ?? '')));
        const action = params.get('Action') ?? '';
        const ctx = {
          principal: { accountId: s.accountId, arn: `arn:aws:iam::${s.accountId}:root`, userId: s.accountId, accessKeyId: 'AKIDTEST', isRoot: true },
          region: s.region, requestId: 'req-1', now: new Date(),
        };
        let status = 200;
        let body: string;
        try {
          body = surface.encodeResult!(action, 'req-1', await surface.operations[action]!(params, ctx));
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          status = err.status;
          body = surface.encodeError!(err, 'req-1');
        }
        return { response: { statusCode: status, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) } };
      },
    } as never,
  });
}

const attachment = (): string => `arn:aws:ecs:us-east-1:${scope.accountId}:attachment/${randomUUID()}`;

function thrown(fn: () => unknown): AwsError {
  try { fn(); } catch (err) { if (err instanceof AwsError) return err; throw err; }
  throw new Error('expected an AwsError');
}

describe('VpcService', () => {
  it('creates the default network lazily, once, per account and region', () => {
    const vpc = new VpcService(new MemoryStore());
    const subnets = vpc.defaultSubnets(scope);
    assert.deepEqual(subnets.map((s) => [s.availabilityZone, s.cidrBlock, s.defaultForAz, s.mapPublicIpOnLaunch]), [
      ['us-east-1a', '172.31.0.0/20', true, true],
      ['us-east-1b', '172.31.16.0/20', true, true],
      ['us-east-1c', '172.31.32.0/20', true, true],
    ]);
    assert.ok(subnets.every((s) => /^subnet-0[0-9a-f]{16}$/.test(s.subnetId) && /^vpc-0[0-9a-f]{16}$/.test(s.vpcId)));
    assert.deepEqual(vpc.defaultSubnets(scope).map((s) => s.subnetId), subnets.map((s) => s.subnetId));
    const theirs = vpc.defaultSubnets(other);
    assert.ok(theirs.every((s) => !subnets.some((m) => m.subnetId === s.subnetId)));
    assert.equal(vpc.findSubnet(other, subnets[0]!.subnetId), undefined);
    const west = vpc.defaultSubnets({ ...scope, region: 'eu-west-1' });
    assert.deepEqual(west.map((s) => `${s.availabilityZone}/${s.availabilityZoneId}`), ['eu-west-1a/euw1-az1', 'eu-west-1b/euw1-az2', 'eu-west-1c/euw1-az3']);
  });

  it('keeps its state in the store: a new service on the same store sees the same network', () => {
    const store = new MemoryStore();
    const first = new VpcService(store).defaultSubnets(scope).map((s) => s.subnetId);
    assert.deepEqual(new VpcService(store).defaultSubnets(scope).map((s) => s.subnetId), first);
  });

  it('allocates ENIs from the fifth address on, with AWS-like identity, and frees addresses on release', () => {
    const vpc = new VpcService(new MemoryStore());
    const [subnet] = vpc.defaultSubnets(scope);
    const sg = [...vpc.state.securityGroups.values()].find((g) => g.vpcId === subnet!.vpcId && g.groupName === 'default')!;
    assert.equal(vpc.findSecurityGroup(scope, sg.groupId)?.groupName, 'default');
    const description = attachment();
    const a = vpc.allocateEni(scope, { subnetId: subnet!.subnetId, securityGroupIds: [sg.groupId], description, assignPublicIp: false });
    const b = vpc.allocateEni(scope, { subnetId: subnet!.subnetId, securityGroupIds: [sg.groupId], description: attachment(), assignPublicIp: true });
    assert.equal(a.privateIpAddress, '172.31.0.4');
    assert.equal(b.privateIpAddress, '172.31.0.5');
    assert.match(a.networkInterfaceId, /^eni-0[0-9a-f]{16}$/);
    assert.match(a.macAddress, /^0e(:[0-9a-f]{2}){5}$/);
    assert.equal(a.status, 'in-use');
    assert.equal(a.interfaceType, 'interface');
    assert.equal(a.description, description);
    assert.equal(a.attachment?.status, 'attached');
    assert.equal(a.publicIp, undefined);
    assert.equal(b.publicIp, '172.31.0.5');
    assert.equal(vpc.findSubnet(scope, subnet!.subnetId)!.usedIps.length, 2);
    vpc.releaseEni(scope, a.networkInterfaceId);
    vpc.releaseEni(scope, a.networkInterfaceId); // idempotent
    vpc.releaseEni(scope, 'eni-0000000000000000');
    const c = vpc.allocateEni(scope, { subnetId: subnet!.subnetId, securityGroupIds: [], description: attachment(), assignPublicIp: false });
    assert.equal(c.privateIpAddress, '172.31.0.4', 'a released address is handed out again');
  });

  it('throws InsufficientFreeAddressesInSubnet when the subnet is full, and EC2 errors for bad references', async () => {
    const vpc = new VpcService(new MemoryStore());
    const ec2 = inProcessEc2(vpc);
    const v = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!;
    const small = (await ec2.send(new CreateSubnetCommand({ VpcId: v.VpcId, CidrBlock: '10.9.0.0/28' }))).Subnet!;
    assert.equal(small.AvailableIpAddressCount, 11);
    const ips = Array.from({ length: 11 }, () =>
      vpc.allocateEni(scope, { subnetId: small.SubnetId!, securityGroupIds: [], description: attachment(), assignPublicIp: false }).privateIpAddress);
    assert.equal(ips[0], '10.9.0.4');
    assert.equal(ips[10], '10.9.0.14', 'the broadcast address .15 is never handed out');
    const full = thrown(() => vpc.allocateEni(scope, { subnetId: small.SubnetId!, securityGroupIds: [], description: 'x', assignPublicIp: false }));
    assert.equal(full.code, 'InsufficientFreeAddressesInSubnet');
    const after = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [small.SubnetId!] }))).Subnets![0]!;
    assert.equal(after.AvailableIpAddressCount, 0);

    assert.equal(thrown(() => vpc.allocateEni(scope, { subnetId: 'subnet-0123', securityGroupIds: [], description: 'x', assignPublicIp: false })).code, 'InvalidSubnetID.NotFound');
    const defaultSubnet = vpc.defaultSubnets(scope)[0]!;
    const foreignSg = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [v.VpcId!] }] }))).SecurityGroups![0]!;
    const cross = thrown(() => vpc.allocateEni(scope, { subnetId: defaultSubnet.subnetId, securityGroupIds: [foreignSg.GroupId!], description: 'x', assignPublicIp: false }));
    assert.equal(cross.code, 'InvalidParameterValue');
    assert.equal(thrown(() => vpc.allocateEni(scope, { subnetId: defaultSubnet.subnetId, securityGroupIds: ['sg-0404'], description: 'x', assignPublicIp: false })).code, 'InvalidGroup.NotFound');
  });

  it('gives Docker network facts for a subnet, named by its CIDR', () => {
    const vpc = new VpcService(new MemoryStore());
    const subnet = vpc.defaultSubnets(scope)[1]!;
    assert.deepEqual(vpc.dockerNetworkFor(subnet), { name: 'berth-net-172.31.16.0-20', subnet: '172.31.16.0/20', gateway: '172.31.16.1' });
  });

  it('never gives two accounts the same address in same-CIDR subnets, which share one Docker network', () => {
    const vpc = new VpcService(new MemoryStore());
    const other: Scope = { accountId: '444455556666', region: 'us-east-1' };
    const a = vpc.allocateEni(scope, { subnetId: vpc.defaultSubnets(scope)[0]!.subnetId, securityGroupIds: [], description: 'a', assignPublicIp: false });
    const b = vpc.allocateEni(other, { subnetId: vpc.defaultSubnets(other)[0]!.subnetId, securityGroupIds: [], description: 'b', assignPublicIp: false });
    assert.notEqual(a.privateIpAddress, b.privateIpAddress);
    assert.equal(vpc.dockerNetworkFor(vpc.defaultSubnets(scope)[0]!).name, vpc.dockerNetworkFor(vpc.defaultSubnets(other)[0]!).name);
  });
});

describe('ENIs on the EC2 wire (read by @aws-sdk/client-ec2)', () => {
  const vpc = new VpcService(new MemoryStore());
  const ec2 = inProcessEc2(vpc);
  const [subnetA, subnetB] = vpc.defaultSubnets(scope);
  const sg = [...vpc.state.securityGroups.values()].find((g) => g.vpcId === subnetA!.vpcId)!;
  const desc = attachment();
  const eniA = vpc.allocateEni(scope, {
    subnetId: subnetA!.subnetId, securityGroupIds: [sg.groupId], description: desc, assignPublicIp: true, tags: [{ Key: 'app', Value: 'web' }],
  });
  const eniB = vpc.allocateEni(scope, { subnetId: subnetB!.subnetId, securityGroupIds: [sg.groupId], description: attachment(), assignPublicIp: false });
  const ids = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> =>
    ((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId!);

  it('describes an ENI in the shape ECS awsvpc ENIs have', async () => {
    const [n] = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniA.networkInterfaceId] }))).NetworkInterfaces!;
    assert.equal(n!.NetworkInterfaceId, eniA.networkInterfaceId);
    assert.equal(n!.SubnetId, subnetA!.subnetId);
    assert.equal(n!.VpcId, subnetA!.vpcId);
    assert.equal(n!.AvailabilityZone, 'us-east-1a');
    assert.equal(n!.OwnerId, scope.accountId);
    assert.equal(n!.Description, desc);
    assert.equal(n!.Status, 'in-use');
    assert.equal(n!.InterfaceType, 'interface');
    assert.equal(n!.RequesterManaged, true);
    assert.equal(n!.SourceDestCheck, true);
    assert.equal(n!.MacAddress, eniA.macAddress);
    assert.equal(n!.PrivateIpAddress, '172.31.0.4');
    assert.equal(n!.PrivateDnsName, 'ip-172-31-0-4.ec2.internal');
    assert.deepEqual(n!.Groups, [{ GroupId: sg.groupId, GroupName: 'default' }]);
    assert.equal(n!.Attachment?.Status, 'attached');
    assert.ok(n!.Attachment?.AttachTime instanceof Date);
    assert.match(n!.Attachment!.AttachmentId!, /^ela-attach-0[0-9a-f]{16}$/);
    assert.equal(n!.Association?.PublicIp, '172.31.0.4');
    assert.equal(n!.PrivateIpAddresses?.[0]?.Primary, true);
    assert.equal(n!.PrivateIpAddresses?.[0]?.Association?.PublicIp, '172.31.0.4');
    assert.deepEqual(n!.TagSet, [{ Key: 'app', Value: 'web' }]);
    assert.deepEqual(n!.Ipv6Addresses, []);
  });

  it('filters ENIs as EC2 documents', async () => {
    assert.deepEqual(await ids([{ Name: 'addresses.private-ip-address', Values: ['172.31.0.4'] }]), [eniA.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'private-ip-address', Values: ['172.31.16.*'] }]), [eniB.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'description', Values: [desc] }]), [eniA.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'status', Values: ['in-use'] }, { Name: 'subnet-id', Values: [subnetB!.subnetId] }]), [eniB.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'group-id', Values: [sg.groupId] }]), [eniA.networkInterfaceId, eniB.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'tag:app', Values: ['web'] }]), [eniA.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'network-interface-id', Values: [eniB.networkInterfaceId] }]), [eniB.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'association.public-ip', Values: ['172.31.0.4'] }]), [eniA.networkInterfaceId]);
    assert.deepEqual(await ids([{ Name: 'status', Values: ['available'] }]), []);
  });

  it('answers unknown ids and filters with EC2 errors', async () => {
    const e1 = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })).catch((e: Error) => e);
    assert.equal((e1 as Error).name, 'InvalidNetworkInterfaceID.NotFound');
    assert.equal((e1 as Error).message, "The networkInterface ID 'eni-0123456789abcdef0' does not exist");
    const e2 = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })).catch((e: Error) => e);
    assert.equal((e2 as Error).name, 'InvalidParameterValue');
    const other = await inProcessEc2(vpc, { ...scope, accountId: '999988887777' }).send(new DescribeNetworkInterfacesCommand({}));
    assert.deepEqual(other.NetworkInterfaces, [], 'another account sees none of them');
  });

  it('counts ENI addresses in the subnet and blocks deleting what ENIs use', async () => {
    const sub = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetA!.subnetId] }))).Subnets![0]!;
    assert.equal(sub.AvailableIpAddressCount, 4091 - 1);
    const e = await ec2.send(new DeleteSubnetCommand({ SubnetId: subnetA!.subnetId })).catch((x: Error) => x);
    assert.equal((e as Error).name, 'DependencyViolation');
    const g = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'task', Description: 'task' }));
    const eni = vpc.allocateEni(scope, { subnetId: subnetA!.subnetId, securityGroupIds: [g.GroupId!], description: attachment(), assignPublicIp: false });
    const inUse = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })).catch((x: Error) => x);
    assert.equal((inUse as Error).name, 'DependencyViolation');
    vpc.releaseEni(scope, eni.networkInterfaceId);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId }));
    const back = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetA!.subnetId] }))).Subnets![0]!;
    assert.equal(back.AvailableIpAddressCount, 4091 - 1);
  });
});
