import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { hash } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config';
import { type Database, queryRows } from '../src/db/client';
import { makeReachableTempDir } from '../src/db/embedded-server';
import { users } from '../src/modules/accounts/schema';
import { buildApp } from '../src/server/app';
import { prepareDatabase } from '../src/server/bootstrap';
import { generateDataset } from './generate';
import { createScratchDatabase, machine, printTable, rootDir, runLoad } from './harness';
import type { LoadJob, LoadResult } from './load';

/**
 * `npm run bench`: builds the national-scale dataset in a fresh database, starts the real app on
 * loopback, and drives a trivial route and product search with the same load tool, the same
 * connections and the same duration. It is a measurement: a missed target is reported, never an
 * exit code. Options: --duration S, --warmup S, --connections 1,10 (levels), --subjects N, --products N, --seed N,
 * --db embedded|postgres (postgres needs BENCH_DATABASE_URL; a scratch database is made and dropped),
 * --log (server errors to stderr).
 */
const execFileAsync = promisify(execFile);
const TARGET_P95_MS = 50;
const ADMIN_EMAIL = 'bench-admin@ocop.local';
const ADMIN_PASSWORD = 'bench-mat-khau-2026';

type Options = {
  durationSeconds: number;
  warmupSeconds: number;
  /** Concurrency levels, each measured for both routes. */
  connections: number[];
  subjects: number;
  products: number;
  seed: number;
  db: 'embedded' | 'postgres';
  /** Server errors to stderr (500s under load print one line each). */
  log: boolean;
};

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  const db = value('db') ?? 'embedded';
  if (db !== 'embedded' && db !== 'postgres') throw new Error('--db must be embedded or postgres');
  return {
    durationSeconds: number('duration', 20),
    warmupSeconds: number('warmup', 3),
    connections: (value('connections') ?? '1,10').split(',').map((level) => {
      const parsed = Number(level);
      if (!Number.isInteger(parsed) || parsed <= 0)
        throw new Error('--connections takes positive integers: 1,10');
      return parsed;
    }),
    subjects: number('subjects', 10_000),
    products: number('products', 20_000),
    seed: number('seed', 2026),
    db,
    log: argv.includes('--log'),
  };
}

/** A scratch PostgreSQL database for one run, so the benchmark never touches real data. */
async function login(baseUrl: string): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('ocop_session='));
  if (!cookie) throw new Error('login set no session cookie');
  return { cookie };
}

/**
 * Realistic searches: unaccented terms as people type them, unfiltered over the first three pages,
 * or filtered to one of the busiest provinces or to the term's product set. Connections cycle
 * through the list in order.
 */
async function searchPaths(database: Database): Promise<string[]> {
  const busiest = await queryRows<{ province_code: string }>(
    database.db,
    sql`SELECT c.province_code FROM products p JOIN communes c ON c.code = p.commune_code
        GROUP BY c.province_code ORDER BY count(*) DESC, c.province_code LIMIT 4`,
  );
  const provinces = busiest.map((row) => row.province_code);
  const terms = [
    'com chay',
    'mam tep',
    'tra hoa vang',
    'mien dong',
    'mat ong',
    'nuoc mam',
    'ruou',
    'ca phe',
    'banh',
    'gao',
  ];
  // Product sets of the 2026 scheme that the terms belong to (5 đồ ăn nhanh, 8 chế biến từ thủy sản…).
  const productSets = ['5', '8', '12', '6', '4', '9', '14', '13', '6', '3'];
  const paths: string[] = [];
  terms.forEach((term, index) => {
    for (const page of [1, 2, 3]) {
      paths.push(`/api/v1/products?${new URLSearchParams({ q: term, page: String(page), pageSize: '20' })}`);
    }
    // Filtered results fit in a page or two: people look at the first.
    for (const provinceCode of [
      provinces[index % provinces.length],
      provinces[(index + 1) % provinces.length],
    ]) {
      const params = new URLSearchParams({
        q: term,
        provinceCode: provinceCode ?? '',
        page: '1',
        pageSize: '20',
      });
      paths.push(`/api/v1/products?${params}`);
    }
    const bySet = new URLSearchParams({
      q: term,
      productSet: productSets[index] ?? '5',
      page: '1',
      pageSize: '20',
    });
    paths.push(`/api/v1/products?${bySet}`);
  });
  return paths;
}

