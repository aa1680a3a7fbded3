import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compileQuery, evaluateQuery, parseQuery, printQuery, QuerySyntaxError, MAX_QUERY_LENGTH,
  type QueryExpr, type QueryTarget, type Condition, type Subject, type CompareOp,
} from '../../src/ecs/placement/query/index.js';

/** The instance most rows are evaluated against; a row may override fields. */
const BASE: QueryTarget = {
  ec2InstanceId: 'i-abcd1234',
  attributes: new Map<string, string | undefined>([
    ['ecs.instance-type', 't2.small'],
    ['ecs.availability-zone', 'us-east-1a'],
    ['ecs.os-type', 'linux'],
    ['ecs.cpu-architecture', 'x86_64'],
    ['ecs.ami-id', 'ami-1234abcd'],
    ['ecs.capability.external', undefined],
    ['stack', 'prod'],
    ['weight', '10'],
    ['team/owner', 'a:b'],
    ['com.example:tier', 'gold'],
    ['owner', 'Jane Doe'],
    ['quote', "it's"],
  ]),
  runningTasksCount: 1,
  registeredAt: Date.parse('2018-02-01T12:00:00Z'),
  agentConnected: true,
  agentVersion: '1.14.4',
  taskGroups: new Set(['service:production', 'family:web']),
};

const withAttrs = (extra: Record<string, string | undefined>): Partial<QueryTarget> => ({
  attributes: new Map([...BASE.attributes, ...Object.entries(extra)]),
});

/** [query, expected, overrides of BASE, why] */
type Row = readonly [string, boolean, Partial<QueryTarget>?, string?];

