import { REJECTION, type InstanceView, type PlacementConstraint, type Rejection, type TaskNeed } from './types.js';

/**
 * Placement constraints: binding rules (unlike strategies, which are best effort). Pure predicates
 * like the checks; they run after them (see pipeline.ts).
 */

/**
 * distinctInstance: "each task in a particular group is running on a different container
 * instance". The instance is refused if it already holds a non-STOPPED task of the group — which,
 * on the pipeline's working copy, includes the tasks placed earlier in the same request.
 */
export function distinctInstanceCheck(need: TaskNeed, i: InstanceView): Rejection | undefined {
  return (i.taskGroups.get(need.group) ?? 0) > 0 ? REJECTION.distinctInstance : undefined;
}

/** memberOf: the instance must satisfy the (already compiled) cluster query language expression. */
export function memberOfCheck(test: (i: InstanceView) => boolean, i: InstanceView): Rejection | undefined {
  return test(i) ? undefined : REJECTION.memberOf;
}

/** The constraints of a request, sorted out once per request. */
export interface CompiledConstraints { distinct: boolean; memberOf: ((i: InstanceView) => boolean)[] }

export function compileConstraints(constraints: readonly PlacementConstraint[]): CompiledConstraints {
  const memberOf: ((i: InstanceView) => boolean)[] = [];
  let distinct = false;
  for (const c of constraints) {
    if (c.type === 'distinctInstance') distinct = true;
    else memberOf.push(c.test);
  }
  return { distinct, memberOf };
}

/** All constraints of a request against one instance: the first one it fails, or undefined. */
export function constraintCheck(cc: CompiledConstraints, need: TaskNeed, i: InstanceView): Rejection | undefined {
  for (let k = 0; k < cc.memberOf.length; k++) if (!cc.memberOf[k](i)) return REJECTION.memberOf;
  return cc.distinct ? distinctInstanceCheck(need, i) : undefined;
}
