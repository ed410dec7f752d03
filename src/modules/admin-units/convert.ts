import { CsvProblem, parseCsvText } from '../../server/csv';
import { foldAccents } from '../../shared/text';
import type { AdminUnitData, Anomaly, ConversionKind } from './data';
import { officialKey, splitNameAndCode, typeOfName } from './names';

/**
 * Turns the three public source files into the platform's data set (pure; the script does the I/O).
 * Problems that make the data unusable throw a ConversionError listing all of them; known defects
 * of the sources are handled and reported as anomalies (README of data/admin-units/).
 */
export type Sources = { divisionsJson: string; oldCsv: string; conversionCsv: string };

export const EXPECTED = { provinces: 34, communes: 3321, oldProvinces: 63 } as const;

export class ConversionError extends Error {
  constructor(readonly problems: string[]) {
    super(`The admin-unit sources cannot be converted:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * A comma-separated source through the app's one CSV reader; the converter checks columns itself
 * (the conversion table's title rows are shorter), so rows of any length are kept.
 */
function readSourceCsv(name: string, text: string): string[][] {
  try {
    return parseCsvText(text, { delimiter: ',', ragged: 'allow', maxRows: 100_000 }).rows;
  } catch (error) {
    if (error instanceof CsvProblem) throw new ConversionError([`${name}: ${error.detail.en}`]);
    throw error;
  }
}

type SourceProvince = {
  name?: unknown;
  code?: unknown;
  division_type?: unknown;
  wards?: { name?: unknown; code?: unknown; division_type?: unknown }[];
};

const CURRENT_PROVINCE_TYPES = new Set(['tỉnh', 'thành phố trung ương']);
const CURRENT_COMMUNE_TYPES = new Set(['xã', 'phường', 'đặc khu']);
const OLD_COMMUNE_TYPES = new Set(['xã', 'phường', 'thị trấn']);

/** NFC, single spaces, trimmed: the stored spelling stays the source's own. */
export function cleanName(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function asCode(value: unknown, width: 2 | 3 | 5): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+$/.test(text) || text.length > width) return null;
  return text.padStart(width, '0');
}

/**
 * How an old commune went into a new one, from the note column. "Nhập một phần…", "Phần còn lại…",
 * "Đổi tên từ một phần…" mean only part of it did (a split); merges, renames, type changes and
 * "Giữ nguyên" take it whole. An unknown note stops the conversion: a person must classify it.
 */
export function classifyNote(note: string): ConversionKind | null {
  const n = foldAccents(note);
  if (/mot phan|phan con lai/.test(n)) return 'partial';
  if (/^(nhap toan bo|giu nguyen|doi ten|doi loai hinh|sap xep toan bo)/.test(n)) return 'whole';
  return null;
}

class AnomalyLog {
  private readonly byKind = new Map<string, Anomaly>();
  add(kind: string, description: string, example?: string) {
    let entry = this.byKind.get(kind);
    if (!entry) {
      entry = { kind, count: 0, description, examples: [] };
      this.byKind.set(kind, entry);
    }
    entry.count++;
    if (example !== undefined) entry.examples.push(example);
  }
  list(): Anomaly[] {
    return [...this.byKind.values()];
  }
}

export function convertAdminUnits(
  sources: Sources,
  expected: { provinces: number; communes: number; oldProvinces: number } = EXPECTED,
): { data: AdminUnitData; anomalies: Anomaly[] } {
  const problems: string[] = [];
  const anomalies = new AnomalyLog();
  const data: AdminUnitData = {
    provinces: [],
    communes: [],
    oldProvinces: [],
    oldDistricts: [],
    oldCommunes: [],
    conversions: [],
    districtConversions: [],
  };

  // ---------- current units (JSON) ----------
  let divisions: SourceProvince[] = [];
  try {
    const parsed: unknown = JSON.parse(sources.divisionsJson);
    if (!Array.isArray(parsed)) throw new Error('not an array');
    divisions = parsed as SourceProvince[];
  } catch (error) {
    throw new ConversionError([`divisions JSON: ${(error as Error).message}`]);
  }
  const communeByCode = new Map<string, AdminUnitData['communes'][number]>();
  const provinceCodes = new Set<string>();
  for (const p of divisions) {
    const code = asCode(p.code, 2);
    const name = typeof p.name === 'string' ? cleanName(p.name) : '';
    const type = typeof p.division_type === 'string' ? cleanName(p.division_type) : '';
    if (!code || !name) {
      problems.push(
        `province without a valid code or name: ${JSON.stringify({ code: p.code, name: p.name })}`,
      );
      continue;
    }
    if (provinceCodes.has(code)) problems.push(`duplicate province code ${code}`);
    if (!CURRENT_PROVINCE_TYPES.has(type)) problems.push(`province ${code}: unknown type "${type}"`);
    provinceCodes.add(code);
    data.provinces.push({ code, name, divisionType: type });
    for (const w of p.wards ?? []) {
      const wardCode = asCode(w.code, 5);
      const wardName = typeof w.name === 'string' ? cleanName(w.name) : '';
      const wardType = typeof w.division_type === 'string' ? cleanName(w.division_type) : '';
      if (!wardCode || !wardName) {
        problems.push(`province ${code}: commune without a valid code or name: ${JSON.stringify(w)}`);
        continue;
      }
      if (communeByCode.has(wardCode)) problems.push(`duplicate commune code ${wardCode}`);
      if (!CURRENT_COMMUNE_TYPES.has(wardType))
        problems.push(`commune ${wardCode}: unknown type "${wardType}"`);
      const commune = { code: wardCode, provinceCode: code, name: wardName, divisionType: wardType };
      communeByCode.set(wardCode, commune);
      data.communes.push(commune);
    }
  }
  if (data.provinces.length !== expected.provinces) {
    problems.push(`expected ${expected.provinces} provinces, found ${data.provinces.length}`);
  }
  if (data.communes.length !== expected.communes) {
    problems.push(`expected ${expected.communes} communes, found ${data.communes.length}`);
  }

  // ---------- units before the reform (CSV) ----------
  const oldRows = readSourceCsv('old units CSV', sources.oldCsv);
  const oldHeader = oldRows.shift() ?? [];
  const expectedOldHeader = ['Tỉnh Thành Phố', 'Mã TP', 'Quận Huyện', 'Mã QH', 'Phường Xã', 'Mã PX', 'Cấp'];
  if (expectedOldHeader.some((h, i) => cleanName(oldHeader[i] ?? '') !== h)) {
    problems.push(`old units CSV: unexpected header ${JSON.stringify(oldHeader)}`);
  }
  const oldProvinceByCode = new Map<string, string>();
  const oldDistrictByCode = new Map<string, { provinceCode: string; name: string }>();
  const oldCommuneByCode = new Map<string, AdminUnitData['oldCommunes'][number]>();
  oldRows.forEach((row, index) => {
    if (row.every((cell) => cell.trim() === '')) return;
    const line = index + 2;
    const [
      provinceName,
      provinceCodeText,
      districtName,
      districtCodeText,
      communeName,
      communeCodeText,
      level,
    ] = row.map((c) => cleanName(c));
    const provinceCode = asCode(provinceCodeText, 2);
    const districtCode = asCode(districtCodeText, 3);
    if (!provinceCode || !districtCode || !provinceName || !districtName) {
      problems.push(`old units CSV line ${line}: bad province or district ${JSON.stringify(row)}`);
      return;
    }
    const knownProvince = oldProvinceByCode.get(provinceCode);
    if (knownProvince === undefined) oldProvinceByCode.set(provinceCode, provinceName);
    else if (knownProvince !== provinceName) {
      problems.push(
        `old units CSV line ${line}: province ${provinceCode} named both ${knownProvince} and ${provinceName}`,
      );
    }
    const knownDistrict = oldDistrictByCode.get(districtCode);
    if (!knownDistrict) oldDistrictByCode.set(districtCode, { provinceCode, name: districtName });
    else if (knownDistrict.provinceCode !== provinceCode || knownDistrict.name !== districtName) {
      problems.push(`old units CSV line ${line}: district ${districtCode} listed twice differently`);
    }
    if (!communeCodeText && !communeName) {
      anomalies.add(
        'district_without_communes',
        'Island districts listed without any commune; they became one special zone each (district conversions).',
        `${districtCode} ${districtName} (${provinceName})`,
      );
      return;
    }
    const communeCode = asCode(communeCodeText, 5);
    const type = (level ?? '').toLowerCase();
    if (!communeCode || !communeName || !OLD_COMMUNE_TYPES.has(type)) {
      problems.push(`old units CSV line ${line}: bad commune ${JSON.stringify(row)}`);
      return;
    }
    if (oldCommuneByCode.has(communeCode)) {
      problems.push(`old units CSV line ${line}: duplicate commune code ${communeCode}`);
      return;
    }
    const commune = { code: communeCode, districtCode, name: communeName, divisionType: type, aliases: [] };
    oldCommuneByCode.set(communeCode, commune);
  });
  if (oldProvinceByCode.size !== expected.oldProvinces) {
    problems.push(`expected ${expected.oldProvinces} old provinces, found ${oldProvinceByCode.size}`);
  }

  // ---------- the official conversion (CSV) ----------
  const conversionRows = readSourceCsv('conversion CSV', sources.conversionCsv);
  const titles = conversionRows.splice(0, 2);
  const titleText = foldAccents(titles.flat().join(' '));
  if (!titleText.includes('ma xa moi') || !titleText.includes('ma xa cu')) {
    problems.push(`conversion CSV: unexpected header rows ${JSON.stringify(titles)}`);
  }
  const conversions = new Map<string, AdminUnitData['conversions'][number]>();
  const conversionNames = new Map<string, Set<string>>();
  conversionRows.forEach((row, index) => {
    const line = index + 3;
    const cells = row.map((c) => cleanName(c));
    const [provinceCell = '', newName = '', newCodeText = '', oldName = '', oldCodeText = '', note = ''] =
      cells;
    const districtCell = cells[6] ?? '';
    const oldProvinceCell = cells[7] ?? '';
    if (cells.every((c) => c === '')) return;
    if (!newCodeText && !oldCodeText && cells.slice(1).every((c) => c === '')) {
      anomalies.add(
        'section_row',
        'Section titles between provinces ("THÀNH PHỐ HÀ NỘI", "Tỉnh Bắc Ninh (24)"): skipped.',
        provinceCell,
      );
      return;
    }
    const newCode = asCode(newCodeText, 5);
    const newCommune = newCode ? communeByCode.get(newCode) : undefined;
    if (!newCode || !newCommune) {
      problems.push(`conversion CSV line ${line}: unknown new commune code "${newCodeText}"`);
      return;
    }
    const province = splitNameAndCode(provinceCell);
    if (province.code === null || asCode(province.code, 2) !== newCommune.provinceCode) {
      problems.push(
        `conversion CSV line ${line}: province "${provinceCell}" is not the province of commune ${newCode}`,
      );
    }
    if (officialKey(newName) !== officialKey(newCommune.name)) {
      anomalies.add(
        'new_name_differs',
        'The conversion table names a new commune differently from the official list (the code decides).',
        `${newCode}: "${newName}" / "${newCommune.name}"`,
      );
    } else if (newName !== newCommune.name) {
      anomalies.add(
        'new_spelling_differs',
        'Same new commune, another spelling ("Hoà"/"Hòa", "xã"/"Xã", apostrophes): the official list is kept.',
      );
    }
    const kind = classifyNote(note);
    if (!kind) {
      problems.push(`conversion CSV line ${line}: unknown note "${note}"; classify it in classifyNote()`);
      return;
    }
    const district = splitNameAndCode(districtCell);
    const districtCode = district.code ? asCode(district.code, 3) : null;

    if (!oldCodeText) {
      const knownDistrict = districtCode ? oldDistrictByCode.get(districtCode) : undefined;
      const hasCommunes = [...oldCommuneByCode.values()].some((c) => c.districtCode === districtCode);
      if (/^sap xep toan bo huyen/.test(foldAccents(note)) && districtCode && knownDistrict && !hasCommunes) {
        data.districtConversions.push({ oldDistrictCode: districtCode, newCommuneCode: newCode, kind, note });
        return;
      }
      anomalies.add(
        'row_without_old_code',
        'Rows naming an area that is no administrative unit and has no code: skipped (an address cannot name it).',
        `line ${line}: "${oldName}" → ${newCode} ${newCommune.name}`,
      );
      return;
    }
    const oldCode = asCode(oldCodeText, 5);
    if (!oldCode) {
      problems.push(`conversion CSV line ${line}: bad old commune code "${oldCodeText}"`);
      return;
    }
    let oldCommune = oldCommuneByCode.get(oldCode);
    if (!oldCommune) {
      const type = typeOfName(oldName);
      if (!districtCode || !oldDistrictByCode.has(districtCode) || !type || !OLD_COMMUNE_TYPES.has(type)) {
        problems.push(`conversion CSV line ${line}: old commune ${oldCode} is unknown and cannot be placed`);
        return;
      }
      anomalies.add(
        'old_commune_only_in_conversion',
        'Communes created shortly before the reform appear in the conversion table but not in the old list: added from the table.',
        `${oldCode} ${oldName} (district ${districtCode})`,
      );
      oldCommune = { code: oldCode, districtCode, name: oldName, divisionType: type, aliases: [] };
      oldCommuneByCode.set(oldCode, oldCommune);
    } else {
      if (officialKey(oldName) !== officialKey(oldCommune.name)) {
        const names = conversionNames.get(oldCode) ?? new Set<string>();
        conversionNames.set(oldCode, names);
        if (!names.has(oldName)) {
          names.add(oldName);
          anomalies.add(
            'old_name_differs',
            'The conversion table names an old commune differently from the old list: spelling variants, renames shortly before the reform, and a few likely code typos (see old_code_several_whole). The name is kept as an alias; the code decides.',
            `${oldCode}: "${oldName}" / "${oldCommune.name}"`,
          );
        }
      }
      if (districtCode && districtCode !== oldCommune.districtCode) {
        anomalies.add(
          'old_district_column_differs',
          'The district column disagrees with the old list (the old list decides).',
          `line ${line}: ${oldCode} in ${districtCell}, list says ${oldCommune.districtCode}`,
        );
      }
    }
    const oldDistrict = oldDistrictByCode.get(oldCommune.districtCode);
    const oldProvince = splitNameAndCode(oldProvinceCell);
    if (oldDistrict && oldProvince.code && asCode(oldProvince.code, 2) !== oldDistrict.provinceCode) {
      anomalies.add(
        'old_province_column_differs',
        'The old-province column disagrees with the old list (the old list decides).',
        `line ${line}: ${oldCode} "${oldProvinceCell}", list says ${oldDistrict.provinceCode}`,
      );
    }
    const key = `${oldCode}>${newCode}`;
    const existing = conversions.get(key);
    if (existing) {
      anomalies.add('duplicate_row', 'The same old → new pair listed twice: merged.', `line ${line}: ${key}`);
      if (kind === 'partial') existing.kind = 'partial';
      if (note && !existing.note.includes(note)) existing.note = `${existing.note}; ${note}`;
      return;
    }
    conversions.set(key, { oldCommuneCode: oldCode, newCommuneCode: newCode, kind, note });
  });

  for (const [code, names] of conversionNames) {
    oldCommuneByCode.get(code)!.aliases = [...names].sort();
  }
  data.conversions = [...conversions.values()].sort(
    (a, b) =>
      a.oldCommuneCode.localeCompare(b.oldCommuneCode) || a.newCommuneCode.localeCompare(b.newCommuneCode),
  );
  data.districtConversions.sort((a, b) => a.oldDistrictCode.localeCompare(b.oldDistrictCode));
  data.oldProvinces = [...oldProvinceByCode].map(([code, name]) => ({ code, name }));
  data.oldDistricts = [...oldDistrictByCode].map(([code, d]) => ({ code, ...d }));
  data.oldCommunes = [...oldCommuneByCode.values()];
  for (const list of [
    data.provinces,
    data.communes,
    data.oldProvinces,
    data.oldDistricts,
    data.oldCommunes,
  ]) {
    list.sort((a, b) => a.code.localeCompare(b.code));
  }

  // ---------- coverage checks ----------
  const targetsByOld = new Map<string, AdminUnitData['conversions']>();
  for (const c of data.conversions) {
    const list = targetsByOld.get(c.oldCommuneCode) ?? [];
    list.push(c);
    targetsByOld.set(c.oldCommuneCode, list);
  }
  for (const commune of data.oldCommunes) {
    const targets = targetsByOld.get(commune.code) ?? [];
    if (targets.length === 0) {
      anomalies.add(
        'old_commune_without_conversion',
        'Old communes with no row in the conversion table (merged into a neighbour shortly before the reform, or a code typo in the table): an address naming one needs a person to decide.',
        `${commune.code} ${commune.name} (district ${commune.districtCode})`,
      );
    } else if (targets.length > 1 && targets.every((t) => t.kind === 'whole')) {
      anomalies.add(
        'old_code_several_whole',
        'An old code listed as merged whole into several new communes: a contradiction (likely a code typo for a neighbour); treated as a split.',
        `${commune.code} ${commune.name} → ${targets.map((t) => t.newCommuneCode).join(', ')}`,
      );
    } else if (targets.length === 1 && targets[0]!.kind === 'partial') {
      anomalies.add(
        'partial_single_target',
        'Only part of an old commune is listed as going anywhere: never resolved automatically.',
        `${commune.code} ${commune.name} → ${targets[0]!.newCommuneCode}`,
      );
    }
  }
  const covered = new Set([
    ...data.conversions.map((c) => c.newCommuneCode),
    ...data.districtConversions.map((c) => c.newCommuneCode),
  ]);
  for (const commune of data.communes) {
    if (!covered.has(commune.code))
      problems.push(`new commune ${commune.code} ${commune.name} has no source`);
  }
  for (const d of data.districtConversions) {
    if (!oldDistrictByCode.has(d.oldDistrictCode))
      problems.push(`district conversion of unknown ${d.oldDistrictCode}`);
  }

  if (problems.length) throw new ConversionError(problems);
  return { data, anomalies: anomalies.list() };
}
