import type { ConditionContext } from './context.js';
import type { ConditionClause, Version } from './document.js';
import { valueTest } from './operators.js';
import { substitute } from './variables.js';

/**
 * The Condition element, as the IAM User Guide's "Conditions with multiple context keys or
 * values" describes it: all operators and all keys must hold (AND); the values listed for one key
 * are alternatives (OR) — for a negated operator none may match (NOR).
 *
 * A key absent from the request: the positive operators fail, the negated ones hold, `…IfExists`
 * holds; `ForAllValues:` holds (nothing to contradict it), `ForAnyValue:` fails. `Null` tests
 * presence: `"true"` holds when the key is absent. An empty multi-valued key counts as absent.
 */
export function conditionsHold(clauses: readonly ConditionClause[], version: Version, ctx: ConditionContext): boolean {
  for (const c of clauses) if (!clauseHolds(c, version, ctx)) return false;
  return true;
}

function clauseHolds(c: ConditionClause, version: Version, ctx: ConditionContext): boolean {
  const op = c.operator;
  const raw = ctx.get(c.key);
  const requestValues = raw === undefined ? [] : typeof raw === 'string' ? [raw] : [...raw];
  const present = requestValues.length > 0;

  if (op.base === 'Null') {
    return c.values.some((v) => (v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' ? present : false));
  }

  // Policy values with their variables resolved; one that cannot be resolved voids the clause.
  const policyValues: string[] = [];
  for (const v of c.values) {
    const s = substitute(v, version, ctx, op.pattern);
    if (s === undefined) return false;
    policyValues.push(s);
  }

  if (!present) {
    if (op.set === 'ForAllValues') return true;
    if (op.set === 'ForAnyValue') return false;
    return op.ifExists || op.negated;
  }
  const test = valueTest(op);
  // One request value against the policy's values: OR for positive operators, NOR for negated.
  const holdsFor = (r: string): boolean => {
    const any = policyValues.some((p) => test(r, p));
    return op.negated ? !any : any;
  };
  if (op.set === 'ForAllValues') return requestValues.every(holdsFor);
  if (op.set === 'ForAnyValue') return requestValues.some(holdsFor);
  // A multi-valued key without a set qualifier: positive operators want some value to match,
  // negated ones want none to.
  return op.negated ? requestValues.every(holdsFor) : requestValues.some(holdsFor);
}
