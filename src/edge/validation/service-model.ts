/**
 * The validation-only form of an AWS service model: which input shape each operation takes, and for
 * every shape reachable from an input, its JSON type and the constraints a request must satisfy.
 * No documentation, no outputs, no errors. Generated per service (see scripts/gen-ecs-model.ts)
 * and consumed by `validateInput`.
 */

/** `union` is a structure of which exactly one member must be set (Smithy union). */
export type ShapeType =
  | 'structure'
  | 'union'
  | 'list'
  | 'map'
  | 'string'
  | 'number'
  | 'boolean'
  | 'timestamp'
  | 'document'
  | 'blob';

export interface ShapeDef {
  type: ShapeType;
  /** structure/union: member name (as on the wire) → target shape name, in model order. */
  members?: Record<string, string>;
  /** structure: members that must be present and non-null. */
  required?: string[];
  /** list: the element shape. */
  member?: string;
  /** map: the key shape (a string shape). */
  key?: string;
  /** map: the value shape. */
  value?: string;
  /** string: the only values allowed. */
  enum?: string[];
  /**
   * Inclusive lower bound: string length in Unicode code points, list/map entry count, or numeric
   * value, depending on `type`.
   */
  min?: number;
  /** Inclusive upper bound, same units as `min`. */
  max?: number;
}

export interface ServiceModel {
  /** Operation name → the name of its input shape (a structure). */
  operations: Record<string, { input?: string }>;
  shapes: Record<string, ShapeDef>;
}
