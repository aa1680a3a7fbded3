/**
 * Length, range and size constraints of Secrets Manager request members that the AWS SDK package
 * does not ship. Every entry is from the AWS Secrets Manager API Reference
 * (docs.aws.amazon.com/secretsmanager/latest/apireference), page named in the comment.
 * scripts/gen-model-secrets.ts merges it into secrets-model.json; regenerate after editing.
 * Key grammar as in src/ecs/model/constraints.ts: `Shape`, `Shape.member`, `Shape.member[]`.
 */
export interface Bound {
  readonly min?: number;
  readonly max?: number;
}

export const secretsConstraints: Readonly<Record<string, Bound>> = {
  // API_CreateSecret: Name 1..512; Description max 2048; KmsKeyId max 2048; ClientRequestToken 32..64;
  // SecretString max 65536.
  'CreateSecretRequest.Name': { min: 1, max: 512 },
  'CreateSecretRequest.Description': { max: 2048 },
  'CreateSecretRequest.KmsKeyId': { max: 2048 },
  'CreateSecretRequest.ClientRequestToken': { min: 32, max: 64 },
  'CreateSecretRequest.SecretString': { max: 65536 },
  // API_UpdateSecret / API_PutSecretValue: the same value, token, description and key bounds;
  // SecretId 1..2048 everywhere; VersionStages items 1..256 (the 20-item limit is checked by the
  // operation: one member cannot carry both a list and an element bound).
  'UpdateSecretRequest.SecretId': { min: 1, max: 2048 },
  'UpdateSecretRequest.Description': { max: 2048 },
  'UpdateSecretRequest.KmsKeyId': { max: 2048 },
  'UpdateSecretRequest.ClientRequestToken': { min: 32, max: 64 },
  'UpdateSecretRequest.SecretString': { max: 65536 },
  'PutSecretValueRequest.SecretId': { min: 1, max: 2048 },
  'PutSecretValueRequest.ClientRequestToken': { min: 32, max: 64 },
  'PutSecretValueRequest.SecretString': { max: 65536 },
  'PutSecretValueRequest.VersionStages[]': { min: 1, max: 256 },
  // API_GetSecretValue: VersionId 32..64, VersionStage 1..256.
  'GetSecretValueRequest.SecretId': { min: 1, max: 2048 },
  'GetSecretValueRequest.VersionId': { min: 32, max: 64 },
  'GetSecretValueRequest.VersionStage': { min: 1, max: 256 },
  'DescribeSecretRequest.SecretId': { min: 1, max: 2048 },
  'DeleteSecretRequest.SecretId': { min: 1, max: 2048 },
  'RestoreSecretRequest.SecretId': { min: 1, max: 2048 },
  'TagResourceRequest.SecretId': { min: 1, max: 2048 },
  'UntagResourceRequest.SecretId': { min: 1, max: 2048 },
  // API_Tag: Key 1..128, Value 0..256; API_UntagResource: TagKeys items 1..128.
  'Tag.Key': { min: 1, max: 128 },
  'Tag.Value': { max: 256 },
  'UntagResourceRequest.TagKeys[]': { min: 1, max: 128 },
  // API_ListSecrets / API_ListSecretVersionIds: MaxResults 1..100, NextToken 1..4096; Filters max 10.
  'ListSecretsRequest.MaxResults': { min: 1, max: 100 },
  'ListSecretsRequest.NextToken': { min: 1, max: 4096 },
  'ListSecretsRequest.Filters': { max: 10 },
  'ListSecretVersionIdsRequest.SecretId': { min: 1, max: 2048 },
  'ListSecretVersionIdsRequest.MaxResults': { min: 1, max: 100 },
  'ListSecretVersionIdsRequest.NextToken': { min: 1, max: 4096 },
  // API_Filter: Values 1..10 items (each at most 512; not enforced, one bound per member).
  'Filter.Values': { min: 1, max: 10 },
  // API_UpdateSecretVersionStage: VersionStage 1..256, version ids 32..64.
  'UpdateSecretVersionStageRequest.SecretId': { min: 1, max: 2048 },
  'UpdateSecretVersionStageRequest.VersionStage': { min: 1, max: 256 },
  'UpdateSecretVersionStageRequest.RemoveFromVersionId': { min: 32, max: 64 },
  'UpdateSecretVersionStageRequest.MoveToVersionId': { min: 32, max: 64 },
};
