/**
 * Length, range and size constraints of ECS request members that the AWS SDK package does not ship
 * (its schemas keep only structure, types and required members). Every entry below is a fact from
 * the Amazon ECS API Reference (docs.aws.amazon.com/AmazonECS/latest/APIReference), page named in
 * the comment. Hand-maintained; scripts/gen-ecs-model.ts merges it into ecs-model.json, so run
 * `npm run gen:model` after editing (the generation sync test fails until you do).
 *
 * Key grammar (resolved against the generated model; an entry that no longer resolves fails the
 * generator, so SDK renames cannot silently drop a constraint):
 *   `Shape`            the named shape itself (e.g. a list's item count)
 *   `Shape.member`     the value of one structure member
 *   `Shape.member[]`   each element of a list-typed structure member
 * Units follow the target type: string length in characters, list/map entry count, numeric value.
 */
export interface Bound {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
}

export const ecsConstraints: Readonly<Record<string, Bound>> = {
  // API_Tag: "Maximum number of tags per resource - 50"; key length 1..128; value length 0..256.
  Tags: { min: 0, max: 50 },
  'Tag.key': { min: 1, max: 128 },
  'Tag.value': { min: 0, max: 256 },
  // API_UntagResource: tagKeys elements are TagKey strings (the service model's element type, as
  // the SDKs built from it show), so the TagKey length 1..128 of API_Tag applies to each.
  'UntagResourceRequest.tagKeys[]': { min: 1, max: 128 },

  // API_CapacityProviderStrategyItem: base 0..100000, weight 0..1000.
  'CapacityProviderStrategyItem.base': { min: 0, max: 100000 },
  'CapacityProviderStrategyItem.weight': { min: 0, max: 1000 },

  // API_ManagedScaling: targetCapacity 1..100; minimum/maximumScalingStepSize 1..10000;
  // instanceWarmupPeriod 0..10000 (seconds).
  'ManagedScaling.targetCapacity': { min: 1, max: 100 },
  'ManagedScaling.minimumScalingStepSize': { min: 1, max: 10000 },
  'ManagedScaling.maximumScalingStepSize': { min: 1, max: 10000 },
  'ManagedScaling.instanceWarmupPeriod': { min: 0, max: 10000 },

  // API_ServiceConnectClientAlias: port 0..65535 (PortNumber). PortMapping.containerPort/hostPort
  // are documented as plain Integer without a range, so they get no bound here.
  'ServiceConnectClientAlias.port': { min: 0, max: 65535 },

  // maxResults of paginated operations: "This value can be between 1 and 100" (1 and 10 where noted).
  'ListAttributesRequest.maxResults': { min: 1, max: 100 },
  'ListClustersRequest.maxResults': { min: 1, max: 100 },
  'ListContainerInstancesRequest.maxResults': { min: 1, max: 100 },
  'ListServicesRequest.maxResults': { min: 1, max: 100 },
  'ListServicesByNamespaceRequest.maxResults': { min: 1, max: 100 },
  'ListServiceDeploymentsRequest.maxResults': { min: 1, max: 100 },
  'ListTaskDefinitionFamiliesRequest.maxResults': { min: 1, max: 100 },
  'ListTaskDefinitionsRequest.maxResults': { min: 1, max: 100 },
  'ListTasksRequest.maxResults': { min: 1, max: 100 },
  'ListAccountSettingsRequest.maxResults': { min: 1, max: 10 },
  'DescribeCapacityProvidersRequest.maxResults': { min: 1, max: 10 },
};
