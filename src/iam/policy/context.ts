/**
 * The request context a policy's conditions and variables read: condition keys and their
 * values. Key names are case-insensitive (`aws:SourceIP` is `aws:SourceIp`), so they are kept
 * lower-cased; values keep their case. A multi-valued key (`aws:TagKeys`) has an array value.
 */
export type ContextValue = string | readonly string[];

export interface ConditionContext {
  get(key: string): ContextValue | undefined;
}

class MapContext implements ConditionContext {
  constructor(private readonly values: ReadonlyMap<string, ContextValue>) {}
  get(key: string): ContextValue | undefined {
    return this.values.get(key.toLowerCase());
  }
}

/** A context from key → value pairs; undefined values are left out (the key is absent). */
export function conditionContext(entries: Readonly<Record<string, ContextValue | undefined>>): ConditionContext {
  const m = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) m.set(k.toLowerCase(), v);
  return new MapContext(m);
}

/** Entries of `extra` added to (and replacing those of) `base`. */
export function extendContext(base: ConditionContext, extra: Readonly<Record<string, ContextValue | undefined>>): ConditionContext {
  const add = conditionContext(extra);
  return { get: (key) => add.get(key) ?? base.get(key) };
}
