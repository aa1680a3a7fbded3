/**
 * Validates an operation's JSON input against a `ServiceModel` (AWS JSON protocols).
 *
 * Contract, mirroring how an AWS JSON frontend treats a request:
 *  - Type errors win. A value of the wrong JSON type anywhere (or a body that is not an object)
 *    is reported through `errors.typeMismatch`, even if a constraint violation precedes it: AWS
 *    deserializes the whole request before it validates constraints.
 *  - Otherwise the first constraint violation in document order (missing required member, value
 *    outside an enum, length/range/size out of bounds, union without exactly one member) is
 *    reported through `errors.invalidValue`.
 *  - Unknown members are ignored, as AWS JSON services do. `null` for a structure member means
 *    absent. List elements and map values must not be null (unless the target is a document).
 *  - Timestamps must be numbers (epoch seconds, as every AWS SDK sends them in AWS JSON).
 *  - Integer and float are not distinguished: any JSON number passes a number check.
 * Messages name the member path, e.g. `containerDefinitions[0].portMappings[1].protocol`.
 *
 * Speed: each model is compiled once (per object identity) into closures; validating a request
 * allocates nothing unless it fails, and then only the message.
 */
import type { ServiceModel, ShapeDef } from './service-model.js';

export type { ServiceModel, ShapeDef, ShapeType } from './service-model.js';

/** Lets the caller choose the error codes; each function returns the error to throw. */
export interface ValidationErrorFactory {
  /** The input is not well-typed JSON for the model (e.g. ECS answers `SerializationException`). */
  typeMismatch(message: string): Error;
  /** The input is well-typed but breaks a model constraint (e.g. `InvalidParameterException`). */
  invalidValue(message: string): Error;
}

/**
 * Throws the factory's error when `input` is not valid for `operation`. `undefined` input (an
 * empty body) is treated as `{}`. Throws a `RangeError` for an operation the model does not have:
 * callers route only known operations.
 */
export function validateInput(model: ServiceModel, operation: string, input: unknown, errors: ValidationErrorFactory): void {
  const check = compiled(model).get(operation);
  if (check === undefined) throw new RangeError(`Operation ${operation} is not in the service model`);
  walk.depth = 0;
  walk.violation = null;
  walk.errors = errors;
  check(input === undefined ? EMPTY : input, walk);
  if (walk.violation !== null) throw errors.invalidValue(walk.violation);
}

// ---------------------------------------------------------------------------------------------
// Walk state. Validation is synchronous and not re-entrant, so one module-level state serves every
// call; the path lives in two parallel arrays indexed by depth and is only formatted on failure.

/** Path segment kinds: a structure member name, a list index, a map key. */
const MEMBER = 0;
const INDEX = 1;
const MAP_KEY = 2;
type Seg = typeof MEMBER | typeof INDEX | typeof MAP_KEY;

interface Walk {
  segs: (string | number)[];
  kinds: Seg[];
  depth: number;
  /** Message of the first constraint violation found, reported once no type error turns up. */
  violation: string | null;
  errors: ValidationErrorFactory;
}

const walk: Walk = { segs: [], kinds: [], depth: 0, violation: null, errors: undefined as unknown as ValidationErrorFactory };
const EMPTY = Object.freeze({});

type Check = (value: unknown, w: Walk) => void;

