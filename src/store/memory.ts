import type { StateStore, Table } from './port.js';

/** Receives every committed change; the durable adapters implement it. */
export interface ChangeSink {
  /** Persist the changes of one transaction atomically. A throw aborts the transaction. */
  commit(changes: readonly Change[]): void;
}
export interface Change { table: string; key: string; value: unknown | undefined }

interface Undo { table: MemoryTable<unknown>; key: string; had: boolean; value: unknown }

/**
 * The in-memory store, and the base of the durable ones: it records an undo log per
 * transaction, so a throwing transaction leaves memory as it was, and hands the change set to a
 * sink to make it durable before the transaction returns.
 */
export class MemoryStore implements StateStore {
  private readonly tables = new Map<string, MemoryTable<unknown>>();
  private undo: Undo[] | undefined;
  /**
   * Tables a transaction deleted from, as they were before it. Undoing a delete by re-inserting
   * would move the key to the end and break insertion order, so a rollback restores these whole.
   * Only transactions that delete pay for the copy.
   */
  private snapshots: Map<MemoryTable<unknown>, Map<string, unknown>> | undefined;
  private changes: Map<string, Change> | undefined;

  constructor(private readonly sink?: ChangeSink) {}

  table<T>(name: string): Table<T> {
    let t = this.tables.get(name);
    if (!t) {
      t = new MemoryTable<unknown>(name, this);
      this.tables.set(name, t);
    }
    return t as Table<T>;
  }

  transaction<R>(fn: () => R): R {
    if (this.undo) return fn(); // nested: part of the outer transaction
    this.undo = [];
    this.snapshots = new Map();
    this.changes = new Map();
    try {
      const result = fn();
      if (this.changes.size > 0) this.sink?.commit([...this.changes.values()]);
      return result;
    } catch (err) {
      for (let i = this.undo.length - 1; i >= 0; i--) {
        const u = this.undo[i]!;
        if (this.snapshots.has(u.table)) continue;
        if (u.had) u.table.raw.set(u.key, u.value);
        else u.table.raw.delete(u.key);
      }
      for (const [table, before] of this.snapshots) {
        table.raw.clear();
        for (const [k, v] of before) table.raw.set(k, v);
      }
      throw err;
    } finally {
      this.undo = undefined;
      this.snapshots = undefined;
      this.changes = undefined;
    }
  }

  close(): void {}

  /** Loads a record without recording a change: used by durable adapters at start-up. */
  load(table: string, key: string, value: unknown): void {
    (this.table(table) as MemoryTable<unknown>).raw.set(key, value);
  }

  /**
   * The table as it was when the transaction began. No delete has touched it yet in this
   * transaction (the first delete is what asks), so undoing the puts so far keeps key order.
   */
  private before(table: MemoryTable<unknown>): Map<string, unknown> {
    const snap = new Map(table.raw);
    for (let i = this.undo!.length - 1; i >= 0; i--) {
      const u = this.undo![i]!;
      if (u.table !== table) continue;
      if (u.had) snap.set(u.key, u.value);
      else snap.delete(u.key);
    }
    return snap;
  }

  /** @internal called by tables on every write. */
  record(table: MemoryTable<unknown>, key: string, value: unknown | undefined): void {
    if (!this.undo) {
      // A lone write is its own transaction.
      this.transaction(() => this.record(table, key, value));
      return;
    }
    if (value === undefined && !this.snapshots!.has(table)) this.snapshots!.set(table, this.before(table));
    this.undo.push({ table, key, had: table.raw.has(key), value: table.raw.get(key) });
    if (value === undefined) table.raw.delete(key);
    else table.raw.set(key, value);
    this.changes!.set(`${table.name}\u0000${key}`, { table: table.name, key, value });
  }
}

class MemoryTable<T> implements Table<T> {
  readonly raw = new Map<string, T>();
  constructor(readonly name: string, private readonly store: MemoryStore) {}
  get(key: string): T | undefined { return this.raw.get(key); }
  has(key: string): boolean { return this.raw.has(key); }
  put(key: string, value: T): void { this.store.record(this as MemoryTable<unknown>, key, value); }
  delete(key: string): boolean {
    if (!this.raw.has(key)) return false;
    this.store.record(this as MemoryTable<unknown>, key, undefined);
    return true;
  }
  values(): IterableIterator<T> { return this.raw.values(); }
  entries(): IterableIterator<[string, T]> { return this.raw.entries(); }
  get size(): number { return this.raw.size; }
}
