import type { TaskNetworking } from '../ecs/task/networking.js';
import type { VpcService } from '../vpc/service.js';

/**
 * ECS's TaskNetworking port over the VPC room: awsvpc tasks take their ENIs from EC2's view of
 * the account's subnets. With no security group named, the subnet's VPC default group applies,
 * as in ECS.
 */
export function vpcTaskNetworking(vpc: VpcService): TaskNetworking {
  return {
    defaultSubnetIds: (scope) => vpc.defaultSubnets(scope).map((s) => s.subnetId),
    subnet: (scope, id) => {
      vpc.defaultSubnets(scope);
      const s = vpc.findSubnet(scope, id);
      return s ? { subnetId: s.subnetId, availabilityZone: s.availabilityZone } : undefined;
    },
    securityGroupExists: (scope, id) => vpc.findSecurityGroup(scope, id) !== undefined,
    allocate: (scope, req) => {
      const subnet = vpc.findSubnet(scope, req.subnetId)!;
      let groups = req.securityGroupIds;
      if (groups.length === 0) {
        const def = [...vpc.state.securityGroups.values()].find((g) => g.vpcId === subnet.vpcId && g.groupName === 'default' && g.ownerId === scope.accountId);
        groups = def ? [def.groupId] : [];
      }
      const eni = vpc.allocateEni(scope, { subnetId: req.subnetId, securityGroupIds: groups, description: req.description, assignPublicIp: req.assignPublicIp });
      return {
        eniId: eni.networkInterfaceId,
        subnetId: eni.subnetId,
        availabilityZone: eni.availabilityZone,
        privateIPv4Address: eni.privateIpAddress,
        macAddress: eni.macAddress,
        privateDnsName: eni.privateDnsName,
        network: vpc.dockerNetworkFor(subnet),
      };
    },
    release: (scope, eniId) => vpc.releaseEni(scope, eniId),
  };
}
