import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Layers point one way (docs/ARCHITECTURE.md): the edge and the store know no room; a room does
 * not reach into another room; the agent knows only the protocol (it talks to the server over the
 * wire, never through its code); only server.ts and the CLI wire rooms and agents together.
 */
const src = resolve(fileURLToPath(import.meta.url), '../../../../src');
const ROOMS = ['ecs', 'sts', 'admin', 'vpc', 'logs', 'secrets', 'ssm', 'iam', 'elbv2'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => relative(src, resolve(dirname(file), m[1]!)));
}

const topOf = (path: string): string => path.split('/')[0]!;

describe('the layering of src/', () => {
  for (const file of files(src)) {
    const rel = relative(src, file);
    const layer = topOf(rel);
    if (layer === 'server.ts' || layer === 'cli' || layer === 'wiring') continue;
    it(`${rel} imports only what its layer may`, () => {
      for (const imp of importsOf(file)) {
        const target = topOf(imp);
        if (layer === 'agent' || layer === 'protocol') {
          assert.ok(target === 'agent' || target === 'protocol', `${rel} (${layer}) may import only agent and protocol code (${imp})`);
        }
        if (layer === 'edge' || layer === 'store' || layer === 'identity' || layer === 'crypto') {
          assert.ok(!ROOMS.includes(target), `${rel} (${layer}) must not import the ${target} room (${imp})`);
        }
        if (ROOMS.includes(layer)) {
          assert.ok(!ROOMS.includes(target) || target === layer, `${rel} must not reach into the ${target} room (${imp})`);
          assert.ok(target !== 'server.ts' && target !== 'cli', `${rel} must not import the wiring (${imp})`);
        }
      }
    });
  }
});
