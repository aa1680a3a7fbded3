import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/edge/errors.js';
import { cidrToString, contains, overlaps, parseCidr, size } from '../../src/vpc/cidr.js';
import { matcher } from '../../src/vpc/filters.js';
import { filters, list, page, structs } from '../../src/vpc/params.js';
import { regionCode } from '../../src/vpc/zones.js';
import { ec2Error, ec2Response } from '../../src/vpc/xml.js';

/** The VPC room's pure pieces: CIDR arithmetic, EC2 parameter flattening, filters, envelopes. */
describe('CIDR blocks', () => {
  it('parses EC2-valid blocks and rejects the rest', () => {
    assert.deepEqual(parseCidr('10.0.0.0/16'), { base: 10 * 2 ** 24, prefix: 16 });
    for (const bad of ['10.0.0.0', '10.0.0/16', '10.0.0.1/16', '256.0.0.0/8', '10.0.0.0/33', '10.0.0.0/-1', '01.0.0.0/8', 'x/8', '10.0.0.0/16 ']) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
    assert.equal(cidrToString(parseCidr('172.31.16.0/20')!), '172.31.16.0/20');
    assert.equal(size(parseCidr('10.0.0.0/28')!), 16);
  });

  it('knows containment and overlap', () => {
    const c = (s: string) => parseCidr(s)!;
    assert.ok(contains(c('10.0.0.0/16'), c('10.0.255.240/28')));
    assert.ok(!contains(c('10.0.0.0/16'), c('10.1.0.0/24')));
    assert.ok(!contains(c('10.0.0.0/24'), c('10.0.0.0/16')));
    assert.ok(overlaps(c('10.0.0.0/24'), c('10.0.0.128/25')));
    assert.ok(!overlaps(c('10.0.0.0/25'), c('10.0.0.128/25')));
  });
});

describe('EC2 Query parameters', () => {
  const p = new Map([
    ['SubnetId.2', 'b'], ['SubnetId.1', 'a'], ['SubnetId.10', 'c'],
    ['Filter.1.Name', 'vpc-id'], ['Filter.1.Value.1', 'vpc-1'], ['Filter.1.Value.2', 'vpc-2'],
    ['Filter.2.Name', 'tag:Name'], ['Filter.2.Value.1', 'web*'],
  ]);

  it('reads indexed lists in index order and structures by index', () => {
    assert.deepEqual(list(p, 'SubnetId'), ['a', 'b', 'c']);
    assert.deepEqual(filters(p), [{ name: 'vpc-id', values: ['vpc-1', 'vpc-2'] }, { name: 'tag:Name', values: ['web*'] }]);
    assert.equal(structs(p, 'Filter').length, 2);
  });

  it('paginates with MaxResults and an opaque NextToken', () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    const first = page(new Map([['MaxResults', '5']]), items);
    assert.deepEqual(first.items, [0, 1, 2, 3, 4]);
    const second = page(new Map([['MaxResults', '5'], ['NextToken', first.nextToken!]]), items);
    const third = page(new Map([['MaxResults', '5'], ['NextToken', second.nextToken!]]), items);
    assert.deepEqual(third, { items: [10, 11] });
    assert.throws(() => page(new Map([['MaxResults', '4']]), items), (e: AwsError) => e.code === 'InvalidParameterValue');
  });
});

describe('filters', () => {
  const rows = [{ id: 'a', n: 1, tags: [{ Key: 'Name', Value: 'web-1' }] }, { id: 'b', n: 2, tags: [] }];
  const run = (f: { name: string; values: string[] }[]) =>
    rows.filter(matcher(f, { id: (r: (typeof rows)[number]) => r.id, n: (r: (typeof rows)[number]) => r.n }, (r) => r.tags)).map((r) => r.id);

  it('ANDs filters, ORs values, matches * and ? wildcards, and knows tags', () => {
    assert.deepEqual(run([{ name: 'id', values: ['a', 'b'] }]), ['a', 'b']);
    assert.deepEqual(run([{ name: 'id', values: ['?'] }, { name: 'n', values: ['2'] }]), ['b']);
    assert.deepEqual(run([{ name: 'tag:Name', values: ['web-*'] }]), ['a']);
    assert.deepEqual(run([{ name: 'tag-key', values: ['Name'] }]), ['a']);
    assert.deepEqual(run([{ name: 'id', values: ['a.'] }]), [], 'a dot is literal');
  });

  it('rejects an unknown filter name as EC2 does', () => {
    assert.throws(() => run([{ name: 'colour', values: ['x'] }]), (e: AwsError) => e.code === 'InvalidParameterValue' && e.message === "The filter 'colour' is invalid");
  });
});

describe('EC2 XML envelopes', () => {
  it('puts members straight into <XResponse> and errors into <Response><Errors>', () => {
    assert.equal(ec2Response('http://ec2.amazonaws.com/doc/2016-11-15/', 'DeleteVpc', 'r-1', '<return>true</return>'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<DeleteVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><return>true</return></DeleteVpcResponse>');
    assert.equal(ec2Error(new AwsError('InvalidVpcID.NotFound', "The vpc ID 'vpc-<1>' does not exist"), 'r-2'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID &apos;vpc-&lt;1&gt;&apos; does not exist</Message></Error></Errors><RequestID>r-2</RequestID></Response>');
  });

  it('derives AWS-style zone id prefixes from region names', () => {
    assert.equal(regionCode('us-east-1'), 'use1');
    assert.equal(regionCode('ap-southeast-2'), 'apse2');
    assert.equal(regionCode('eu-central-1'), 'euc1');
  });
});
