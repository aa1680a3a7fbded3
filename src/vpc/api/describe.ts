import type { AwsError } from '../../edge/errors.js';
import { matcher, type Fields } from '../filters.js';
import { filters, list, page, type Params } from '../params.js';
import type { Scope, Tag, VpcState } from '../state.js';
import { el, set } from '../xml.js';

/**
 * What every EC2 operation here receives: the flat parameters, the caller's scope, the request
 * time (epoch ms), and the room's state. Returns the XML members of `<XResponse>`.
 */
export type Ec2Operation = (p: Params, s: Scope, now: number, state: VpcState) => string;

export interface DescribeSpec<T> {
  /** The id list parameter, e.g. `VpcId` for `VpcId.N`. */
  idParam: string;
  idOf: (r: T) => string;
  notFound: (id: string) => AwsError;
  fields: Fields<T>;
  tagsOf?: (r: T) => readonly Tag[];
  /** The result list element, e.g. `vpcSet`. */
  setName: string;
  render: (r: T) => string;
}

/**
 * The common shape of EC2's Describe calls: restrict to the named ids (any unknown id is an
 * error), apply the filters, paginate with MaxResults/NextToken, render `<xSet>` + `<nextToken>`.
 */
export function describe<T>(p: Params, all: readonly T[], spec: DescribeSpec<T>): string {
  const ids = list(p, spec.idParam);
  let items = [...all];
  if (ids.length > 0) {
    const byId = new Map(items.map((r) => [spec.idOf(r), r]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing !== undefined) throw spec.notFound(missing);
    const wanted = new Set(ids);
    items = items.filter((r) => wanted.has(spec.idOf(r)));
  }
  items = items.filter(matcher(filters(p), spec.fields, spec.tagsOf));
  const pg = page(p, items);
  return set(spec.setName, pg.items, spec.render) + el('nextToken', pg.nextToken);
}