const DOC_EXAMPLES: Row[] = [
  // ECS Developer Guide, "Cluster query language" → "Example expressions".
  ['attribute:ecs.instance-type == t2.small', true, {}, 'string equality'],
  ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', true, {}, 'argument list'],
  ['attribute:ecs.availability-zone in [us-east-1a, us-east-1b]', false, withAttrs({ 'ecs.availability-zone': 'us-east-1c' }), 'argument list, other zone'],
  ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', false, {}, 'compound, not a G2'],
  ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', true, withAttrs({ 'ecs.instance-type': 'g2.2xlarge' }), 'compound, a G2 outside us-east-1d'],
  ['attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d', false, withAttrs({ 'ecs.instance-type': 'g2.2xlarge', 'ecs.availability-zone': 'us-east-1d' }), 'compound, a G2 in us-east-1d'],
  ['task:group == service:production', true, {}, 'task affinity'],
  ['not(task:group == database)', true, {}, 'task anti-affinity, no database task'],
  ['not(task:group == database)', false, { taskGroups: new Set(['database', 'family:web']) }, 'task anti-affinity, a database task'],
  ['runningTasksCount == 1', true, {}, 'running task count'],
  ['agentVersion < 1.14.5', true, {}, 'agent version'],
  ['registeredAt < 2018-02-13', true, {}, 'registration time'],
  ["ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true, {}, 'EC2 instance ids'],
  ['(attribute:stack == dev or attribute:stack == prod) and runningTasksCount == 1', true, {}, 'precedence by parentheses, as the docs sketch it'],
  // "Task placement constraints": list-container-instances --filter and memberOf examples.
  ['attribute:ecs.instance-type == g2.2xlarge', false, {}, 'built-in attribute'],
  ['attribute:stack == prod', true, {}, 'custom attribute'],
  ['attribute:stack != prod', false, {}, 'exclude an attribute value'],
  ['attribute:ecs.instance-type in [t2.small, t2.medium]', true, {}, 'multiple attribute values'],
  ['attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a', true, {}, 'multiple attributes'],
  ['attribute:ecs.instance-type =~ t2.*', true, {}, 'memberOf T2 instances'],
  ['task:group == databases', false, {}, 'memberOf the databases group'],
];

const OPERATORS: Row[] = [
  ['attribute:stack equals prod', true],
  ['attribute:stack EQUALS prod', true, {}, 'word operators are case-insensitive'],
  ['attribute:stack not_equals prod', false],
  ['attribute:stack Not_Equals dev', true],
  ['attribute:stack==prod', true, {}, 'no spaces needed around symbols'],
  ['attribute:stack!=dev', true],
  ['attribute:weight > 9', true, {}, 'numeric when both sides are numbers, not "10" < "9"'],
  ['attribute:weight greater_than 10', false],
  ['attribute:weight >= 10', true],
  ['attribute:weight greater_than_equal 11', false],
  ['attribute:weight < 9', false],
  ['attribute:weight less_than 11', true],
  ['attribute:weight <= 10', true],
  ['attribute:weight less_than_equal 9', false],
  ['attribute:ecs.os-type > a', true, {}, 'by code unit for strings'],
  ['attribute:ecs.os-type < linux', false],
  ['attribute:missing > 0', false, {}, 'ordering on a missing attribute is false'],
  ['attribute:missing <= 0', false],
];

const LOGIC: Row[] = [
  ['attribute:stack == prod && runningTasksCount == 1', true],
  ['attribute:stack == prod AND runningTasksCount == 2', false],
  ['attribute:stack == dev || runningTasksCount == 1', true],
  ['attribute:stack == dev OR runningTasksCount == 2', false],
  ['!attribute:stack == dev', true, {}, '! before a condition'],
  ['! (attribute:stack == prod)', false],
  ['NOT attribute:stack == prod', false],
  ['not not attribute:stack == prod', true],
  ['!!attribute:stack == prod', true],
  ['attribute:stack == prod or attribute:stack == dev and runningTasksCount == 5', true, {}, 'and binds tighter than or'],
  ['attribute:stack == dev and runningTasksCount == 5 or attribute:stack == prod', true, {}, 'and binds tighter than or, other side'],
  ['(attribute:stack == prod or attribute:stack == dev) and runningTasksCount == 5', false, {}, 'parentheses override'],
  ['not attribute:stack == prod and runningTasksCount == 5', false, {}, 'not binds tighter than and'],
  ['not attribute:stack == prod or runningTasksCount == 1', true, {}, 'not binds tighter than or'],
  ['not (attribute:stack == prod or runningTasksCount == 1)', false],
  ['((attribute:stack == prod))', true, {}, 'nested parentheses'],
  ['(attribute:stack == dev || (runningTasksCount == 1 && !(task:group == database)))', true],
  ['attribute:stack == prod and\n\tattribute:ecs.os-type == linux', true, {}, 'any whitespace separates'],
];

const WILDCARDS_AND_LISTS: Row[] = [
  ['attribute:ecs.instance-type == t2.*', true],
  ['attribute:ecs.instance-type == *.small', true],
  ['attribute:ecs.instance-type == t*l', true],
  ['attribute:ecs.instance-type == t3.*', false],
  ['attribute:ecs.instance-type == t2x*', false, {}, 'a dot in a wildcard value is literal'],
  ['attribute:ecs.instance-type != t3.*', true],
  ['attribute:ecs.instance-type == *', true],
  ['attribute:missing == *', false, {}, 'a missing attribute matches no value'],
  ['attribute:ecs.capability.external == *', true, {}, 'a valueless attribute compares as the empty string'],
  ['task:group == service:*', true],
  ['task:group == daemon:*', false],
  ['ec2InstanceId == i-*', true],
  ['attribute:ecs.instance-type in [m5.*, t2.*]', true],
  ['attribute:ecs.instance-type not_in [m5.*, t2.*]', false],
  ['attribute:ecs.availability-zone !in [us-east-1b, us-east-1c]', true],
  ['attribute:ecs.availability-zone NOT_IN [us-east-1a]', false],
  ['attribute:ecs.availability-zone IN [us-east-1a]', true],
  ["attribute:ecs.availability-zone in ['us-east-1b', \"us-east-1a\"]", true, {}, 'quoted list values'],
  ['attribute:missing in [a, b]', false],
  ['attribute:missing not_in [a, b]', true],
  ['task:group in [service:api, family:web]', true, {}, 'any task group in the list'],
  ['task:group not_in [service:api, family:db]', true],
  ['task:group != service:production', false, {}, 'a host of that service'],
  ['task:group != database', true, { taskGroups: new Set() }, 'an empty instance hosts no group'],
  ['task:group == service:production', false, { taskGroups: new Set() }],
];

const EXISTS_AND_MATCHES: Row[] = [
  ['attribute:ecs.capability.external exists', true, {}, 'a valueless attribute exists'],
  ['attribute:ecs.capability.external !exists', true, { attributes: new Map([['stack', 'prod']]) }, 'not an external instance'],
  ['attribute:missing exists', false],
  ['attribute:missing !exists', true],
  ['attribute:stack not_exists', false],
  ['attribute:stack EXISTS', true],
  ['not attribute:missing exists', true],
  ['attribute:ecs.instance-type =~ t2\\.(small|medium)', true, {}, 'regex with a group'],
  ['attribute:ecs.instance-type =~ small', false, {}, 'anchored on the whole value'],
  ['attribute:ecs.instance-type =~ .*small', true],
  ['attribute:ecs.instance-type =~ t2.small', true, withAttrs({ 'ecs.instance-type': 't2xsmall' }), 'a regex dot is any character'],
  ['attribute:ecs.instance-type !~ t2.*', false],
  ['attribute:ecs.instance-type not_matches m5.*', true],
  ['attribute:ecs.instance-type MATCHES [tm][25]\\..+', true, {}, 'character classes'],
  ["attribute:ecs.instance-type matches '(?i)T2\\.SMALL'", true, {}, 'Java inline flag (?i)'],
  ['ec2InstanceId =~ i-[0-9a-f]{8}', true],
  ['ec2InstanceId =~ i-[a-f0-9]{4,8}', true, {}, 'a comma inside a regex quantifier'],
  ['not(attribute:ecs.instance-type =~ t2.*)', false, {}, 'an unquoted regex ends at the closing parenthesis'],
  ['(attribute:ecs.instance-type =~ (t2|m5).* and runningTasksCount == 1)', true],
  ['attribute:owner =~ "Jane .*"', true, {}, 'a quoted regex may hold spaces'],
  ['attribute:missing =~ .*', false],
  ['attribute:missing !~ .*', true],
  ['agentConnected =~ tr.*', true],
  ['task:group =~ service:.*', true],
  ['task:group !~ service:.*', false],
  ['ec2InstanceId =~ i-.*', false, { ec2InstanceId: undefined }, 'an external instance has no EC2 id'],
];

const SUBJECTS: Row[] = [
  ['agentConnected == true', true],
  ['agentConnected == false', true, { agentConnected: false }],
  ['agentConnected != true', false],
  ['agentConnected equals TRUE', true, {}, 'booleans in any case'],
  ['agentConnected in [false]', false],
  ['agentVersion >= 1.14.4', true],
  ['agentVersion == 1.14.4', true],
  ['agentVersion > 1.9.0', true, {}, 'numerically by part'],
  ['agentVersion < 1.2', false],
  ['agentVersion <= 1.14', false],
  ['agentVersion == 1.14.*', true, {}, 'a wildcard version'],
  ['agentVersion != 1.14.4', false],
  ['agentVersion < 2.0.0', false, { agentVersion: undefined }, 'no version known'],
  ['agentVersion != 1.0.0', true, { agentVersion: undefined }],
  ['ec2InstanceId == i-abcd1234', true],
  ['ec2InstanceId != i-abcd1234', false],
  ['ec2InstanceId == "i-abcd1234"', true],
  ['ec2InstanceId != i-abcd1234', true, { ec2InstanceId: undefined }],
  ['attribute:team/owner == a:b', true, {}, 'slashes in names, colons in values'],
  ['attribute:com.example:tier == gold', true, {}, 'a colon in an attribute name'],
  ['attribute:ecs.ami-id == ami-1234abcd', true],
  ["attribute:owner == 'Jane Doe'", true, {}, 'a quoted value with a space'],
  ['attribute:owner == "Jane Doe"', true],
  ["attribute:quote == 'it\\'s'", true, {}, 'an escaped quote'],
  ['attribute:quote == "it\'s"', true],
  ['attribute:ecs.os-type == linux', true],
  ['attribute:ecs.os-type == linux and attribute:ecs.cpu-architecture == arm64', false],
  ['runningTasksCount != 0', true],
  ['runningTasksCount > 0', true],
  ['runningTasksCount >= 1', true],
  ['runningTasksCount < 1', false],
  ['runningTasksCount <= 0', false],
  ['runningTasksCount greater_than 9', true, { runningTasksCount: 10 }, 'numerically, not as text'],
  ['runningTasksCount == 0', true, { runningTasksCount: 0 }, 'an empty instance'],
  ['registeredAt > 2018-02-13', false],
  ['registeredAt == 2018-02-01', true, {}, 'a date is its whole UTC day'],
  ['registeredAt != 2018-02-01', false],
  ['registeredAt >= 2018-02-01', true],
  ['registeredAt <= 2018-02-01', true],
  ['registeredAt < 2018-02-01', false],
  ['registeredAt > 2018-02-01', false],
  ['registeredAt == 2018-02-01T12:00:00Z', true],
  ['registeredAt == 2018-02-01T12:00:00+00:00', true],
  ['registeredAt == 2018-02-01T13:00:00+01:00', true, {}, 'an offset'],
  ['registeredAt == 2018-02-01T12:00:00', true, {}, 'no offset is UTC'],
  ['registeredAt > 2018-02-01T11:59:59Z', true],
  ['registeredAt greater_than_equal 2016-12-01T00:00:00Z', true],
  ['registeredAt less_than 2018-02-01T12:00:00.001Z', true, {}, 'fractional seconds'],
];

const ERRORS: ReadonlyArray<readonly [string, RegExp]> = [
  ['', /empty expression/],
  ['   ', /empty expression/],
  ['attribute:stack', /expected an operator after 'attribute:stack' but found nothing/],
  ['attribute:stack prod', /expected an operator/],
  ['attribute: == x', /expected an attribute name/],
  ['foo == bar', /expected a subject/],
  ['AgentConnected == true', /expected a subject/],
  ['== prod', /expected a subject/],
  ['attribute:stack = prod', /expected '==' or '=~'/],
  ['attribute:stack ~ prod', /unexpected '~'/],
  ['attribute:stack == ', /expected a value but found nothing/],
  ['attribute:stack == (prod)', /expected a value but found '\('/],
  ["attribute:stack == 'prod", /unterminated quoted value/],
  ['attribute:stack in us-east-1a', /expected '\[' to start the list/],
  ['attribute:stack in [a, b', /expected ',' or '\]'/],
  ['attribute:stack in [a,, b]', /expected a value/],
  ['attribute:stack in []', /expected a value/],
  ['(attribute:stack == prod', /expected '\)'/],
  ['attribute:stack == prod)', /unexpected '\)'/],
  ['attribute:stack == prod and', /expected a subject .* but found nothing/],
  ['attribute:stack == prod attribute:x == y', /unexpected 'attribute:x'; expected 'and', 'or' or the end/],
  ['attribute:stack == a & attribute:x exists', /expected '&&'/],
  ['attribute:stack == a | attribute:x exists', /expected '\|\|'/],
  ['attribute:stack =~ [a-', /invalid regular expression/],
  ['attribute:stack =~', /expected a regular expression/],
  ['!', /expected a subject/],
  ['not', /expected a subject/],
  ['()', /expected a subject/],
  ['runningTasksCount in [1, 2]', /operator 'in' is not valid for runningTasksCount/],
  ['runningTasksCount == one', /runningTasksCount takes a whole number/],
  ['runningTasksCount > -1', /whole number/],
  ['registeredAt exists', /not valid for registeredAt/],
  ['registeredAt =~ 2018.*', /not valid for registeredAt/],
  ['registeredAt < 2018-02-30', /registeredAt takes a date/],
  ['registeredAt < yesterday', /takes a date/],
  ['registeredAt < 2018-02-01T25:00:00Z', /takes a date/],
  ['agentVersion =~ 1.*', /not valid for agentVersion/],
  ['agentVersion < latest', /takes a version/],
  ['agentConnected == yes', /takes true or false/],
  ['agentConnected > true', /not valid for agentConnected/],
  ['ec2InstanceId > i-1', /not valid for ec2InstanceId/],
  ['ec2InstanceId exists', /not valid for ec2InstanceId/],
  ['task:group exists', /not valid for task:group/],
  [`attribute:a == ${'x'.repeat(MAX_QUERY_LENGTH)}`, /longer than 2000 characters/],
];

function target(over: Partial<QueryTarget> = {}): QueryTarget {
  return { ...BASE, ...over };
}

function table(title: string, rows: readonly Row[]): void {
  describe(title, () => {
    for (const [q, want, over, why] of rows) {
      it(`${JSON.stringify(q)} is ${want}${why ? ` (${why})` : ''}`, () => {
        assert.equal(evaluateQuery(parseQuery(q), target(over)), want);
        assert.equal(compileQuery(q)(target(over)), want);
      });
    }
  });
}

describe('the cluster query language', () => {
  table('the ECS documentation examples', DOC_EXAMPLES);
  table('comparison operators, symbols and words', OPERATORS);
  table('and, or, not and precedence', LOGIC);
  table('wildcards and argument lists', WILDCARDS_AND_LISTS);
  table('exists and regular expressions', EXISTS_AND_MATCHES);
  table('each subject', SUBJECTS);

  describe('syntax errors', () => {
    for (const [q, message] of ERRORS) {
      it(`rejects ${JSON.stringify(q.length > 60 ? q.slice(0, 60) + '…' : q)}`, () => {
        assert.throws(() => parseQuery(q), (e: unknown) => {
          assert.ok(e instanceof QuerySyntaxError, `${String(e)} is a QuerySyntaxError`);
          assert.match(e.message, message);
          assert.match(e.message, /^Invalid query expression: /);
          assert.ok(e.position >= 0 && e.position <= q.length);
          return true;
        });
        assert.throws(() => compileQuery(q), QuerySyntaxError);
      });
    }

    it('accepts an expression of exactly the maximum length', () => {
      const q = `attribute:a == ${'x'.repeat(MAX_QUERY_LENGTH - 'attribute:a == '.length)}`;
      assert.equal(q.length, MAX_QUERY_LENGTH);
      assert.equal(compileQuery(q)(target()), false);
    });

    it('points at the offending token', () => {
      assert.throws(() => parseQuery('attribute:stack == prod )'), (e: unknown) => e instanceof QuerySyntaxError && e.position === 24);
    });
  });

  describe('the syntax tree', () => {
    it('reads and/or left-associatively with and tighter than or', () => {
      const c = (v: string): QueryExpr => ({ kind: 'compare', subject: { kind: 'attribute', name: 'x' }, op: 'equals', value: v });
      assert.deepEqual(parseQuery('attribute:x == a or attribute:x == b and attribute:x == c or attribute:x == d'), {
        kind: 'or',
        left: { kind: 'or', left: c('a'), right: { kind: 'and', left: c('b'), right: c('c') } },
        right: c('d'),
      });
    });

    it('keeps operators in canonical form whichever spelling was used', () => {
      assert.deepEqual(parseQuery('task:group NOT_IN [a, "b c"]'), {
        kind: 'in', subject: { kind: 'field', name: 'task:group' }, negated: true, values: ['a', 'b c'],
      });
      assert.deepEqual(parseQuery('attribute:ecs.instance-type !~ t2.*'), parseQuery('attribute:ecs.instance-type not_matches t2.*'));
      assert.deepEqual(parseQuery('attribute:a !exists'), parseQuery('attribute:a NOT_EXISTS'));
      assert.deepEqual(parseQuery('runningTasksCount >= 2'), parseQuery('runningTasksCount greater_than_equal 2'));
    });

    it('prints the documentation examples back to equivalent text', () => {
      for (const [q] of DOC_EXAMPLES) assert.deepEqual(parseQuery(printQuery(parseQuery(q))), parseQuery(q));
    });
  });

  it('evaluates a compiled query across 5,000 instances quickly', () => {
    const p = compileQuery('attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == database) and runningTasksCount < 10');
    const instances = Array.from({ length: 5000 }, (_, i) => target({ runningTasksCount: i % 20 }));
    const started = performance.now();
    let n = 0;
    for (let round = 0; round < 10; round++) for (const t of instances) if (p(t)) n++;
    assert.equal(n, 10 * 2500);
    assert.ok(performance.now() - started < 1000, 'within a second for 50,000 evaluations');
  });

  describe('properties', () => {
    it('not (E) is always the negation of E', () => {
      fc.assert(fc.property(arbExpr, arbTarget, (e, t) => {
        assert.equal(evaluateQuery(parseQuery(`not (${printQuery(e)})`), t), !evaluateQuery(e, t));
      }), { numRuns: 500 });
    });

    it('printing then parsing gives the same tree', () => {
      fc.assert(fc.property(arbExpr, (e) => {
        // fast-check records have a null prototype; compare as plain data.
        assert.deepEqual(parseQuery(printQuery(e)), JSON.parse(JSON.stringify(e)));
      }), { numRuns: 1000 });
    });

    it('compileQuery agrees with evaluateQuery, and De Morgan holds', () => {
      fc.assert(fc.property(arbExpr, arbExpr, arbTarget, (a, b, t) => {
        const [pa, pb] = [printQuery(a), printQuery(b)];
        assert.equal(compileQuery(pa)(t), evaluateQuery(a, t));
        assert.equal(compileQuery(`!((${pa}) && (${pb}))`)(t), compileQuery(`!(${pa}) || !(${pb})`)(t));
        assert.equal(compileQuery(`(${pa}) AND (${pb})`)(t), evaluateQuery(a, t) && evaluateQuery(b, t));
      }), { numRuns: 300 });
    });

    it('any text either parses or throws a QuerySyntaxError', () => {
      const piece = fc.constantFrom(
        'attribute:a', 'task:group', 'runningTasksCount', 'registeredAt', 'agentVersion', ' ', '==', '!=', '>', '<=', '=~', '!~',
        '!in', '!exists', 'in', 'not', 'and', 'or', '&&', '||', '!', '(', ')', '[', ']', ',', "'", '"', 'x', '1', '2018-01-01', '*', '\\', '&', '|', '~', '=',
      );
      fc.assert(fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), fc.string(), (text, noise) => {
        for (const q of [text, noise]) {
          try { parseQuery(q); } catch (e) { assert.ok(e instanceof QuerySyntaxError, `${q}: ${String(e)}`); }
        }
      }), { numRuns: 2000 });
    });
  });
});

