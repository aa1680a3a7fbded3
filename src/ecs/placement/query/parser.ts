import { Lexer, QuerySyntaxError, type Token } from './lexer.js';
import { FIELDS, subjectText, type CompareOp, type Condition, type Field, type QueryExpr, type Subject } from './ast.js';
import { readCount, readDate, readPattern, readVersion } from './values.js';

/**
 * Grammar (ECS Developer Guide, "Cluster query language"), lowest binding first:
 *
 *   query     := or EOF
 *   or        := and (('||' | 'or') and)*
 *   and       := unary (('&&' | 'and') unary)*
 *   unary     := ('!' | 'not') unary | '(' or ')' | condition
 *   condition := subject operator [argument]
 *
 * `not` binds tighter than `and`, which binds tighter than `or` (the usual order; the docs only show
 * `(expression1 or expression2) and expression3`). Word operators and keywords are
 * case-insensitive; subjects are spelled as documented. A value is one word or quoted string, never
 * parenthesised (the docs: "a single expression can't contain parentheses").
 */

/** Expressions longer than this are rejected, like ECS's limit on a memberOf expression. */
export const MAX_QUERY_LENGTH = 2000;

type OpName = CompareOp | 'exists' | 'not_exists' | 'in' | 'not_in' | 'matches' | 'not_matches';

const SYMBOLS: Readonly<Record<string, OpName>> = {
  '==': 'equals', '!=': 'not_equals', '>': 'greater_than', '>=': 'greater_than_equal', '<': 'less_than',
  '<=': 'less_than_equal', '=~': 'matches', '!~': 'not_matches', '!in': 'not_in', '!exists': 'not_exists',
};
const WORDS = new Set<OpName>([
  'equals', 'not_equals', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal',
  'exists', 'not_exists', 'in', 'not_in', 'matches', 'not_matches',
]);

