import { describe, expect, it, vi } from 'vitest';

/**
 * The port through which products read certificate facts: empty until the certificates module
 * loads, and then filled by it. Each case imports fresh copies of the modules.
 */
describe('certificate facts port', () => {
  it('refuses plainly when the certificates module was never loaded', async () => {
    vi.resetModules();
    const port = await import('./certificate-facts');
    expect(() => port.certificateFacts()).toThrow(/needs the certificates module/);
  });

  it('is filled by loading the certificates module', async () => {
    vi.resetModules();
    await import('../certificates');
    const port = await import('./certificate-facts');
    const source = port.certificateFacts();
    expect(typeof source.factsForProducts).toBe('function');
    expect(typeof source.statusSql).toBe('function');
  });
});
