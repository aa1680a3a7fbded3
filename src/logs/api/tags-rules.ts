import { invalidParameter } from '../errors.js';

/** Tag keys and values as CloudWatch Logs' model constrains them (TagKey, TagValue). */
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
export const MAX_TAGS = 50;

export function checkTags(tags: Record<string, string>): void {
  for (const [k, v] of Object.entries(tags)) {
    if (!KEY.test(k)) throw invalidParameter(`1 validation error detected: Value '${k}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]`);
    if (!VALUE.test(v)) throw invalidParameter(`1 validation error detected: Value '${v}' at 'tags.${k}' failed to satisfy constraint: Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`);
  }
}
