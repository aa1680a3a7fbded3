/**
 * Docker networks realise subnets on a host and are shared by every awsvpc task of the subnet.
 * A network is created when its first task needs it and removed once its last task is gone, so
 * nothing is left behind; operations on one network are serialised so that a task arriving as
 * the last one leaves cannot find its network removed under it.
 *
 * Only the first user creates the network, and a task's release never waits for the removal:
 * with many tasks of one subnet coming and going, Docker calls queued behind each other would
 * otherwise hold tasks in DEPROVISIONING for minutes. The removal is queued behind the release
 * and tried again with a growing delay while nobody uses the network (Docker reports "active
 * endpoints" for a moment after the last container left).
 *
 * Containers join and leave a network one at a time too (`exclusive`): Docker 20.10 (Debian's
 * docker.io is 20.10.24) can deadlock its whole network controller when endpoints of one network
 * are deleted while others join or leave it (libnetwork's getSvcRecords against
 * processEndpointDelete, fixed upstream in 20.10.27), and every later Docker call then hangs.
 */
export class NetworkRefs {
  private readonly users = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  /** `retryMs`: the first delay before trying a failed removal again (doubled each time). */
  constructor(private readonly retryMs = 1000, private readonly attempts = 6) {}

  private serial<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.queues.set(name, next.catch(() => undefined));
    return next;
  }

  /** Counts a user of the network; the first one creates it (`create` is idempotent). */
  acquire(name: string, create: () => Promise<void>): Promise<void> {
    return this.serial(name, async () => {
      if (!this.users.has(name)) await create();
      this.users.set(name, (this.users.get(name) ?? 0) + 1);
    });
  }

  /** Counts a user out; the last one's removal is queued, not awaited. */
  release(name: string, remove: () => Promise<void>): Promise<void> {
    return this.serial(name, async () => {
      const left = (this.users.get(name) ?? 1) - 1;
      if (left > 0) return void this.users.set(name, left);
      this.users.delete(name);
      this.tryRemove(name, remove, 1);
    });
  }

  /** Runs `fn` alone among the network's operations (a container joining or leaving it). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.serial(name, fn);
  }

  /** Resolves once every queued operation on `name` has run (tests). */
  settled(name: string): Promise<unknown> {
    return this.queues.get(name) ?? Promise.resolve();
  }

  private tryRemove(name: string, remove: () => Promise<void>, attempt: number): void {
    void this.serial(name, async () => {
      if (this.users.has(name)) return;
      await remove().catch(() => {
        if (attempt >= this.attempts) return;
        setTimeout(() => this.tryRemove(name, remove, attempt + 1), this.retryMs * 2 ** (attempt - 1)).unref();
      });
    });
  }
}
