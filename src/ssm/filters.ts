import type { ParameterStringFilter } from '@aws-sdk/client-ssm';
import { AwsError } from '../edge/errors.js';
import { invalidFilterKey, invalidFilterOption, invalidFilterValue } from './errors.js';
import { normalizePath, underPath } from './names.js';
import { currentVersion, type ParameterRecord, type ParameterVersionRecord } from './state.js';

/**
 * ParameterStringFilter (API_ParameterStringFilter). DescribeParameters takes Name, Type, KeyId,
 * Path, Tier, DataType and `tag:<key>`; GetParametersByPath takes Type, KeyId and Label. Options
 * default to Equals; Equals and BeginsWith everywhere, Contains for Name, Recursive/OneLevel
 * (default OneLevel) for Path, only Equals for Label. Values of one filter are alternatives; all
 * filters must match. A Label filter picks the labelled version instead of the current one.
 */
export type FilterContext = 'describe' | 'path';

const KEYS: Record<FilterContext, readonly string[]> = {
  describe: ['Name', 'Type', 'KeyId', 'Path', 'Tier', 'DataType'],
  path: ['Type', 'KeyId', 'Label'],
};

const ALLOWED_VALUES: Record<string, readonly string[]> = {
  Type: ['String', 'StringList', 'SecureString'],
  Tier: ['Standard', 'Advanced', 'Intelligent-Tiering'],
};

type Matcher = (record: ParameterRecord, version: ParameterVersionRecord) => boolean;

/** The version to show for `record`, or undefined when the filters exclude it. */
export type Selector = (record: ParameterRecord) => ParameterVersionRecord | undefined;

function optionsFor(key: string): readonly string[] {
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Label') return ['Equals'];
  if (key === 'Name') return ['Equals', 'BeginsWith', 'Contains'];
  return ['Equals', 'BeginsWith'];
}

const compare = (option: string, actual: string | undefined, wanted: string): boolean =>
  actual !== undefined && (option === 'BeginsWith' ? actual.startsWith(wanted) : option === 'Contains' ? actual.includes(wanted) : actual === wanted);

function compileOne(filter: ParameterStringFilter, context: FilterContext): { matcher?: Matcher; labels?: string[] } {
  const key = filter.Key!;
  const isTag = context === 'describe' && key.startsWith('tag:') && key.length > 4;
  if (!isTag && !KEYS[context].includes(key)) {
    throw invalidFilterKey(`The following filter key is not valid: ${key}. Valid filter keys include: [${KEYS[context].join(', ')}${context === 'describe' ? ', tag:<key>' : ''}].`);
  }
  const option = filter.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals');
  if (!optionsFor(isTag ? 'tag' : key).includes(option)) {
    throw invalidFilterOption(`The following filter option is not valid: ${option}. Valid options include: [${optionsFor(isTag ? 'tag' : key).join(', ')}].`);
  }
  const values = filter.Values ?? [];
  if (values.length === 0 && !isTag) throw invalidFilterValue(`The following filter values are missing : null for filter key ${key}.`);
  const allowed = ALLOWED_VALUES[key];
  const bad = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
  if (bad !== undefined) throw invalidFilterValue(`The following filter value is not valid: ${bad}. Valid values include: [${allowed!.join(', ')}].`);
  if (isTag) {
    const tagKey = key.slice(4);
    return { matcher: (r) => r.tags.some((t) => t.Key === tagKey && (values.length === 0 || values.some((v) => compare(option, t.Value, v)))) };
  }
  switch (key) {
    case 'Label': return { labels: values };
    case 'Path': {
      const paths = values.map((v) => {
        try {
          return normalizePath(v);
        } catch (err) {
          if (err instanceof AwsError) throw invalidFilterValue(`The following filter value is not valid: ${v}. A path must begin with a forward slash "/".`);
          throw err;
        }
      });
      return { matcher: (r) => paths.some((p) => underPath(r.name, p, option === 'Recursive')) };
    }
    case 'Name': return { matcher: (r) => values.some((v) => compare(option, r.name, v)) };
    case 'Type': return { matcher: (_r, v) => values.some((w) => compare(option, v.type, w)) };
    case 'KeyId': return { matcher: (_r, v) => values.some((w) => compare(option, v.keyId, w)) };
    case 'Tier': return { matcher: (_r, v) => values.some((w) => compare(option, v.tier, w)) };
    default: return { matcher: (_r, v) => values.some((w) => compare(option, v.dataType, w)) }; // DataType
  }
}

/** Compiles the filters once (throwing the SSM filter errors), for use on every parameter. */
export function compileFilters(filters: readonly ParameterStringFilter[] | undefined, context: FilterContext): Selector {
  const compiled = (filters ?? []).map((f) => compileOne(f, context));
  const matchers = compiled.flatMap((c) => (c.matcher ? [c.matcher] : []));
  const labelSets = compiled.flatMap((c) => (c.labels ? [c.labels] : []));
  return (record) => {
    let version = currentVersion(record);
    for (const labels of labelSets) {
      const labelled = record.versions.find((v) => v.labels.some((l) => labels.includes(l)));
      if (!labelled) return undefined;
      version = labelled;
    }
    return matchers.every((m) => m(record, version)) ? version : undefined;
  };
}
