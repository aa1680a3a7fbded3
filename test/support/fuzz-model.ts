/**
 * fast-check arbitraries generated from a validation `ServiceModel` (src/edge/validation), so
 * wire fuzz tests cover every operation of a model without naming any:
 *
 *  - `valid(shape)`: values the model accepts (right JSON types, required members set, enum
 *    values, lengths/counts/ranges within bounds, unions with exactly one member), with strings
 *    drawn now and then from a pool of real resource names so that operations find something;
 *  - `shaped(shape)`: model-shaped values with random JSON, nulls and odd keys mixed in anywhere;
 *  - `malformed(shape, kind)`: a valid value broken at exactly one place, anywhere in the
 *    schema, with the error code a model-validating AWS JSON frontend must answer and the member
 *    path it must name;
 *  - `withNullAt(shape, value, i)`: a valid value with one optional member, anywhere in the
 *    schema, set to null (which AWS JSON reads as absent).
 *
 * The model has no recursive shapes today; depth limits keep values small all the same.
 */
import fc from 'fast-check';
import type { ServiceModel, ShapeDef } from '../../src/edge/validation/service-model.js';

export interface FuzzModelOptions {
  /** Strings that name real things on the server (names, ARNs); used where their length fits. */
  readonly knownStrings?: readonly string[];
}

/** The error code the validator must answer for a kind of breakage. */
export type ValidationCode = 'SerializationException' | 'InvalidParameterException';

export type BreakKind =
  | 'invalid JSON text'
  | 'non-object body'
  | 'wrong JSON type'
  | 'required member removed'
  | 'value outside the enum'
  | 'string length out of bounds'
  | 'number out of range'
  | 'list or map size out of bounds'
  | 'union with no member set';

/** One request body built to be rejected by model validation. */
export interface MalformedInput {
  readonly kind: BreakKind;
  /** The member path the breakage sits at, in the validator's notation (`a.b[0]["k"]`); '' for the body. */
  readonly path: string;
  readonly expected: ValidationCode;
  /** The request body text. */
  readonly body: string;
  /** The valid value that was broken (for checking the generator's own premise). */
  readonly source: unknown;
}

/** Beyond this depth, structures get their required members only and lists their minimum size. */
const MAX_OPTIONAL_DEPTH = 4;

/** Chance that an optional structure member is present, by depth: wide near the top, sparse below. */
const presenceWeight = (depth: number): number => (depth === 0 ? 5 : depth === 1 ? 3 : 1);

const TRICKY_STRINGS = [
  '', ' ', '*', ':', '/', 'arn:', 'arn:aws:ecs:us-east-1:000000000000:cluster/nobody', '../../etc/passwd', '%00%n%s',
  '\u0000', '\u202e', '😀', '__proto__', 'constructor', 'toString', 'aws:reserved', 'a'.repeat(300),
];

/** Keys that would be dangerous if a server copied request objects into plain objects carelessly. */
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

const SERIALIZATION: ValidationCode = 'SerializationException';
const INVALID_PARAMETER: ValidationCode = 'InvalidParameterException';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A step from a container to a child, in the schema: a structure/union member, a list element, a map value. */
type SchemaStep = { readonly member: string } | 'element' | 'value';

/** A place in an input schema a breakage can be put at, and how to get there from the root. */
interface SchemaSlot {
  readonly steps: readonly SchemaStep[];
  /** `shapes[i]` is the shape of the container `steps[i]` is taken from; the last entry is the slot's own shape. */
  readonly shapes: readonly string[];
  readonly required: boolean;
}

/** Marks a breakage that deletes the slot's member instead of setting it. */
const REMOVE = Symbol('remove');

/** One way to break one request: applied to a clone of a valid value, with a number to pick list elements or text variants by. */
interface Site {
  readonly kind: BreakKind;
  readonly expected: ValidationCode;
  readonly apply: (root: Json, pick: number) => { body: string; path: string };
}

export class ModelArbitraries {
  private readonly validMemo = new Map<string, fc.Arbitrary<Json>>();
  private readonly shapedMemo = new Map<string, fc.Arbitrary<unknown>>();
  private readonly minimalMemo = new Map<string, Json>();
  private readonly known: readonly string[];

