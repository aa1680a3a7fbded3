/**
 * Berth's availability zones: three per region, `<region>a|b|c`. Zone ids follow AWS's scheme
 * (`use1-az1` for us-east-1): the region's short code and a number. Real zone ids are mapped per
 * account; here they are the same for everyone.
 */
export interface Zone { zoneName: string; zoneId: string; regionName: string }

const WORDS: Readonly<Record<string, string>> = {
  north: 'n', south: 's', east: 'e', west: 'w', central: 'c',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** `us-east-1` → `use1`, `ap-southeast-2` → `apse2`, `eu-central-1` → `euc1`. */
export function regionCode(region: string): string {
  return region.split('-').map((p, i) => (i === 0 ? p : WORDS[p] ?? p)).join('');
}

export function zonesOf(region: string): Zone[] {
  const code = regionCode(region);
  return ['a', 'b', 'c'].map((letter, i) => ({ zoneName: `${region}${letter}`, zoneId: `${code}-az${i + 1}`, regionName: region }));
}
