/**
 * A table holding the values a copy between databases most easily gets wrong (bytea, a JSON null
 * apart from SQL NULL, json text kept as written, arrays with NULL and quotes, microseconds, numeric
 * and float edge values, intervals, a generated column, an identity column with a gap). Tests of the
 * PGlite upgrade and of backup/restore create it on both sides and compare its rows as text.
 */
export const PROBE_TABLE = `CREATE TABLE upgrade_probe (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  t text,
  t_upper text GENERATED ALWAYS AS (upper(t)) STORED,
  b bytea,
  j jsonb,
  jn json,
  arr text[],
  ints int[],
  ts timestamptz,
  d date,
  n numeric(20, 6),
  f float8,
  iv interval
)`;

/** Four rows inserted, the third deleted: the identity column's next value is 5. */
export const PROBE_ROWS = `
INSERT INTO upgrade_probe (t, b, j, jn, arr, ints, ts, d, n, f, iv) VALUES
  (E'Đặc sản "Ninh Bình"\\n\\t\\\\ ''x''', (SELECT decode(string_agg(lpad(to_hex(i), 2, '0'), ''), 'hex') FROM generate_series(0, 255) i),
   '{"a": [1, 2.50, {"b": null}], "đ": "ư", "big": 12345678901234567890}', '{ "dup": 1,  "dup": 2 }',
   ARRAY['a', NULL, 'c,d', '"q"', '', 'NULL'], '{1,NULL,3}', '2026-01-02 03:04:05.123456+07', '2026-02-28',
   12345678901234.123456, 0.1::float8 + 0.2::float8, '1 mon 2 days 03:04:05.678'),
  ('json null is not SQL null', '', 'null', 'null', '{}', '{}', '1970-01-01 00:00:00+00', '0001-01-01', 'NaN', '-0', '-1 days'),
  ('deleted', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('forbidden', '\\x00ff', '[]', '[]', NULL, NULL, 'infinity', 'infinity', -0.000001, '-Infinity', '0');
DELETE FROM upgrade_probe WHERE t = 'deleted';`;

/** Settings under which both sides print values alike (the copy uses the same). */
export const SAME_OUTPUT = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'`;
export const PROBE_TEXT = 'SELECT p::text AS row FROM upgrade_probe p ORDER BY id';
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
