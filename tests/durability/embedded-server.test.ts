import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReachableTempDir } from '../../src/db/embedded-server';
import {
  type AppProcess,
  createAdmin,
  isAlive,
  login,
  postmasterPid,
  runScript,
  type Session,
  startApp,
} from '../support/app-process';

/**
 * The embedded PostgreSQL under crashes: the real server as a child process, writes sent through the
 * API, `kill -9` of the app (and in some rounds of the postmaster too) in the middle of them, then a
 * plain restart. Every write answered 2xx must be there after it, with the audit chain intact.
 */

const ADMIN = { email: 'durability-admin@ocop.local', password: 'kiem-thu-ben-vung-2026' };
const WRITERS = 6;
/** How long the writes run before the kill, per round; odd rounds kill the postmaster as well. */
const ROUNDS = [
  { killAfterMs: 400, killPostmaster: false },
  { killAfterMs: 700, killPostmaster: true },
  { killAfterMs: 250, killPostmaster: false },
  { killAfterMs: 900, killPostmaster: true },
  { killAfterMs: 500, killPostmaster: false },
];

let dataDir: string;
const running: AppProcess[] = [];

async function start(dir = dataDir, options: Parameters<typeof startApp>[1] = {}): Promise<AppProcess> {
  const app = await startApp(dir, options);
  running.push(app);
  return app;
}

function subjectBody(name: string) {
  return {
    name,
    type: 'cooperative',
    address: 'Thôn Kiểm Thử',
    communeCode: '14464',
    legalRepresentative: 'Nguyễn Văn Bền',
    legalRepresentativeGender: 'male',
  };
}

/** The new subject's id when the server acknowledged the write (2xx), otherwise the status it answered. */
async function createSubject(app: AppProcess, session: Session, name: string): Promise<string | number> {
  const response = await fetch(`${app.baseUrl}/api/v1/subjects`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
    },
    body: JSON.stringify(subjectBody(name)),
    signal: AbortSignal.timeout(20_000),
  });
  if (response.status < 200 || response.status >= 300) return response.status;
  return ((await response.json()) as { id: string }).id;
}

/** Every acknowledged subject answers with its name. */
async function expectAllPresent(app: AppProcess, session: Session, acknowledged: Map<string, string>) {
  const entries = [...acknowledged];
  const missing: string[] = [];
  for (let i = 0; i < entries.length; i += 25) {
    await Promise.all(
      entries.slice(i, i + 25).map(async ([id, name]) => {
        const response = await fetch(`${app.baseUrl}/api/v1/subjects/${id}`, {
          headers: { cookie: session.cookie },
        });
        if (response.status !== 200 || ((await response.json()) as { name: string }).name !== name) {
          missing.push(`${name} (${id}): ${response.status}`);
        }
      }),
    );
  }
  expect(missing).toEqual([]);
}

beforeAll(() => {
  dataDir = makeReachableTempDir('ocop-durability-');
  createAdmin(dataDir, ADMIN);
}, 90_000);

