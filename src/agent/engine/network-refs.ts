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
      // Another agent process (or a container Berth does not own) may still use it: best effort.
      await remove().catch(() => undefined);
    });
  }
}
