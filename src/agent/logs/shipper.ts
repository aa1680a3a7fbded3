import type { ContainerPayload, TaskPayload } from '../../protocol/messages.js';
import { taskIdOf } from '../engine/container-spec.js';
import type { ContainerRuntime } from '../runtime/port.js';
import { eventStart } from './multiline.js';

/** How the agent reaches CloudWatch Logs: over its server connection (acknowledged, resent). */
export interface LogTransport {
  prepare(p: { taskArn: string; region: string; group: string; stream: string; createGroup: boolean }): Promise<void>;
  send(b: { taskArn: string; region: string; group: string; stream: string; events: { timestamp: number; message: string }[] }): Promise<void>;
}

/** Batch limits: CloudWatch's PutLogEvents allows 10,000 events and 1 MiB (26 bytes of overhead each). */
const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
const FLUSH_MS = 1000;

interface Follower {
  done: Promise<void>;
  /** Bytes acknowledged so far: flush waits while this keeps moving. */
  shipped: () => number;
}

/** `1m`, `512k`, `2g` or plain bytes, as the awslogs driver's max-buffer-size. */
export function parseSize(text: string | undefined, fallback: number): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(text ?? '');
  if (!m) return fallback;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * unit);
}

/** The stream ECS names: `prefix/container-name/task-id`, or the container id without a prefix. */
export function streamName(task: TaskPayload, c: ContainerPayload, containerId: string): string {
  const prefix = c.logConfiguration?.options['awslogs-stream-prefix'];
  return prefix ? `${prefix}/${c.name}/${taskIdOf(task.taskArn)}` : containerId;
}

const isAwslogs = (c: ContainerPayload): boolean => c.logConfiguration?.logDriver === 'awslogs';

/**
 * The awslogs driver: follows the output of a task's containers and ships it, in order and with
 * the engine's timestamps, to their log streams. `flush(task)` resolves once every followed
 * container has ended and all its events are acknowledged — the runner awaits it before the
 * task reaches STOPPED, so the tail is never lost. Non-blocking mode drops lines when what is
 * buffered or in flight would pass `max-buffer-size` (counted in `dropped`); blocking mode keeps
 * them all (in memory: the engine's stream is not paused).
 */
export class LogShipper {
  private readonly followers = new Map<string, Follower[]>();
  dropped = 0;

  constructor(private readonly runtime: ContainerRuntime, private readonly transport: LogTransport) {}

  /** Makes sure the group and stream exist; throws with the ECS agent's wording when they cannot. */
  async prepare(task: TaskPayload, c: ContainerPayload, containerId: string): Promise<void> {
    if (!isAwslogs(c)) return;
    const o = c.logConfiguration!.options;
    const group = o['awslogs-group'];
    if (!group) throw new Error('failed to initialize logging driver: must specify a value for log opt \'awslogs-group\'');
    try {
      await this.transport.prepare({
        taskArn: task.taskArn, region: o['awslogs-region'] ?? task.region, group,
        stream: streamName(task, c, containerId), createGroup: o['awslogs-create-group'] === 'true',
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ${why} : exit status 1`);
    }
  }

  /** Starts following a container the runner has just started. */
  follow(task: TaskPayload, c: ContainerPayload, containerId: string): void {
    if (!isAwslogs(c)) return;
    const o = c.logConfiguration!.options;
    const target = { taskArn: task.taskArn, region: o['awslogs-region'] ?? task.region, group: o['awslogs-group']!, stream: streamName(task, c, containerId) };
    const nonBlocking = (o.mode ?? 'non-blocking') === 'non-blocking';
    const maxBuffer = parseSize(o['max-buffer-size'], 1024 * 1024);
    const start = eventStart(o);
    let buffer: { timestamp: number; message: string }[] = [];
    let bufferedBytes = 0;
    /** Buffered plus sent but not yet acknowledged. */
    let pendingBytes = 0;
    let shippedBytes = 0;
    let current: { timestamp: number; message: string } | undefined;
    let sending = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;

    /** Each buffered event's size as CloudWatch counts it (UTF-8 bytes + 26), kept beside it. */
    let sizes: number[] = [];
    const push = (e: { timestamp: number; message: string }): void => {
      const size = Buffer.byteLength(e.message) + 26;
      if (nonBlocking && pendingBytes + size > maxBuffer) {
        this.dropped++;
        return;
      }
      buffer.push(e);
      sizes.push(size);
      bufferedBytes += size;
      pendingBytes += size;
      if (buffer.length >= MAX_EVENTS || bufferedBytes >= MAX_BYTES / 2) ship();
    };
    const ship = (): void => {
      while (buffer.length) {
        let size = 0;
        let n = 0;
        while (n < buffer.length && n < MAX_EVENTS && size + sizes[n]! <= MAX_BYTES) size += sizes[n++]!;
        if (n === 0) size = sizes[n++]!;
        const events = buffer.splice(0, n);
        sizes = sizes.slice(n);
        bufferedBytes -= size;
        // One batch in flight per stream keeps the stream's order. A batch the server refuses
        // (its group deleted meanwhile …) is lost: counted, as CloudWatch would reject it too.
        sending = sending.then(() => this.transport.send({ ...target, events }).catch(() => {
          this.dropped += events.length;
        })).then(() => {
          pendingBytes -= size;
          shippedBytes += size;
        });
      }
    };
    const tick = (): void => {
      timer = setTimeout(() => {
        if (current && start) {
          push(current);
          current = undefined;
        }
        ship();
        tick();
      }, FLUSH_MS);
      timer.unref();
    };
    tick();

    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    this.runtime.logs(containerId, (l) => {
      if (start && current && !start.test(l.text)) {
        current.message += `\n${l.text}`;
        return;
      }
      if (current) push(current);
      current = { timestamp: l.timestamp, message: l.text };
      if (!start) {
        push(current);
        current = undefined;
      }
    }, () => {
      clearTimeout(timer);
      if (current) push(current);
      current = undefined;
      ship();
      void sending.then(ended);
    });
    const list = this.followers.get(task.taskArn) ?? [];
    list.push({ done, shipped: () => shippedBytes });
    this.followers.set(task.taskArn, list);
  }

  /**
   * Waits until every followed container of the task has ended and its events are shipped. A
   * shipper that is behind is waited for as long as it makes progress; it is given up on only
   * after `stallMs` without any batch acknowledged (the server unreachable, say).
   */
  async flush(taskArn: string, stallMs = 30_000): Promise<void> {
    const list = this.followers.get(taskArn) ?? [];
    this.followers.delete(taskArn);
    if (!list.length) return;
    let finished = false;
    const all = Promise.all(list.map((f) => f.done)).then(() => void (finished = true));
    const progress = (): number => list.reduce((n, f) => n + f.shipped(), 0);
    let seen = progress();
    let still = Date.now();
    while (!finished) {
      await Promise.race([all, new Promise<void>((r) => setTimeout(r, Math.min(1000, stallMs)).unref())]);
      const now = progress();
      if (now !== seen) {
        seen = now;
        still = Date.now();
      } else if (!finished && Date.now() - still >= stallMs) {
        return;
      }
    }
  }
}