// ---- generators for the property tests ----

const ATTR_NAMES = ['stack', 'ecs.instance-type', 'team/owner', 'com.example:tier', 'x'];
const attrSubject: fc.Arbitrary<Subject> = fc.constantFrom(...ATTR_NAMES).map((name) => ({ kind: 'attribute', name }));
const attrValue = fc.oneof(fc.constantFrom('prod', 'dev', 't2.small', 't2.*', '*', '10', '9', 'Jane Doe', "it's", 'a"b\'c', 'back\\slash', '', 'and', 'in', '(x)'), fc.string({ maxLength: 8 }));
const ORDER_OPS: CompareOp[] = ['equals', 'not_equals', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal'];
const compareOp = fc.constantFrom(...ORDER_OPS);
const eqOp = fc.constantFrom<CompareOp>('equals', 'not_equals');
const pattern = fc.constantFrom('t2.*', '(g2|t2)\\..*', '\\d+', 'a b', '[)]x', "it's", '.*', '(?i)PROD');
const field = (name: 'agentConnected' | 'agentVersion' | 'ec2InstanceId' | 'registeredAt' | 'runningTasksCount' | 'task:group'): Subject => ({ kind: 'field', name });

function stringConditions(subject: Subject, values: fc.Arbitrary<string>): fc.Arbitrary<Condition>[] {
  return [
    fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(subject), op: eqOp, value: values }),
    fc.record({ kind: fc.constant('in' as const), subject: fc.constant(subject), negated: fc.boolean(), values: fc.array(values, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('matches' as const), subject: fc.constant(subject), negated: fc.boolean(), pattern }),
  ];
}

