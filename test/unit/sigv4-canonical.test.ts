/**
 * The canonical-request pieces on their own, and known answers from AWS's SigV4 documentation
 * (its IAM `ListUsers` walk-through and the `get-vanilla` case of its test suite).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHeaderValue, canonicalQueryString, canonicalUri, parseQuery } from '../../src/edge/sigv4/canonical.js';
import { verifySigV4 } from '../../src/edge/sigv4/verify.js';

describe('the canonical URI', () => {
  const cases: Array<[string, string]> = [
    ['', '/'],
    ['/', '/'],
    ['/clusters', '/clusters'],
    ['/foo%20bar', '/foo%2520bar'],
    ['/a%2Fb', '/a%252Fb'],
    ['/a/./b/../c', '/a/c'],
    ['//a//b/', '/a/b/'],
    ['/..', '/'],
    ['/~user/-_.', '/~user/-_.'],
    ['/é', '/%C3%A9'],
    ['/a:b@c!', '/a%3Ab%40c%21'],
  ];
  for (const [raw, canonical] of cases) {
    test(`of the raw path '${raw}' is '${canonical}'`, () => assert.equal(canonicalUri(raw), canonical));
  }
});

describe('the canonical query string', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['b=2&a=1', 'a=1&b=2'],
    ['a=2&a=1', 'a=1&a=2'],
    ['a&b=', 'a=&b='],
    ['a-b=1&a=2', 'a=2&a-b=1'],
    ['x=a+b', 'x=a%20b'],
    ['x=%7e%2f%2B', 'x=~%2F%2B'],
    ['x=%zz&y=%4', 'x=%25zz&y=%254'],
    ['x=caf%C3%A9&y=café', 'x=caf%C3%A9&y=caf%C3%A9'],
    ['x=%FF', 'x=%FF'],
    ['x=a*b(c)', 'x=a%2Ab%28c%29'],
    ['&&x=1&', 'x=1'],
  ];
  for (const [raw, canonical] of cases) {
    test(`of '${raw}' is '${canonical}'`, () => assert.equal(canonicalQueryString(parseQuery(raw)), canonical));
  }
  test('leaves out the excluded parameter', () => {
    assert.equal(canonicalQueryString(parseQuery('X-Amz-Signature=abc&a=1'), 'X-Amz-Signature'), 'a=1');
  });
});

describe('a canonical header value', () => {
  const cases: Array<[string | string[] | undefined, string]> = [
    ['plain', 'plain'],
    ['  a   b  ', 'a b'],
    ['a\t \tb', 'a b'],
    [['one ', ' two'], 'one,two'],
    ['', ''],
    [undefined, ''],
  ];
  for (const [value, canonical] of cases) {
    test(`of ${JSON.stringify(value)} is '${canonical}'`, () => assert.equal(canonicalHeaderValue(value), canonical));
  }
});

describe('known answers from the AWS documentation', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const now = new Date('2015-08-30T12:36:00Z');

  test('the IAM ListUsers example verifies', () => {
    const v = verifySigV4(
      {
        method: 'GET', path: '/', query: 'Action=ListUsers&Version=2010-05-08', body: Buffer.alloc(0),
        headers: {
          host: 'iam.amazonaws.com',
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'x-amz-date': '20150830T123600Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
            'SignedHeaders=content-type;host;x-amz-date, ' +
            'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
        },
      },
      (id) => (id === 'AKIDEXAMPLE' ? secret : undefined),
      now,
    );
    assert.equal(v.service, 'iam');
  });

  test('the get-vanilla test-suite case verifies', () => {
    const v = verifySigV4(
      {
        method: 'GET', path: '/', query: '', body: Buffer.alloc(0),
        headers: {
          host: 'example.amazonaws.com',
          'x-amz-date': '20150830T123600Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
            'SignedHeaders=host;x-amz-date, ' +
            'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
        },
      },
      (id) => (id === 'AKIDEXAMPLE' ? secret : undefined),
      now,
    );
    assert.equal(v.service, 'service');
  });
});
