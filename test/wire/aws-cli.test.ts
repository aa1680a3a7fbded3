import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBerth, type BerthProcess } from '../support/berth.js';

/**
 * The real `aws` CLI against Berth. The first test is the README's flow word for word:
 * `eval "$(./berth env)"`, then plain `aws ecs …` commands with no endpoint flags.
 * BERTH_TEST_AWS_CLI=/path/to/aws runs the file with another CLI (e.g. Debian's awscli package).
 */
describe('the aws CLI', () => {
  let berth: BerthProcess;
  before(async () => { berth = await startBerth(); });
  after(async () => { await berth.stop(); });

  it('runs the README flow after eval "$(./berth env)"', () => {
    const taskDef = join(berth.dataDir, 'web.json');
    writeFileSync(taskDef, JSON.stringify({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: 'busybox', portMappings: [{ containerPort: 8080 }] }],
    }));
    const script = `
      set -e
      if [ -n "\${BERTH_TEST_AWS_CLI:-}" ]; then PATH="$(dirname "$BERTH_TEST_AWS_CLI"):$PATH"; fi
      unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION AWS_ENDPOINT_URL
      export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
      eval "$(./berth env)"
      aws ecs create-cluster --cluster-name demo --output json > "$OUT/create.json"
      aws ecs register-task-definition --cli-input-json "file://${taskDef}" --output json > "$OUT/register.json"
      aws ecs list-task-definitions --family-prefix web --output json > "$OUT/list.json"
    `;
    const r = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: { ...process.env, BERTH_PORT: String(berth.port), BERTH_DATA_DIR: berth.dataDir, OUT: berth.dataDir },
    });
    assert.equal(r.status, 0, r.stderr);
    const read = (f: string): any => JSON.parse(spawnSync('cat', [join(berth.dataDir, f)], { encoding: 'utf8' }).stdout);
    const account = berth.creds.accountId;
    assert.equal(read('create.json').cluster.clusterArn, `arn:aws:ecs:us-east-1:${account}:cluster/demo`);
    assert.equal(read('register.json').taskDefinition.taskDefinitionArn, `arn:aws:ecs:us-east-1:${account}:task-definition/web:1`);
    assert.deepEqual(read('list.json').taskDefinitionArns, [`arn:aws:ecs:us-east-1:${account}:task-definition/web:1`]);
  });

  it('describes, lists with --max-items pagination, and deletes clusters', () => {
    for (const n of ['cli-a', 'cli-b', 'cli-c']) assert.equal(berth.aws(['ecs', 'create-cluster', '--cluster-name', n]).status, 0);
    const d = berth.aws(['ecs', 'describe-clusters', '--clusters', 'cli-a', 'missing', '--include', 'TAGS']);
    assert.equal(d.status, 0, d.stderr);
    assert.equal(d.json.clusters[0].clusterName, 'cli-a');
    assert.equal(d.json.failures[0].reason, 'MISSING');
    const page = berth.aws(['ecs', 'list-clusters', '--max-items', '2', '--page-size', '1']);
    assert.equal(page.json.clusterArns.length, 2);
    assert.ok(page.json.NextToken);
    const rest = berth.aws(['ecs', 'list-clusters', '--starting-token', page.json.NextToken]);
    assert.ok(rest.json.clusterArns.length >= 2);
    const del = berth.aws(['ecs', 'delete-cluster', '--cluster', 'cli-c']);
    assert.equal(del.json.cluster.status, 'INACTIVE');
  });

  it('prints AWS error codes for bad input, with exit status 254 or 255', () => {
    const r = berth.aws(['ecs', 'describe-task-definition', '--task-definition', 'nothing:1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /ClientException/);
    const fargate = berth.aws(['ecs', 'register-task-definition', '--family', 'f', '--requires-compatibilities', 'FARGATE',
      '--network-mode', 'awsvpc', '--cpu', '256', '--memory', '4096', '--container-definitions', '[{"name":"a","image":"busybox"}]']);
    assert.notEqual(fargate.status, 0);
    assert.match(fargate.stderr, /ClientException/);
    const missing = berth.aws(['ecs', 'delete-cluster', '--cluster', 'never']);
    assert.match(missing.stderr, /ClusterNotFoundException/);
  });

  it('registers, deregisters and deletes task definitions, and lists families', (t) => {
    const reg = berth.aws(['ecs', 'register-task-definition', '--family', 'cli-td', '--container-definitions', '[{"name":"a","image":"busybox","memory":64}]']);
    assert.equal(reg.status, 0, reg.stderr);
    assert.equal(reg.json.taskDefinition.revision, 1);
    const fam = berth.aws(['ecs', 'list-task-definition-families', '--family-prefix', 'cli-']);
    assert.deepEqual(fam.json.families, ['cli-td']);
    const dereg = berth.aws(['ecs', 'deregister-task-definition', '--task-definition', 'cli-td:1']);
    assert.equal(dereg.json.taskDefinition.status, 'INACTIVE');
    const del = berth.aws(['ecs', 'delete-task-definitions', '--task-definitions', 'cli-td:1']);
    if (/Invalid choice/.test(del.stderr)) {
      // Older CLIs (Debian bookworm's awscli 2.9) predate DeleteTaskDefinitions; the SDK tests cover it.
      t.diagnostic('this aws CLI has no delete-task-definitions');
      return;
    }
    assert.equal(del.json.taskDefinitions[0].status, 'DELETE_IN_PROGRESS');
  });

  it('tags resources and reads account settings', () => {
    const c = berth.aws(['ecs', 'create-cluster', '--cluster-name', 'cli-tags']);
    const arn = c.json.cluster.clusterArn as string;
    assert.equal(berth.aws(['ecs', 'tag-resource', '--resource-arn', arn, '--tags', 'key=env,value=dev']).status, 0);
    assert.deepEqual(berth.aws(['ecs', 'list-tags-for-resource', '--resource-arn', arn]).json.tags, [{ key: 'env', value: 'dev' }]);
    const s = berth.aws(['ecs', 'list-account-settings', '--effective-settings', '--name', 'taskLongArnFormat']);
    assert.equal(s.json.settings[0].value, 'enabled');
    const who = berth.aws(['sts', 'get-caller-identity']);
    assert.equal(who.json.Account, berth.creds.accountId);
  });
});
