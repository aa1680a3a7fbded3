import { DescribeTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';

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
