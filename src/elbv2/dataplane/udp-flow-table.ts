/**
 * The UDP flow table (pure: time is passed in). A flow is one client address:port; it keeps the
 * target it was assigned on its first datagram for as long as it lives, and it dies after
 * `idleMs` without a datagram either way (NLB's UDP idle timeout: 120 s).
 *
 * Bounded: at most `maxFlows` flows live at once. A new flow beyond that is refused (NLB counts
 * those as RejectedFlowCount) rather than evicting a live one, so established clients keep their
 * target. Map insertion order is kept as least recently seen first (`touch` re-inserts), so
 * `expire` stops at the first flow that is still fresh: a sweep costs what it removes.
 */

export interface FlowTableOptions {
  idleMs: number;
  maxFlows: number;
}

interface Slot<F> { flow: F; lastSeen: number }

export class FlowTable<F> {
  private readonly slots = new Map<string, Slot<F>>();

  constructor(readonly opts: FlowTableOptions) {}

  get size(): number { return this.slots.size; }
  get full(): boolean { return this.slots.size >= this.opts.maxFlows; }

  /**
   * The flow of `key`. A live one is marked as seen at `now`; one idle for `idleMs` (not swept
   * yet) is removed and returned with `expired` so the caller closes it and starts another.
   */
  touch(key: string, now: number): { flow: F; expired: boolean } | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    if (now - slot.lastSeen >= this.opts.idleMs) return { flow: slot.flow, expired: true };
    slot.lastSeen = now;
    this.slots.set(key, slot);
    return { flow: slot.flow, expired: false };
  }

  /** Starts a flow for `key`; false when the table is full (or `key` has a flow already). */
  add(key: string, flow: F, now: number): boolean {
    if (this.full || this.slots.has(key)) return false;
    this.slots.set(key, { flow, lastSeen: now });
    return true;
  }

  /** Removes the flow of `key` if it is `flow` (a closed flow must not remove its successor). */
  delete(key: string, flow: F): void {
    if (this.slots.get(key)?.flow === flow) this.slots.delete(key);
  }

  /** Removes and returns the flows idle for `idleMs` or more at `now`, oldest first. */
  expire(now: number): F[] {
    const out: F[] = [];
    for (const [key, slot] of this.slots) {
      if (now - slot.lastSeen < this.opts.idleMs) break;
      this.slots.delete(key);
      out.push(slot.flow);
    }
    return out;
  }

  /** Removes and returns every flow. */
  clear(): F[] {
    const out = [...this.slots.values()].map((s) => s.flow);
    this.slots.clear();
    return out;
  }
}
