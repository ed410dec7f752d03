import fs from 'node:fs';
import path from 'node:path';
import { machine, printTable, rootDir, runLoad } from './harness';
import type { LoadResult } from './load';
import { registryCsv, startOfficerServer } from './officer-server';

/**
 * Does long work freeze anyone? A province officer commits a registry import of N rows (default
 * 5,000) while other people use the platform: `/api/health` and a product page are loaded with
 * autocannon (10 connections) first on an idle server (the baseline), then while the commit runs.
 * Bars: health p99 < 100 ms and product page p95 < 300 ms during the commit.
 *
 * npm run bench:responsiveness [-- --rows 5000 --duration 15 --connections 10 --db embedded|postgres]
 * (postgres needs BENCH_DATABASE_URL; a scratch database is made and dropped).
 */

const OFFICER = { email: 'bench-officer@ocop.local', password: 'bench-officer-2026' };
const PROVINCE = '37';
const GIA_VIEN = '14464';
const PRODUCT_SET = '1';
const HEALTH_P99_BAR_MS = 100;
const PRODUCT_P95_BAR_MS = 300;

type Options = { rows: number; durationSeconds: number; connections: number; db: 'embedded' | 'postgres' };

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    rows: Number(value('rows') ?? 5000),
    durationSeconds: Number(value('duration') ?? 15),
    connections: Number(value('connections') ?? 10),
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
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const server = await startOfficerServer({
    db: options.db,
    name: 'r',
    officer: { ...OFFICER, fullName: 'Cán bộ tỉnh đo hiệu năng', provinceCode: PROVINCE },
  });
  const { baseUrl, headers, database } = server;

  // The product page other people read during the commit.
  const subject = await request(baseUrl, headers, 'POST', '/api/v1/subjects', {
    name: 'Hợp tác xã Dịch vụ Nông nghiệp Gia Hưng',
    type: 'cooperative',
    communeCode: GIA_VIEN,
    address: 'Thôn Đông',
    legalRepresentative: 'Nguyễn Văn An',
    legalRepresentativeGender: 'male',
  }).catch((error: Error) => {
    throw new Error(`creating the subject the product page shows failed: ${error.message}`);
  });
  const product = await request(baseUrl, headers, 'POST', '/api/v1/products', {
    subjectId: subject.id,
    name: 'Miến dong Gia Hưng',
    categoryCode: PRODUCT_SET,
    communeCode: GIA_VIEN,
  });
  const productPath = `/api/v1/products/${product.id}`;

  console.log(`Uploading a registry of ${options.rows} rows…`);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(registryCsv(options.rows))]), 'so-ocop.csv');
  const uploaded = await fetch(`${baseUrl}/api/v1/imports`, { method: 'POST', headers, body: form });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const job = await uploaded.json();
  await request(baseUrl, headers, 'PUT', `/api/v1/imports/${job.id}/mapping`, {
    mapping: job.suggestedMapping,
  });
  const dryRunStarted = performance.now();
  const report = await request(baseUrl, headers, 'POST', `/api/v1/imports/${job.id}/dry-run`);
  console.log(
    `  dry run ${((performance.now() - dryRunStarted) / 1000).toFixed(1)} s: ${JSON.stringify(report.job.counts)}`,
  );
  if (report.job.counts.ok + report.job.counts.warning !== options.rows) {
    const problem = report.rows.find((r: { status: string }) => r.status !== 'ok' && r.status !== 'warning');
    throw new Error(`the dry run does not accept every row: ${JSON.stringify(problem)}`);
  }

  const load = (paths: string[], durationSeconds: number) =>
    runLoad({ url: baseUrl, connections: options.connections, durationSeconds, headers, paths });
  const measuredOn = machine();
  console.log(
    `\nBaseline (idle server), ${options.connections} connections, ${options.durationSeconds} s each…`,
  );
  await load(['/api/health'], 2);
  const idleHealth = await load(['/api/health'], options.durationSeconds);
  const idleProduct = await load([productPath], options.durationSeconds);

  console.log('Committing the import and loading the server meanwhile…');
  const commitStarted = performance.now();
  let commitSeconds = 0;
  // The commit is a job: the request answers 202 at once, the job is read until it ends.
  const commit = request(baseUrl, headers, 'POST', `/api/v1/imports/${job.id}/commit`, {}).then(async () => {
    let result = await request(baseUrl, headers, 'GET', `/api/v1/imports/${job.id}`);
    while (result.status === 'committing') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      result = await request(baseUrl, headers, 'GET', `/api/v1/imports/${job.id}`);
    }
    commitSeconds = (performance.now() - commitStarted) / 1000;
    return result;
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const busyHealth = await load(['/api/health'], options.durationSeconds);
  const healthDuringCommit = commitSeconds === 0;
  const busyProduct = await load([productPath], options.durationSeconds);
  const productDuringCommit = commitSeconds === 0;
  const committed = await commit;
  console.log(
    `  commit: ${commitSeconds.toFixed(1)} s for ${options.rows} rows, ${JSON.stringify(committed.counts ?? committed.job?.counts ?? {})}`,
  );

  console.log('');
  printTable([
    ['GET /api/health       idle', idleHealth],
    ['GET /api/health       during commit', busyHealth],
    ['GET product page      idle', idleProduct],
    ['GET product page      during commit', busyProduct],
  ]);
  const healthMet = busyHealth.latencyMs.p99 < HEALTH_P99_BAR_MS && busyHealth.non2xx === 0;
  const productMet = busyProduct.latencyMs.p95 < PRODUCT_P95_BAR_MS && busyProduct.non2xx === 0;
  const window = (during: boolean) => (during ? '' : ' (WARNING: the commit ended before this load did)');
  console.log(
    `\nDuring the commit: health p99 ${busyHealth.latencyMs.p99} ms (bar ${HEALTH_P99_BAR_MS}): ${healthMet ? 'MET' : 'NOT MET'}${window(healthDuringCommit)}; ` +
      `product page p95 ${busyProduct.latencyMs.p95} ms (bar ${PRODUCT_P95_BAR_MS}): ${productMet ? 'MET' : 'NOT MET'}${window(productDuringCommit)}.`,
  );
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench:responsiveness -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: measuredOn,
    database: database.kind,
    options,
    commitSeconds: Math.round(commitSeconds * 10) / 10,
    idle: { health: idleHealth, product: idleProduct },
    duringCommit: { health: busyHealth, product: busyProduct, healthDuringCommit, productDuringCommit },
    bars: { healthP99Ms: HEALTH_P99_BAR_MS, productP95Ms: PRODUCT_P95_BAR_MS, healthMet, productMet },
  } satisfies Record<string, unknown> & { idle: Record<string, LoadResult> };
  const outFile = path.join(
    rootDir,
    'bench/results',
    `responsiveness${options.db === 'postgres' ? '-postgres' : ''}.json`,
  );
  fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`Written to ${path.relative(rootDir, outFile)}`);

  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
