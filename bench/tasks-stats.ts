/** Small shared helpers of the task and hollow benchmarks: latency summaries and waiting. */

export interface Summary { n: number; p50: number; p90: number; p99: number; min: number; max: number; mean: number }

/**
 * Nearest-rank percentiles of a sample, in the sample's unit, rounded to 0.1. With 50 samples
 * p99 is the largest but one, so it is as noisy as a single observation; `max` is given beside it.
 */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 10) / 10;
  const pct = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! : NaN);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN;
  return { n: s.length, p50: r(pct(0.5)), p90: r(pct(0.9)), p99: r(pct(0.99)), min: r(s[0] ?? NaN), max: r(s[s.length - 1] ?? NaN), mean: r(mean) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const round1 = (x: number): number => Math.round(x * 10) / 10;
