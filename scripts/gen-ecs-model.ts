/**
 * Generates the validation model of every operation input of a service from its installed
 * `@aws-sdk/client-*` package, plus a hand-maintained constraint overlay: src/ecs/model/ecs-model.json
 * (with src/ecs/model/constraints.ts) and the other services listed in `SERVICES` below. Run
 * through `npm run gen:model` after `npm run build`; `npm run gen:model -- logs` regenerates one.
 *
 * Two sources in the package are combined:
 *  - the runtime Smithy schemas (the `Foo$` exports): the wire truth for member names, member
 *    types, nesting, and required members (a structure's first `requiredCount` members);
 *  - the TypeScript declarations (dist-types/models/*.d.ts): the only place enum value sets and
 *    the link from a member to its enum survive, since the schemas encode enums as plain strings.
 * Both are checked against each other (member set, type kind, required-ness); any disagreement
 * aborts generation rather than producing a subtly wrong model.
 *
 * Output is deterministic: operations and shapes sorted by name, shape keys in a fixed order,
 * members in model order, one entry per line. Regenerating from the same SDK gives the same bytes.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ecsSdk from '@aws-sdk/client-ecs';
import * as logsSdk from '@aws-sdk/client-cloudwatch-logs';
import { ecsConstraints, type Bound } from '../src/ecs/model/constraints.js';
import { logsConstraints } from '../src/logs/model/constraints.js';
import type { ServiceModel, ShapeDef, ShapeType } from '../src/edge/validation/service-model.js';

/** A service whose model is generated: its SDK package, the module's exports, the overlay, the output. */
export interface ServiceSpec {
  readonly packageName: string;
  readonly sdk: Readonly<Record<string, unknown>>;
  readonly constraints: Readonly<Record<string, Bound>>;
  /** Where the committed model lives, resolved from this file's compiled location (dist/scripts/). */
  readonly modelPath: string;
}

const modelFile = (relativeToRepo: string): string => fileURLToPath(new URL(`../../${relativeToRepo}`, import.meta.url));

/** Every generated model, by the short name `npm run gen:model -- <name>` takes. */
export const SERVICES: Readonly<Record<string, ServiceSpec>> = {
  ecs: { packageName: '@aws-sdk/client-ecs', sdk: ecsSdk, constraints: ecsConstraints, modelPath: modelFile('src/ecs/model/ecs-model.json') },
  logs: {
    packageName: '@aws-sdk/client-cloudwatch-logs',
    sdk: logsSdk,
    constraints: logsConstraints,
    modelPath: modelFile('src/logs/model/logs-model.json'),
  },
};

export const ecsModelPath = SERVICES.ecs!.modelPath;

// ---------------------------------------------------------------------------------------------
// Smithy static schema encoding (@smithy/core schema, @smithy/types static-schemas.d.ts).

const OPERATION = 9;
const SIMPLE_NAMED = 0;
const LIST = 1;
const MAP = 2;
const STRUCTURE = 3;
const UNION = 4;
const ERROR = -3;
const LIST_BIT = 0b0100_0000;
const MAP_BIT = 0b1000_0000;

/** Simple-type codes. Timestamp 5/6 (date-time, http-date) travel as strings and are rejected. */
const SIMPLE_TYPES: Record<number, ShapeType> = {
  0: 'string',
  1: 'number',
  2: 'boolean',
  4: 'timestamp', // default format; awsJson1_1 sends epoch seconds
  7: 'timestamp', // epoch seconds
  15: 'document',
  17: 'number', // bigInteger
  19: 'number', // bigDecimal
  21: 'blob',
  42: 'blob', // streaming blob
};

type StaticSchema = [number, string, string, unknown, ...unknown[]];

