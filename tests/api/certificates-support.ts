import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect } from 'vitest';
import { today as todayInHanoi } from '../../src/shared/dates';
import { daysFromToday, UNITS } from '../support/factories';
import type { TestContext } from '../support/test-app';

/** Fixtures shared by the certificate and verification API tests (real unit codes from the template). */
export const NB = UNITS.ninhBinh;
export const HY = UNITS.hungYen;
export const NB_A = UNITS.ninhBinhCommuneA;
export const NB_B = UNITS.ninhBinhCommuneB;
export const HY_A = UNITS.hungYenCommune;

/** Dates relative to today in Hà Nội, so statuses do not drift as the calendar moves on. */
export const today = () => todayInHanoi();

export { insertProduct, insertSubject } from '../support/db-factories';
export { daysFromToday } from '../support/factories';

export const api = (
  t: TestContext,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

export const issueBody = (productId: string, over: Record<string, unknown> = {}) => ({
  productId,
  star: 3,
  ruleSetCode: '148-1489-2025',
  issuer: { name: 'UBND tỉnh Ninh Bình', level: 'province' },
  decisionNumber: `${Math.floor(Math.random() * 9000) + 1000}/QĐ-UBND`,
  decisionDate: daysFromToday(-30),
  ...over,
});

export async function issue(
  t: TestContext,
  headers: Record<string, string>,
  productId: string,
  over: Record<string, unknown> = {},
) {
  const response = await api(t, 'POST', '/certificates', headers, issueBody(productId, over));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/**
 * Makes sure Debian's poppler-utils (pdftotext) is installed, installing it when we are root with
 * apt-get, as the browser tests do for Chromium. Otherwise it throws: a test that cannot read the
 * PDF back must fail loudly, never skip.
 */
export function ensurePdftotext(): string {
  const binary = '/usr/bin/pdftotext';
  const present = () => {
    try {
      fs.accessSync(binary, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (present()) return binary;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      'pdftotext is missing and cannot be installed here (needs root and apt-get): run `sudo apt-get install -y poppler-utils`.',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'inherit', env });
  if (!present()) throw new Error('apt-get installed poppler-utils but pdftotext is still missing');
  return binary;
}

/** The text of a PDF as pdftotext reads it (UTF-8, layout order). */
export function pdfText(pdf: Buffer): string {
  const binary = ensurePdftotext();
  return execFileSync(binary, ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}
