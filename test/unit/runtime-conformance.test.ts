import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RuntimeError, type ContainerRuntime, type ContainerSpec, type RuntimeEvent } from '../../src/agent/runtime/port.js';
import { DockerRuntime } from '../../src/agent/runtime/docker.js';
import { HollowRuntime } from '../../src/agent/runtime/hollow.js';
import { ensureTestImage, TEST_IMAGE } from '../support/test-image.js';

/**
 * The ContainerRuntime contract (src/agent/runtime/port.ts), run against both adapters. Each test
 * uses busybox commands; the hollow engine is scripted (below) to behave as those commands do, so
 * the same assertions hold for both. Checks that need real packets (HTTP to a published port or a
 * container address) run only where `real` is set.
 */

const SOCKET = '/var/run/docker.sock';
const RUN = `berth-rt-${process.pid}-${randomBytes(3).toString('hex')}`;
const RUN_LABEL = 'berth.test.run';
const MiB = 2 ** 20;

const SLEEP = ['sh', '-c', "trap 'exit 0' TERM; sleep 60 & wait"];
const IGNORE_TERM = ['sh', '-c', 'trap "" TERM; sleep 60'];
const EXIT3 = ['sh', '-c', 'exit 3'];
/**
 * dd's 16 MiB buffer breaks a 6 MiB limit. It waits first: Docker 20.10 on cgroup v1 misses OOM
 * kills in a container's first moments (containerd watches for them only after the start) and
 * then reports exit 137 with OOMKilled false and no oom event.
 */
const OOM = ['sh', '-c', 'sleep 1.5; exec dd if=/dev/zero of=/dev/null bs=16M count=1'];
const HTTPD = ['httpd', '-f', '-p', '8080', '-h', '/www'];
const WGET_LOCAL = ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do wget -q -O /dev/null http://127.0.0.1:8080/ && exit 0; sleep 0.2; done; exit 1'];
const HEALTH_FLIP = ['sh', '-c', 'echo ok > /tmp/ok; sleep 2; rm /tmp/ok; sleep 60'];

/** The hollow engine's script for the commands above. */
const cmdOf = (s: ContainerSpec): string => (s.cmd ?? []).join(' ');
const hollowScript = {
  knownImages: (image: string) => image === TEST_IMAGE,
  exitAfterMs: (s: ContainerSpec) => (cmdOf(s) === EXIT3.join(' ') ? 20 : cmdOf(s) === WGET_LOCAL.join(' ') ? 50 : undefined),
  exitCode: (s: ContainerSpec) => (cmdOf(s) === EXIT3.join(' ') ? 3 : 0),
  memoryUsageBytes: (s: ContainerSpec) => (cmdOf(s) === OOM.join(' ') ? 16 * MiB : MiB),
  onSigterm: (s: ContainerSpec) => (cmdOf(s) === IGNORE_TERM.join(' ') ? 'ignore' as const : cmdOf(s) === SLEEP.join(' ') ? 0 : 143),
  health: (s: ContainerSpec) => (cmdOf(s) === HEALTH_FLIP.join(' ') ? [{ afterMs: 250, status: 'healthy' as const }, { afterMs: 2250, status: 'unhealthy' as const }] : []),
};

interface Subject {
  name: string;
  /** Real containers: their published ports and addresses answer from this host. */
  real: boolean;
  skip?: string;
  prepare(): Promise<void>;
  runtime(): ContainerRuntime;
  /** The agent restarting: a new adapter instance on the same engine. */
  reopen(rt: ContainerRuntime): ContainerRuntime;
  dispose(rt: ContainerRuntime): void;
}