/** Resolves a schema reference: unwraps `[ref, memberTraits]` member wrappers and `() => ref` thunks. */
function resolve(ref: unknown): number | StaticSchema {
  let r = ref;
  for (;;) {
    if (typeof r === 'function') r = (r as () => unknown)();
    else if (Array.isArray(r) && r.length === 2) r = r[0];
    else break;
  }
  if (typeof r === 'number' || (Array.isArray(r) && r.length >= 5)) return r as number | StaticSchema;
  throw new Error(`Unsupported schema reference: ${JSON.stringify(r)}`);
}

// ---------------------------------------------------------------------------------------------
// TypeScript declarations: member type texts and enum value sets.

interface DeclaredMember {
  /** The declared type without `| undefined`, e.g. `NetworkMode`, `Tag[]`, `Record<string, string>`. */
  type: string;
  optional: boolean;
}

interface Declarations {
  enums: Map<string, string[]>;
  /** Structure or union name → member name → declaration. */
  shapes: Map<string, Map<string, DeclaredMember>>;
}

function readDeclarations(modelsDir: string): Declarations {
  const enums = new Map<string, string[]>();
  const shapes = new Map<string, Map<string, DeclaredMember>>();
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.d.ts')).sort();
  for (const file of files) {
    const lines = readFileSync(join(modelsDir, file), 'utf8').split('\n');
    let enumValues: string[] | null = null;
    let members: Map<string, DeclaredMember> | null = null;
    let isUnion = false;
    for (const line of lines) {
      let m: RegExpExecArray | null;
      if ((m = /^export declare const (\w+): \{$/.exec(line))) {
        enums.set(m[1], (enumValues = []));
      } else if ((m = /^export interface (\w+) \{$/.exec(line))) {
        shapes.set(m[1], (members = new Map()));
        isUnion = false;
      } else if ((m = /^export declare namespace (\w+) \{$/.exec(line))) {
        shapes.set(m[1], (members = new Map()));
        isUnion = true;
      } else if (/^\}/.test(line)) {
        enumValues = null;
        members = null;
      } else if (enumValues && (m = /^ {4}readonly \w+: "([^"]*)";$/.exec(line))) {
        enumValues.push(m[1]);
      } else if (members && !isUnion && (m = /^ {4}(\w+)(\??): (.+);$/.exec(line))) {
        members.set(m[1], { type: m[3].replace(/ \| undefined$/, ''), optional: m[2] === '?' });
      } else if (members && isUnion && (m = /^ {8}(\w+): (.+);$/.exec(line))) {
        // Union variants are `interface XMember { x: T; $unknown?: never }`; the Visitor interface's
        // lines are function types. Variants are never optional (exactly one is set).
        if (!m[2].includes('=>')) members.set(m[1], { type: m[2], optional: false });
      }
    }
  }
  return { enums, shapes };
}

const elementOf = (type: string | undefined): string | undefined =>
  type?.endsWith('[]') ? type.slice(0, -2) : undefined;

const mapValueOf = (type: string | undefined): string | undefined =>
  /^Record<string, (.+)>$/.exec(type ?? '')?.[1];

/** The declared type a schema of the given kind must have; `null` when any name is acceptable. */
function expectedDeclaration(schema: number | StaticSchema): RegExp | null {
  if (typeof schema === 'number') {
    if (schema >= MAP_BIT) return /^Record<string, .+>$/;
    if (schema >= LIST_BIT) return /\[\]$/;
    return (
      { 0: /^(string|[A-Z]\w*)$/, 1: /^number$/, 2: /^boolean$/, 4: /^Date$/, 7: /^Date$/, 15: /^__DocumentType$/ }[schema] ??
      null
    );
  }
  if (schema[0] === LIST) return /\[\]$/;
  if (schema[0] === MAP) return /^Record<string, .+>$/;
  if (schema[0] === SIMPLE_NAMED) return expectedDeclaration(resolve(schema[4]));
  return new RegExp(`^${schema[2]}$`);
}

// ---------------------------------------------------------------------------------------------
// Walking the schemas into validation shapes.

class ModelBuilder {
  readonly shapes = new Map<string, ShapeDef>();
  /** Who defined each shape name, to catch two different shapes claiming one name. */
  private readonly origins = new Map<string, unknown>();
  private readonly problems: string[] = [];

  constructor(
    private readonly declarations: Declarations,
    private readonly packageName: string,
  ) {}

  /** Fails with every disagreement found between the schemas and the declarations. */
  assertConsistent(): void {
    if (this.problems.length > 0) {
      throw new Error(`Schemas and declarations of ${this.packageName} disagree:\n  ${this.problems.join('\n  ')}`);
    }
  }

  /**
   * The shape name for a schema reference. `declared` is the member's declared TypeScript type,
   * which refines plain strings into enums (also inside lists and maps).
   */
  shapeFor(ref: unknown, declared: string | undefined): string {
    const schema = resolve(ref);
    if (typeof schema === 'number') return this.simpleOrCollection(schema, declared);
    switch (schema[0]) {
      case SIMPLE_NAMED:
        return this.shapeFor(schema[4], declared); // e.g. SensitiveString: a string with a trait
      case LIST:
        return this.namedList(schema, declared);
      case MAP:
        return this.namedMap(schema, declared);
      case STRUCTURE:
      case ERROR:
      case UNION:
        return this.structure(schema);
      default:
        throw new Error(`Unsupported schema kind ${schema[0]} (${schema[2]})`);
    }
  }

  private simpleOrCollection(code: number, declared: string | undefined): string {
    if (code >= MAP_BIT) {
      const value = this.shapeFor(code & 0b0011_1111, mapValueOf(declared));
      const key = this.shapeFor(0, undefined);
      return this.define(`MapOf${value}`, `map:${value}`, { type: 'map', key, value });
    }
    if (code >= LIST_BIT) {
      const member = this.shapeFor(code & 0b0011_1111, elementOf(declared));
      return this.define(`ListOf${member}`, `list:${member}`, { type: 'list', member });
    }
    const type = SIMPLE_TYPES[code];
    if (type === undefined) throw new Error(`Unsupported simple schema code ${code}`);
    if (type === 'string' && declared !== undefined && declared !== 'string') {
      const values = this.declarations.enums.get(declared);
      if (values === undefined) this.problems.push(`string declared as ${declared}, which is not an enum`);
      else return this.define(declared, `enum:${declared}`, { type: 'string', enum: values });
    }
    const name = type[0].toUpperCase() + type.slice(1);
    return this.define(name, `simple:${type}`, { type });
  }

  private namedList(schema: StaticSchema, declared: string | undefined): string {
    const name = schema[2];
    if (this.claim(name, schema)) {
      const def: ShapeDef = { type: 'list' };
      this.shapes.set(name, def);
      def.member = this.shapeFor(schema[4], elementOf(declared));
    } else {
      this.checkRefinement(name, this.shapes.get(name)?.member, schema[4], elementOf(declared));
    }
    return name;
  }

  private namedMap(schema: StaticSchema, declared: string | undefined): string {
    const name = schema[2];
    if (this.claim(name, schema)) {
      const def: ShapeDef = { type: 'map' };
      this.shapes.set(name, def);
      def.key = this.shapeFor(schema[4], undefined);
      def.value = this.shapeFor(schema[5], mapValueOf(declared));
    } else {
      this.checkRefinement(name, this.shapes.get(name)?.value, schema[5], mapValueOf(declared));
    }
    return name;
  }

  private structure(schema: StaticSchema): string {
    const [kind, , name, , memberNames, memberSchemas, requiredCount] = schema as [
      number, string, string, unknown, string[], unknown[], number | undefined,
    ];
    if (!this.claim(name, schema)) return name;
    const def: ShapeDef = { type: kind === UNION ? 'union' : 'structure', members: {} };
    this.shapes.set(name, def); // before the members, so recursive references resolve to it
    const declaredMembers = this.declarations.shapes.get(name);
    if (!declaredMembers) this.problems.push(`${name}: no declaration`);
    const required = memberNames.slice(0, requiredCount ?? 0);
    for (let i = 0; i < memberNames.length; i++) {
      const member = memberNames[i];
      const declaration = declaredMembers?.get(member);
      if (declaredMembers && !declaration) this.problems.push(`${name}.${member}: not declared`);
      if (declaration) this.checkDeclaration(`${name}.${member}`, memberSchemas[i], declaration, required.includes(member), kind);
      def.members![member] = this.shapeFor(memberSchemas[i], declaration?.type);
    }
    for (const member of declaredMembers?.keys() ?? []) {
      if (!memberNames.includes(member)) this.problems.push(`${name}.${member}: declared but not in the schema`);
    }
    if (required.length > 0) def.required = required;
    return name;
  }

  private checkDeclaration(where: string, ref: unknown, declaration: DeclaredMember, required: boolean, kind: number): void {
    const pattern = expectedDeclaration(resolve(ref));
    if (pattern && !pattern.test(declaration.type)) {
      this.problems.push(`${where}: schema kind does not match declared type ${declaration.type}`);
    }
    if (kind !== UNION && declaration.optional === required) {
      this.problems.push(`${where}: schema says ${required ? '' : 'not '}required, declaration disagrees`);
    }
  }

  /** A named collection reached again must be refined the same way (same element shape). */
  private checkRefinement(name: string, existing: string | undefined, ref: unknown, declared: string | undefined): void {
    const again = this.shapeFor(ref, declared);
    if (existing !== undefined && existing !== again) {
      this.problems.push(`${name}: element is ${existing} in one use and ${again} in another`);
    }
  }

  /** True when `name` is new (and now claimed by `origin`); false when `origin` already defined it. */
  private claim(name: string, origin: unknown): boolean {
    const previous = this.origins.get(name);
    if (previous === undefined) {
      this.origins.set(name, origin);
      return true;
    }
    if (previous !== origin) throw new Error(`Two different shapes are both named ${name}`);
    return false;
  }

  private define(name: string, origin: string, def: ShapeDef): string {
    if (this.claim(name, origin)) this.shapes.set(name, def);
    return name;
  }
}

// ---------------------------------------------------------------------------------------------
// The constraint overlay.

const BOUNDABLE: ReadonlySet<ShapeType> = new Set(['string', 'number', 'list', 'map']);

function applyBound(shapes: Map<string, ShapeDef>, name: string, bound: Bound, path: string): void {
  const def = shapes.get(name);
  if (!def || !BOUNDABLE.has(def.type)) throw new Error(`Constraint ${path}: ${name} cannot take a min/max`);
  if (def.min !== undefined || def.max !== undefined) throw new Error(`Constraint ${path}: ${name} is already bounded`);
  if (bound.min !== undefined) def.min = bound.min;
  if (bound.max !== undefined) def.max = bound.max;
}

/**
 * Applies each overlay entry. A member-level entry gets its own copy of the member's target shape
 * (named after the path, e.g. `Tag.key`), so the bound never leaks to other users of that shape.
 */
function applyConstraints(shapes: Map<string, ShapeDef>, constraints: Readonly<Record<string, Bound>>): void {
  for (const [path, bound] of Object.entries(constraints)) {
    const m = /^(\w+)(?:\.(\w+)(\[\])?)?$/.exec(path);
    if (!m) throw new Error(`Constraint ${path}: not of the form Shape, Shape.member or Shape.member[]`);
    const [, shapeName, member, eachElement] = m;
    if (member === undefined) {
      applyBound(shapes, shapeName, bound, path);
      continue;
    }
    const owner = shapes.get(shapeName);
    const target = owner?.members?.[member];
    if (!owner || target === undefined) throw new Error(`Constraint ${path}: no such member in the model`);
    const derived = `${shapeName}.${member}`;
    if (shapes.has(derived)) throw new Error(`Constraint ${path}: member already has a constraint`);
    if (eachElement) {
      const list = shapes.get(target)!;
      if (list.type !== 'list') throw new Error(`Constraint ${path}: ${target} is not a list`);
      shapes.set(`${derived}[]`, { ...shapes.get(list.member!)! });
      applyBound(shapes, `${derived}[]`, bound, path);
      shapes.set(derived, { ...list, member: `${derived}[]` });
    } else {
      shapes.set(derived, { ...shapes.get(target)! });
      applyBound(shapes, derived, bound, path);
    }
    owner.members![member] = derived;
  }
}

// ---------------------------------------------------------------------------------------------
// Building and serializing.

/** Builds a service's validation model from its installed SDK and its constraint overlay. */
export function buildServiceModel(spec: ServiceSpec): ServiceModel {
  const sdkRoot = join(dirname(createRequire(import.meta.url).resolve(spec.packageName)), '..');
  const builder = new ModelBuilder(readDeclarations(join(sdkRoot, 'dist-types', 'models')), spec.packageName);
  const operations: ServiceModel['operations'] = {};
  for (const value of Object.values(spec.sdk)) {
    if (!Array.isArray(value) || value[0] !== OPERATION) continue;
    const [, , name, , input] = value as [number, string, string, unknown, unknown];
    operations[name] = { input: builder.shapeFor(input, undefined) };
  }
  builder.assertConsistent();
  if (Object.keys(operations).length === 0) throw new Error(`No operation schemas found in ${spec.packageName}`);
  applyConstraints(builder.shapes, spec.constraints);
  return { operations, shapes: Object.fromEntries(builder.shapes) };
}

/** Builds the ECS validation model from the installed SDK and the constraint overlay. */
export function buildEcsModel(): ServiceModel {
  return buildServiceModel(SERVICES.ecs!);
}

/** A shape's keys in a fixed order, so the output does not depend on construction order. */
function canonical(def: ShapeDef): ShapeDef {
  const { type, members, required, member, key, value, enum: values, min, max } = def;
  const out: ShapeDef = { type };
  if (members !== undefined) out.members = members;
  if (required !== undefined) out.required = required;
  if (member !== undefined) out.member = member;
  if (key !== undefined) out.key = key;
  if (value !== undefined) out.value = value;
  if (values !== undefined) out.enum = values;
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}

/** Sorted, one entry per line: compact, yet diffs stay readable when the SDK changes. */
export function serializeModel(model: ServiceModel): string {
  const block = (entries: Record<string, unknown>): string =>
    Object.keys(entries)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(entries[k])}`)
      .join(',\n');
  const shapes = Object.fromEntries(Object.entries(model.shapes).map(([k, v]) => [k, canonical(v)]));
  return `{"operations":{\n${block(model.operations)}\n},\n"shapes":{\n${block(shapes)}\n}}\n`;
}

/** The exact text of a service's model file for its installed SDK. */
export function generateModelJson(spec: ServiceSpec): string {
  return serializeModel(buildServiceModel(spec));
}

/** The exact text of ecs-model.json for the installed SDK. */
export function generateEcsModelJson(): string {
  return generateModelJson(SERVICES.ecs!);
}

/** Regenerates the services named on the command line, or all of them. */
function main(): void {
  const names = process.argv.slice(2);
  for (const name of names.length > 0 ? names : Object.keys(SERVICES)) {
    const spec = SERVICES[name];
    if (!spec) throw new Error(`Unknown service ${name}; one of ${Object.keys(SERVICES).join(', ')}`);
    const json = generateModelJson(spec);
    writeFileSync(spec.modelPath, json);
    const model = JSON.parse(json) as ServiceModel;
    console.log(
      `wrote ${relative(process.cwd(), spec.modelPath)}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
