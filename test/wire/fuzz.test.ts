/**
 * Property tests over the wire: random and deliberately malformed requests, generated from the
 * ECS service model itself, sent correctly signed to every one of its operations on a real
 * `berth server` process. The model, not a list in this file, decides which operations exist.
 *
 * Contracts checked:
 *  1. Every answer is AWS-shaped: JSON, a request id, `{__type, message}` + `x-amzn-errortype`
 *     for errors, no stack traces; no 5xx but 501 NotImplementedException.
 *  2. A request broken against the model gets the validator's 400 (SerializationException for
 *     bad JSON or types, InvalidParameterException for constraints) from every operation Berth
 *     implements, and 501 from the rest (the gateway answers NotImplemented before it reads the
 *     body); either way no state changes, neither durable records nor what the list calls show.
 *  3. Random input, valid or not, to every operation, and valid input with any optional member
 *     null: rule 1 holds, and an error answer leaves the durable records unchanged.
 *
 * Runs are bounded (numRuns per operation below); on failure fast-check prints its seed and the
 * shrunk counterexample, and the assertion message carries the request and the answer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CreateClusterCommand, DeregisterTaskDefinitionCommand, PutAccountSettingCommand, PutAccountSettingDefaultCommand,
  RegisterTaskDefinitionCommand, TagResourceCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import { ecsModel, validateEcsInput } from '../../src/ecs/model/index.js';
import { startBerth, type BerthProcess } from '../support/berth.js';
import { ModelArbitraries, type BreakKind } from '../support/fuzz-model.js';
import { assertAwsShaped, describeExchange, describeRecordChanges, sendEcs, StateProbe, type StateSnapshot } from '../support/fuzz-wire.js';

/**
 * Run counts, sized to keep the file well under a minute on a 2-core machine: malformed runs per
 * operation and kind of breakage (about 6 kinds an operation, so ~1000 requests), random runs per
 * operation (~700 requests). BERTH_FUZZ_SCALE multiplies both for a longer hunt by hand (e.g.
 * BERTH_FUZZ_SCALE=20); the default run stays bounded.
 */
const SCALE = Math.max(1, Number(process.env.BERTH_FUZZ_SCALE ?? 1) || 1);
const MALFORMED_RUNS_PER_KIND = 2 * SCALE;
const RANDOM_RUNS_PER_OPERATION = 8 * SCALE;
/** Valid values per operation whose every optional member is nulled in turn (~1 request a member). */
const NULL_SWEEPS_PER_OPERATION = 1 * SCALE;

/**
 * Bodies fuzzing has broken the server with, per operation: fixed first runs (fast-check
 * `examples`) of the random property, so they are checked every time and not only when the
 * dice find them again. Each is a request the server must answer AWS-style.
 */
const KNOWN_COUNTEREXAMPLES: Readonly<Record<string, readonly string[]>> = {
  // A null cluster (AWS JSON: absent, i.e. the default cluster) reached a string method: 500.
  PutAttributes: ['{"attributes":[],"cluster":null}'],
  DeleteAttributes: ['{"attributes":[],"cluster":null}'],
  ListAttributes: ['{"targetType":"container-instance","cluster":null}'],
  // fargateEventWindows is in the model's SettingName enum but has no rule on the server: 500.
  ListAccountSettings: ['{"name":"fargateEventWindows","effectiveSettings":true}'],
};

const operations = Object.keys(ecsModel.operations).sort();