/** One query alone, without concurrency: status, hits, and the median time of three warm requests. */
type Run = {
  connections: number;
  health: LoadResult;
  search: LoadResult | null;
  ratio: { requestsPerSecond: number; p95: number } | null;
  searchP95TargetMet: boolean | null;
};

type QueryCheck = { path: string; status: number; total: number | null; aloneMs: number };

async function checkQueries(baseUrl: string, headers: Record<string, string>, paths: string[]) {
  const checks: QueryCheck[] = [];
  for (const p of paths) {
    const response = await fetch(`${baseUrl}${p}`, { headers });
    const body = (await response.json().catch(() => null)) as { total?: unknown } | null;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await (await fetch(`${baseUrl}${p}`, { headers })).arrayBuffer();
      times.push(performance.now() - started);
    }
    checks.push({
      path: p,
      status: response.status,
      total: typeof body?.total === 'number' ? body.total : null,
      aloneMs: Math.round(times.sort((a, b) => a - b)[1]! * 10) / 10,
    });
  }
  return checks;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const dataDir = makeReachableTempDir('ocop-bench-');
  let scratch: { url: string; drop: () => Promise<void> } | undefined;
  if (options.db === 'postgres') {
    const serverUrl = process.env.BENCH_DATABASE_URL;
    if (!serverUrl)
      throw new Error(
        '--db postgres needs BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
      );
    scratch = await createScratchDatabase(serverUrl);
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: options.log ? 'error' : 'silent',
    OCOP_DEMO: '0',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });

  console.log(`Preparing a fresh ${options.db} database (migrations, administrative units)…`);
  const started = performance.now();
  const database = await prepareDatabase(config);
  console.log(`  ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  console.log(
    `Generating ${options.subjects} subjects and ${options.products} products (seed ${options.seed})…`,
  );
  const dataset = await generateDataset(database.db, options);
  console.log(
    `  ${dataset.subjects} subjects, ${dataset.products} products (${dataset.withGtin} with GTIN) in ` +
      `${dataset.provinces} provinces / ${dataset.communes} communes, ${dataset.seconds} s`,
  );

  await database.db.insert(users).values({
    email: ADMIN_EMAIL,
    fullName: 'Quản trị đo hiệu năng',
    passwordHash: await hash(ADMIN_PASSWORD),
    role: 'system_admin',
  });

  const app = await buildApp({
    config,
    database,
    sessionSecret: randomBytes(32).toString('hex'),
    logger: options.log,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const headers = await login(baseUrl);

  const searchRouteExists = app.routeAccess.some((r) => r.method === 'GET' && r.url === '/api/v1/products');
  const paths = searchRouteExists ? await searchPaths(database) : [];
  const checks = await checkQueries(baseUrl, headers, paths);
  if (searchRouteExists) {
    console.log('\nSearch queries, each alone (status, hits, median of 3 warm requests):');
    for (const check of checks) {
      const total = String(check.total ?? '?').padStart(5);
      console.log(
        `  ${check.status}  ${total} hits  ${check.aloneMs.toFixed(1).padStart(7)} ms  ${check.path}`,
      );
    }
    const alone = checks.map((c) => c.aloneMs).sort((a, b) => a - b);
    console.log(
      `  alone: median ${alone[Math.floor(alone.length / 2)]} ms, slowest ${alone[alone.length - 1]} ms`,
    );
    const failing = checks.filter((c) => c.status !== 200);
    if (failing.length > 0) {
      console.log(
        `\nWARNING: ${failing.length} of ${checks.length} search queries answer ` +
          `${[...new Set(failing.map((c) => c.status))].join(', ')}: the search figures below time errors, ` +
          'not searches. Rerun with --log to see the server errors.',
      );
    }
  } else {
    console.log('\nGET /api/v1/products is not there yet: only the trivial route is measured.');
  }

  const job = (jobPaths: string[], connections: number, durationSeconds: number): LoadJob => ({
    url: baseUrl,
    connections,
    durationSeconds,
    headers,
    paths: jobPaths,
  });
  const targets: [string, string[]][] = [['GET /api/health', ['/api/health']]];
  if (searchRouteExists) targets.push(['product search', paths]);

  // Each concurrency level measures both routes back to back, same tool, same duration.
  const runs: Run[] = [];
  const measuredOn = machine();
  if (measuredOn.loadAverage > measuredOn.cores / 2) {
    console.log(
      `\nNOTE: load average ${measuredOn.loadAverage} on ${measuredOn.cores} cores: other work is running, ` +
        'so these figures understate what the app does on a quiet machine.',
    );
  }
  for (const connections of options.connections) {
    const measured: Record<string, LoadResult> = {};
    for (const [name, jobPaths] of targets) {
      console.log(
        `\n${name} at ${connections} connection(s): warm-up ${options.warmupSeconds} s, measure ${options.durationSeconds} s…`,
      );
      await runLoad(job(jobPaths, connections, options.warmupSeconds));
      measured[name] = await runLoad(job(jobPaths, connections, options.durationSeconds));
    }
    const health = measured['GET /api/health']!;
    const search = measured['product search'] ?? null;
    runs.push({
      connections,
      health,
      search,
      ratio: search
        ? {
            requestsPerSecond:
              Math.round((search.requestsPerSecond / health.requestsPerSecond) * 1000) / 1000,
            p95: Math.round((search.latencyMs.p95 / Math.max(health.latencyMs.p95, 0.01)) * 100) / 100,
          }
        : null,
      searchP95TargetMet: search ? search.latencyMs.p95 < TARGET_P95_MS && search.non2xx === 0 : null,
    });
  }

  console.log('');
  printTable(
    runs.flatMap((run) => [
      [`GET /api/health  @${run.connections}`, run.health] as [string, LoadResult],
      ...(run.search ? [[`product search   @${run.connections}`, run.search] as [string, LoadResult]] : []),
    ]),
  );
  for (const run of runs) {
    if (!run.search || !run.ratio) continue;
    console.log(
      `\n@${run.connections}: search runs at ${(run.ratio.requestsPerSecond * 100).toFixed(1)}% of the trivial ` +
        `route's throughput; p95 ${run.search.latencyMs.p95} ms against a target of ${TARGET_P95_MS} ms: ` +
        `${run.searchP95TargetMet ? 'MET' : 'NOT MET'}.`,
    );
  }

  const report = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: measuredOn,
    database: database.kind,
    options,
    dataset,
    targetSearchP95Ms: TARGET_P95_MS,
    searchQueriesAlone: checks,
    runs,
  };
  const resultsDir = path.join(rootDir, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, options.db === 'postgres' ? 'latest-postgres.json' : 'latest.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  // In the project's format, so a rerun leaves `biome check .` (part of npm test) passing.
  await execFileAsync(path.join(rootDir, 'node_modules/.bin/biome'), ['format', '--write', file], {
    cwd: rootDir,
  }).catch(() => {});
  console.log(`\nWrote ${path.relative(rootDir, file)}`);

  await app.close();
  await database.close();
  await scratch?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  // Last step: the evaluation benchmark (bench/evaluation.ts, its own fresh embedded database).
  console.log('\nEvaluation: results of a cycle (npm run bench:evaluation)');
  const evaluation = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', path.join(rootDir, 'bench/evaluation.ts')],
    { cwd: rootDir, maxBuffer: 16 * 1024 * 1024 },
  );
  process.stdout.write(evaluation.stdout);
}

main().catch((error: unknown) => {
  // Only a broken set-up lands here (no database, no login): there is then nothing measured to report.
  // Drizzle errors carry every bound parameter; the message and its cause are what helps.
  const cause =
    error instanceof Error && error.cause instanceof Error ? `\n  cause: ${error.cause.message}` : '';
  console.error(
    `Benchmark set-up failed: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}${cause}`,
  );
  process.exit(1);
});
