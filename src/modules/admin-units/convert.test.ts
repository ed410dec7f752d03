import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConversionError, classifyNote, convertAdminUnits, type Sources } from './convert';
import { encodeTable, TABLE_FILES, TABLE_NAMES } from './data';
import { DEFAULT_DATA_DIR, manifestChecksum, readAdminUnitFiles } from './load';

describe('reading the source CSVs', () => {
  it('refuses an unterminated quote, naming the file and the line', () => {
    const broken = sources({ oldCsv: `${sources().oldCsv}\nTỉnh Mẫu,01,"Huyện Một,001,Xã Ba,00006,Xã,` });
    expect(() => convertAdminUnits(broken, small)).toThrow(/old units CSV: line 8: unclosed double quote/);
  });
});

describe('conversion notes', () => {
  it.each([
    ['Nhập toàn bộ', 'whole'],
    ['Giữ nguyên ', 'whole'],
    ['Đổi tên', 'whole'],
    ['Đổi loại hình', 'whole'],
    ['Nhập toàn bộ diện tích', 'whole'],
    ['Sắp xếp toàn bộ xã Thổ Châu thành đặc khu Thổ Châu', 'whole'],
    ['Nhập một phần', 'partial'],
    ['Nhập một  phần', 'partial'],
    ['Nhâp một phần diện tích', 'partial'],
    ['Nhập một phần diện tích, toàn bộ dân số', 'partial'],
    ['Phần còn lại sau khi tách một phần vào xã Canh Vinh', 'partial'],
    ['Đổi tên, đổi loại hình từ một phần thị trấn Lai Uyên', 'partial'],
  ])('%s → %s', (note, kind) => expect(classifyNote(note)).toBe(kind));

  it('does not guess an unknown note', () => {
    expect(classifyNote('')).toBeNull();
    expect(classifyNote('Chia tách')).toBeNull();
  });
});

/** A tiny country: one province now, two before, with the defects the real table has. */
function sources(overrides: Partial<Sources> = {}): Sources {
  return {
    divisionsJson: JSON.stringify([
      {
        name: 'Tỉnh Mẫu',
        code: 1,
        division_type: 'tỉnh',
        wards: [
          { name: 'Xã An Bình', code: 4, division_type: 'xã' },
          { name: 'Phường Hoà Lạc', code: 7, division_type: 'phường' },
          { name: 'Đặc khu Hòn Đảo', code: 9, division_type: 'đặc khu' },
        ],
      },
    ]),
    oldCsv: [
      'Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh',
      'Tỉnh Mẫu,01,Huyện Một,001,Xã An,00004,Xã,',
      'Tỉnh Mẫu,01,Huyện Một,001,Xã Bình,00005,Xã,',
      'Tỉnh Mẫu,01,Huyện Một,001,Thị trấn Hòa Lạc,00007,Thị trấn,',
      'Tỉnh Cũ,02,Huyện Hai,002,Xã Lạc Sơn,00008,Xã,',
      'Tỉnh Cũ,02,Huyện Hai,002,Xã Bị Sáp Nhập,00010,Xã,',
      'Tỉnh Cũ,02,Huyện Đảo,003,,,Huyện,',
    ].join('\n'),
    conversionCsv: [
      'Đơn vị hành chính từ ngày 01/7/2025,,,Đơn vị hành chính trước ngày 01/7/2025,,,,,',
      '"Tỉnh, thành phố",Tên Xã mới,Mã Xã mới,Tên Xã cũ,Mã Xã cũ,Ghi chú,Quận/huyện,Tỉnh cũ,',
      'TỈNH MẪU  ,,,,,,,,',
      'Tỉnh Mẫu (01),Xã An Bình,00004,Xã An,00004,Nhập toàn bộ,Huyện Một (001),Tỉnh Mẫu (01),',
      'Tỉnh Mẫu (01),Xã An Bình,00004,Xã Bình,00005,"Nhập một phần\n",Huyện Một (001),Tỉnh Mẫu (01),',
      'Tỉnh Mẫu (01),Xã An Bình,00004,Xã Bình,00005,Nhập một phần,Huyện Một (001),Tỉnh Mẫu (01),',
      'Tỉnh Mẫu (01),Phường Hòa Lạc,00007,Xã Bình,00005,Nhập một phần,Huyện Một (001),Tỉnh Mẫu (01),',
      'Tỉnh Mẫu (01),Phường Hòa Lạc,00007,Thị trấn Hoà Lạc,00007,Đổi loại hình,Huyện Một (001),Tỉnh Mẫu (01),',
      'Tỉnh Mẫu (01),Phường Hòa Lạc,00007,Xã Lạc Sơn Mới,00008,Nhập toàn bộ,Huyện Hai (002),Tỉnh Cũ (01),',
      'Tỉnh Mẫu (01),Phường Hòa Lạc,00007,Phường Mới Lập,00011,Nhập toàn bộ,Huyện Hai (002),Tỉnh Cũ (02),',
      'Tỉnh Mẫu (01),Đặc khu Hòn Đảo,00009,,,Sắp xếp toàn bộ huyện Đảo thành đặc khu Hòn Đảo,Huyện Đảo (003),Tỉnh Cũ (02),',
      'Tỉnh Mẫu (01),Xã An Bình,00004,Khu vực bãi bồi,,Nhập toàn bộ,Huyện Một (001),Tỉnh Mẫu (01),',
    ].join('\n'),
    ...overrides,
  };
}

