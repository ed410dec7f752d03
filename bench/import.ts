import fs from 'node:fs';
import path from 'node:path';
import { machine, rootDir, runLoad } from './harness';
import type { LoadResult } from './load';
import { registryCsv, startOfficerServer } from './officer-server';

/**
 * A registry import at scale, through the HTTP API of a real server: upload, dry run and commit of
 * N rows (default 5,000 and 50,000), the commit run as a job and followed through its progress.
 * Measures each step's time, the process's peak memory (the server runs in this process), and
 * `/api/health` under 10 connections while the commit runs (windows of 5 s; the worst p99 reported).
 * A file over the import's row limit is reported as refused, as an officer would see it.
 *
 * npm run bench:import [-- --rows 5000,50000 --db embedded|postgres]
 * (postgres needs BENCH_DATABASE_URL; a scratch database is made and dropped).
 */

const OFFICER = { email: 'bench-import@ocop.local', password: 'bench-import-officer-2026' };
const PROVINCE = '37';
const TARGET_SECONDS_5000 = 15;

type Options = { rows: number[]; db: 'embedded' | 'postgres' };

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    rows: (value('rows') ?? '5000,50000').split(',').map(Number),
    db: value('db') === 'postgres' ? 'postgres' : 'embedded',
  };
}

async function request(
  baseUrl: string,
  headers: Record<string, string>,
  method: string,
  url: string,
  body?: unknown,
) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

type RunResult = {
  rows: number;
  /** Why the upload was refused (a file over the import's row limit). */
  refused?: string;
  uploadSeconds?: number;
  dryRunSeconds?: number;
  commitSeconds?: number;
  commitStatus?: string;
  rowsPerSecond?: number;
  peakRssMb?: number;
  healthDuringCommit?: LoadResult | null;
};

const seconds = (started: number, ended = performance.now()) => Math.round((ended - started) / 100) / 10;

async function runOne(baseUrl: string, headers: Record<string, string>, rows: number): Promise<RunResult> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    console.log(`\n${rows} rows: uploading…`);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(registryCsv(rows, `b${rows} `))]), `so-ocop-${rows}.csv`);
    let started = performance.now();
    const uploaded = await fetch(`${baseUrl}/api/v1/imports`, { method: 'POST', headers, body: form });
    const uploadSeconds = seconds(started);
    const job = await uploaded.json();
    if (uploaded.status !== 201) {
      const refused = `${uploaded.status} ${job.error?.message ?? ''}`;
      console.log(`  refused: ${refused}`);
      return { rows, refused };
    }
    started = performance.now();
    const dry = await request(baseUrl, headers, 'POST', `/api/v1/imports/${job.id}/dry-run`);
    const dryRunSeconds = seconds(started);
    if (dry.status !== 200) throw new Error(`dry run: ${dry.status} ${JSON.stringify(dry.json)}`);
    console.log(`  dry run ${dryRunSeconds} s: ${JSON.stringify(dry.json.job.counts)}`);

    started = performance.now();
    const commit = await request(baseUrl, headers, 'POST', `/api/v1/imports/${job.id}/commit`, {});
    if (commit.status !== 202) throw new Error(`commit: ${commit.status} ${JSON.stringify(commit.json)}`);
    let status = 'committing';
    let shown = -1;
    // When the job was seen ended, not when the last health window closed (up to 5 s later).
    let endedAt = 0;
    const followed = (async () => {
      while (status === 'committing') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const read = await request(baseUrl, headers, 'GET', `/api/v1/imports/${job.id}`);
        status = read.json.status;
        if (status !== 'committing') endedAt = performance.now();
        const progress = read.json.progress;
        if (progress && progress.done !== shown) {
          shown = progress.done;
          process.stdout.write(
            `\r  commit: ${progress.done}/${progress.total} rows, ~${progress.secondsLeft ?? '?'} s left   `,
          );
        }
      }
    })();
    // /api/health under load while the commit runs, in 5 s windows: the worst window is reported.
    let worst: LoadResult | null = null;
    while (status === 'committing') {
      const window = await runLoad({
        url: baseUrl,
        connections: 10,
        durationSeconds: 5,
        headers,
        paths: ['/api/health'],
      });
      if (status === 'committing' || !worst)
        if (!worst || window.latencyMs.p99 > worst.latencyMs.p99) worst = window;
    }
    await followed;
    const commitSeconds = seconds(started, endedAt);
    console.log(`\n  commit ${status} in ${commitSeconds} s`);
    return {
      rows,
      uploadSeconds,
      dryRunSeconds,
      commitSeconds,
      commitStatus: status,
      rowsPerSecond: Math.round(rows / commitSeconds),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      healthDuringCommit: worst,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const server = await startOfficerServer({
    db: options.db,
    name: 'i',
    officer: { ...OFFICER, fullName: 'Cán bộ tỉnh đo nhập sổ', provinceCode: PROVINCE },
  });
  const { baseUrl, headers, database } = server;

  const results: RunResult[] = [];
  for (const rows of options.rows) results.push(await runOne(baseUrl, headers, rows));

  console.log('\nrows    upload  dry run  commit   rows/s  peak RSS  health p99 during commit');
  for (const r of results) {
    if (r.refused) {
      console.log(`${String(r.rows).padEnd(7)} refused: ${r.refused}`);
      continue;
    }
    console.log(
      `${String(r.rows).padEnd(7)} ${`${r.uploadSeconds} s`.padEnd(7)} ${`${r.dryRunSeconds} s`.padEnd(8)} ${`${r.commitSeconds} s`.padEnd(8)} ${String(r.rowsPerSecond).padEnd(7)} ${`${r.peakRssMb} MB`.padEnd(9)} ${r.healthDuringCommit ? `${r.healthDuringCommit.latencyMs.p99} ms` : '—'}`,
    );
  }
  const five = results.find((r) => r.rows === 5000 && r.commitSeconds !== undefined);
  if (five)
    console.log(
      `\n5,000-row commit ${five.commitSeconds} s (target < ${TARGET_SECONDS_5000} s): ${five.commitSeconds! < TARGET_SECONDS_5000 ? 'MET' : 'NOT MET'}`,
    );
  const outFile = path.join(
    rootDir,
    'bench/results',
    `import${options.db === 'postgres' ? '-postgres' : ''}.json`,
  );
  fs.writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        command: `npm run bench:import -- ${process.argv.slice(2).join(' ')}`.trim(),
        machine: machine(),
        database: database.kind,
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`Written to ${path.relative(rootDir, outFile)}`);
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