afterAll(async () => {
  for (const app of running) await app.stop();
  // A postmaster of a failed round is this test's to stop: by its PID, never by name.
  const pid = dataDir ? postmasterPid(dataDir) : null;
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('embedded PostgreSQL durability', () => {
  it('keeps every acknowledged write through kill -9 of the app and of the postmaster', async () => {
    const acknowledged = new Map<string, string>();
    let previousRound = new Map<string, string>();
    for (const [round, plan] of ROUNDS.entries()) {
      // Starting again is the whole recovery: no manual step between rounds.
      const app = await start();
      if (round > 0 && !ROUNDS[round - 1]!.killPostmaster) {
        // The killed app's postmaster outlived it: this start stopped it before starting its own.
        expect(app.output()).toMatch(/left running by an earlier start .* stopping it/);
      }
      const session = await login(app.baseUrl, ADMIN.email, ADMIN.password);
      await expectAllPresent(app, session, previousRound);

      const thisRound = new Map<string, string>();
      let writing = true;
      let sent = 0;
      const refused: number[] = [];
      const writers = Array.from({ length: WRITERS }, async (_, writer) => {
        for (let n = 0; writing; n++) {
          const name = `Chủ thể ${round}-${writer}-${n}`;
          sent++;
          try {
            const answer = await createSubject(app, session, name);
            if (typeof answer === 'string') thisRound.set(answer, name);
            else refused.push(answer);
          } catch {
            // The server died under this request: not acknowledged, may or may not have committed.
          }
        }
      });
      // Kill only once writes are flowing, so the kill lands in the middle of them.
      while (thisRound.size < 5) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, plan.killAfterMs));
      const postmaster = postmasterPid(dataDir);
      expect(postmaster).not.toBeNull();
      writing = false;
      if (plan.killPostmaster) process.kill(postmaster!, 'SIGKILL');
      app.child.kill('SIGKILL');
      await app.exited;
      await Promise.all(writers);
      // Before the kill every write succeeds; after it only a write cut short by the dead database may answer 5xx.
      expect(refused.filter((status) => status < 500 || !plan.killPostmaster)).toEqual([]);
      expect(thisRound.size).toBeGreaterThan(0);
      console.log(
        `round ${round + 1}: kill -9 of the app${plan.killPostmaster ? ' and the postmaster' : ''} after ${thisRound.size} acknowledged writes; ${sent - thisRound.size - refused.length} cut off, ${refused.length} answered 5xx`,
      );
      for (const [id, name] of thisRound) acknowledged.set(id, name);
      previousRound = thisRound;
    }

    // A last clean start: every write acknowledged in any round is there.
    const app = await start();
    if (!ROUNDS[ROUNDS.length - 1]!.killPostmaster)
      expect(app.output()).toMatch(/left running by an earlier start/);
    const session = await login(app.baseUrl, ADMIN.email, ADMIN.password);
    await expectAllPresent(app, session, acknowledged);
    await app.stop();
    expect(postmasterPid(dataDir)).toBeNull();

    const verified = runScript('audit-verify.ts', [], dataDir);
    expect(verified.output).toMatch(/Audit chain intact: \d+ entries verified/);
    expect(verified.status).toBe(0);
    // One entry per subject that committed (at least every acknowledged one) and the administrator.
    const entries = Number(/intact: (\d+) entries/.exec(verified.output)![1]);
    expect(entries).toBeGreaterThanOrEqual(acknowledged.size + 1);
  }, 150_000);

  it('says plainly that its port is taken, and leaves no database server running', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dir = makeReachableTempDir('ocop-port-');
    try {
      const app = await start(dir, { waitForHealth: false, env: { PORT: String(port) } });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`Port ${port} is already in use by another program`);
      expect(postmasterPid(dir)).toBeNull();
      expect(fs.existsSync(path.join(dir, 'pg.owner'))).toBe(false);
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses a second server on a DATA_DIR another live process holds, touching nothing', async () => {
    const first = await start();
    const ownerFile = path.join(dataDir, 'pg.owner');
    const lockFile = path.join(dataDir, 'pg', 'postmaster.pid');
    const owner = fs.readFileSync(ownerFile, 'utf8');
    const lock = fs.readFileSync(lockFile, 'utf8');
    expect(owner.trim().split(' ')[0]).toBe(String(first.child.pid));

    const second = await start(dataDir, { waitForHealth: false });
    const code = await Promise.race([
      second.exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000)),
    ]);
    expect(code).not.toBe('timeout');
    expect(code).not.toBe(0);
    expect(second.output()).toMatch(
      new RegExp(`Another process \\(PID ${first.child.pid}\\) is using the embedded database`),
    );

    expect(fs.readFileSync(ownerFile, 'utf8')).toBe(owner);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(lock);
    const session = await login(first.baseUrl, ADMIN.email, ADMIN.password);
    const list = await fetch(`${first.baseUrl}/api/v1/subjects?pageSize=1`, {
      headers: { cookie: session.cookie },
    });
    expect(list.status).toBe(200);
    await first.stop();
  }, 90_000);
});
