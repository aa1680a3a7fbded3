import { agentReady, attributeCheck } from './checks.js';
import type { InstanceView, TaskNeed } from './types.js';

/**
 * The instances of a cluster in columns, for the pipeline's hot loop: the numbers it compares per
 * candidate in typed arrays, and what costs a Map lookup per instance (requiresAttributes verdicts,
 * task-group counts, attribute values for spread) computed once and cached — per requirement set,
 * per group, per attribute name — then kept current instance by instance through `set`.
 *
 * The columns are only a fast filter; which check rejected an instance, and why, always comes from
 * the pure checks in checks.ts. A scheduler keeps one index per cluster and `set`s each instance
 * whose snapshot changed; a one-off placement can pass the instance list and get a fresh index.
 */
export class CandidateIndex {
  private readonly views: InstanceView[];
  private readonly position = new Map<string, number>();
  /** Remaining CPU units, memory MiB and free GPUs, by position. */
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly gpus: Int32Array;
  /** 1 when the agent check passes. */
  readonly agentOk: Uint8Array;
  private readonly attributeVerdicts = new Map<string, { need: TaskNeed; ok: Uint8Array }>();
  private readonly groups = new Map<string, Int32Array>();
  private readonly values = new Map<string, { ids: Int32Array; of: Map<string | undefined, number> }>();

  constructor(instances: readonly InstanceView[]) {
    const n = instances.length;
    this.views = instances.slice();
    this.cpu = new Float64Array(n);
    this.memory = new Float64Array(n);
    this.gpus = new Int32Array(n);
    this.agentOk = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const id = instances[k].id;
      if (this.position.has(id)) throw new Error(`duplicate container instance ${id}`);
      this.position.set(id, k);
      this.fill(k);
    }
  }

  get size(): number { return this.views.length; }
  get instances(): readonly InstanceView[] { return this.views; }
  indexOf(id: string): number { return this.position.get(id) ?? -1; }

  /** Replaces the snapshot of an instance already in the index (same id), keeping every cache current. */
  set(view: InstanceView): void {
    const k = this.position.get(view.id);
    if (k === undefined) throw new Error(`unknown container instance ${view.id}`);
    this.views[k] = view;
    this.fill(k);
    for (const v of this.attributeVerdicts.values()) v.ok[k] = attributeCheck(v.need, view) === undefined ? 1 : 0;
    for (const [group, counts] of this.groups) counts[k] = view.taskGroups.get(group) ?? 0;
    for (const [name, col] of this.values) col.ids[k] = intern(col.of, view.attributes.get(name));
  }

  /** 1 per instance that has every attribute `need` requires. */
  attributesOk(need: TaskNeed): Uint8Array {
    const key = need.requiresAttributes.map((r) => `${r.name}\u0000${r.value === undefined ? '\u0001' : r.value}`).join('\u0002');
    let v = this.attributeVerdicts.get(key);
    if (!v) {
      const ok = new Uint8Array(this.views.length);
      const frozen: TaskNeed = { ...need, requiresAttributes: need.requiresAttributes.map((r) => ({ ...r })) };
      for (let k = 0; k < ok.length; k++) ok[k] = attributeCheck(frozen, this.views[k]) === undefined ? 1 : 0;
      v = { need: frozen, ok };
      this.attributeVerdicts.set(key, v);
    }
    return v.ok;
  }

  /** Non-STOPPED tasks of `group` per instance. */
  groupCounts(group: string): Int32Array {
    let counts = this.groups.get(group);
    if (!counts) {
      counts = new Int32Array(this.views.length);
      for (let k = 0; k < counts.length; k++) counts[k] = this.views[k].taskGroups.get(group) ?? 0;
      this.groups.set(group, counts);
    }
    return counts;
  }

  /** The value of attribute `name` per instance as a small integer (one id for "absent"), and how many ids exist. */
  attributeValues(name: string): { ids: Int32Array; distinct: number } {
    let col = this.values.get(name);
    if (!col) {
      col = { ids: new Int32Array(this.views.length), of: new Map() };
      for (let k = 0; k < col.ids.length; k++) col.ids[k] = intern(col.of, this.views[k].attributes.get(name));
      this.values.set(name, col);
    }
    return { ids: col.ids, distinct: col.of.size };
  }

  private fill(k: number): void {
    const v = this.views[k];
    this.cpu[k] = v.remaining.cpu;
    this.memory[k] = v.remaining.memory;
    this.gpus[k] = v.remaining.gpus.length;
    this.agentOk[k] = agentReady(v) ? 1 : 0;
  }
}

function intern(of: Map<string | undefined, number>, value: string | undefined): number {
  let id = of.get(value);
  if (id === undefined) { id = of.size; of.set(value, id); }
  return id;
}
