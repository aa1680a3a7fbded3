import { DescribeServicesCommand, DescribeTasksCommand, type ECSClient, type Service, type Task } from '@aws-sdk/client-ecs';

/** Polls DescribeTasks until `ok(task)` holds; fails with the last seen task after `timeoutMs`. */
export async function waitForTask(ecs: ECSClient, cluster: string, taskArn: string, ok: (t: Task) => boolean, timeoutMs = 30_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  let last: Task | undefined;
  while (Date.now() < deadline) {
    const r = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
    last = r.tasks?.[0];
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task did not reach the expected state in ${timeoutMs} ms; last seen: ${JSON.stringify(last, null, 1)}`);
}

export const stopped = (t: Task): boolean => t.lastStatus === 'STOPPED';
export const running = (t: Task): boolean => t.lastStatus === 'RUNNING';

/** Polls DescribeServices until `ok(service)` holds; fails with the service (and its latest events) after `timeoutMs`. */
export async function waitForService(ecs: ECSClient, cluster: string, name: string, ok: (s: Service) => boolean, timeoutMs = 60_000): Promise<Service> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = (await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
    if (ok(s)) return s;
    if (Date.now() > end) throw new Error(`service ${name} did not get there; last seen ${JSON.stringify({ ...s, events: s.events?.slice(0, 5) }, null, 1)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls `fn` every 100 ms until it answers something other than undefined, or fails after `ms`, naming `what`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
