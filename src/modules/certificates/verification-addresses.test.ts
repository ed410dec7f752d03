import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';

/** The port through which certificates get signed verification addresses from the verification module. */
describe('verification addresses port', () => {
  it('refuses plainly when the verification module was never loaded', async () => {
    vi.resetModules();
    const port = await import('./verification-addresses');
    expect(() => port.verificationPaths({} as Db)).toThrow(/need the verification module/);
  });

  it('is filled by loading the verification module', async () => {
    vi.resetModules();
    await import('../verification');
    const port = await import('./verification-addresses');
    // The database stands in for one that was never set up: the provider is reached and asks for its keys.
    await expect(port.verificationPaths({} as Db)).rejects.toThrow(/setUpSigning/);
  });
});
