/**
 * The syntax tree of a cluster query, and a printer that writes it back as text.
 *
 * Values are kept as the text the user wrote (quotes removed); their meaning per subject (a date, a
 * count, a version) is checked by the parser and worked out once by the compiler. The tree is plain
 * data: it can be logged, compared with deepEqual, and printed back (`parseQuery(printQuery(e))`
 * gives `e` again).
 */

/** Fields of a container instance that a query can name, spelled as in the ECS documentation. */
export const FIELDS = ['agentConnected', 'agentVersion', 'ec2InstanceId', 'registeredAt', 'runningTasksCount', 'task:group'] as const;
export type Field = (typeof FIELDS)[number];

export type Subject =
  | { readonly kind: 'field'; readonly name: Field }
  /** `attribute:<name>`; `name` is without the prefix. */
  | { readonly kind: 'attribute'; readonly name: string };

/** Canonical (word) names of the comparison operators that take one value. */
export type CompareOp = 'equals' | 'not_equals' | 'greater_than' | 'greater_than_equal' | 'less_than' | 'less_than_equal';

export type Condition =
  | { readonly kind: 'compare'; readonly subject: Subject; readonly op: CompareOp; readonly value: string }
  /** `in [..]`, or `not_in` / `!in` when negated. */
  | { readonly kind: 'in'; readonly subject: Subject; readonly negated: boolean; readonly values: readonly string[] }
  /** `=~` / `matches`, or `!~` / `not_matches` when negated. */
  | { readonly kind: 'matches'; readonly subject: Subject; readonly negated: boolean; readonly pattern: string }
  /** `exists`, or `!exists` / `not_exists` when negated. */
  | { readonly kind: 'exists'; readonly subject: Subject; readonly negated: boolean };

export type QueryExpr =
  | Condition
  | { readonly kind: 'and'; readonly left: QueryExpr; readonly right: QueryExpr }
  | { readonly kind: 'or'; readonly left: QueryExpr; readonly right: QueryExpr }
  | { readonly kind: 'not'; readonly operand: QueryExpr };

export const COMPARE_SYMBOL: Readonly<Record<CompareOp, string>> = {
  equals: '==', not_equals: '!=', greater_than: '>', greater_than_equal: '>=', less_than: '<', less_than_equal: '<=',
};

export function subjectText(s: Subject): string {
  return s.kind === 'attribute' ? `attribute:${s.name}` : s.name;
}

/** A value printed bare when the lexer reads it back as one word, quoted otherwise. */
const BARE = /^[^\s()[\],'"=!<>~&|]+$/;
const BARE_PATTERN = /^[\w.*+?:/@-]+$/;

function quote(v: string): string {
  const q = v.includes("'") && !v.includes('"') ? '"' : "'";
  return q + v.replaceAll('\\', '\\\\').replaceAll(q, '\\' + q) + q;
}

const value = (v: string): string => (BARE.test(v) ? v : quote(v));

/** Binding strength: or < and < not/condition. */
const rank = (e: QueryExpr): number => (e.kind === 'or' ? 1 : e.kind === 'and' ? 2 : 3);

/**
 * Writes an expression back as query text, with symbol operators and the fewest parentheses that
 * keep its shape (`and`/`or` chains are left-associative, as the parser reads them).
 */
export function printQuery(e: QueryExpr): string {
  switch (e.kind) {
    case 'and':
    case 'or': {
      const r = rank(e);
      const left = rank(e.left) < r ? `(${printQuery(e.left)})` : printQuery(e.left);
      const right = rank(e.right) <= r ? `(${printQuery(e.right)})` : printQuery(e.right);
      return `${left} ${e.kind === 'and' ? '&&' : '||'} ${right}`;
    }
    case 'not':
      return `not (${printQuery(e.operand)})`;
    case 'compare':
      return `${subjectText(e.subject)} ${COMPARE_SYMBOL[e.op]} ${value(e.value)}`;
    case 'in':
      return `${subjectText(e.subject)} ${e.negated ? '!in' : 'in'} [${e.values.map(value).join(', ')}]`;
    case 'matches':
      return `${subjectText(e.subject)} ${e.negated ? '!~' : '=~'} ${BARE_PATTERN.test(e.pattern) ? e.pattern : quote(e.pattern)}`;
    case 'exists':
      return `${subjectText(e.subject)} ${e.negated ? '!exists' : 'exists'}`;
  }
}