function pathOf(w: Walk): string {
  let path = '';
  for (let i = 0; i < w.depth; i++) {
    const seg = w.segs[i];
    if (w.kinds[i] === MEMBER) path += path === '' ? seg : `.${seg}`;
    else if (w.kinds[i] === INDEX) path += `[${seg}]`;
    else path += `[${JSON.stringify(seg)}]`;
  }
  return path;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Echoed values are cut short so a huge input cannot make a huge error message. */
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

function mismatch(w: Walk, expected: string, value: unknown): never {
  const where = w.depth === 0 ? 'the request body' : `'${pathOf(w)}'`;
  throw w.errors.typeMismatch(`Expected ${expected} for ${where} but got ${jsonTypeOf(value)}`);
}

function describeBounds(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}

const outOfBounds = (n: number, min: number | undefined, max: number | undefined): boolean =>
  (min !== undefined && n < min) || (max !== undefined && n > max);

/** Length in Unicode code points, the unit of Smithy string length constraints. */
function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Compilation: one closure per shape, memoized per model.

const compiledModels = new WeakMap<ServiceModel, Map<string, Check>>();

function compiled(model: ServiceModel): Map<string, Check> {
  let operations = compiledModels.get(model);
  if (operations === undefined) {
    operations = compileModel(model);
    compiledModels.set(model, operations);
  }
  return operations;
}

function compileModel(model: ServiceModel): Map<string, Check> {
  const checks = new Map<string, Check>();
  const checkFor = (name: string): Check => {
    let check = checks.get(name);
    if (check === undefined) {
      const def = model.shapes[name];
      if (def === undefined) throw new Error(`Service model references unknown shape ${name}`);
      check = compileShape(def, checks, name, checkFor);
      checks.set(name, check);
    }
    return check;
  };
  const operations = new Map<string, Check>();
  for (const [operation, { input }] of Object.entries(model.operations)) {
    operations.set(operation, input === undefined ? compileStructure({ type: 'structure' }, checks, '', checkFor) : checkFor(input));
  }
  return operations;
}

function compileShape(def: ShapeDef, memo: Map<string, Check>, name: string, checkFor: (name: string) => Check): Check {
  switch (def.type) {
    case 'structure':
    case 'union':
      return compileStructure(def, memo, name, checkFor);
    case 'list':
      return compileList(def, checkFor(def.member!));
    case 'map':
      return compileMap(def, checkFor(def.key!), checkFor(def.value!));
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'boolean':
      return (v, w) => {
        if (typeof v !== 'boolean') mismatch(w, 'boolean', v);
      };
    case 'timestamp':
      return (v, w) => {
        if (typeof v !== 'number') mismatch(w, 'timestamp (epoch seconds)', v);
      };
    case 'blob':
      return (v, w) => {
        if (typeof v !== 'string') mismatch(w, 'blob (base64 string)', v);
      };
    case 'document':
      return () => {};
    default:
      throw new Error(`Unsupported shape type ${String((def as ShapeDef).type)}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Structures and unions. The closure is memoized before its member checks are compiled, so
 * recursive shapes resolve; the member checks are filled in right after.
 */
function compileStructure(def: ShapeDef, memo: Map<string, Check>, name: string, checkFor: (name: string) => Check): Check {
  const names = Object.keys(def.members ?? {});
  const n = names.length;
  const checks: Check[] = [];
  const required = names.map((m) => def.required?.includes(m) ?? false);
  // Member names that an inherited Object.prototype property would shadow need an own-property test.
  const needsOwn = names.map((m) => m in Object.prototype);
  const isUnion = def.type === 'union';
  const expected = isUnion ? 'union' : 'structure';
  const check: Check = (v, w) => {
    if (!isObject(v)) return mismatch(w, expected, v);
    const d = w.depth;
    w.depth = d + 1;
    w.kinds[d] = MEMBER;
    let set = 0;
    for (let i = 0; i < n; i++) {
      const member = names[i];
      const mv = needsOwn[i] && !hasOwn.call(v, member) ? undefined : v[member];
      w.segs[d] = member;
      if (mv === undefined || mv === null) {
        if (required[i] && w.violation === null) w.violation = `Missing required parameter '${pathOf(w)}'`;
        continue;
      }
      set++;
      checks[i](mv, w);
    }
    w.depth = d;
    if (isUnion && set !== 1 && w.violation === null) {
      const where = d === 0 ? 'The request' : `'${pathOf(w)}'`;
      w.violation = `${where} must set exactly one member of ${names.join(', ')} but set ${set}`;
    }
  };
  if (name !== '') memo.set(name, check);
  for (const member of names) checks.push(checkFor(def.members![member]));
  return check;
}

function compileList(def: ShapeDef, element: Check): Check {
  const { min, max } = def;
  const bounded = min !== undefined || max !== undefined;
  return (v, w) => {
    if (!Array.isArray(v)) return mismatch(w, 'list', v);
    const n = v.length;
    if (bounded && outOfBounds(n, min, max) && w.violation === null) {
      w.violation = `'${pathOf(w)}' must have ${describeBounds(min, max)} items but had ${n}`;
    }
    const d = w.depth;
    w.depth = d + 1;
    w.kinds[d] = INDEX;
    for (let i = 0; i < n; i++) {
      w.segs[d] = i;
      element(v[i], w);
    }
    w.depth = d;
  };
}

function compileMap(def: ShapeDef, key: Check, value: Check): Check {
  const { min, max } = def;
  const bounded = min !== undefined || max !== undefined;
  return (v, w) => {
    if (!isObject(v)) return mismatch(w, 'map', v);
    if (bounded) {
      let n = 0;
      for (const k in v) if (hasOwn.call(v, k)) n++;
      if (outOfBounds(n, min, max) && w.violation === null) {
        w.violation = `'${pathOf(w)}' must have ${describeBounds(min, max)} entries but had ${n}`;
      }
    }
    const d = w.depth;
    w.depth = d + 1;
    w.kinds[d] = MAP_KEY;
    for (const k in v) {
      if (!hasOwn.call(v, k)) continue;
      w.segs[d] = k;
      key(k, w);
      value(v[k], w);
    }
    w.depth = d;
  };
}

function compileString(def: ShapeDef): Check {
  const allowed = def.enum === undefined ? null : new Set(def.enum);
  const listing = def.enum?.join(', ');
  const { min, max } = def;
  const bounded = min !== undefined || max !== undefined;
  return (v, w) => {
    if (typeof v !== 'string') return mismatch(w, 'string', v);
    if (w.violation !== null) return; // a violation is already pending; only type errors matter now
    if (allowed !== null && !allowed.has(v)) {
      w.violation = `Invalid value ${quote(v)} for '${pathOf(w)}': must be one of ${listing}`;
      return;
    }
    if (bounded) {
      // UTF-16 length bounds the code-point length from both sides (cp <= units <= 2 * cp), so the
      // exact count is needed only near the bounds.
      let n = v.length;
      if ((max !== undefined && n > max) || (min !== undefined && n < 2 * min)) n = codePointLength(v);
      if (outOfBounds(n, min, max)) {
        w.violation = `Length of '${pathOf(w)}' must be ${describeBounds(min, max)} characters but was ${n}`;
      }
    }
  };
}

function compileNumber(def: ShapeDef): Check {
  const { min, max } = def;
  const bounded = min !== undefined || max !== undefined;
  return (v, w) => {
    if (typeof v !== 'number') return mismatch(w, 'number', v);
    if (bounded && outOfBounds(v, min, max) && w.violation === null) {
      w.violation = `Value of '${pathOf(w)}' must be ${describeBounds(min, max)} but was ${v}`;
    }
  };
}
