import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../tests/support/test-app';
import type { Database } from './client';
import { databaseError, foreignKeyViolation, isUniqueViolation, SQLSTATE, uniqueViolation } from './errors';

describe('database errors from wrapped driver errors', () => {
  it('walks causes to the SQLSTATE and constraint', () => {
    const driverError = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'x_key' });
    const wrapped = new Error('query failed', { cause: driverError });
    expect(databaseError(wrapped)).toEqual({ code: '23505', constraint: 'x_key' });
    expect(uniqueViolation(wrapped)).toBe('x_key');
    expect(isUniqueViolation(wrapped)).toBe(true);
    expect(foreignKeyViolation(wrapped)).toBeNull();
  });

  it('gives an empty constraint name when the driver did not name one', () => {
    expect(uniqueViolation({ code: '23505' })).toBe('');
  });

  it('is null for errors that are not database answers', () => {
    expect(databaseError(new Error('plain'))).toBeNull();
    expect(databaseError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(databaseError(null)).toBeNull();
    expect(databaseError('23505')).toBeNull();
    expect(isUniqueViolation({ code: '23503', constraint: 'fk' })).toBe(false);
  });

  it('stops after a few levels instead of following a cycle of causes forever', () => {
    const a: { cause?: unknown } = {};
    const b = { cause: a };
    a.cause = b;
    expect(databaseError(a)).toBeNull();
  });
});

describe('database errors as PostgreSQL raises them through drizzle', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    await database.db.execute(
      sql`create table probe_parent (id int primary key, code text constraint probe_parent_code_key unique)`,
    );
    await database.db.execute(
      sql`create table probe_child (id int primary key, parent_id int constraint probe_child_parent_fk references probe_parent(id))`,
    );
    await database.db.execute(sql`insert into probe_parent values (1, 'a')`);
  });
  afterAll(async () => database?.close());

  async function failureOf(statement: ReturnType<typeof sql>): Promise<unknown> {
    try {
      await database.db.execute(statement);
    } catch (error) {
      return error;
    }
    throw new Error('the statement was expected to fail');
  }

  it('names the unique constraint a duplicate hit', async () => {
    const error = await failureOf(sql`insert into probe_parent values (2, 'a')`);
    expect(uniqueViolation(error)).toBe('probe_parent_code_key');
    expect(foreignKeyViolation(error)).toBeNull();
  });

  it('names the foreign key a missing parent broke', async () => {
    const error = await failureOf(sql`insert into probe_child values (1, 99)`);
    expect(foreignKeyViolation(error)).toBe('probe_child_parent_fk');
    expect(databaseError(error)?.code).toBe(SQLSTATE.foreignKeyViolation);
    expect(isUniqueViolation(error)).toBe(false);
  });
});
