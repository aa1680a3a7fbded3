/**
 * What the data plane needs from the outside world, as small interfaces. The runtime takes
 * them in its options; tests and the API room may pass their own.
 */
import type { HealthCheckSettings } from './config.js';
import type { ProbeResult } from './target-health.js';

/** Milliseconds on a monotonic-enough clock; only differences matter. */
export interface Clock { now(): number }

/**
 * Runs one health check against a target. Never throws: every failure is a ProbeResult with
 * its reason code (Target.Timeout, Target.ResponseCodeMismatch, Target.FailedHealthChecks).
 * Must settle within `settings.timeoutMs` plus a little scheduling slack.
 */
export interface HealthProbe {
  probe(ip: string, port: number, settings: HealthCheckSettings): Promise<ProbeResult>;
}

/** A certificate and its private key, PEM encoded. */
export interface KeyPairPem { certPem: string; keyPem: string }

/** Issues the certificate an HTTPS listener uses when its config carries none. */
export interface CertificateIssuer {
  issue(hostNames: string[]): Promise<KeyPairPem>;
}

export const systemClock: Clock = { now: () => performance.now() };
