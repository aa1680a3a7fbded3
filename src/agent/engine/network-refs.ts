/**
 * Docker networks realise subnets on a host and are shared by every awsvpc task of the subnet.
 * A network is created when its first task needs it and removed when its last task is gone, so
 * nothing is left behind; operations on one network are serialised so that a task arriving as
 * the last one leaves cannot find its network removed under it.
 */
export class NetworkRefs {
  private readonly users = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  private serial<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.queues.set(name, next.catch(() => undefined));
    return next;
  }

  acquire(name: string, create: () => Promise<void>): Promise<void> {
    return this.serial(name, async () => {
      await create();
      this.users.set(name, (this.users.get(name) ?? 0) + 1);
    });
  }

  release(name: string, remove: () => Promise<void>): Promise<void> {
    return this.serial(name, async () => {
      const left = (this.users.get(name) ?? 1) - 1;
      if (left > 0) return void this.users.set(name, left);
      this.users.delete(name);
      await remove().catch(() => this.later(name, remove, 1));
    });
  }

  /**
   * Docker can report "active endpoints" for a while after the last container left (and another
   * Berth on the host may use the network): try again later, a few times, while nobody uses it.
   */
  private later(name: string, remove: () => Promise<void>, attempt: number): void {
    if (attempt > 5) return;
    setTimeout(() => {
      void this.serial(name, async () => {
        if (this.users.has(name)) return;
        await remove().catch(() => this.later(name, remove, attempt + 1));
      });
    }, 5000 * attempt).unref();
  }
}
