/** Helpers of the ELB data plane's unit tests (runtimes driven directly, no server). */

/** Polls `cond` every 20 ms until it holds, or fails after `ms`, naming `what`. */
export async function waitFor(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Health checks fast enough for a unit test: every 50 ms, two in a row decide. */
export const fastChecks = { intervalSeconds: 0.05, timeoutSeconds: 0.5, healthyThreshold: 2, unhealthyThreshold: 2 };
