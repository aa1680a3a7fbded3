import { randomBytes } from 'node:crypto';

/**
 * EC2's long resource ids: a prefix and 17 lower-case hex digits, e.g. `vpc-0a1b2c3d4e5f67890`.
 * Long ids as AWS issues them start with 0; the other 16 digits are random.
 */
export const newId = (prefix: string): string => `${prefix}-0${randomBytes(8).toString('hex')}`;

/** A locally administered unicast MAC in the `0e:` range AWS uses for ENIs. */
export const newMac = (): string => ['0e', ...[...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');

/** The prefixes by which an id names its resource type (for CreateTags and friends). */
export const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  vpc: 'vpc',
  subnet: 'subnet',
  sg: 'security-group',
  eni: 'network-interface',
};

export function resourceTypeOf(id: string): string | undefined {
  const dash = id.indexOf('-');
  return dash < 0 ? undefined : RESOURCE_TYPES[id.slice(0, dash)];
}
