import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Debian's Chromium (or CHROMIUM_PATH): the browser tests drive it through playwright-core, which
 * downloads no browser of its own.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags measured to start Chromium headless in ~0.3 s with no network traffic of its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure Chromium is installed, installing Debian's package when we are root with apt-get.
 * Otherwise it throws: a browser suite that cannot run must fail loudly, never skip.
 */
export function ensureChromium(): string {
  if (isExecutable(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (CHROMIUM_PATH !== '/usr/bin/chromium')
    throw new Error(`CHROMIUM_PATH=${CHROMIUM_PATH} is not an executable file.`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !isExecutable('/usr/bin/apt-get')) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH} and cannot be installed here (needs root and apt-get). ` +
        'Install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH), then run the browser tests again.',
    );
  }
  console.log('Chromium is missing: installing Debian package "chromium" (about a minute)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!isExecutable(CHROMIUM_PATH))
    throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}
