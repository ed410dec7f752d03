/**
 * Moving the rows of the `public` schema between PostgreSQL databases without pg_dump: used by the
 * upgrade from the previous release's PGlite database and by `npm run db:backup` / `db:restore`.
 *
 * Every value travels as its PostgreSQL text form (what COPY and pg_dump use) inside JSON, so bytea,
 * jsonb (a JSON `null` stays apart from SQL NULL), arrays, numerics, floats and timestamps arrive
 * exactly. Generated columns are left out and recomputed by the receiving server; identity columns
 * are written with OVERRIDING SYSTEM VALUE. A fingerprint (row count and an order-independent sum of
 * each row's md5 over its stored columns) proves both sides hold the same rows.
 */

/** Anything that answers `query(text, params)` with `{ rows }`: a pg client or pool, or PGlite. */
export type Queryable = {
  query: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
};

export type Column = { name: string; type: string; generated: boolean; identityAlways: boolean };
export type Table = { name: string; columns: Column[]; primaryKey: string[] };
export type Fingerprint = { rows: string; hash: string };

/** Session settings under which every server prints values the same way. */
export const SAME_OUTPUT_SETTINGS = [
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, MDY'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
] as const;

/** A chunk read and sent in one INSERT stays around this size. */
export const CHUNK_BYTES = 4 * 1024 * 1024;
export const FIRST_CHUNK_ROWS = 50;
const MAX_CHUNK_ROWS = 5000;

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (table: string) => `"public".${ident(table)}`;

/** Applies SAME_OUTPUT_SETTINGS for the session, or for the transaction when `local`. */
export async function applySameOutput(db: Queryable, local: boolean): Promise<void> {
  for (const [name, value] of SAME_OUTPUT_SETTINGS) {
    await db.query('SELECT set_config($1, $2, $3)', [name, value, local]);
  }
}

export async function describeTables(db: Queryable): Promise<Map<string, Table>> {
  const columns = await db.query(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attgenerated::text AS generated, a.attidentity::text AS identity
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
  );
  const keys = await db.query(
    `SELECT c.relname AS table_name, a.attname AS column_name
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND i.indisprimary
     ORDER BY c.relname, k.ord`,
  );
  const tables = new Map<string, Table>();
  for (const row of columns.rows) {
    const name = String(row.table_name);
    let table = tables.get(name);
    if (!table) {
      table = { name, columns: [], primaryKey: [] };
      tables.set(name, table);
    }
    table.columns.push({
      name: String(row.column_name),
      type: String(row.type),
      generated: String(row.generated ?? '') !== '',
      identityAlways: String(row.identity ?? '') === 'a',
    });
  }
  for (const row of keys.rows) tables.get(String(row.table_name))?.primaryKey.push(String(row.column_name));
  return tables;
}

/** The same tables with the same columns on both sides, or what differs. */
export function compareSchemas(
  source: Map<string, Table>,
  target: Map<string, Table>,
  names = { source: 'old', target: 'new' },
): string | null {
  const describe = (table: Table) =>
    table.columns
      .map(
        (c) => `${c.name} ${c.type}${c.generated ? ' generated' : ''}${c.identityAlways ? ' identity' : ''}`,
      )
      .sort()
      .join(', ');
  const missing = [...source.keys()].filter((name) => !target.has(name));
  const extra = [...target.keys()].filter((name) => !source.has(name));
  if (missing.length)
    return `tables of the ${names.source} database missing from the ${names.target} one: ${missing.join(', ')}`;
  if (extra.length)
    return `tables of the ${names.target} database missing from the ${names.source} one: ${extra.join(', ')}`;
  for (const [name, table] of source) {
    if (describe(table) !== describe(target.get(name)!)) {
      return `table ${name} has different columns: ${names.source} (${describe(table)}), ${names.target} (${describe(target.get(name)!)})`;
    }
  }
  return null;
}

export const storedColumns = (table: Table) => table.columns.filter((c) => !c.generated);

export async function fingerprint(db: Queryable, table: Table): Promise<Fingerprint> {
  const row = `ROW(${storedColumns(table)
    .map((c) => ident(c.name))
    .join(', ')})::text`;
  const result = await db.query(
    `SELECT count(*)::text AS rows,
            coalesce(sum(('x' || substr(md5(${row}), 1, 15))::bit(60)::bigint::numeric), 0)::text AS hash
     FROM ${qualified(table.name)}`,
  );
  const found = result.rows[0]!;
  return { rows: String(found.rows), hash: String(found.hash) };
}

