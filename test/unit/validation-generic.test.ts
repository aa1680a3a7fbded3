import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateInput, type ServiceModel, type ValidationErrorFactory } from '../../src/edge/validation/validate.js';

/** A small model exercising every shape type, independent of ECS. */
const model: ServiceModel = {
  operations: { Put: { input: 'PutInput' }, Ping: {} },
  shapes: {
    PutInput: {
      type: 'structure',
      members: { name: 'Name', items: 'Items', labels: 'Labels', choice: 'Choice', at: 'Timestamp', data: 'Document', blob: 'Blob', next: 'PutInput', toString: 'Name' },
      required: ['name'],
    },
    Name: { type: 'string', min: 2, max: 4 },
    Items: { type: 'list', member: 'Item', min: 1, max: 2 },
    Item: { type: 'structure', members: { size: 'Size', color: 'Color' } },
    Size: { type: 'number', min: 0, max: 10 },
    Color: { type: 'string', enum: ['red', 'blue'] },
    Labels: { type: 'map', key: 'Color', value: 'Name', max: 1 },
    Choice: { type: 'union', members: { a: 'Name', b: 'Size' } },
    Timestamp: { type: 'timestamp' },
    Document: { type: 'document' },
    Blob: { type: 'blob' },
  },
};

class TypeMismatch extends Error {}
class InvalidValue extends Error {}
const errors: ValidationErrorFactory = {
  typeMismatch: (m) => new TypeMismatch(m),
  invalidValue: (m) => new InvalidValue(m),
};

const check = (input: unknown): void => validateInput(model, 'Put', input, errors);

const failures: [string, unknown, typeof TypeMismatch | typeof InvalidValue, RegExp][] = [
  ['a string shorter than its minimum length', { name: 'a' }, InvalidValue, /^Length of 'name' must be between 2 and 4 characters but was 1$/],
  ['a string of five astral characters (five code points, ten UTF-16 units)', { name: '😀😀😀😀😀' }, InvalidValue, /but was 5$/],
  ['an empty list below its minimum size', { name: 'ab', items: [] }, InvalidValue, /^'items' must have between 1 and 2 items but had 0$/],
  ['a number above its maximum', { name: 'ab', items: [{ size: 11 }] }, InvalidValue, /^Value of 'items\[0\]\.size' must be between 0 and 10 but was 11$/],
  ['a map with more entries than allowed', { name: 'ab', labels: { red: 'xx', blue: 'yy' } }, InvalidValue, /^'labels' must have at most 1 entries but had 2$/],
  ['a map key outside the key enum', { name: 'ab', labels: { green: 'xx' } }, InvalidValue, /for 'labels\["green"\]': must be one of red, blue$/],
  ['a map value that is null', { name: 'ab', labels: { red: null } }, TypeMismatch, /^Expected string for 'labels\["red"\]' but got null$/],
  ['a union with two members set', { name: 'ab', choice: { a: 'xx', b: 1 } }, InvalidValue, /^'choice' must set exactly one member of a, b but set 2$/],
  ['a union given as a list', { name: 'ab', choice: [] }, TypeMismatch, /^Expected union for 'choice' but got array$/],
  ['a timestamp given as a string', { name: 'ab', at: '2024-01-01' }, TypeMismatch, /^Expected timestamp \(epoch seconds\) for 'at'/],
  ['a blob given as a number', { name: 'ab', blob: 1 }, TypeMismatch, /^Expected blob/],
  ['a recursive member with a missing required name', { name: 'ab', next: { name: 'cd', next: {} } }, InvalidValue, /^Missing required parameter 'next\.next\.name'$/],
  ['a member named like an Object.prototype property, present with the wrong type', { name: 'ab', toString: 5 }, TypeMismatch, /'toString'/],
  ['a list element of the wrong type after a constraint violation', { name: 'a', items: [{ size: 1 }, 'x'] }, TypeMismatch, /^Expected structure for 'items\[1\]' but got string$/],
  ['an enum value echoed only in part when it is long', { name: 'ab', items: [{ color: 'x'.repeat(1000) }] }, InvalidValue, /"x{100}…"/],
];

describe('the generic validator on a small model', () => {
  for (const [name, input, kind, message] of failures) {
    it(`rejects ${name}`, () => {
      assert.throws(() => check(input), (e: unknown) => e instanceof kind && message.test((e as Error).message));
    });
  }

  it('accepts a value for every member type', () => {
    check({ name: 'abcd', items: [{ size: 0, color: 'red' }, { size: 10 }], labels: { blue: 'xx' }, choice: { b: 0 }, at: 0, data: [null, { x: 1 }], blob: 'AAEC', next: { name: 'cd' } });
  });

  it('does not mistake an inherited Object.prototype property for a member', () => {
    check({ name: 'ab' });
  });

  it('accepts any object for an operation without an input shape, and rejects a non-object', () => {
    validateInput(model, 'Ping', { anything: 1 }, errors);
    assert.throws(() => validateInput(model, 'Ping', 7, errors), TypeMismatch);
  });

  it('throws a RangeError for an operation the model does not have', () => {
    assert.throws(() => validateInput(model, 'Nope', {}, errors), RangeError);
  });

  it('refuses a model that references a shape it does not define', () => {
    const broken: ServiceModel = { operations: { X: { input: 'Missing' } }, shapes: {} };
    assert.throws(() => validateInput(broken, 'X', {}, errors), /unknown shape Missing/);
  });
});
