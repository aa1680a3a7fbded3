/**
 * Length, range and size constraints of SSM Parameter Store request members that the AWS SDK
 * package does not ship. Every entry is from the AWS Systems Manager API Reference
 * (docs.aws.amazon.com/systems-manager/latest/APIReference), page named in the comment.
 * scripts/gen-model-ssm.ts merges it into ssm-model.json; regenerate after editing.
 * Key grammar as in src/ecs/model/constraints.ts: `Shape`, `Shape.member`, `Shape.member[]`.
 * Only the Parameter Store operations Berth implements are bounded here.
 */
export interface Bound {
  readonly min?: number;
  readonly max?: number;
}

export const ssmConstraints: Readonly<Record<string, Bound>> = {
  // API_PutParameter: Name 1..2048, Description 0..1024, KeyId 1..256, AllowedPattern 0..1024,
  // Policies 1..4096, DataType 0..128. (Value's limit depends on the tier: checked by the operation.)
  'PutParameterRequest.Name': { min: 1, max: 2048 },
  'PutParameterRequest.Description': { max: 1024 },
  'PutParameterRequest.KeyId': { min: 1, max: 256 },
  'PutParameterRequest.AllowedPattern': { max: 1024 },
  'PutParameterRequest.Policies': { min: 1, max: 4096 },
  'PutParameterRequest.DataType': { max: 128 },
  // API_GetParameter, API_DeleteParameter, API_GetParameterHistory: Name 1..2048.
  'GetParameterRequest.Name': { min: 1, max: 2048 },
  'DeleteParameterRequest.Name': { min: 1, max: 2048 },
  'GetParameterHistoryRequest.Name': { min: 1, max: 2048 },
  // API_GetParameters, API_DeleteParameters: Names 1..10 items.
  'GetParametersRequest.Names': { min: 1, max: 10 },
  'DeleteParametersRequest.Names': { min: 1, max: 10 },
  // API_GetParametersByPath: Path 1..2048, MaxResults 1..10.
  'GetParametersByPathRequest.Path': { min: 1, max: 2048 },
  'GetParametersByPathRequest.MaxResults': { min: 1, max: 10 },
  // API_DescribeParameters: MaxResults 1..50; API_GetParameterHistory: MaxResults 1..50.
  'DescribeParametersRequest.MaxResults': { min: 1, max: 50 },
  'GetParameterHistoryRequest.MaxResults': { min: 1, max: 50 },
  // API_ParameterStringFilter: Key 1..132, Option 1..10, Values 1..50 items.
  'ParameterStringFilter.Key': { min: 1, max: 132 },
  'ParameterStringFilter.Option': { min: 1, max: 10 },
  'ParameterStringFilter.Values': { min: 1, max: 50 },
  // API_ParametersFilter: Values 1..50 items.
  'ParametersFilter.Values': { min: 1, max: 50 },
  // API_LabelParameterVersion / API_UnlabelParameterVersion: Name 1..2048, Labels 1..10 items.
  'LabelParameterVersionRequest.Name': { min: 1, max: 2048 },
  'LabelParameterVersionRequest.Labels': { min: 1, max: 10 },
  'UnlabelParameterVersionRequest.Name': { min: 1, max: 2048 },
  'UnlabelParameterVersionRequest.Labels': { min: 1, max: 10 },
  // API_Tag: Key 1..128, Value 0..256; API_AddTagsToResource: Tags at most 1000 items.
  'Tag.Key': { min: 1, max: 128 },
  'Tag.Value': { max: 256 },
  'AddTagsToResourceRequest.Tags': { max: 1000 },
};