/** Reads a table in primary-key order through a cursor, about CHUNK_BYTES at a time; each row one JSON text. Needs an open transaction. */
export async function* readTable(db: Queryable, table: Table): AsyncGenerator<string[]> {
  const projection = storedColumns(table)
    .map((c) => `${ident(c.name)}::text AS ${ident(c.name)}`)
    .join(', ');
  const order = table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(ident).join(', ')}` : '';
  const cursor = 'ocop_table_copy';
  await db.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
     SELECT row_to_json(x)::text AS r FROM (SELECT ${projection} FROM ${qualified(table.name)}${order}) x`,
  );
  try {
    let chunkRows = FIRST_CHUNK_ROWS;
    for (;;) {
      const chunk = await db.query(`FETCH ${chunkRows} FROM ${cursor}`);
      if (chunk.rows.length === 0) return;
      const rows = chunk.rows.map((row) => String(row.r));
      yield rows;
      if (rows.length < chunkRows) return;
      const perRow = rows.reduce((sum, r) => sum + r.length + 1, 0) / rows.length;
      chunkRows = Math.max(1, Math.min(MAX_CHUNK_ROWS, Math.floor(CHUNK_BYTES / perRow)));
    }
  } finally {
    await db.query(`CLOSE ${cursor}`);
  }
}

/** Inserts rows read by `readTable` (JSON texts of the stored columns' text forms) in one statement. */
export async function insertRows(db: Queryable, table: Table, rows: readonly string[]): Promise<void> {
  if (!rows.length) return;
  const columns = storedColumns(table);
  const overriding = table.columns.some((c) => c.identityAlways && !c.generated)
    ? ' OVERRIDING SYSTEM VALUE'
    : '';
  await db.query(
    `INSERT INTO ${qualified(table.name)} (${columns.map((c) => ident(c.name)).join(', ')})${overriding}
     SELECT ${columns.map((c) => `x.${ident(c.name)}::${c.type}`).join(', ')}
     FROM json_to_recordset($1::json) AS x(${columns.map((c) => `${ident(c.name)} text`).join(', ')})`,
    [`[${rows.join(',')}]`],
  );
}

/** What each sequence of the public schema has handed out (null: never used). */
export async function readSequences(db: Queryable): Promise<Record<string, string | null>> {
  const result = await db.query(
    `SELECT sequencename AS name, last_value::text AS last_value FROM pg_sequences WHERE schemaname = 'public'`,
  );
  return Object.fromEntries(
    result.rows.map((r) => [String(r.name), r.last_value === null ? null : String(r.last_value)]),
  );
}

/**
 * Every sequence of the public schema continues after both what the source had handed out and the
 * largest value in the column it numbers, so the next row never reuses a number.
 */
export async function moveSequences(db: Queryable, handedOut: Record<string, string | null>): Promise<void> {
  const sequences = await db.query(
    `SELECT s.relname AS name, t.relname AS table_name, a.attname AS column_name
     FROM pg_class s
     JOIN pg_namespace n ON n.oid = s.relnamespace
     LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
     LEFT JOIN pg_class t ON t.oid = d.refobjid
     LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
     WHERE n.nspname = 'public' AND s.relkind = 'S'`,
  );
  for (const sequence of sequences.rows) {
    const name = String(sequence.name);
    let value = handedOut[name] ?? null;
    if (sequence.table_name && sequence.column_name) {
      const max = await db.query(
        `SELECT max(${ident(String(sequence.column_name))})::text AS max FROM ${qualified(String(sequence.table_name))}`,
      );
      const columnMax = (max.rows[0]?.max as string | null) ?? null;
      if (columnMax !== null && (value === null || BigInt(columnMax) > BigInt(value))) value = columnMax;
    }
    if (value !== null) {
      await db.query('SELECT setval($1::regclass, $2::bigint, true)', [`"public".${ident(name)}`, value]);
    }
  }
}

/** The first table of the public schema holding a row, if any. */
export async function firstTableWithRows(db: Queryable): Promise<string | null> {
  const tables = await db.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
  );
  for (const row of tables.rows) {
    const found = await db.query(`SELECT 1 FROM ${qualified(String(row.name))} LIMIT 1`);
    if (found.rows.length) return String(row.name);
  }
  return null;
}
