import type { DataPlaneConfig, LoadBalancerRuntime } from './dataplane/index.js';
import { invalidConfiguration } from './errors.js';
import { project, type ProjectionOptions } from './projection.js';
import type { Elbv2State } from './state.js';

/**
 * The one writer of ELBv2 state, keeping the store and the running data plane in step.
 *
 * A change is planned (validated, records built) and then tried on the data plane first: its
 * records are written inside a transaction that is rolled back, the config is projected from
 * that would-be state, and applied. Only when the listeners bind is the change committed. So a
 * listener whose port is taken answers InvalidConfigurationRequest and leaves nothing behind,
 * and the store never holds a listener the data plane refused. Changes are serialised: the
 * next one is planned only after the previous one is committed and applied.
 *
 * At start, a listener that cannot bind (its port was taken while Berth was down) is set aside
 * in `skip`, logged, and tried again whenever it is modified.
 */
export interface Plan<R> {
  /** The store writes; run twice (trial and commit), so they must only put and delete records. */
  write(): void;
  result: R;
  /** Listeners this change creates or rebinds: a bind failure on their port is the caller's. */
  binds?: string[];
}

class Rollback extends Error {}

interface BindError { code: string; port?: number; address?: string }

const isBindError = (e: unknown): e is BindError =>
  typeof e === 'object' && e !== null && ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'].includes((e as { code?: string }).code ?? '');

export class Applier {
  private queue: Promise<unknown> = Promise.resolve();
  readonly skip = new Set<string>();

  constructor(
    private readonly state: Elbv2State,
    private readonly runtime: LoadBalancerRuntime,
    private readonly projection: Omit<ProjectionOptions, 'skip'>,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs `plan` and applies its change, one change at a time. */
  change<R>(plan: () => Plan<R>): Promise<R> {
    const run = this.queue.then(() => this.run(plan));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Binds what the store holds (server start). Listeners that cannot bind are skipped and logged. */
  start(): Promise<void> {
    const run = this.queue.then(() => this.applyTolerant(() => project(this.state, this.options())));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private options(): ProjectionOptions { return { ...this.projection, skip: this.skip }; }

  private async run<R>(planFn: () => Plan<R>): Promise<R> {
    const plan = planFn();
    for (const arn of plan.binds ?? []) this.skip.delete(arn);
    let trial: DataPlaneConfig | undefined;
    try {
      this.state.store.transaction(() => {
        plan.write();
        trial = project(this.state, this.options());
        throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    try {
      await this.applyTolerant(() => trial!, new Set(plan.binds ?? []));
    } catch (e) {
      // Put the data plane back as the store has it, then answer.
      await this.runtime.apply(project(this.state, this.options())).catch((err: unknown) => this.log(`elbv2: restoring the data plane failed: ${String(err)}`));
      if (isBindError(e)) {
        throw invalidConfiguration(`The listener port ${e.port ?? ''} cannot be bound on ${e.address ?? 'the load balancer host'} (${e.code}): it is in use by another program or load balancer on this host.`);
      }
      throw e;
    }
    this.state.store.transaction(() => plan.write());
    return plan.result;
  }

  /**
   * Applies a config; a bind failure on the port of a listener not in `owned` sets that listener
   * aside (skip) and tries again without it, so one stolen port does not stop the others.
   */
  private async applyTolerant(config: () => DataPlaneConfig, owned: ReadonlySet<string> = new Set()): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const cfg = config();
      try {
        await this.runtime.apply(cfg);
        return;
      } catch (e) {
        if (!isBindError(e) || attempt > 50) throw e;
        const culprits = cfg.loadBalancers.flatMap((lb) => lb.listeners).filter((l) => l.port === e.port).map((l) => l.id);
        if (culprits.length === 0 || culprits.some((id) => owned.has(id))) throw e;
        for (const id of culprits) {
          this.skip.add(id);
          this.log(`elbv2: listener ${id} cannot bind port ${e.port} (${e.code}); it stays down until modified`);
        }
        if (owned.size === 0 && culprits.length === 0) throw e;
        // The trial config is fixed; rebuild it without the skipped listeners.
        const before = config;
        config = () => withoutSkipped(before(), this.skip);
      }
    }
  }
}

function withoutSkipped(cfg: DataPlaneConfig, skip: ReadonlySet<string>): DataPlaneConfig {
  return { ...cfg, loadBalancers: cfg.loadBalancers.map((lb) => ({ ...lb, listeners: lb.listeners.filter((l) => !skip.has(l.id)) })) };
}
