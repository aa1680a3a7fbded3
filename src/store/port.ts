/**
 * The persistence port. State is held in memory for speed and written through to a durable
 * adapter. The contract every adapter honours (and `test/unit/store-conformance.test.ts` checks):
 *
 * - Reads come from memory and never block.
 * - `transaction(fn)` is atomic: when it returns, every `put`/`delete` made inside `fn` is durable
 *   (it survives a SIGKILL of the process); when `fn` throws, none of them happened, in memory
 *   or on disk. Writes outside a transaction are each their own transaction.
 * - Transactions run synchronously, one at a time, so an operation's read-check-write inside one
 *   transaction cannot interleave with another request's.
 */
export interface StateStore {
  table<T>(name: string): Table<T>;
  transaction<R>(fn: () => R): R;
  close(): void;
}

/** A keyed collection of JSON-serialisable records. Iteration follows insertion order. */
export interface Table<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  put(key: string, value: T): void;
  delete(key: string): boolean;
  values(): IterableIterator<T>;
  entries(): IterableIterator<[string, T]>;
  readonly size: number;
}