describe('fuzzing every ECS operation of the service model over the wire', () => {
  let berth: BerthProcess;
  let ecs: ECSClient;
  let probe: StateProbe;
  let models: ModelArbitraries;
  /** Operations Berth implements, as the wire tells (filled by the first test). */
  const implemented = new Set<string>();

  before(async () => {
    berth = await startBerth();
    ecs = berth.ecs();
    // Real resources, so that state checks have something to protect and generated names hit.
    const seed = 'fuzz-seed';
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: seed, tags: [{ key: 'team', value: 'berth' }] }));
    const td = { family: seed, containerDefinitions: [{ name: 'app', image: 'busybox', memory: 128 }] };
    const first = await ecs.send(new RegisterTaskDefinitionCommand(td));
    const second = await ecs.send(new RegisterTaskDefinitionCommand(td));
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: `${seed}:1` }));
    await ecs.send(new TagResourceCommand({ resourceArn: second.taskDefinition!.taskDefinitionArn!, tags: [{ key: 'tier', value: 'web' }] }));
    await ecs.send(new PutAccountSettingCommand({ name: 'containerInsights', value: 'enabled' }));
    await ecs.send(new PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'enabled' }));
    const { accountId } = berth.creds;
    models = new ModelArbitraries(ecsModel, {
      knownStrings: [
        seed, cluster!.clusterArn!, 'default', `${seed}:1`, `${seed}:2`, `${seed}:3`,
        first.taskDefinition!.taskDefinitionArn!, second.taskDefinition!.taskDefinitionArn!,
        accountId, `arn:aws:iam::${accountId}:root`, `arn:aws:iam::${accountId}:user/dev`,
        'team', 'tier', 'FARGATE', 'FARGATE_SPOT', 'containerInsights', 'awsvpcTrunking', 'enabled', 'disabled',
        berth.region, 'ecs.os-type', 'container-instance',
      ],
    });
    probe = new StateProbe(berth, ecs);
  });

  after(async () => {
    probe?.close();
    await berth?.stop();
  });

  /**
   * Sends one request and checks rule 1 on the answer; and, whatever the operation, that an error
   * answer left the durable records as they were (ECS errors are all-or-nothing), which costs one
   * SQLite read before and after, so it is checked for every request.
   */
  async function sendAndCheck(operation: string, body: string): Promise<void> {
    const before = probe.records();
    const answer = await sendEcs(berth, operation, body);
    assertAwsShaped(answer);
    if (answer.status === 200) return;
    const after = probe.records();
    if (after.digest !== before.digest) {
      assert.fail(`a rejected request changed durable state:\n${describeRecordChanges(before.rows, after.rows)}\n${describeExchange(answer)}`);
    }
  }

  it('answers invalid JSON to each operation with SerializationException when built and NotImplementedException when not', async () => {
    for (const operation of operations) {
      const answer = await sendEcs(berth, operation, '{');
      const err = assertAwsShaped(answer);
      if (answer.status === 501) continue;
      assert.equal(answer.status, 400, describeExchange(answer));
      assert.equal(err?.__type, 'SerializationException', describeExchange(answer));
      implemented.add(operation);
    }
    assert.ok(implemented.size > 0, 'no operation is implemented');
  });

  it('rejects input broken against the model with a 400 validation error from every built operation, and changes no state', async () => {
    const kindsSent = new Set<BreakKind>();
    await forEachOperation(async (operation) => {
      const input = models.inputOf(operation);
      const built = implemented.has(operation);
      // A baseline per operation, so that one operation's state change is not blamed on the next.
      const baseline = await probe.snapshot();
      // Every kind of breakage the operation's schema has a place for, each with its own runs, so
      // rare kinds (a union emptied, a string over its length) are never left to chance.
      for (const kind of models.breakKinds(input)) {
        kindsSent.add(kind);
        await fc.assert(
          fc.asyncProperty(models.malformed(input, kind), async (bad) => {
            // The generator's premise: the value it broke was valid, so the breakage is the only fault.
            assert.doesNotThrow(() => validateEcsInput(operation, JSON.parse(JSON.stringify(bad.source))), `generator produced an invalid base value for ${operation}`);
            const answer = await sendEcs(berth, operation, bad.body);
            const where = `${bad.kind} at '${bad.path}': ${describeExchange(answer)}`;
            const err = assertAwsShaped(answer);
            if (built) {
              assert.equal(answer.status, 400, where);
              assert.equal(err?.__type, bad.expected, where);
              if (bad.path !== '') assert.ok(err!.message.includes(`'${bad.path}'`), `the message does not name the member: ${where}`);
            } else {
              assert.equal(answer.status, 501, where);
              assert.equal(err?.__type, 'NotImplementedException', where);
            }
            await assertUnchanged(probe, baseline, where);
          }),
          { numRuns: MALFORMED_RUNS_PER_KIND, includeErrorInReport: true },
        );
      }
    });
    // The model offers a place for every kind of breakage the generator knows, somewhere.
    assert.deepEqual([...kindsSent].sort(), [
      'invalid JSON text', 'list or map size out of bounds', 'non-object body', 'number out of range', 'required member removed',
      'string length out of bounds', 'union with no member set', 'value outside the enum', 'wrong JSON type',
    ]);
  });

  it('answers AWS-style when any optional member of any operation is null, which AWS JSON reads as absent', async () => {
    let sent = 0;
    await forEachOperation(async (operation) => {
      const input = models.inputOf(operation);
      const count = models.optionalMembers(input).length;
      await fc.assert(
        fc.asyncProperty(models.valid(input), fc.nat(), async (value, pick) => {
          for (let i = 0; i < count; i++) {
            const { body, path } = models.withNullAt(input, value, i, pick);
            sent++;
            try {
              await sendAndCheck(operation, body);
            } catch (err) {
              throw new Error(`with '${path}' null: ${(err as Error).message}`);
            }
          }
        }),
        { numRuns: NULL_SWEEPS_PER_OPERATION, includeErrorInReport: true },
      );
    });
    assert.ok(sent > operations.length, `only ${sent} requests sent`);
  });

  it('answers random input to every operation AWS-style, with no 5xx other than NotImplementedException, and errors change nothing', async () => {
    await forEachOperation(async (operation) => {
      const input = models.inputOf(operation);
      const body = fc.oneof(
        { weight: 4, arbitrary: models.valid(input).map((v) => JSON.stringify(v)) },
        { weight: 4, arbitrary: models.shaped(input).map((v) => JSON.stringify(v) ?? '') },
        { weight: 1, arbitrary: models.anyMalformed(input).map((m) => m.body) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
      );
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          await sendAndCheck(operation, text);
        }),
        { numRuns: RANDOM_RUNS_PER_OPERATION, includeErrorInReport: true, examples: (KNOWN_COUNTEREXAMPLES[operation] ?? []).map((b) => [b]) },
      );
    });
    const health = await fetch(`${berth.endpoint}/health`);
    assert.equal(health.status, 200, 'the server is not healthy after the random inputs');
  });
});

/** Fails with what changed when the server's records or list answers differ from `baseline`. */
async function assertUnchanged(probe: StateProbe, baseline: StateSnapshot, where: string): Promise<void> {
  const { digest, rows } = probe.records();
  if (digest !== baseline.digest) assert.fail(`a rejected request changed durable state:\n${describeRecordChanges(baseline.rows, rows)}\n${where}`);
  const lists = await probe.lists();
  assert.equal(lists, baseline.lists, `a rejected request changed what the list operations answer: ${where}`);
}

/**
 * Runs `check` for every operation and fails at the end with every operation's failure, so one
 * run reports all broken operations instead of stopping at the first (fast-check's own report,
 * seed and counterexample included, is kept for each).
 */
async function forEachOperation(check: (operation: string) => Promise<void>): Promise<void> {
  const failures: string[] = [];
  for (const operation of operations) {
    try {
      await check(operation);
    } catch (err) {
      failures.push(`${operation}: ${(err as Error).message}`);
    }
  }
  if (failures.length) assert.fail(`${failures.length} operation(s) failed:\n\n${failures.join('\n\n')}`);
}