  constructor(private readonly model: ServiceModel, options: FuzzModelOptions = {}) {
    this.known = [...(options.knownStrings ?? []), ...TRICKY_STRINGS];
  }

  def(shape: string): ShapeDef {
    const def = this.model.shapes[shape];
    if (def === undefined) throw new Error(`the model has no shape ${shape}`);
    return def;
  }

  /** The input shape of an operation. */
  inputOf(operation: string): string {
    const input = this.model.operations[operation]?.input;
    if (input === undefined) throw new Error(`operation ${operation} has no input shape`);
    return input;
  }

  // -------------------------------------------------------------------------------------------
  // Valid values

  valid(shape: string, depth = 0): fc.Arbitrary<Json> {
    const memoKey = `${shape}@${Math.min(depth, MAX_OPTIONAL_DEPTH + 1)}`;
    let arb = this.validMemo.get(memoKey);
    if (arb === undefined) {
      arb = this.buildValid(shape, this.def(shape), depth);
      this.validMemo.set(memoKey, arb);
    }
    return arb;
  }

  private buildValid(shape: string, def: ShapeDef, depth: number): fc.Arbitrary<Json> {
    const deep = depth > MAX_OPTIONAL_DEPTH;
    switch (def.type) {
      case 'structure': {
        const fields: Record<string, fc.Arbitrary<Json | undefined>> = {};
        for (const [member, target] of Object.entries(def.members ?? {})) {
          const required = def.required?.includes(member) ?? false;
          if (required) fields[member] = this.valid(target, depth + 1);
          else if (!deep) {
            fields[member] = fc.oneof(
              { weight: 10 - presenceWeight(depth), arbitrary: fc.constant(undefined) },
              { weight: presenceWeight(depth), arbitrary: this.valid(target, depth + 1) },
            );
          }
        }
        return fc.record(fields).map((r) => {
          const out: { [k: string]: Json } = {};
          for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
          return out;
        });
      }
      case 'union': {
        const members = Object.entries(def.members ?? {});
        return fc.oneof(...members.map(([m, t]) => this.valid(t, depth + 1).map((v): Json => ({ [m]: v }))));
      }
      case 'list': {
        const min = def.min ?? 0;
        const cap = deep ? min : Math.max(min, depth < 3 ? 3 : 1);
        const max = Math.min(def.max ?? Infinity, cap);
        return fc.array(this.valid(def.member!, depth + 1), { minLength: min, maxLength: max });
      }
      case 'map': {
        const min = def.min ?? 0;
        const max = Math.min(def.max ?? Infinity, Math.max(min, deep ? min : 3));
        const keys = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) }, { weight: 4, arbitrary: this.valid(def.key!, depth + 1) as fc.Arbitrary<string> });
        return fc.dictionary(keys, this.valid(def.value!, depth + 1), { minKeys: min, maxKeys: max, noNullPrototype: true });
      }
      case 'string':
        return this.validString(def);
      case 'number':
        return this.validNumber(def);
      case 'boolean':
        return fc.boolean();
      case 'timestamp':
        return fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }), fc.double({ min: 0, max: 4_000_000_000, noNaN: true }));
      case 'blob':
        return fc.base64String({ maxLength: 24 });
      case 'document':
        return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
      default:
        throw new Error(`shape ${shape} has unsupported type ${String(def.type)}`);
    }
  }

  private validString(def: ShapeDef): fc.Arbitrary<Json> {
    if (def.enum) return fc.constantFrom(...def.enum);
    const min = def.min ?? 0;
    const max = def.max ?? Infinity;
    const fits = (s: string): boolean => { const n = [...s].length; return n >= min && n <= max; };
    const pool = this.known.filter(fits);
    const top = Math.min(max, min + 20);
    const options: fc.WeightedArbitrary<string>[] = [
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: top }) },
      // `binary` units are code points, the unit the model's string lengths count in.
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: top }) },
    ];
    if (pool.length) options.push({ weight: 4, arbitrary: fc.constantFrom(...pool) });
    if (def.min !== undefined || def.max !== undefined) {
      const edges = [min, ...(Number.isFinite(max) ? [max] : [])];
      options.push({ weight: 1, arbitrary: fc.constantFrom(...edges).map((n) => 'x'.repeat(n)) });
    }
    return fc.oneof(...options);
  }

  private validNumber(def: ShapeDef): fc.Arbitrary<Json> {
    if (def.min !== undefined || def.max !== undefined) {
      const min = def.min ?? -1_000_000;
      const max = def.max ?? 1_000_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max), fc.double({ min, max, noNaN: true }));
    }
    return fc.oneof(
      fc.integer({ min: -5, max: 200 }),
      fc.integer(),
      fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, 1e300, 0.5),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
  }

  /**
   * A small valid value, always the same for a shape (required members only, minimum sizes, the
   * first enum value): what `malformed` and `withNullAt` create on the way to a place the random
   * value lacks, and the filler of lists grown past their bounds.
   */
  minimal(shape: string): Json {
    const known = this.minimalMemo.get(shape);
    if (known !== undefined) return structuredClone(known);
    const def = this.def(shape);
    let v: Json;
    switch (def.type) {
      case 'structure': {
        const out: { [k: string]: Json } = {};
        for (const m of def.required ?? []) out[m] = this.minimal(def.members![m]!);
        v = out;
        break;
      }
      case 'union': {
        const [m, t] = Object.entries(def.members ?? {})[0]!;
        v = { [m]: this.minimal(t) };
        break;
      }
      case 'list':
        v = Array.from({ length: def.min ?? 0 }, () => this.minimal(def.member!));
        break;
      case 'map': {
        const out: { [k: string]: Json } = {};
        for (let i = 0; i < (def.min ?? 0); i++) out[`k${i}`] = this.minimal(def.value!);
        v = out;
        break;
      }
      case 'string':
        v = def.enum ? def.enum[0]! : 'x'.repeat(def.min ?? 1);
        break;
      case 'number':
        v = def.min ?? Math.min(1, def.max ?? 1);
        break;
      case 'boolean':
        v = false;
        break;
      case 'timestamp':
        v = 0;
        break;
      case 'blob':
        v = '';
        break;
      default:
        v = {};
    }
    this.minimalMemo.set(shape, v);
    return structuredClone(v);
  }

  // -------------------------------------------------------------------------------------------
  // Random, model-shaped values

  /** Model-shaped values in which any node may be random JSON, null, or carry odd extra keys. */
  shaped(shape: string, depth = 0): fc.Arbitrary<unknown> {
    const memoKey = `${shape}@${Math.min(depth, MAX_OPTIONAL_DEPTH + 1)}`;
    let arb = this.shapedMemo.get(memoKey);
    if (arb === undefined) {
      arb = this.buildShaped(shape, this.def(shape), depth);
      this.shapedMemo.set(memoKey, arb);
    }
    return arb;
  }

  private buildShaped(shape: string, def: ShapeDef, depth: number): fc.Arbitrary<unknown> {
    const randomJson = fc.jsonValue({ maxDepth: 2 });
    if (depth > MAX_OPTIONAL_DEPTH) return fc.oneof(this.valid(shape, depth), randomJson);
    let arb: fc.Arbitrary<unknown>;
    switch (def.type) {
      case 'structure':
      case 'union': {
        const fields: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [m, t] of Object.entries(def.members ?? {})) fields[m] = this.shaped(t, depth + 1);
        const record = fc.record(fields, { requiredKeys: [] });
        arb = fc.tuple(record, fc.option(fc.tuple(fc.constantFrom(...ODD_KEYS), randomJson), { freq: 8 })).map(([r, odd]) => {
          const out: Record<string, unknown> = { ...r };
          if (odd) Object.defineProperty(out, odd[0], { value: odd[1], enumerable: true, configurable: true, writable: true });
          return out;
        });
        break;
      }
      case 'list':
        arb = fc.array(this.shaped(def.member!, depth + 1), { maxLength: def.max !== undefined ? Math.min(def.max + 1, 4) : 4 });
        break;
      case 'map':
        arb = fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...ODD_KEYS)), this.shaped(def.value!, depth + 1), { maxKeys: 3, noNullPrototype: true });
        break;
      default:
        arb = this.valid(shape, depth);
    }
    return fc.oneof({ weight: 8, arbitrary: arb }, { weight: 1, arbitrary: randomJson }, { weight: 1, arbitrary: fc.constant(null) });
  }

  // -------------------------------------------------------------------------------------------
  // Malformed values

  private readonly sitesMemo = new Map<string, Map<BreakKind, Site[]>>();

  /** The kinds of breakage the input `shape` has a place for (the body-level ones always). */
  breakKinds(shape: string): BreakKind[] {
    return [...this.sitesByKind(shape).keys()];
  }

  /**
   * A valid value of `shape` broken at exactly one place by a breakage of `kind`. The place is
   * drawn from the schema, not from the value: members, elements and map entries on the way are
   * created (with minimal valid values) when the random value lacks them, so every place of the
   * schema is reachable however sparse the value is.
   */
  malformed(shape: string, kind: BreakKind): fc.Arbitrary<MalformedInput> {
    const sites = this.sitesByKind(shape).get(kind);
    if (!sites) throw new Error(`${shape} has no place for a breakage of kind '${kind}'`);
    return fc.tuple(this.valid(shape), fc.nat(), fc.nat()).map(([value, sitePick, pick]) => {
      const site = sites[sitePick % sites.length]!;
      const { body, path } = site.apply(structuredClone(value), pick);
      return { kind, path, expected: site.expected, body, source: value };
    });
  }

  /** Any malformed input of `shape`, of any kind it has a place for. */
  anyMalformed(shape: string): fc.Arbitrary<MalformedInput> {
    return fc.constantFrom(...this.breakKinds(shape)).chain((kind) => this.malformed(shape, kind));
  }

  private readonly optionalMemo = new Map<string, SchemaSlot[]>();

  /** Optional structure members (not union members) anywhere in the input `shape`'s schema, depth first. */
  optionalMembers(shape: string): readonly { path: string }[] {
    return this.optionalSlots(shape).map((slot) => ({ path: printSchemaPath(slot) }));
  }

  /**
   * A valid value of `shape` with the `index`th optional member (of `optionalMembers`) set to
   * null, creating its parents with minimal valid values where `value` lacks them. AWS JSON reads
   * a null member as an absent one, so the result is still a valid request.
   */
  withNullAt(shape: string, value: unknown, index: number, pick = 0): { body: string; path: string } {
    const slot = this.optionalSlots(shape)[index];
    if (!slot) throw new Error(`${shape} has no optional member #${index}`);
    const root = structuredClone(value) as Json;
    const { container, key, path } = this.reach(root, slot, pick);
    setOwn(container, key, null);
    return { body: JSON.stringify(root), path };
  }

  private optionalSlots(shape: string): SchemaSlot[] {
    let slots = this.optionalMemo.get(shape);
    if (slots === undefined) {
      // Union members are left out: nulling the one set member would leave the union empty.
      slots = this.slotsOf(shape).filter((s) =>
        typeof s.steps[s.steps.length - 1] === 'object' && !s.required && this.def(s.shapes[s.shapes.length - 2]!).type !== 'union');
      this.optionalMemo.set(shape, slots);
    }
    return slots;
  }

  private sitesByKind(shape: string): Map<BreakKind, Site[]> {
    let byKind = this.sitesMemo.get(shape);
    if (byKind !== undefined) return byKind;
    byKind = new Map();
    const add = (site: Site): void => {
      const list = byKind!.get(site.kind);
      if (list) list.push(site);
      else byKind!.set(site.kind, [site]);
    };
    for (const site of bodySites()) add(site);
    for (const slot of this.slotsOf(shape)) for (const site of this.slotSites(slot)) add(site);
    this.sitesMemo.set(shape, byKind);
    return byKind;
  }

  /** Every member, element and map-value place below the structure `root`, depth first. */
  private slotsOf(root: string): SchemaSlot[] {
    const slots: SchemaSlot[] = [];
    const visit = (shape: string, steps: SchemaStep[], shapes: string[]): void => {
      if (steps.length > 12) return; // no recursive shapes in the model today; a guard if one comes
      const def = this.def(shape);
      const children: [SchemaStep, string, boolean][] =
        def.type === 'structure' || def.type === 'union'
          ? Object.entries(def.members ?? {}).map(([m, t]) => [{ member: m }, t, def.required?.includes(m) ?? false])
          : def.type === 'list' ? [['element', def.member!, false]]
            : def.type === 'map' ? [['value', def.value!, false]]
              : [];
      for (const [step, target, required] of children) {
        const slot: SchemaSlot = { steps: [...steps, step], shapes: [...shapes, target], required };
        slots.push(slot);
        visit(target, slot.steps as SchemaStep[], slot.shapes as string[]);
      }
    };
    visit(root, [], [root]);
    return slots;
  }

  /** The breakages of one schema slot, each a site that walks (and fills in) the path to it first. */
  private slotSites(slot: SchemaSlot): Site[] {
    const def = this.def(slot.shapes[slot.shapes.length - 1]!);
    const inStructure = typeof slot.steps[slot.steps.length - 1] === 'object';
    const sites: Site[] = [];
    const site = (kind: BreakKind, expected: ValidationCode, make: () => Json | typeof REMOVE): void => {
      sites.push({
        kind, expected,
        apply: (root, pick) => {
          const { container, key, path } = this.reach(root, slot, pick);
          const v = make();
          if (v === REMOVE) delete (container as Record<string, Json>)[key as string];
          else setOwn(container, key, v);
          return { body: JSON.stringify(root), path };
        },
      });
    };

    if (inStructure && slot.required) {
      site('required member removed', INVALID_PARAMETER, () => REMOVE);
      // null stands for an absent member in AWS JSON.
      site('required member removed', INVALID_PARAMETER, () => null);
    }
    if (def.type !== 'document') {
      for (const wrong of wrongValues(def.type)) site('wrong JSON type', SERIALIZATION, () => structuredClone(wrong));
      // A null list element or map value is a type error (for a structure member it means absent).
      if (!inStructure) site('wrong JSON type', SERIALIZATION, () => null);
    }
    if (def.type === 'string' && def.enum) {
      const first = def.enum[0]!;
      const near = [`${first}-NOT`, '', first.toLowerCase() === first ? first.toUpperCase() : first.toLowerCase(), ` ${first}`];
      for (const bad of near) if (!def.enum.includes(bad)) site('value outside the enum', INVALID_PARAMETER, () => bad);
    }
    if (def.type === 'string' && !def.enum) {
      if (def.max !== undefined) site('string length out of bounds', INVALID_PARAMETER, () => 'y'.repeat(def.max! + 1));
      if (def.min !== undefined && def.min > 0) site('string length out of bounds', INVALID_PARAMETER, () => 'y'.repeat(def.min! - 1));
    }
    if (def.type === 'number') {
      if (def.max !== undefined) site('number out of range', INVALID_PARAMETER, () => def.max! + 1);
      if (def.min !== undefined) site('number out of range', INVALID_PARAMETER, () => def.min! - 1);
    }
    if (def.type === 'list') {
      if (def.max !== undefined) site('list or map size out of bounds', INVALID_PARAMETER, () => Array.from({ length: def.max! + 1 }, () => this.minimal(def.member!)));
      if (def.min !== undefined && def.min > 0) site('list or map size out of bounds', INVALID_PARAMETER, () => Array.from({ length: def.min! - 1 }, () => this.minimal(def.member!)));
    }
    if (def.type === 'map' && def.max !== undefined) {
      site('list or map size out of bounds', INVALID_PARAMETER, () => Object.fromEntries(Array.from({ length: def.max! + 1 }, (_, i) => [`k${i}`, this.minimal(def.value!)])));
    }
    if (def.type === 'union') site('union with no member set', INVALID_PARAMETER, () => ({}));
    return sites;
  }

  /**
   * Walks `root` (a valid value) down the slot's steps, creating what is missing on the way with
   * minimal valid values, so the value stays valid; returns the slot's container, key and printed
   * path (the validator's notation). `pick` chooses among existing list elements and map entries.
   * Setting a member of a union first clears its other members, so the union keeps exactly one.
   */
  private reach(root: Json, slot: SchemaSlot, pick: number): { container: Json[] | { [k: string]: Json }; key: string | number; path: string } {
    let node = root as Json[] | { [k: string]: Json };
    let path = '';
    for (let i = 0; i < slot.steps.length; i++) {
      const step = slot.steps[i]!;
      const child = slot.shapes[i + 1]!;
      const last = i === slot.steps.length - 1;
      let key: string | number;
      if (step === 'element') {
        const list = node as Json[];
        if (list.length === 0) list.push(this.minimal(child));
        key = pick % list.length;
        path += `[${key}]`;
      } else if (step === 'value') {
        const map = node as { [k: string]: Json };
        let keys = Object.keys(map);
        if (keys.length === 0) {
          setOwn(map, 'k0', this.minimal(child));
          keys = ['k0'];
        }
        key = keys[pick % keys.length]!;
        path += `[${JSON.stringify(key)}]`;
      } else {
        const struct = node as { [k: string]: Json };
        key = step.member;
        if (this.def(slot.shapes[i]!).type === 'union') for (const other of Object.keys(struct)) if (other !== key) delete struct[other];
        path = path === '' ? key : `${path}.${key}`;
        if (!last && (struct[key] === undefined || struct[key] === null)) setOwn(struct, key, this.minimal(child));
      }
      if (last) return { container: node, key, path };
      node = (node as Record<string | number, Json>)[key] as Json[] | { [k: string]: Json };
    }
    throw new Error('a schema slot has at least one step');
  }
}

