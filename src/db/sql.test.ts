import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../tests/support/test-app';
import { type Database, queryRows } from './client';
import { likeContains, likeEscape } from './sql';

describe('likeEscape', () => {
  it('escapes the pattern characters and the escape character itself', () => {
    expect(likeEscape('50%')).toBe('50\\%');
    expect(likeEscape('a_b')).toBe('a\\_b');
    expect(likeEscape('c:\\d')).toBe('c:\\\\d');
    expect(likeEscape('Cơm cháy')).toBe('Cơm cháy');
    expect(likeContains('x%')).toBe('%x\\%%');
  });
});

describe('likeEscape on PostgreSQL', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database?.close());

  async function matches(text: string, search: string): Promise<boolean> {
    const [row] = await queryRows<{ hit: boolean }>(
      database.db,
      sql`select ${text}::text like ${likeContains(search)} as hit`,
    );
    return row!.hit;
  }

  it('finds the typed text literally', async () => {
    expect(await matches('giảm 50% giá', '50%')).toBe(true);
    expect(await matches('giảm 500 giá', '50%')).toBe(false);
    expect(await matches('ma_so', 'a_s')).toBe(true);
    expect(await matches('maxso', 'a_s')).toBe(false);
    expect(await matches('c:\\d', ':\\d')).toBe(true);
    expect(await matches('c:d', ':\\d')).toBe(false);
  });
});
