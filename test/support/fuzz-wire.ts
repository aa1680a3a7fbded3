/**
 * Wire-side helpers of the fuzz tests: send a raw signed ECS request and check that the answer
 * is AWS-shaped, and take snapshots of a server's state (its durable SQLite records, and what
 * the list operations answer) to prove a rejected request changed nothing.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  ListAccountSettingsCommand, ListClustersCommand, ListTaskDefinitionFamiliesCommand, ListTaskDefinitionsCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import type { BerthProcess } from './berth.js';
import { signedFetch } from './signed-fetch.js';

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

export interface WireAnswer {
  readonly operation: string;
  readonly body: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Sends `body` as the ECS `operation`, correctly signed. */
export async function sendEcs(berth: BerthProcess, operation: string, body: string): Promise<WireAnswer> {
  const res = await signedFetch(berth, `${ECS_TARGET_PREFIX}.${operation}`, body);
  return { operation, body, status: res.status, headers: res.headers, text: await res.text() };
}

const clip = (s: string, n = 600): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** The request and the answer, for assertion messages: enough to replay the case by hand. */
export function describeExchange(a: WireAnswer): string {
  return `${a.operation} with body ${clip(a.body)}\n  → ${a.status} ${clip(a.text)}`;
}

/** Text that only a leaked stack trace or source location would put in an error message. */
const STACK_MARKERS: readonly RegExp[] = [
  /\n\s*at \S/, // a frame line of a stack trace
  /\bat (?:async )?[\w$.<>]+ \(/, // an inline frame: `at fn (`
  /\.[cm]?[jt]s:\d+/,
  /node_modules/,
  /node:internal/,
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError):/,
];

/**
 * Rule 1 of the fuzz tests, for any answer to a correctly signed ECS request:
 *  - no 5xx but 501 NotImplementedException, and no auth refusal (the request is signed right);
 *  - the body is JSON (an object), the request id header is set;
 *  - an error is `{__type: string, message: string}` with `x-amzn-errortype` equal to `__type`,
 *    and its message carries no stack frame, source location or JS error name (unless the
 *    request itself contained that text, which a message may echo).
 * Returns the parsed error (or undefined for a 200).
 */
export function assertAwsShaped(a: WireAnswer): { __type: string; message: string } | undefined {
  const where = describeExchange(a);
  assert.ok(a.status === 200 || (a.status >= 400 && a.status < 500) || a.status === 501, `status ${a.status} is not 200, 4xx or 501: ${where}`);
  assert.ok(a.status !== 403, `a correctly signed request was refused: ${where}`);
  assert.ok(a.headers.get('x-amzn-requestid'), `no x-amzn-requestid header: ${where}`);
  let json: unknown;
  try {
    json = JSON.parse(a.text);
  } catch {
    assert.fail(`the body is not JSON: ${where}`);
  }
  assert.ok(typeof json === 'object' && json !== null && !Array.isArray(json), `the body is not a JSON object: ${where}`);
  if (a.status === 200) return undefined;
  const err = json as { __type?: unknown; message?: unknown };
  assert.equal(typeof err.__type, 'string', `error without a string __type: ${where}`);
  assert.equal(typeof err.message, 'string', `error without a string message: ${where}`);
  const type = err.__type as string;
  const message = err.message as string;
  assert.ok(type.length > 0, `empty __type: ${where}`);
  assert.equal(a.headers.get('x-amzn-errortype'), type, `x-amzn-errortype differs from __type: ${where}`);
  if (a.status === 501) assert.equal(type, 'NotImplementedException', `a 501 that is not NotImplementedException: ${where}`);
  for (const marker of STACK_MARKERS) {
    const m = marker.exec(message);
    if (m && !a.body.includes(m[0].trim())) assert.fail(`the message looks like a stack trace (${marker}): ${where}`);
  }
  return { __type: type, message };
}

export interface StateSnapshot {
  /** sha256 of every durable record, in key order. */
  readonly digest: string;
  readonly rows: ReadonlyMap<string, string>;
  /** The list operations' answers, all pages, as JSON text. */
  readonly lists: string;
}

/**
 * Reads a running server's state: its `berth.db` opened read-only (WAL lets a reader in beside
 * the server's writer; every acknowledged write is committed before the answer, so a snapshot
 * taken after an answer sees it), and the list operations through the SDK.
 */
export class StateProbe {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[], { tbl: string; k: string; v: string }>;

  constructor(berth: BerthProcess, private readonly ecs: ECSClient) {
    this.db = new Database(join(berth.dataDir, 'berth.db'), { readonly: true, fileMustExist: true });
    this.select = this.db.prepare('SELECT tbl, k, v FROM records ORDER BY tbl, k');
  }

  close(): void {
    this.db.close();
  }

  /** The durable records alone: cheap, synchronous. */
  records(): { digest: string; rows: Map<string, string> } {
    const hash = createHash('sha256');
    const rows = new Map<string, string>();
    for (const r of this.select.iterate()) {
      hash.update(`${r.tbl}\u0000${r.k}\u0000${r.v}\n`);
      rows.set(`${r.tbl} ${r.k}`, r.v);
    }
    return { digest: hash.digest('hex'), rows };
  }

  async snapshot(): Promise<StateSnapshot> {
    const { digest, rows } = this.records();
    return { digest, rows, lists: await this.lists() };
  }

  /** ListClusters, ListTaskDefinitions (ACTIVE, INACTIVE), ListTaskDefinitionFamilies (ALL), ListAccountSettings (own, effective). */
  async lists(): Promise<string> {
    const ecs = this.ecs;
    const all = async <T>(page: (token: string | undefined) => Promise<{ items: T[] | undefined; nextToken: string | undefined }>): Promise<T[]> => {
      const out: T[] = [];
      let token: string | undefined;
      do {
        const r = await page(token);
        out.push(...(r.items ?? []));
        token = r.nextToken;
      } while (token);
      return out;
    };
    const [clusters, active, inactive, families, settings, effective] = await Promise.all([
      all(async (nextToken) => { const r = await ecs.send(new ListClustersCommand({ nextToken })); return { items: r.clusterArns, nextToken: r.nextToken }; }),
      all(async (nextToken) => { const r = await ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE', nextToken })); return { items: r.taskDefinitionArns, nextToken: r.nextToken }; }),
      all(async (nextToken) => { const r = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE', nextToken })); return { items: r.taskDefinitionArns, nextToken: r.nextToken }; }),
      all(async (nextToken) => { const r = await ecs.send(new ListTaskDefinitionFamiliesCommand({ status: 'ALL', nextToken })); return { items: r.families, nextToken: r.nextToken }; }),
      all(async (nextToken) => { const r = await ecs.send(new ListAccountSettingsCommand({ nextToken })); return { items: r.settings, nextToken: r.nextToken }; }),
      all(async (nextToken) => { const r = await ecs.send(new ListAccountSettingsCommand({ effectiveSettings: true, nextToken })); return { items: r.settings, nextToken: r.nextToken }; }),
    ]);
    return JSON.stringify({ clusters, active, inactive, families, settings, effective });
  }
}

/** What changed between two record sets, for an assertion message. */
export function describeRecordChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string {
  const lines: string[] = [];
  for (const [k, v] of after) {
    if (!before.has(k)) lines.push(`  added   ${k} = ${clip(v, 300)}`);
    else if (before.get(k) !== v) lines.push(`  changed ${k}: ${clip(before.get(k)!, 300)} → ${clip(v, 300)}`);
  }
  for (const k of before.keys()) if (!after.has(k)) lines.push(`  removed ${k}`);
  return lines.join('\n');
}
