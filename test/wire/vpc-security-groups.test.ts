import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVpcCommand,
  DeleteSecurityGroupCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client,
  RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { awsError, startBerth, type BerthProcess } from '../support/berth.js';

/** Security groups over the wire: create, describe, authorize, revoke, delete, with EC2's errors. */
describe('EC2 security groups', () => {
  let berth: BerthProcess;
  let ec2: EC2Client;
  let defaultVpcId: string;
  before(async () => {
    berth = await startBerth();
    ec2 = new EC2Client({ endpoint: berth.endpoint, region: berth.region, credentials: berth.creds, maxAttempts: 1 });
    defaultVpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  });
  after(async () => { await berth.stop(); });

  const group = async (id: string): Promise<SecurityGroup> =>
    (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0]!;

  it('creates a group in the default VPC with the default egress rule, and refuses duplicates and reserved names', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'web', Description: 'web tier', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'app', Value: 'shop' }] }],
    }));
    assert.match(created.GroupId!, /^sg-0[0-9a-f]{16}$/);
    assert.equal(created.SecurityGroupArn, `arn:aws:ec2:us-east-1:${berth.creds.accountId}:security-group/${created.GroupId}`);
    assert.deepEqual(created.Tags, [{ Key: 'app', Value: 'shop' }]);
    const g = await group(created.GroupId!);
    assert.deepEqual([g.GroupName, g.Description, g.VpcId, g.OwnerId], ['web', 'web tier', defaultVpcId, berth.creds.accountId]);
    assert.deepEqual(g.IpPermissions, []);
    assert.deepEqual(g.IpPermissionsEgress, [{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }]);

    const dup = await awsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })));
    assert.deepEqual([dup.name, dup.message], ['InvalidGroup.Duplicate', `The security group 'web' already exists for VPC '${defaultVpcId}'`]);
    assert.equal((await awsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'sg-web', Description: 'x' })))).name, 'InvalidParameterValue');
    const reserved = await awsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'x' })));
    assert.deepEqual([reserved.name, reserved.message], ['InvalidParameterValue', 'Cannot use reserved security group name: default']);
    assert.equal((await awsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', VpcId: 'vpc-0123456789abcdef0' })))).name, 'InvalidVpcID.NotFound');

    // The same name is fine in another VPC.
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc!;
    const other = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier', VpcId: vpc.VpcId }));
    assert.equal((await group(other.GroupId!)).VpcId, vpc.VpcId);
  });

  it('describes by id, by name (default VPC only) and by filter, with EC2 not-found errors', async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'api', Description: 'api tier' }));
    const byName = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['api'] }))).SecurityGroups!;
    assert.deepEqual(byName.map((g) => g.GroupId), [GroupId]);
    const byFilter = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'description', Values: ['api *'] }, { Name: 'vpc-id', Values: [defaultVpcId] }] }))).SecurityGroups!;
    assert.deepEqual(byFilter.map((g) => g.GroupId), [GroupId]);
    const noId = await awsError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })));
    assert.deepEqual([noId.name, noId.message], ['InvalidGroup.NotFound', "The security group 'sg-0123456789abcdef0' does not exist"]);
    const noName = await awsError(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['nope'] })));
    assert.deepEqual([noName.name, noName.message], ['InvalidGroup.NotFound', `The security group 'nope' does not exist in default VPC '${defaultVpcId}'`]);
  });

  it('authorizes ingress and egress, groups rules into IpPermissions, and rejects duplicates', async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'db', Description: 'database' }));
    const { GroupId: webId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }));
    const auth = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }], UserIdGroupPairs: [{ GroupId: webId }] },
        { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    }));
    assert.equal(auth.Return, true);
    assert.deepEqual(auth.SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4, r.ReferencedGroupInfo?.GroupId]), [
      [false, 'tcp', 5432, 5432, '10.0.0.0/8', undefined],
      [false, 'tcp', 5432, 5432, undefined, webId],
      [false, 'icmp', 8, -1, '0.0.0.0/0', undefined],
    ]);
    assert.ok(auth.SecurityGroupRules!.every((r) => /^sgr-0[0-9a-f]{16}$/.test(r.SecurityGroupRuleId!) && r.GroupId === GroupId));
    const g = await group(GroupId!);
    assert.deepEqual(g.IpPermissions, [
      {
        IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ UserId: berth.creds.accountId, GroupId: webId }],
        IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }], Ipv6Ranges: [], PrefixListIds: [],
      },
      { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    const dup = await awsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
    })));
    assert.deepEqual([dup.name, dup.message], ['InvalidPermission.Duplicate', 'the specified rule "peer: 10.0.0.0/8, TCP, from port: 5432, to port: 5432, ALLOW" already exists']);
    const dupEgress = await awsError(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })));
    assert.deepEqual([dupEgress.name, dupEgress.message], ['InvalidPermission.Duplicate', 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists']);
    assert.equal((await awsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '10.0.0.1/8' }] }] })))).name, 'InvalidParameterValue');
    assert.equal((await awsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })))).name, 'InvalidParameterValue');
    assert.equal((await awsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-0123456789abcdef0', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })))).name, 'InvalidGroup.NotFound');

    // The older flat form, by group name in the default VPC.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'db', IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIp: '192.168.0.0/16' }));
    const egress = await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }));
    assert.equal(egress.SecurityGroupRules![0]!.CidrIpv6, '::/0');
    const after = await group(GroupId!);
    assert.equal(after.IpPermissions!.length, 3);
    assert.deepEqual(after.IpPermissionsEgress!.map((p) => p.IpProtocol), ['-1', 'tcp']);
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }))).SecurityGroupRules!;
    assert.equal(rules.length, 6);
  });

  it('revokes by properties and by rule id; unknown rules are an error outside the default VPC only', async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'rev', Description: 'revoke me' }));
    const auth = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }, { CidrIp: '10.0.0.0/8' }] }] }));
    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.equal(revoked.Return, true);
    assert.deepEqual(revoked.RevokedSecurityGroupRules!.map((r) => r.SecurityGroupRuleId), [auth.SecurityGroupRules![0]!.SecurityGroupRuleId]);
    const unknown = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 81, ToPort: 81, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.equal(unknown.Return, false);
    assert.deepEqual(unknown.UnknownIpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges?.[0]?.CidrIp]), [['tcp', 81, '0.0.0.0/0']]);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, SecurityGroupRuleIds: [auth.SecurityGroupRules![1]!.SecurityGroupRuleId!] }));
    assert.deepEqual((await group(GroupId!)).IpPermissions, []);
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.deepEqual((await group(GroupId!)).IpPermissionsEgress, []);

    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }))).Vpc!;
    const custom = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'rev', Description: 'x', VpcId: vpc.VpcId }));
    const nf = await awsError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: custom.GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })));
    assert.deepEqual([nf.name, nf.message], ['InvalidPermission.NotFound', 'The specified rule does not exist in this security group.']);
  });

  it('deletes groups, but not a default group nor one another group references', async () => {
    const [def] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups!;
    const cannot = await awsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: def!.GroupId })));
    assert.deepEqual([cannot.name, cannot.message], ['CannotDelete', `the specified group: "${def!.GroupId}" name: "default" cannot be deleted by a user`]);
    const a = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'del-a', Description: 'a' }));
    const b = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'del-b', Description: 'b' }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: b.GroupId, IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: a.GroupId }] }] }));
    const dep = await awsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: a.GroupId })));
    assert.deepEqual([dep.name, dep.message], ['DependencyViolation', `resource ${a.GroupId} has a dependent object`]);
    const gone = await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'del-b' }));
    assert.deepEqual([gone.Return, gone.GroupId], [true, b.GroupId]);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: a.GroupId }));
    assert.equal((await awsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: a.GroupId })))).name, 'InvalidGroup.NotFound');
  });
});
