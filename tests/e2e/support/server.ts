import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort, makeReachableTempDir } from '../../../src/db/embedded-server';

/**
 * The real server for the browser journeys: `src/server/main.ts` as a child process on a free
 * loopback port, with a fresh DATA_DIR and the demo province, serving its own build of the web app.
 */
export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const resultsDir = path.join(rootDir, 'test-results');

/** An administrator made before the server starts, so the journeys never depend on the demo seed's accounts. */
export const E2E_ADMIN = { email: 'e2e-admin@ocop.local', password: 'kiem-thu-e2e-2026' };

export type DemoLogin = { role: string; email: string };
export type E2eServer = {
  baseUrl: string;
  dataDir: string;
  /** The accounts the demo seed printed at start (empty until the seed exists), with their password. */
  demo: { password: string; accounts: DemoLogin[] };
  admin: { email: string; password: string };
  logFile: string;
};

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/**
 * The journeys' own build of the web app, outside dist/web: another build of dist/web during a
 * run (a developer's, a watcher's) would swap the hashed assets under the running pages.
 */
export const webDir = path.join(
  os.tmpdir(),
  `ocop-e2e-web-${createHash('sha256').update(rootDir).digest('hex').slice(0, 12)}`,
);

/** Builds the web app when that build is missing or older than anything it is built from. */
export function ensureWebBuilt(): void {
  const built = path.join(webDir, 'index.html');
  const sources = [
    'src/web',
    'src/shared',
    'src/modules',
    'index.html',
    'vite.config.ts',
    'public',
    'package-lock.json',
  ];
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(rootDir, s))));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource) return;
  console.log(`Building the web app for the browser tests (vite build → ${webDir})…`);
  execFileSync(
    path.join(rootDir, 'node_modules/.bin/vite'),
    ['build', '--logLevel', 'warn', '--outDir', webDir, '--emptyOutDir'],
    { cwd: rootDir, stdio: 'inherit' },
  );
}

/** A free loopback port, as the embedded server chooses its own. */
export const freePort = freeLoopbackPort;

function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  // A DATABASE_URL from the shell would point the journeys at a real database: never here.
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return {
    ...rest,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    OCOP_DEMO: '1',
    LOG_LEVEL: 'warn',
    // The journeys' own build: a fresh clone has no dist/web, and a developer's may be stale.
    WEB_DIR: webDir,
  };
}

/** The embedded database belongs to one process at a time, so the admin is made before the server starts. */
function createAdmin(dataDir: string): void {
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/admin-create.ts',
      '--email',
      E2E_ADMIN.email,
      '--password',
      E2E_ADMIN.password,
    ],
    { cwd: rootDir, env: serverEnv(dataDir, 0), stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Reads "Demo logins (password for all: X):" and the "  role  email" lines main.ts prints after it. */
export function parseDemoLogins(output: string): E2eServer['demo'] {
  const password = /password for all: (.*?)\):/.exec(output)?.[1]?.trim() ?? '';
  const accounts: DemoLogin[] = [];
  const start = output.indexOf('Demo logins');
  if (start >= 0) {
    for (const line of output.slice(start).split('\n').slice(1)) {
      const match = /^\s+([a-z_]+)\s+(\S+@\S+)\s*$/.exec(line);
      if (!match) break;
      accounts.push({ role: match[1]!, email: match[2]! });
    }
  }
  return { password, accounts };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The server exited (code ${child.exitCode}) before answering:\n${log().slice(-4000)}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server did not answer /api/health within 120 s:\n${log().slice(-4000)}`);
}

export async function startServer(): Promise<{ server: E2eServer; stop: () => Promise<void> }> {
  ensureWebBuilt();
  fs.mkdirSync(resultsDir, { recursive: true });
  const dataDir = makeReachableTempDir('ocop-e2e-');
  createAdmin(dataDir);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(resultsDir, 'server.log');
  let output = '';
  // node --import tsx (not the tsx binary) so the signal reaches the server itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: rootDir,
    env: serverEnv(dataDir, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    fs.appendFileSync(logFile, chunk);
  };
  fs.writeFileSync(logFile, '');
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitForHealth(baseUrl, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    server: { baseUrl, dataDir, demo: parseDemoLogins(output), admin: E2E_ADMIN, logFile },
    stop,
  };
}