const arbCondition: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), subject: attrSubject, op: compareOp, value: attrValue }),
  fc.record({ kind: fc.constant('in' as const), subject: attrSubject, negated: fc.boolean(), values: fc.array(attrValue, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('matches' as const), subject: attrSubject, negated: fc.boolean(), pattern }),
  fc.record({ kind: fc.constant('exists' as const), subject: attrSubject, negated: fc.boolean() }),
  fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(field('runningTasksCount')), op: compareOp, value: fc.nat(12).map(String) }),
  fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(field('registeredAt')), op: compareOp, value: fc.constantFrom('2018-02-01', '2018-02-13', '2018-02-01T12:00:00Z', '2018-02-01T13:00:00+01:00', '2017-12-31T23:59:59') }),
  fc.record({ kind: fc.constant('compare' as const), subject: fc.constant(field('agentVersion')), op: compareOp, value: fc.constantFrom('1.14.5', '1.14.4', '1.9', '2') }),
  ...stringConditions(field('agentConnected'), fc.constantFrom('true', 'false')).slice(0, 2),
  ...stringConditions(field('ec2InstanceId'), fc.constantFrom('i-abcd1234', 'i-*', 'i-wxyz7890')),
  ...stringConditions(field('task:group'), fc.constantFrom('service:production', 'service:*', 'database', 'family:web')),
);

