import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where containers find their task role's credentials, as on ECS. */
export const CREDENTIALS_ADDRESS = '169.254.170.2';

/**
 * Makes `http://169.254.170.2/…` from a task's address reach this agent's credentials endpoint,
 * as the ECS agent does with a NAT rule: one `REDIRECT` rule in the nat table's PREROUTING chain
 * per task address, so that several agents on one host (each with its own port) can serve their
 * own tasks. The rule rewrites the destination to the receiving bridge's own address and the
 * agent's port; the source address stays the container's, which the endpoint checks.
 *
 * Needs root and iptables; when they are missing, `attach` reports it once through `log` and
 * containers simply find no credentials there.
 */
export class IptablesCredentialsRoute {
  private warned = false;

  constructor(private readonly port: () => number, private readonly tag: string, private readonly log: (line: string) => void = () => {}) {}

  private rule(sourceIp: string): string[] {
    return [
      '-t', 'nat', 'PREROUTING', '-s', `${sourceIp}/32`, '-d', `${CREDENTIALS_ADDRESS}/32`, '-p', 'tcp', '--dport', '80',
      '-m', 'comment', '--comment', `berth ${this.tag}`, '-j', 'REDIRECT', '--to-ports', String(this.port()),
    ];
  }

  private async iptables(op: '-C' | '-I' | '-D', sourceIp: string): Promise<void> {
    const [t, table, chain, ...rest] = this.rule(sourceIp);
    await run('iptables', ['-w', t!, table!, op, chain!, ...rest]);
  }

  async attach(sourceIp: string): Promise<void> {
    try {
      await this.iptables('-C', sourceIp);
      return;
    } catch {
      // not there yet
    }
    try {
      await this.iptables('-I', sourceIp);
    } catch (err) {
      if (!this.warned) this.log(`cannot route ${CREDENTIALS_ADDRESS} to the credentials endpoint (iptables): ${err instanceof Error ? err.message : String(err)}`);
      this.warned = true;
    }
  }

  /**
   * Drops this agent's rules (by its tag) for addresses no running container holds: an agent
   * killed with tasks running leaves their rules, as it leaves their containers, and on its next
   * start the containers may be gone. Deleted by the rule as listed: it may name an older port.
   * Called at start, before any task is restored, so it never races a task's own `attach`.
   */
  async prune(live: ReadonlySet<string>): Promise<number> {
    let listed: string;
    try {
      listed = (await run('iptables', ['-w', '-t', 'nat', '-S', 'PREROUTING'])).stdout;
    } catch {
      return 0;
    }
    let dropped = 0;
    for (const line of listed.split('\n')) {
      const m = /^-A (PREROUTING -s (\S+)\/32 -d 169\.254\.170\.2\/32 .*--comment (?:"berth ([^"]*)"|berth) .*)$/.exec(line);
      if (!m || m[3] !== this.tag || live.has(m[2]!)) continue;
      // The comment is one argument though it holds a space: split around its quotes.
      const args = m[1]!.split(/"([^"]*)"/).flatMap((part, i) => (i % 2 ? [part] : part.split(' ').filter(Boolean)));
      try {
        await run('iptables', ['-w', '-t', 'nat', '-D', ...args]);
        dropped++;
      } catch {
        // gone meanwhile
      }
    }
    return dropped;
  }

  async detach(sourceIp: string): Promise<void> {
    // Deletes every copy (a crashed agent may have left one behind).
    for (let i = 0; i < 5; i++) {
      try {
        await this.iptables('-D', sourceIp);
      } catch {
        return;
      }
    }
  }
}