const small = { provinces: 1, communes: 3, oldProvinces: 2 };

describe('converting the sources', () => {
  it('pads codes, skips section rows, merges duplicates and reports every anomaly', () => {
    const { data, anomalies } = convertAdminUnits(sources(), small);
    expect(data.provinces).toEqual([{ code: '01', name: 'Tỉnh Mẫu', divisionType: 'tỉnh' }]);
    expect(data.communes.map((c) => c.code)).toEqual(['00004', '00007', '00009']);
    expect(data.oldDistricts.map((d) => d.code)).toEqual(['001', '002', '003']);
    expect(data.conversions).toContainEqual({
      oldCommuneCode: '00005',
      newCommuneCode: '00004',
      kind: 'partial',
      note: 'Nhập một phần',
    });
    expect(data.conversions.filter((c) => c.oldCommuneCode === '00005')).toHaveLength(2);
    expect(data.districtConversions).toEqual([
      {
        oldDistrictCode: '003',
        newCommuneCode: '00009',
        kind: 'whole',
        note: 'Sắp xếp toàn bộ huyện Đảo thành đặc khu Hòn Đảo',
      },
    ]);
    // A commune only the conversion table knows is added; another spelling of a known one becomes an alias.
    expect(data.oldCommunes.find((c) => c.code === '00011')).toMatchObject({
      name: 'Phường Mới Lập',
      districtCode: '002',
      divisionType: 'phường',
    });
    expect(data.oldCommunes.find((c) => c.code === '00008')?.aliases).toEqual(['Xã Lạc Sơn Mới']);
    expect(data.oldCommunes.find((c) => c.code === '00007')?.aliases).toEqual([]);
    const kinds = Object.fromEntries(anomalies.map((a) => [a.kind, a.count]));
    expect(kinds).toMatchObject({
      section_row: 1,
      duplicate_row: 1,
      district_without_communes: 1,
      old_commune_only_in_conversion: 1,
      old_name_differs: 1,
      old_province_column_differs: 1,
      row_without_old_code: 1,
      old_commune_without_conversion: 1,
      new_spelling_differs: 4,
    });
  });

  it('refuses wrong counts, unknown codes and unknown notes, listing every problem', () => {
    const wrong = sources({
      conversionCsv:
        sources().conversionCsv.replace('Nhập toàn bộ,Huyện Một', 'Chia tách,Huyện Một') +
        '\nTỉnh Mẫu (01),Xã Không Có,99999,Xã An,00004,Nhập toàn bộ,Huyện Một (001),Tỉnh Mẫu (01),',
    });
    try {
      convertAdminUnits(wrong, { ...small, communes: 4 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConversionError);
      const problems = (error as ConversionError).problems.join('\n');
      expect(problems).toMatch(/expected 4 communes, found 3/);
      expect(problems).toMatch(/unknown note "Chia tách"/);
      expect(problems).toMatch(/unknown new commune code "99999"/);
    }
  });

  it('refuses a province column that contradicts the new commune', () => {
    const wrong = sources({
      conversionCsv: sources().conversionCsv.replace(
        'Tỉnh Mẫu (01),Xã An Bình,00004,Xã An',
        'Tỉnh Mẫu (02),Xã An Bình,00004,Xã An',
      ),
    });
    expect(() => convertAdminUnits(wrong, small)).toThrow(/is not the province of commune 00004/);
  });

  it('refuses duplicate codes and malformed JSON', () => {
    const duplicated = sources({ oldCsv: `${sources().oldCsv}\nTỉnh Mẫu,01,Huyện Một,001,Xã An,00004,Xã,` });
    expect(() => convertAdminUnits(duplicated, small)).toThrow(/duplicate commune code 00004/);
    expect(() => convertAdminUnits(sources({ divisionsJson: '{' }), small)).toThrow(ConversionError);
  });
});

describe('the shipped data files', () => {
  const { manifest, data } = readAdminUnitFiles();

  it('hold the official counts and codes padded as published', () => {
    expect(data.provinces).toHaveLength(34);
    expect(data.communes).toHaveLength(3321);
    expect(data.oldProvinces).toHaveLength(63);
    expect(data.provinces.every((p) => /^\d{2}$/.test(p.code))).toBe(true);
    expect(data.oldDistricts.every((d) => /^\d{3}$/.test(d.code))).toBe(true);
    expect(data.communes.every((c) => /^\d{5}$/.test(c.code))).toBe(true);
    expect(data.oldCommunes.every((c) => /^\d{5}$/.test(c.code))).toBe(true);
  });

  it('match the facts of the reform: Ninh Bình 37 with 129 communes, Hưng Yên 33 with 104', () => {
    const count = (code: string) => data.communes.filter((c) => c.provinceCode === code).length;
    expect(data.provinces.find((p) => p.code === '37')?.name).toBe('Tỉnh Ninh Bình');
    expect(count('37')).toBe(129);
    expect(data.provinces.find((p) => p.code === '33')?.name).toBe('Tỉnh Hưng Yên');
    expect(count('33')).toBe(104);
    // New Ninh Bình = Ninh Bình + Hà Nam + Nam Định; new Hưng Yên = Hưng Yên + Thái Bình.
    const oldProvincesOf = (code: string) => {
      const communes = new Set(data.communes.filter((c) => c.provinceCode === code).map((c) => c.code));
      const districts = new Map(data.oldDistricts.map((d) => [d.code, d.provinceCode]));
      const oldCommunes = new Map(data.oldCommunes.map((c) => [c.code, districts.get(c.districtCode)]));
      const names = new Map(data.oldProvinces.map((p) => [p.code, p.name]));
      const codes = data.conversions
        .filter((c) => communes.has(c.newCommuneCode))
        .map((c) => oldCommunes.get(c.oldCommuneCode)!);
      return [...new Set(codes)].map((c) => names.get(c)).sort();
    };
    expect(oldProvincesOf('37')).toEqual(['Tỉnh Hà Nam', 'Tỉnh Nam Định', 'Tỉnh Ninh Bình']);
    expect(oldProvincesOf('33')).toEqual(['Tỉnh Hưng Yên', 'Tỉnh Thái Bình']);
  });

  it('reference only existing units, and every current commune has a source', () => {
    const communes = new Set(data.communes.map((c) => c.code));
    const oldCommunes = new Set(data.oldCommunes.map((c) => c.code));
    const oldDistricts = new Set(data.oldDistricts.map((d) => d.code));
    const provinces = new Set(data.provinces.map((p) => p.code));
    expect(data.communes.every((c) => provinces.has(c.provinceCode))).toBe(true);
    expect(data.oldCommunes.every((c) => oldDistricts.has(c.districtCode))).toBe(true);
    expect(
      data.conversions.every((c) => oldCommunes.has(c.oldCommuneCode) && communes.has(c.newCommuneCode)),
    ).toBe(true);
    const reached = new Set([...data.conversions, ...data.districtConversions].map((c) => c.newCommuneCode));
    expect(reached.size).toBe(3321);
  });

  it('are byte-for-byte what the encoder writes, and the manifest checksum covers them', () => {
    for (const table of TABLE_NAMES) {
      const file = TABLE_FILES[table].file;
      expect(manifest.files[file]?.rows).toBe(data[table].length);
      expect(fs.readFileSync(path.join(DEFAULT_DATA_DIR, file), 'utf8')).toBe(
        encodeTable(table, data[table]),
      );
    }
    expect(manifestChecksum(manifest.files)).toBe(manifest.checksum);
  });

  const sourceDir = path.resolve(DEFAULT_DATA_DIR, '..', '..', '..', 'shared', 'reference', 'admin-units');
  describe.runIf(fs.existsSync(sourceDir))('compared with the public sources', () => {
    it('are what the converter makes of them today', () => {
      const read = (file: string) => fs.readFileSync(path.join(sourceDir, file), 'utf8');
      const converted = convertAdminUnits({
        divisionsJson: read('divisions-from-2025-07.json'),
        oldCsv: read('communes-before-2025-07.csv'),
        conversionCsv: read('conversion-old-to-new-2025-07.csv'),
      });
      for (const table of TABLE_NAMES) {
        expect(encodeTable(table, converted.data[table])).toBe(encodeTable(table, data[table]));
      }
    });
  });
});