const { expr: arbExpr } = fc.letrec<{ expr: QueryExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbCondition,
    fc.record({ kind: fc.constant('and' as const), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('or' as const), left: tie('expr'), right: tie('expr') }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('expr') }),
  ),
}));

const arbTarget: fc.Arbitrary<QueryTarget> = fc.record({
  ec2InstanceId: fc.option(fc.constantFrom('i-abcd1234', 'i-wxyz7890'), { nil: undefined }),
  attributes: fc.array(fc.tuple(fc.constantFrom(...ATTR_NAMES), fc.option(attrValue, { nil: undefined }))).map((kv) => new Map(kv)),
  runningTasksCount: fc.nat(12),
  registeredAt: fc.constantFrom('2018-02-01T12:00:00Z', '2018-02-01T00:00:00Z', '2018-02-13T08:00:00Z', '2017-06-01T00:00:00Z').map(Date.parse),
  agentConnected: fc.boolean(),
  agentVersion: fc.option(fc.constantFrom('1.14.4', '1.14.5', '1.9.0', '2.0.1'), { nil: undefined }),
  taskGroups: fc.subarray(['service:production', 'database', 'family:web']).map((g) => new Set(g)),
}, { requiredKeys: ['attributes', 'runningTasksCount', 'registeredAt', 'agentConnected', 'taskGroups'] });
