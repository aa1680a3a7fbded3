import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, PolicyError, type PolicyKind } from '../../src/iam/policy/document.js';
import { arnMatch, compile, globMatch } from '../../src/iam/policy/wildcard.js';
import { parseOperator } from '../../src/iam/policy/operators.js';

/** Policy grammar and validation: what IAM accepts, and the MalformedPolicyDocument messages. */
const fails = (doc: unknown, kind: PolicyKind, message: string | RegExp): void => {
  assert.throws(() => parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), kind), (e: unknown) => {
    assert.ok(e instanceof PolicyError);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
};
const stmt = (s: object): object => ({ Version: '2012-10-17', Statement: [s] });

describe('policy documents', () => {
  it('accepts a Statement object or array, and normalises strings to lists', () => {
    const one = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'ecs:*', Resource: '*' } }), 'identity');
    assert.deepEqual(one.statements[0]!.actions, ['ecs:*']);
    assert.deepEqual(one.statements[0]!.resources, ['*']);
    const many = parsePolicy(JSON.stringify(stmt({ Effect: 'Deny', NotAction: ['iam:*'], NotResource: ['arn:aws:iam::*:user/x'] })), 'identity');
    assert.equal(many.statements[0]!.effect, 'Deny');
    assert.deepEqual(many.statements[0]!.notActions, ['iam:*']);
  });

  it('reads a document without Version as 2008-10-17', () => {
    assert.equal(parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'identity').version, '2008-10-17');
  });

  it('writes condition numbers and booleans as strings', () => {
    const d = parsePolicy(JSON.stringify(stmt({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': [10, '20'] } } })), 'identity');
    assert.deepEqual(d.statements[0]!.conditions.map((c) => c.values), [['true'], ['10', '20']]);
  });

  it('rejects what IAM rejects, with its messages', () => {
    fails('{not json', 'identity', 'Syntax errors in policy.');
    fails({ Version: '2012-10-18', Statement: [] }, 'identity', 'The policy failed legacy parsing');
    fails({ Version: '2012-10-17' }, 'identity', 'Missing required field Statement');
    fails(stmt({ Action: '*', Resource: '*' }), 'identity', 'Missing required field Effect');
    fails(stmt({ Effect: 'Allow', Resource: '*' }), 'identity', 'Policy statement must contain actions.');
    fails(stmt({ Effect: 'Allow', Action: '*' }), 'identity', 'Policy statement must contain resources.');
    fails(stmt({ Effect: 'Allow', Action: 'RunTask', Resource: '*' }), 'identity', /must be prefaced by a vendor/);
    fails(stmt({ Effect: 'Allow', Action: '*', Resource: 'cluster/x' }), 'identity', 'Resource cluster/x must be in ARN format or "*".');
    fails(stmt({ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*' }), 'identity', 'Policy document should not specify a principal.');
    fails(stmt({ Sid: 'has space', Effect: 'Allow', Action: '*', Resource: '*' }), 'identity', /must be alpha-numeric/);
    fails({ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }] }, 'identity', 'Statement IDs (SID) in a single policy must be unique.');
    fails(stmt({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'identity', 'Invalid Condition type : StringEqualz');
    fails(stmt({ Effect: 'Allow', Action: '*', Resource: '*', Extra: 1 }), 'identity', 'Syntax errors in policy.');
  });

  it('requires a Principal in trust policies and forbids Resource there', () => {
    fails(stmt({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'Missing required field Principal');
    fails(stmt({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*', Resource: '*' }), 'trust', 'Has prohibited field Resource');
    const d = parsePolicy(JSON.stringify(stmt({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } })), 'trust');
    assert.deepEqual(d.statements[0]!.principals, { Service: ['ecs-tasks.amazonaws.com'] });
  });
});

describe('condition operator names', () => {
  it('reads qualifiers and IfExists', () => {
    assert.deepEqual(parseOperator('ForAnyValue:StringNotLikeIfExists'), { name: 'ForAnyValue:StringNotLikeIfExists', base: 'StringLike', negated: true, ifExists: true, set: 'ForAnyValue', pattern: true });
    assert.equal(parseOperator('NullIfExists'), undefined);
    assert.equal(parseOperator('Stringequals'), undefined);
    assert.equal(parseOperator('DateGreaterThanEquals')?.base, 'DateGreaterThanEquals');
  });
});

describe('wildcards', () => {
  it('globs with * and ?, case-insensitively for actions', () => {
    assert.ok(globMatch(compile('ecs:Describe*'), 'ECS:DESCRIBECLUSTERS', true));
    assert.ok(!globMatch(compile('ecs:Describe*'), 'ECS:DESCRIBECLUSTERS'));
    assert.ok(globMatch(compile('a*b*c'), 'axxbyyc'));
    assert.ok(!globMatch(compile('a?c'), 'abbc'));
    assert.ok(globMatch(compile('***'), ''));
  });

  it('matches ARNs segment-wise', () => {
    assert.ok(arnMatch(compile('*'), '*'));
    assert.ok(arnMatch(compile('arn:aws:s3:::bucket/*'), 'arn:aws:s3:::bucket/a/b:c'));
    assert.ok(arnMatch(compile('arn:aws:iam::*:user/accounting/*'), 'arn:aws:iam::123456789012:user/accounting/bob'));
    assert.ok(!arnMatch(compile('arn:aws:iam::*:user/accounting/*'), 'arn:aws:iam::123456789012:user/sales/bob'));
    assert.ok(!arnMatch(compile('arn:aws:ecs:*:*:cluster/*'), '*'));
    assert.ok(!arnMatch(compile('arn:aws:ecs:us-east-?:*:cluster/x'), 'arn:aws:ecs:us-east-:1:cluster/x'));
  });
});
