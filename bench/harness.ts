import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { LoadJob, LoadResult } from './load';

/** What every benchmark shares: a scratch PostgreSQL database, the load process, the machine facts, the table. */
export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const execFileAsync = promisify(execFile);

export async function createScratchDatabase(
  serverUrl: string,
  prefix = 'ocop_bench',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** The load generator runs in its own process (bench/load.ts), so it never shares the server's event loop. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', path.join(rootDir, 'bench/load.ts'), JSON.stringify(job)],
    { cwd: rootDir, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    /** 1-minute load average when measuring starts: above the core count, other work shares the CPU. */
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function printTable(rows: [string, LoadResult][]) {
  const header = ['route', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors'];
  const lines = rows.map(([name, r]) => [
    name,
    r.requestsPerSecond.toFixed(0),
    r.latencyMs.p50.toFixed(2),
    r.latencyMs.p95.toFixed(2),
    r.latencyMs.p99.toFixed(2),
    r.latencyMs.max.toFixed(2),
    String(r.requests),
    String(r.non2xx),
    String(r.errors + r.timeouts),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}
