import type { Scope } from '../arn.js';

/**
 * What the ECS room needs from the VPC room to give awsvpc tasks their ENI. A port, so that ECS
 * does not import another room: `server.ts` wires the VPC room's service into it.
 */
export interface TaskNetworking {
  /** The account's default subnets in the region (created on first use). */
  defaultSubnetIds(scope: Scope): string[];
  subnet(scope: Scope, subnetId: string): { subnetId: string; availabilityZone: string } | undefined;
  securityGroupExists(scope: Scope, groupId: string): boolean;
  /** Allocates an ENI with a free address of the subnet. Throws AwsError when the subnet is full. */
  allocate(scope: Scope, req: { subnetId: string; securityGroupIds: string[]; assignPublicIp: boolean; description: string }): AllocatedEni;
  /** Idempotent. */
  release(scope: Scope, eniId: string): void;
}

export interface AllocatedEni {
  eniId: string;
  subnetId: string;
  availabilityZone: string;
  privateIPv4Address: string;
  macAddress: string;
  privateDnsName: string;
  /** The Docker network that realises the subnet on a host. */
  network: { name: string; subnet: string; gateway: string };
}
