import { invalidParameterValue } from '../errors.js';
import { matcher } from '../filters.js';
import { filters, list } from '../params.js';
import { el, set } from '../xml.js';
import { zonesOf, type Zone } from '../zones.js';
import type { Ec2Operation } from './describe.js';

const FIELDS = {
  'zone-name': (z: Zone) => z.zoneName,
  'zone-id': (z: Zone) => z.zoneId,
  'region-name': (z: Zone) => z.regionName,
  'group-name': (z: Zone) => z.regionName,
  'zone-type': () => 'availability-zone',
  'opt-in-status': () => 'opt-in-not-required',
  state: () => 'available',
  message: () => undefined,
};

/** DescribeAvailabilityZones: the region's three zones (see zones.ts), all available. */
export const DescribeAvailabilityZones: Ec2Operation = (p, s) => {
  let zones = zonesOf(s.region);
  const names = list(p, 'ZoneName');
  const ids = list(p, 'ZoneId');
  for (const n of [...names, ...ids]) {
    if (!zones.some((z) => z.zoneName === n || z.zoneId === n)) throw invalidParameterValue(`Invalid availability zone: [${n}]`);
  }
  if (names.length > 0 || ids.length > 0) zones = zones.filter((z) => names.includes(z.zoneName) || ids.includes(z.zoneId));
  zones = zones.filter(matcher(filters(p), FIELDS));
  return set('availabilityZoneInfo', zones, (z) =>
    el('zoneName', z.zoneName) + el('zoneId', z.zoneId) + el('zoneState', 'available') + el('optInStatus', 'opt-in-not-required') +
    set('messageSet', [], () => '') + el('regionName', z.regionName) + el('groupName', z.regionName) +
    el('networkBorderGroup', z.regionName) + el('zoneType', 'availability-zone'));
};
