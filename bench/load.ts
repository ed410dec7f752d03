import autocannon from 'autocannon';

/**
 * One autocannon run, in its own process so the load generator never shares an event loop (or a
 * core) with the server it measures. Reads its job as JSON from argv, prints the result as JSON.
 *
 * autocannon's own summary has no p95, so every response time is kept and the percentiles are
 * read from the sorted list (exact, and at a few hundred thousand samples, cheap).
 */
export type LoadJob = {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  /** Paths the connections cycle through, in order. */
  paths: string[];
};

export type LoadResult = {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

const round = (value: number) => Math.round(value * 100) / 100;

async function main() {
  const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
  const latencies: number[] = [];
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    headers: job.headers,
    requests: job.paths.map((path) => ({ method: 'GET', path })),
    timeout: 10,
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const seconds = result.duration;
  const total = sorted.reduce((sum, v) => sum + v, 0);
  const output: LoadResult = {
    requests: sorted.length,
    seconds: round(seconds),
    requestsPerSecond: round(sorted.length / seconds),
    latencyMs: {
      p50: round(percentile(sorted, 0.5)),
      p95: round(percentile(sorted, 0.95)),
      p99: round(percentile(sorted, 0.99)),
      max: round(sorted[sorted.length - 1] ?? 0),
      mean: round(sorted.length ? total / sorted.length : 0),
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