/** A schema slot's path with list elements as `[]` and map values as `{}` (for messages only). */
function printSchemaPath(slot: SchemaSlot): string {
  let path = '';
  for (const step of slot.steps) {
    if (step === 'element') path += '[]';
    else if (step === 'value') path += '{}';
    else path = path === '' ? step.member : `${path}.${step.member}`;
  }
  return path;
}

/** Breakages of the body as a whole: text that is not JSON, JSON that is not an object. */
function bodySites(): Site[] {
  const corruptions: ((text: string) => string)[] = [
    (t) => t.slice(0, -1),
    (t) => `${t.slice(0, -1)},}`,
    (t) => `${t}}`,
    (t) => `x${t}`,
    (t) => t.replace('{', '['),
    (t) => `${t.slice(0, -1)}${t.length > 2 ? ',' : ''}"k":}`,
    () => '{"unterminated',
    () => "{'single':'quotes'}",
    (t) => t.replace(/"/g, ''),
  ];
  const sites: Site[] = corruptions.map((corrupt) => ({
    kind: 'invalid JSON text', expected: SERIALIZATION,
    apply: (root) => {
      const text = corrupt(JSON.stringify(root));
      return { body: parses(text) ? '{' : text, path: '' };
    },
  }));
  for (const other of [[], 'body', 7, true, false, null] as Json[]) {
    sites.push({ kind: 'non-object body', expected: SERIALIZATION, apply: () => ({ body: JSON.stringify(other), path: '' }) });
  }
  sites.push({ kind: 'non-object body', expected: SERIALIZATION, apply: (root) => ({ body: JSON.stringify([root]), path: '' }) });
  return sites;
}

/** Sets an own member; defineProperty, so that a map key such as `__proto__` stays an own member. */
function setOwn(container: Json[] | { [k: string]: Json }, key: string | number, value: Json): void {
  if (Array.isArray(container)) container[key as number] = value;
  else Object.defineProperty(container, key, { value, enumerable: true, configurable: true, writable: true });
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON values of every type but the one a shape type is encoded as (null excluded). */
function wrongValues(type: ShapeDef['type']): Json[] {
  switch (type) {
    case 'structure':
    case 'union':
    case 'map':
      return [[], 'text', 1, true];
    case 'list':
      return [{}, 'text', 1, false];
    case 'string':
    case 'blob':
      return [1, true, [], {}];
    case 'number':
    case 'timestamp':
      return ['1', true, [], {}];
    case 'boolean':
      return ['true', 1, [], {}];
    default:
      return [];
  }
}
