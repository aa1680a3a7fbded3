import type { LoadBalancerType } from './state.js';

/**
 * The Route 53 hosted zone ids of ELB's DNS names, per region (ALB and NLB differ), as AWS
 * publishes them; clients use them for alias records. Regions not listed get us-east-1's.
 */
const ZONES: Record<string, [alb: string, nlb: string]> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-east-2': ['Z3AADJGX6KTTL2', 'ZLMOA37VPKANP'],
  'us-west-1': ['Z368ELLRRE2KJ0', 'Z24FKFUX50B4VW'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'eu-central-1': ['Z215JYRZR1TBD5', 'Z3F0SRJ5LGBH90'],
  'ap-northeast-1': ['Z14GRHDCWA56QT', 'Z31USIVHYNEOWT'],
  'ap-southeast-1': ['Z1LMS91P8CMLE5', 'ZKVM4W9LS7TM'],
  'ap-southeast-2': ['Z1GM3OXH4ZPM65', 'ZCT6FZBF4DROD'],
};

export function canonicalHostedZoneId(region: string, type: LoadBalancerType): string {
  const z = ZONES[region] ?? ZONES['us-east-1']!;
  return type === 'application' ? z[0] : z[1];
}
