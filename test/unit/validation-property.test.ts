import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AwsError } from '../../src/edge/errors.js';
import { ecsModel, ecsOperationNames, validateEcsInput } from '../../src/ecs/model/index.js';

/** Either passes or throws a 400 AwsError; anything else (a TypeError, a 500) fails the property. */
function validatesCleanly(operation: string, input: unknown): boolean {
  try {
    validateEcsInput(operation, input);
  } catch (e) {
    assert.ok(e instanceof AwsError, `${operation} threw ${String(e)}`);
    assert.equal(e.status, 400);
  }
  return true;
}

const operations = [...ecsOperationNames].sort();
const anyJson = fc.jsonValue({ maxDepth: 3 });

/**
 * Values shaped like the model (real member names, mostly the right types, enum values, sizes near
 * the bounds) with random JSON mixed in at every level, to reach deep paths that purely random JSON
 * never would. Memoized per shape and depth; beyond depth 4 only random JSON.
 */
const shaped = new Map<string, fc.Arbitrary<unknown>>();
function shapedValue(shape: string, depth: number): fc.Arbitrary<unknown> {
  const memoKey = `${shape}@${depth}`;
  const known = shaped.get(memoKey);
  if (known) return known;
  const def = ecsModel.shapes[shape];
  let arb: fc.Arbitrary<unknown>;
  if (depth > 4) arb = anyJson;
  else {
    switch (def.type) {
      case 'structure':
      case 'union': {
        const members = Object.entries(def.members ?? {}).map(([m, t]) => [m, shapedValue(t, depth + 1)] as const);
        arb = fc.record(Object.fromEntries(members), { requiredKeys: [] });
        break;
      }
      case 'list':
        arb = fc.array(shapedValue(def.member!, depth + 1), { maxLength: def.max !== undefined ? def.max + 1 : 3 });
        break;
      case 'map':
        arb = fc.dictionary(fc.string({ maxLength: 5 }), shapedValue(def.value!, depth + 1), { maxKeys: 3 });
        break;
      case 'string':
        arb = def.enum ? fc.constantFrom(...def.enum, 'NOT_AN_ENUM_VALUE') : fc.string({ maxLength: (def.max ?? 8) + 1 });
        break;
      case 'number':
      case 'timestamp':
        arb = fc.oneof(fc.integer({ min: -2, max: (def.max ?? 100) + 1 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
        break;
      case 'boolean':
        arb = fc.boolean();
        break;
      default:
        arb = anyJson;
    }
  }
  const mixed = fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(null) });
  shaped.set(memoKey, mixed);
  return mixed;
}

describe('validating arbitrary JSON as ECS input', () => {
  it('either accepts it or throws a 400 AwsError, for random JSON and random operations', () => {
    fc.assert(fc.property(fc.constantFrom(...operations), anyJson, validatesCleanly), { numRuns: 2000 });
  });

  it('either accepts it or throws a 400 AwsError, for model-shaped inputs with random JSON mixed in', () => {
    const input = fc.constantFrom(...operations).chain((op) => fc.tuple(fc.constant(op), shapedValue(ecsModel.operations[op].input!, 0)));
    fc.assert(
      fc.property(input, ([operation, value]) => validatesCleanly(operation, JSON.parse(JSON.stringify(value ?? null)))),
      { numRuns: 2000 },
    );
  });
});
