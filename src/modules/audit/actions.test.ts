import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOSSIER_ACTIONS } from '../evaluation/contract';
import { AUDIT_ACTIONS, isAuditAction } from './actions';

/**
 * The list of audit actions against the code that writes them: every action written is listed
 * (the type already refuses a literal that is not, this also covers names built at run time), and
 * every listed action is written somewhere, so the list never names an event that cannot happen.
 */
const modulesDir = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      full !== path.join(modulesDir, 'audit/actions.ts')
      ? [full]
      : [];
  });
}

/** Action names as the services write them: literals on an `action:` line, and the dossier steps' template. */
function actionsWritten(): Map<string, string> {
  const written = new Map<string, string>();
  for (const file of sourceFiles(modulesDir)) {
    const text = fs.readFileSync(file, 'utf8');
    if (!/recordAudits?\(/.test(text)) continue;
    const where = path.relative(modulesDir, file);
    // An action is written inline or picked from a small table just before the call.
    for (const line of text.split('\n')) {
      if (!/\baction\b|:\s*'[a-z_]+(\.[a-z_]+)+',?$/.test(line)) continue;
      for (const [, name] of line.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) written.set(name!, where);
    }
    // The dossier steps' entries are named from a template over the step (evaluation/access.ts).
    if (text.includes(['`evaluation.dossier.$', '{action}`'].join(''))) {
      for (const action of DOSSIER_ACTIONS) written.set(`evaluation.dossier.${action}`, where);
    }
  }
  return written;
}

describe('audit actions', () => {
  const written = actionsWritten();

  it('finds the services that write audit entries', () => {
    expect(written.size).toBeGreaterThan(40);
    expect(written.get('certificate.issued')).toBe(path.join('certificates', 'issue-service.ts'));
  });

  it('lists every action a service writes', () => {
    const unlisted = [...written]
      .filter(([name]) => !isAuditAction(name))
      .map(([name, file]) => `${name} (${file})`);
    expect(unlisted).toEqual([]);
  });

  it('lists no action that nothing writes', () => {
    expect(AUDIT_ACTIONS.filter((name) => !written.has(name))).toEqual([]);
  });

  it('names each action once, as <entity>.<what happened> in lower case', () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const name of AUDIT_ACTIONS) expect(name).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
  });

  it('refuses a name outside the list', () => {
    expect(isAuditAction('certificate.issued')).toBe(true);
    expect(isAuditAction('certificate.deleted')).toBe(false);
    expect(isAuditAction('')).toBe(false);
  });
});