const subjects: Subject[] = [
  {
    name: 'docker',
    real: true,
    skip: existsSync(SOCKET) ? undefined : `${SOCKET} is absent: no Docker engine on this machine (install docker.io and start dockerd)`,
    prepare: async () => { await ensureTestImage(); },
    runtime: () => new DockerRuntime({ socketPath: SOCKET }),
    reopen: () => new DockerRuntime({ socketPath: SOCKET }),
    dispose: (rt) => (rt as DockerRuntime).close(),
  },
  (() => {
    let engine: HollowRuntime | undefined;
    return {
      name: 'hollow',
      real: false,
      prepare: async () => {},
      runtime: () => (engine = new HollowRuntime(hollowScript)),
      reopen: () => engine!,
      dispose: () => {},
    };
  })(),
];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', timeout: 1000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** GETs until the server answers (it may still be starting). */
const fetchPage = (host: string, port: number): Promise<string> => waitFor(`http://${host}:${port}/`, () => httpGet(host, port).catch(() => undefined), 5000);

async function rejectsWith(p: Promise<unknown>, kind: RuntimeError['kind']): Promise<RuntimeError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof RuntimeError, `expected RuntimeError(${kind}), got ${String(e)}`);
  assert.equal(e.kind, kind, e.message);
  return e;
}

