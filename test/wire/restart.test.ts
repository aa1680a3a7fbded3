import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, DescribeClustersCommand, DescribeTaskDefinitionCommand, ListClustersCommand, ListTaskDefinitionsCommand,
  ListTagsForResourceCommand, PutAccountSettingDefaultCommand, ListAccountSettingsCommand, RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { BerthProcess } from '../support/berth.js';

describe('restart safety', () => {
  it('loses nothing acknowledged when the server is killed with SIGKILL mid-stream', async () => {
    const berth = await new BerthProcess().start();
    try {
      const ecs = berth.ecs();
      const acked: string[] = [];
      const registered: string[] = [];
      // Four writers stream creates and registrations; the server is killed after 60 acks, while
      // writes are still in flight. Writes that fail (connection refused or reset) are not acked.
      let i = 0;
      let killed = false;
      const writer = async (): Promise<void> => {
        while (!killed) {
          const n = i++;
          try {
            await ecs.send(new CreateClusterCommand({ clusterName: `c${n}`, tags: [{ key: 'i', value: String(n) }] }));
            acked.push(`c${n}`);
            const r = await ecs.send(new RegisterTaskDefinitionCommand({ family: `f${n % 5}`, containerDefinitions: [{ name: 'a', image: 'busybox', memory: 32 }] }));
            registered.push(r.taskDefinition!.taskDefinitionArn!);
          } catch {
            return;
          }
          if (acked.length >= 60 && !killed) {
            killed = true;
            await berth.kill('SIGKILL');
          }
        }
      };
      await Promise.all([writer(), writer(), writer(), writer()]);
      assert.ok(acked.length >= 60, 'writes were acknowledged before the kill');
      await berth.kill('SIGKILL');
      await berth.start();
      const after = berth.ecs();
      await after.send(new PutAccountSettingDefaultCommand({ name: 'awsvpcTrunking', value: 'enabled' }));

      const listed = new Set<string>();
      let token: string | undefined;
      do {
        const page = await after.send(new ListClustersCommand({ nextToken: token }));
        page.clusterArns?.forEach((a) => listed.add(a.split('/')[1]!));
        token = page.nextToken;
      } while (token);
      for (const name of acked) assert.ok(listed.has(name), `acknowledged cluster ${name} survived`);
      const d = await after.send(new DescribeClustersCommand({ clusters: acked.slice(0, 5), include: ['TAGS'] }));
      for (const c of d.clusters ?? []) assert.equal(c.tags?.[0]?.value, c.clusterName!.slice(1));
      for (const arn of registered) {
        const td = await after.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
        assert.equal(td.taskDefinition?.taskDefinitionArn, arn);
      }
      // Revision numbers continue after the restart: none is handed out twice.
      const r = await after.send(new RegisterTaskDefinitionCommand({ family: 'f0', containerDefinitions: [{ name: 'a', image: 'busybox', memory: 32 }] }));
      const latest = await after.send(new ListTaskDefinitionsCommand({ familyPrefix: 'f0', sort: 'DESC', maxResults: 2 }));
      assert.equal(latest.taskDefinitionArns![0], r.taskDefinition!.taskDefinitionArn);
      const before = registered.filter((a) => a.includes('/f0:')).map((a) => Number(a.split(':').at(-1)));
      assert.ok(r.taskDefinition!.revision! > Math.max(0, ...before), 'the new revision is above every acknowledged one');

      // And once more: a clean restart keeps the setting written after the first one.
      await berth.kill('SIGKILL');
      await berth.start();
      const s = await berth.ecs().send(new ListAccountSettingsCommand({ name: 'awsvpcTrunking', effectiveSettings: true }));
      assert.equal(s.settings?.[0]?.value, 'enabled');
      const tags = await berth.ecs().send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:ecs:us-east-1:${berth.creds.accountId}:cluster/${acked[0]}` }));
      assert.equal(tags.tags?.length, 1);
    } finally {
      await berth.stop();
    }
  });
});
