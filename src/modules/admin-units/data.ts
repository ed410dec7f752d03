/**
 * The shape of the shipped data files in data/admin-units/ (written by scripts/convert-admin-units.ts,
 * read by load.ts and by tests). Each table file is `{ "columns": [...], "rows": [[...], ...] }` with
 * one row per line, so a new data version shows as a readable diff. `manifest.json` holds the
 * checksum the loader compares with the database, so an unchanged version costs one query.
 */
export type ConversionKind = 'whole' | 'partial';

export type AdminUnitData = {
  provinces: { code: string; name: string; divisionType: string }[];
  communes: { code: string; provinceCode: string; name: string; divisionType: string }[];
  oldProvinces: { code: string; name: string }[];
  oldDistricts: { code: string; provinceCode: string; name: string }[];
  /** `aliases`: other spellings of the name found in the conversion table (see the README). */
  oldCommunes: {
    code: string;
    districtCode: string;
    name: string;
    divisionType: string;
    aliases: string[];
  }[];
  conversions: { oldCommuneCode: string; newCommuneCode: string; kind: ConversionKind; note: string }[];
  /** Island districts that had no communes and became one special zone ("đặc khu"). */
  districtConversions: {
    oldDistrictCode: string;
    newCommuneCode: string;
    kind: ConversionKind;
    note: string;
  }[];
};

export type TableName = keyof AdminUnitData;

/** File name and column order of every table; the order of this object is the load order. */
export const TABLE_FILES: {
  [K in TableName]: { file: string; columns: (keyof AdminUnitData[K][number])[] };
} = {
  provinces: { file: 'provinces.json', columns: ['code', 'name', 'divisionType'] },
  communes: { file: 'communes.json', columns: ['code', 'provinceCode', 'name', 'divisionType'] },
  oldProvinces: { file: 'old-provinces.json', columns: ['code', 'name'] },
  oldDistricts: { file: 'old-districts.json', columns: ['code', 'provinceCode', 'name'] },
  oldCommunes: {
    file: 'old-communes.json',
    columns: ['code', 'districtCode', 'name', 'divisionType', 'aliases'],
  },
  conversions: { file: 'conversions.json', columns: ['oldCommuneCode', 'newCommuneCode', 'kind', 'note'] },
  districtConversions: {
    file: 'district-conversions.json',
    columns: ['oldDistrictCode', 'newCommuneCode', 'kind', 'note'],
  },
};

export const TABLE_NAMES = Object.keys(TABLE_FILES) as TableName[];

export type Anomaly = { kind: string; count: number; description: string; examples: string[] };

export type Manifest = {
  format: 1;
  dataset: 'admin-units';
  /** The reform these units come from. */
  validFrom: '2025-07-01';
  /** sha256 over the table files' hashes, in TABLE_NAMES order: what the database remembers. */
  checksum: string;
  files: Record<string, { sha256: string; rows: number }>;
  sources: { file: string; sha256: string; bytes: number }[];
  anomalies: { kind: string; count: number; description: string }[];
};

export const MANIFEST_FILE = 'manifest.json';
export const ANOMALIES_FILE = 'anomalies.json';

/** One row per line: stable, diffable, still compact. */
export function encodeTable<K extends TableName>(table: K, rows: AdminUnitData[K]): string {
  const { columns } = TABLE_FILES[table];
  const lines = (rows as Record<string, unknown>[]).map((row) =>
    JSON.stringify(columns.map((c) => row[c as string])),
  );
  return `{"columns":${JSON.stringify(columns)},"rows":[\n${lines.join(',\n')}\n]}\n`;
}

export function decodeTable<K extends TableName>(table: K, text: string): AdminUnitData[K] {
  const parsed = JSON.parse(text) as { columns: string[]; rows: unknown[][] };
  const { columns } = TABLE_FILES[table];
  if (JSON.stringify(parsed.columns) !== JSON.stringify(columns)) {
    throw new Error(`${TABLE_FILES[table].file}: columns ${parsed.columns} do not match ${columns}`);
  }
  return parsed.rows.map((values) => {
    if (!Array.isArray(values) || values.length !== columns.length) {
      throw new Error(`${TABLE_FILES[table].file}: malformed row ${JSON.stringify(values)}`);
    }
    return Object.fromEntries(columns.map((c, i) => [c, values[i]]));
  }) as AdminUnitData[K];
}
