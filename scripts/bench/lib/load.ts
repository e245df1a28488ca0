// Drives HTTP load with autocannon and keeps every response time (autocannon's own histogram
// rounds to whole milliseconds, too coarse for a floor of a few ms), so percentiles are exact.
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  /** One path, or several that each connection cycles through. */
  paths: string[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** Every 2xx response time, ms. */
  samples: Float64Array;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarise(samples: Float64Array, seconds: number, non2xx: number, errors: number): LoadResult {
  const sorted = Float64Array.from(samples).sort();
  return {
    requests: sorted.length,
    seconds,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    non2xx,
    errors,
    samples: sorted,
  };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let samples = new Float64Array(1 << 16);
  let n = 0;
  let non2xx = 0;
  const started = performance.now();
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      headers: spec.headers,
      requests: spec.paths.map((path) => ({ method: 'GET', path })),
      // Latency is measured from when each request is sent; a closed loop, like pipelines and browsers.
      pipelining: 1,
      timeout: 30,
    },
    (err: unknown, result: autocannon.Result) => (err ? fail(err) : finish(result)),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode >= 300) {
      non2xx++;
      return;
    }
    if (n === samples.length) {
      const bigger = new Float64Array(samples.length * 2);
      bigger.set(samples);
      samples = bigger;
    }
    samples[n++] = responseTime;
  });
  const result = await done;
  const seconds = Math.max(0.001, (performance.now() - started) / 1000);
  return summarise(samples.subarray(0, n), seconds, non2xx, result.errors + result.timeouts);
}

/** Several rounds of one scenario, pooled: percentiles over every sample, and the spread between rounds. */
export interface Pooled {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  non2xx: number;
  errors: number;
  rounds: { rps: number; p50: number; p99: number }[];
}

export function pool(rounds: LoadResult[]): Pooled {
  const total = rounds.reduce((a, r) => a + r.samples.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const r of rounds) {
    all.set(r.samples, at);
    at += r.samples.length;
  }
  const seconds = rounds.reduce((a, r) => a + r.seconds, 0);
  const s = summarise(all, seconds, rounds.reduce((a, r) => a + r.non2xx, 0), rounds.reduce((a, r) => a + r.errors, 0));
  return {
    rps: s.rps,
    p50: s.p50,
    p90: s.p90,
    p99: s.p99,
    max: s.max,
    requests: s.requests,
    non2xx: s.non2xx,
    errors: s.errors,
    rounds: rounds.map((r) => ({ rps: r.rps, p50: r.p50, p99: r.p99 })),
  };
}
