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