const ORDERED: readonly OpName[] = ['equals', 'not_equals', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal'];
const STRINGY: readonly OpName[] = ['equals', 'not_equals', 'in', 'not_in', 'matches', 'not_matches'];

/**
 * Operators each field takes, as the docs list them. `task:group` has no list in the docs; it takes
 * the string operators, like `ec2InstanceId`. `attribute:*` takes every operator.
 */
const VALID_OPS: Readonly<Record<Field, readonly OpName[]>> = {
  agentConnected: STRINGY,
  agentVersion: ORDERED,
  ec2InstanceId: STRINGY,
  registeredAt: ORDERED,
  runningTasksCount: ORDERED,
  'task:group': STRINGY,
};

const ATTRIBUTE_PREFIX = 'attribute:';

/** Parses query text into a tree. Throws QuerySyntaxError with a message fit for the API caller. */
export function parseQuery(text: string): QueryExpr {
  if (typeof text !== 'string') throw new QuerySyntaxError('Invalid query expression: not a string', 0);
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(`Invalid query expression: longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  }
  return new Parser(new Lexer(text)).query();
}

class Parser {
  constructor(private readonly lx: Lexer) {}

  query(): QueryExpr {
    if (this.lx.peek().kind === 'eof') throw this.lx.error('empty expression', 0);
    const e = this.or();
    const t = this.lx.peek();
    if (t.kind !== 'eof') throw this.lx.error(`unexpected ${describe(t)}; expected 'and', 'or' or the end`, t.at);
    return e;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  private or(): QueryExpr {
    let left = this.and();
    for (let t = this.lx.peek(); t.kind === 'or' || this.isKeyword(t, 'or'); t = this.lx.peek()) {
      this.lx.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): QueryExpr {
    let left = this.unary();
    for (let t = this.lx.peek(); t.kind === 'and' || this.isKeyword(t, 'and'); t = this.lx.peek()) {
      this.lx.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): QueryExpr {
    const t = this.lx.peek();
    if (t.kind === 'bang' || this.isKeyword(t, 'not')) {
      this.lx.next();
      return { kind: 'not', operand: this.unary() };
    }
    if (t.kind === '(') {
      this.lx.next();
      const inner = this.or();
      const close = this.lx.next();
      if (close.kind !== ')') throw this.lx.error(`expected ')' but found ${describe(close)}`, close.at);
      return inner;
    }
    return this.condition();
  }

  private subject(): Subject {
    const t = this.lx.next();
    if (t.kind === 'word') {
      if (t.text.startsWith(ATTRIBUTE_PREFIX)) {
        const name = t.text.slice(ATTRIBUTE_PREFIX.length);
        if (name === '') throw this.lx.error("expected an attribute name after 'attribute:'", t.at);
        return { kind: 'attribute', name };
      }
      if ((FIELDS as readonly string[]).includes(t.text)) return { kind: 'field', name: t.text as Field };
    }
    throw this.lx.error(`expected a subject (${FIELDS.join(', ')} or attribute:<name>) but found ${describe(t)}`, t.at);
  }

  private operator(subject: Subject): { op: OpName; at: number } {
    const t = this.lx.next();
    const op = t.kind === 'op' ? SYMBOLS[t.text] : t.kind === 'word' ? (t.text.toLowerCase() as OpName) : undefined;
    if (op === undefined || (t.kind === 'word' && !WORDS.has(op))) {
      throw this.lx.error(`expected an operator after '${subjectText(subject)}' but found ${describe(t)}`, t.at);
    }
    if (subject.kind === 'field' && !VALID_OPS[subject.name].includes(op)) {
      throw this.lx.error(`operator '${t.text}' is not valid for ${subject.name} (valid: ${VALID_OPS[subject.name].join(', ')})`, t.at);
    }
    return { op, at: t.at };
  }

  private condition(): Condition {
    const subject = this.subject();
    const { op } = this.operator(subject);
    switch (op) {
      case 'exists':
      case 'not_exists':
        return { kind: 'exists', subject, negated: op === 'not_exists' };
      case 'matches':
      case 'not_matches': {
        const t = this.lx.pattern();
        if (!readPattern(t.text)) throw this.lx.error(`invalid regular expression '${t.text}'`, t.at);
        return { kind: 'matches', subject, negated: op === 'not_matches', pattern: t.text };
      }
      case 'in':
      case 'not_in':
        return { kind: 'in', subject, negated: op === 'not_in', values: this.list(subject, op) };
      default:
        return { kind: 'compare', subject, op, value: this.value(subject, op) };
    }
  }

  private list(subject: Subject, op: OpName): string[] {
    const open = this.lx.next();
    if (open.kind !== '[') throw this.lx.error(`expected '[' to start the list after '${op}' but found ${describe(open)}`, open.at);
    const values = [this.value(subject, op)];
    for (;;) {
      const t = this.lx.next();
      if (t.kind === ']') return values;
      if (t.kind !== ',') throw this.lx.error(`expected ',' or ']' but found ${describe(t)}`, t.at);
      values.push(this.value(subject, op));
    }
  }

  /** One value, checked against what the subject holds. */
  private value(subject: Subject, op: OpName): string {
    const t = this.lx.next();
    if (t.kind !== 'word' && t.kind !== 'string') throw this.lx.error(`expected a value but found ${describe(t)}`, t.at);
    const v = t.text;
    if (subject.kind === 'attribute') return v;
    const bad = (what: string): never => { throw this.lx.error(`${subject.name} takes ${what}, not '${v}'`, t.at); };
    switch (subject.name) {
      case 'runningTasksCount':
        if (readCount(v) === undefined) bad('a whole number');
        break;
      case 'registeredAt':
        if (!readDate(v)) bad('a date such as 2018-06-18 or 2018-06-18T22:28:28Z');
        break;
      case 'agentVersion':
        // `agentVersion == 1.14.*` compares as a string with a wildcard; everything else as versions.
        if (!readVersion(v) && !((op === 'equals' || op === 'not_equals') && v.includes('*'))) bad('a version such as 1.14.5');
        break;
      case 'agentConnected':
        if (v.toLowerCase() !== 'true' && v.toLowerCase() !== 'false') bad('true or false');
        break;
      default:
        break;
    }
    return v;
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'nothing';
    case 'word': return `'${t.text}'`;
    case 'string': return `the quoted value '${t.text}'`;
    default: return `'${t.text}'`;
  }
}
