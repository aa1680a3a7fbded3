import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readsEndpointUrlEnv } from '../../src/cli/aws-cli-version.js';

describe('which aws CLI versions read AWS_ENDPOINT_URL', () => {
  const rows: [string, boolean][] = [
    ['aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11', true],
    ['aws-cli/1.29.0 Python/3.11.7 Linux/6.1 botocore/1.31.0', true],
    ['aws-cli/1.27.0 Python/3.11.2 Linux/6.1 botocore/1.29.0', false],
    ['aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12 prompt/off', false],
    ['aws-cli/2.13.0 Python/3.11.4 Linux/6.1 exe/x86_64', true],
    ['aws-cli/2.31.4 Python/3.13.7 Linux/6.1 exe/x86_64', true],
    ['something else entirely', true],
  ];
  for (const [line, expected] of rows) {
    it(`answers ${expected} for "${line.split(' ')[0]}"`, () => assert.equal(readsEndpointUrlEnv(line), expected));
  }
});
