/**
 * The ECS cluster query language (ECS Developer Guide, "Cluster query language"): the expressions
 * of `memberOf` placement constraints and of `ListContainerInstances --filter`.
 *
 * Pure: no I/O. Parse once with compileQuery (or parseQuery + evaluateQuery, which caches the
 * compiled form per tree) and evaluate against many instances.
 */
import { parseQuery } from './parser.js';
import { compile, type Predicate, type QueryTarget } from './evaluate.js';

export { QuerySyntaxError } from './lexer.js';
export { parseQuery, MAX_QUERY_LENGTH } from './parser.js';
export { evaluateQuery, type QueryTarget } from './evaluate.js';
export { printQuery, FIELDS, type QueryExpr, type Condition, type Subject, type CompareOp, type Field } from './ast.js';

/**
 * Parses `text` and returns a predicate over container instances. Throws QuerySyntaxError (message
 * fit for an InvalidParameterException) when the text is not a valid expression.
 */
export function compileQuery(text: string): (t: QueryTarget) => boolean {
  const p: Predicate = compile(parseQuery(text));
  return p;
}
