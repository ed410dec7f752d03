import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has safe defaults: embedded database under ./data with the demo on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, demo: true });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.embeddedClusterDir).toBe(path.resolve('./data/pg'));
  });

  it('turns the demo off by default on a database server, and honours OCOP_DEMO', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/ocop' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/ocop', OCOP_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ OCOP_DEMO: 'off' }).demo).toBe(false);
  });

  it('honours PORT and DATA_DIR', () => {
    const config = loadConfig({ PORT: '8080', DATA_DIR: '/srv/ocop' });
    expect(config.port).toBe(8080);
    expect(config.uploadsDir).toBe('/srv/ocop/uploads');
  });

  it('stops with the list of every wrong setting', () => {
    expect(() => loadConfig({ PORT: 'abc', OCOP_DEMO: 'maybe', SESSION_SECRET: 'short' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ PORT: 'abc', OCOP_DEMO: 'maybe' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/OCOP_DEMO/);
    }
  });
});
