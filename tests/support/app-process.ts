import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort } from '../../src/db/embedded-server';

/**
 * The real server as a child process (`src/server/main.ts`) on a DATA_DIR of the test's own, for
 * tests about the process itself: crashes, restarts, two processes on one data directory. The
 * browser journeys have their own variant in tests/e2e/support/server.ts (demo seed, web build).
 */
export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A free loopback port, as the embedded server chooses its own. */
export const freePort = freeLoopbackPort;

let emptyWebDir: string | undefined;

/** The environment of a server or script on `dataDir`: embedded database, no demo, quiet logs. */
export function appEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // A database from the shell would take the test away from the embedded server: never here.
  const { DATABASE_URL: _a, TEST_DATABASE_URL: _b, ...rest } = process.env;
  // No web build is needed to test the API, and the checkout may have none.
  emptyWebDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-no-web-'));
  return {
    ...rest,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    OCOP_DEMO: '0',
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: '0',
    WEB_DIR: emptyWebDir,
    ...extra,
  };
}

/** Runs one of scripts/*.ts to completion (`admin-create.ts`, `audit-verify.ts`). */
export function runScript(
  script: string,
  args: string[],
  dataDir: string,
): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', script), ...args], {
    cwd: rootDir,
    env: appEnv(dataDir),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** An administrator made before any server runs (the only way outside demo mode). */
export function createAdmin(dataDir: string, admin: { email: string; password: string }): void {
  const made = runScript('admin-create.ts', ['--email', admin.email, '--password', admin.password], dataDir);
  if (made.status !== 0) throw new Error(`admin:create failed (${made.status}):\n${made.output}`);
}

export type AppProcess = {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the process printed so far. */
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 15 s: the server stops the embedded PostgreSQL on its way out. */
  stop: () => Promise<void>;
};

/** Starts the server; `waitForHealth` (default) resolves once /api/health answers. */
export async function startApp(
  dataDir: string,
  options: { env?: Record<string, string>; waitForHealth?: boolean } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  // node --import tsx (not the tsx binary): signals reach the server itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: rootDir,
    env: appEnv(dataDir, { PORT: String(port), ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  // 'close' comes after the last output; a grandchild holding the pipes must not hold this up, hence the bound.
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      const timer = setTimeout(() => resolve(code), 1000);
      child.once('close', () => {
        clearTimeout(timer);
        resolve(code);
      });
    }),
  );
  const app: AppProcess = {
    child,
    baseUrl,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  if (options.waitForHealth !== false) {
    try {
      await waitForHealth(app);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }
  return app;
}

export async function waitForHealth(app: AppProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      await app.exited;
      throw new Error(
        `The server exited (${app.child.exitCode ?? app.child.signalCode}) before answering:\n${app.output().slice(-4000)}`,
      );
    }
    try {
      const response = await fetch(`${app.baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `The server did not answer /api/health within ${timeoutMs} ms:\n${app.output().slice(-4000)}`,
  );
}

export type Session = { cookie: string; csrfToken: string };

export async function login(baseUrl: string, email: string, password: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('ocop_session='));
  if (!cookie) throw new Error('login answered without a session cookie');
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

/** The PID of the embedded PostgreSQL's postmaster, from the first line of its lock file (null when not running). */
export function postmasterPid(dataDir: string): number | null {
  const lockFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(lockFile)) return null;
  const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