for (const subject of subjects) {
  describe(`the ${subject.name} container runtime`, { skip: subject.skip, concurrency: true }, () => {
    let rt: ContainerRuntime;
    let n = 0;
    const name = (): string => `${RUN}-${++n}`;
    const spec = (over: Partial<ContainerSpec>): ContainerSpec => ({ name: name(), image: TEST_IMAGE, labels: { [RUN_LABEL]: RUN }, networkMode: 'bridge', cmd: SLEEP, ...over, ...(over.labels ? { labels: { [RUN_LABEL]: RUN, ...over.labels } } : {}) });
    const run = async (over: Partial<ContainerSpec>): Promise<string> => {
      const id = await rt.create(spec(over));
      await rt.start(id);
      return id;
    };
    const exited = (id: string) => waitFor(`container ${id} to exit`, async () => { const s = await rt.inspect(id); return s?.status === 'exited' && s; });
    const volumes: string[] = [];

    before(async () => {
      await subject.prepare();
      rt = subject.runtime();
    });

    after(async () => {
      for (const c of await rt.list({ [RUN_LABEL]: RUN })) await rt.remove(c.id);
      for (const net of await rt.listNetworks({ [RUN_LABEL]: RUN })) await rt.removeNetwork(net);
      for (const v of volumes) await rt.removeVolume(v);
      subject.dispose(rt);
    });

    it('reports the engine', async () => {
      const info = await rt.info();
      assert.equal(info.name, subject.name);
      assert.ok(info.cpus > 0 && info.memoryBytes > 0, JSON.stringify(info));
    });

    it('creates, starts, inspects, stops and removes a container; stop and remove are idempotent', async () => {
      const s = spec({ labels: { role: 'lifecycle' } });
      const id = await rt.create(s);
      let st = (await rt.inspect(id))!;
      assert.equal(st.status, 'created');
      assert.equal(st.name, s.name);
      assert.equal(st.image, TEST_IMAGE);
      assert.deepEqual(st.labels, s.labels);
      assert.equal(st.startedAt, undefined);
      assert.equal(st.exitCode, undefined);
      await rt.start(id);
      await rt.start(id);
      st = (await rt.inspect(id))!;
      assert.equal(st.status, 'running');
      assert.ok(st.startedAt instanceof Date);
      assert.match(st.networks.bridge?.ipv4Address ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.match(st.networks.bridge?.macAddress ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      assert.equal((await rt.inspect(s.name))?.id, id, 'inspect by name');
      const t0 = Date.now();
      await rt.stop(id, 10);
      assert.ok(Date.now() - t0 < 5000, 'a container that exits on SIGTERM stops at once');
      st = (await rt.inspect(id))!;
      assert.equal(st.status, 'exited');
      assert.equal(st.exitCode, 0);
      assert.ok(st.finishedAt instanceof Date);
      await rt.stop(id, 10);
      await rt.remove(id);
      assert.equal(await rt.inspect(id), undefined);
      await rt.remove(id);
      await rt.stop(id, 1);
      await rejectsWith(rt.start(id), 'ContainerNotFound');
    });

    it('reports the exit code of a process that exits on its own', async () => {
      const st = await exited(await run({ cmd: EXIT3 }));
      assert.equal(st.exitCode, 3);
      assert.equal(st.oomKilled, false);
    });

    it('reports an OOM kill: oomKilled, exit code 137 and an oom event', async () => {
      const key = `${RUN}.oom`;
      const seen: RuntimeEvent[] = [];
      const unsubscribe = rt.events(key, (e) => seen.push(e));
      try {
        const id = await run({ cmd: OOM, memoryBytes: 6 * MiB, labels: { [key]: '1' } });
        const st = await exited(id);
        assert.equal(st.oomKilled, true);
        assert.equal(st.exitCode, 137);
        await waitFor('oom and die events', () => seen.some((e) => e.type === 'oom' && e.id === id) && seen.some((e) => e.type === 'die' && e.id === id));
      } finally {
        unsubscribe();
      }
    });

    it('fails with ImageNotFound for an image the host does not have', async () => {
      await rt.ensureImage(TEST_IMAGE);
      await rejectsWith(rt.ensureImage('berth-test/no-such-image:latest'), 'ImageNotFound');
      await rejectsWith(rt.create(spec({ image: 'berth-test/no-such-image:latest' })), 'ImageNotFound');
    });

    it('fails with NameConflict for a name in use, InvalidSpec for a bad name', async () => {
      const s = spec({});
      await rt.create(s);
      await rejectsWith(rt.create({ ...s }), 'NameConflict');
      await rejectsWith(rt.create(spec({ name: 'bad/name' })), 'InvalidSpec');
    });

    it('finds its containers by label from a fresh adapter instance (adoption)', async () => {
      const batch = randomBytes(4).toString('hex');
      const running = await run({ labels: { batch } });
      const created = await rt.create(spec({ labels: { batch } }));
      const again = subject.reopen(rt);
      try {
        const found = await again.list({ [RUN_LABEL]: RUN, batch });
        assert.deepEqual(found.map((c) => c.id).sort(), [running, created].sort());
        assert.equal(found.find((c) => c.id === running)?.status, 'running');
        assert.equal(found.find((c) => c.id === created)?.labels.batch, batch);
        assert.deepEqual(await again.list({ [RUN_LABEL]: RUN, batch: 'other' }), []);
      } finally {
        if (again !== rt) subject.dispose(again);
      }
    });

    it('streams start, die and destroy events of labelled containers only', async () => {
      const key = `${RUN}.events`;
      const seen: RuntimeEvent[] = [];
      const unsubscribe = rt.events(key, (e) => seen.push(e));
      try {
        const id = await run({ cmd: EXIT3, labels: { [key]: 'yes' } });
        const unlabelled = await run({ cmd: EXIT3 });
        await exited(id);
        await rt.remove(id);
        const destroyed = await waitFor('destroy event', () => seen.find((e) => e.type === 'destroy' && e.id === id));
        assert.equal(destroyed.labels[key], 'yes');
        const types = seen.filter((e) => e.id === id).map((e) => e.type);
        assert.deepEqual(types, ['start', 'die', 'destroy']);
        const die = seen.find((e) => e.type === 'die')!;
        assert.equal(die.type === 'die' && die.exitCode, 3);
        assert.equal(die.labels[RUN_LABEL], RUN);
        assert.ok(!seen.some((e) => e.id === unlabelled), 'containers without the label are not reported');
      } finally {
        unsubscribe();
      }
    });

    it('runs health checks: starting, then healthy, then unhealthy, with health events', async () => {
      const key = `${RUN}.health`;
      const seen: RuntimeEvent[] = [];
      const unsubscribe = rt.events(key, (e) => seen.push(e));
      try {
        const id = await run({ cmd: HEALTH_FLIP, labels: { [key]: '1' }, healthcheck: { test: ['CMD-SHELL', 'test -e /tmp/ok'], intervalSec: 0.25, timeoutSec: 2, retries: 1 } });
        await waitFor('healthy', async () => (await rt.inspect(id))?.health === 'healthy');
        await waitFor('unhealthy', async () => (await rt.inspect(id))?.health === 'unhealthy');
        await waitFor('health events', () => {
          const h = seen.filter((e) => e.type === 'health' && e.id === id).map((e) => e.type === 'health' && e.health);
          return h.includes('healthy') && h.includes('unhealthy');
        });
      } finally {
        unsubscribe();
      }
    });

    it('publishes a container port on a dynamic host port', async () => {
      const id = await run({ cmd: HTTPD, portBindings: [{ containerPort: 8080, protocol: 'tcp' }] });
      const ports = (await rt.inspect(id))!.ports;
      assert.equal(ports.length, 1, JSON.stringify(ports));
      assert.equal(ports[0]!.containerPort, 8080);
      assert.equal(ports[0]!.protocol, 'tcp');
      assert.ok(ports[0]!.hostPort >= 1024, `dynamic host port ${ports[0]!.hostPort}`);
      if (subject.real) assert.match(await fetchPage('127.0.0.1', ports[0]!.hostPort), /berth test/);
      await rt.remove(id);
    });

    it('creates a user network idempotently and gives a container its static address there', async () => {
      const netName = `${RUN}-net`;
      const labels = { [RUN_LABEL]: RUN, purpose: 'static-ip' };
      let prefix = '';
      for (let attempt = 0; ; attempt++) {
        prefix = `10.${200 + (randomBytes(1)[0]! % 50)}.${randomBytes(1)[0]!}`;
        const err = await rt.createNetwork({ name: netName, subnet: `${prefix}.0/24`, gateway: `${prefix}.1`, labels }).then(() => undefined, (e: unknown) => e);
        if (!err) break;
        // Another network on this host may own the random subnet; try another.
        if (!(err instanceof RuntimeError && err.kind === 'InvalidSpec' && /overlap/i.test(err.message)) || attempt > 5) throw err;
      }
      await rt.createNetwork({ name: netName, subnet: `${prefix}.0/24`, gateway: `${prefix}.1`, labels });
      assert.deepEqual(await rt.listNetworks(labels), [netName]);
      const id = await run({ cmd: HTTPD, networkMode: netName, ipv4Address: `${prefix}.10` });
      const net = (await rt.inspect(id))!.networks[netName];
      assert.equal(net?.ipv4Address, `${prefix}.10`);
      assert.match(net?.macAddress ?? '', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      if (subject.real) assert.match(await fetchPage(`${prefix}.10`, 8080), /berth test/);
      const busy = await rejectsWith(rt.removeNetwork(netName), 'Unknown');
      assert.match(busy.message, /active endpoints/);
      await rt.remove(id);
      await rt.removeNetwork(netName);
      await rt.removeNetwork(netName);
      assert.deepEqual(await rt.listNetworks(labels), []);
    });

    it('lets a container join another one\'s network namespace (container:<id>) and share localhost', async () => {
      const server = await run({ cmd: HTTPD });
      const client = await run({ cmd: WGET_LOCAL, networkMode: `container:${server}` });
      const st = await exited(client);
      assert.equal(st.exitCode, 0, 'wget to 127.0.0.1:8080 reached the other container');
      assert.deepEqual(st.networks, {});
      await rt.remove(client);
      await rt.remove(server);
    });

    it('stops a container that ignores SIGTERM with SIGKILL after the timeout', async () => {
      const id = await run({ cmd: IGNORE_TERM });
      const t0 = Date.now();
      await rt.stop(id, 2);
      const took = Date.now() - t0;
      assert.ok(took >= 1800 && took < 8000, `stop took ${took} ms`);
      const st = (await rt.inspect(id))!;
      assert.equal(st.status, 'exited');
      assert.equal(st.exitCode, 137);
      assert.equal(st.oomKilled, false);
    });

    it('creates and removes volumes idempotently', async () => {
      const vol = `${RUN}-vol`;
      volumes.push(vol);
      await rt.createVolume(vol, { [RUN_LABEL]: RUN });
      await rt.createVolume(vol, { [RUN_LABEL]: RUN });
      await rt.removeVolume(vol);
      await rt.removeVolume(vol);
    });

    it('samples stats of a running container; none for a missing one', async () => {
      const id = await run({});
      const stats = await rt.stats(id);
      assert.ok(stats && typeof stats.raw.memory_stats === 'object', JSON.stringify(stats));
      assert.equal(await rt.stats(`${RUN}-missing`), undefined);
    });
  });
}

describe('the docker adapter against a scripted engine', () => {
  it('reports a missing socket as Unavailable', async () => {
    const rt = new DockerRuntime({ socketPath: join(tmpdir(), `berth-no-such-${RUN}.sock`) });
    await rejectsWith(rt.info(), 'Unavailable');
    await rejectsWith(rt.inspect('x'), 'Unavailable');
    rt.close();
  });

  it('reconnects a dropped event stream and replays from shortly before the last event, without repeats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-fake-docker-'));
    const socketPath = join(dir, 'docker.sock');
    const sinces: (string | null)[] = [];
    // Event times after the subscription (events before it are not asked for).
    const t1 = (BigInt(Date.now()) + 1000n) * 1_000_000n + 123_456n;
    const t2 = t1 + 1_000_000_000n;
    // timeNano has more digits than a double holds exactly: written by hand, as Docker's JSON has it.
    const event = (id: string, action: string, nano: string, extra: Record<string, string> = {}): string =>
      `{"Type":"container","Action":"${action}","Actor":{"ID":"${id}","Attributes":${JSON.stringify({ k: 'v', name: 'n', image: 'i', ...extra })}},"time":${nano.slice(0, 10)},"timeNano":${nano}}\n`;
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://docker');
      if (url.pathname !== '/v1.41/events') { res.writeHead(404).end(); return; }
      sinces.push(url.searchParams.get('since'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(event('a', 'start', String(t1)));
      if (sinces.length === 1) setTimeout(() => res.socket?.destroy(), 50);
      else res.write(event('a', 'die', String(t2), { exitCode: '7' }));
    });
    await new Promise<void>((r) => server.listen(socketPath, r));
    const rt = new DockerRuntime({ socketPath });
    const seen: RuntimeEvent[] = [];
    const unsubscribe = rt.events('k', (e) => seen.push(e));
    try {
      await waitFor('the die event after the reconnect', () => seen.some((e) => e.type === 'die'));
      assert.deepEqual(seen, [
        { type: 'start', id: 'a', labels: { k: 'v' } },
        { type: 'die', id: 'a', labels: { k: 'v' }, exitCode: 7 },
      ]);
      assert.match(sinces[0] ?? '', /^\d+\.\d{9}$/, 'the first connection asks from the subscription on');
      // Replayed from 5 s before the newest event seen (events can arrive out of timestamp order);
      // the replayed start is recognised and not delivered twice.
      const from = t1 - 5_000_000_000n;
      assert.equal(sinces[1], `${from / 1_000_000_000n}.${String(from % 1_000_000_000n).padStart(9, '0')}`);
    } finally {
      unsubscribe();
      rt.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the hollow runtime at scale', () => {
  it('holds 5,000 running containers with no timer while nothing is scheduled', async () => {
    const rt = new HollowRuntime();
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const idle = timers();
    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const id = await rt.create({ name: `scale-${i}`, image: 'app', labels: { fleet: 'f' }, networkMode: 'bridge', portBindings: [{ containerPort: 80, protocol: 'tcp' }] });
      await rt.start(id);
      ids.push(id);
    }
    assert.equal(timers(), idle);
    const all = await rt.list({ fleet: 'f' });
    assert.equal(all.length, 5000);
    assert.equal(new Set(all.map((c) => c.ports[0]!.hostPort)).size, 5000, 'distinct host ports');
    assert.equal(new Set(all.map((c) => c.networks.bridge!.ipv4Address)).size, 5000, 'distinct addresses');
    for (const id of ids) await rt.remove(id);
    assert.equal(rt.size, 0);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });
});
