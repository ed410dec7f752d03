import { describe, expect, it } from 'vitest';
import { readAdminUnitFiles } from './load';
import { buildIndex, type ResolveInput, type ResolveResult, resolveAddress } from './rules';

const { data } = readAdminUnitFiles();
const index = buildIndex(data);
const resolve = (input: ResolveInput): ResolveResult => resolveAddress(index, input);
const codes = (result: ResolveResult) => result.candidates.map((c) => c.communeCode).sort();

describe('an old commune merged whole into one new commune', () => {
  it.each<ResolveInput>([
    { province: 'Thành phố Hà Nội', district: 'Quận Ba Đình', commune: 'Phường Trúc Bạch' },
    { province: 'Hà Nội', district: 'Ba Đình', commune: 'Trúc Bạch' },
    { province: 'TP. Hà Nội', district: 'Q. Ba Đình', commune: 'P. Trúc Bạch' },
    { province: 'HN', district: 'ba dinh', commune: 'truc bach' },
    { province: '  thành phố   hà nội ', district: 'QUẬN BA ĐÌNH', commune: 'phường  trúc   bạch' },
    { province: '01', district: '001', commune: '00004', era: 'old' },
    { province: '1', district: '1', commune: '4', era: 'old' },
    {
      province: 'Thành phố Hà Nội (01)',
      district: 'Quận Ba Đình (001)',
      commune: 'Phường Trúc Bạch (00004)',
    },
    { district: 'Quận Ba Đình', commune: 'Phường Trúc Bạch' },
  ])('%j → Phường Ba Đình', (input) => {
    const result = resolve(input);
    expect(result.status).toBe('resolved');
    expect(result.current).toEqual({
      communeCode: '00004',
      communeName: 'Phường Ba Đình',
      provinceCode: '01',
      provinceName: 'Thành phố Hà Nội',
    });
    expect(result.candidates).toEqual([]);
    expect(result.matchedOld.map((o) => o.communeCode)).toEqual(['00004']);
  });

  it('reads tone-mark placement and type spelling variants alike ("Thuỷ"/"Thủy", "xã"/"Xã")', () => {
    for (const commune of ['Xã Đàm Thuỷ', 'Xã Đàm Thủy', 'xã Đàm Thủy', 'Đàm thuỷ', 'dam thuy']) {
      const result = resolve({ province: 'Tỉnh Cao Bằng', district: 'Huyện Trùng Khánh', commune });
      expect(result.status, commune).toBe('resolved');
      expect(result.current?.communeCode).toBe('01501');
    }
  });

  it('follows a commune into its new province: Thái Bình → Hưng Yên, Nam Định → Ninh Bình', () => {
    const thaiBinh = resolve({ province: 'Tỉnh Thái Bình', district: 'Huyện Vũ Thư', commune: 'Xã Tự Tân' });
    expect(thaiBinh.current).toMatchObject({
      communeCode: '13246',
      provinceCode: '33',
      provinceName: 'Tỉnh Hưng Yên',
    });
    const namDinh = resolve({ province: 'Nam Định', district: 'TP Nam Định', commune: 'Phường Trường Thi' });
    expect(namDinh.current).toMatchObject({
      communeCode: '13777',
      provinceCode: '37',
      provinceName: 'Tỉnh Ninh Bình',
    });
  });

  it('accepts the new province written with an old district and commune', () => {
    const result = resolve({
      province: 'Tỉnh Ninh Bình',
      district: 'Thành phố Nam Định',
      commune: 'Phường Trường Thi',
    });
    expect(result.current?.communeCode).toBe('13777');
    expect(result.matchedOld[0]).toMatchObject({ provinceCode: '36', provinceName: 'Tỉnh Nam Định' });
    const tanAn = resolve({ province: 'Tây Ninh', district: 'Thành phố Tân An', commune: 'Phường IV' });
    expect(tanAn.current).toMatchObject({ communeCode: '27694', communeName: 'Phường Long An' });
  });

  it('finds island districts that had no communes: Côn Đảo → Đặc khu Côn Đảo', () => {
    for (const input of [
      { province: 'Tỉnh Bà Rịa - Vũng Tàu', district: 'Huyện Côn Đảo' },
      { province: 'BRVT', district: 'Côn Đảo' },
      { province: 'Bà Rịa Vũng Tàu', commune: 'Côn Đảo' },
      { province: 'Thành phố Hồ Chí Minh', commune: 'Đặc khu Côn Đảo' },
    ]) {
      const result = resolve(input);
      expect(result.status, JSON.stringify(input)).toBe('resolved');
      expect(result.current?.communeCode).toBe('26732');
    }
  });

  it('uses the exact accents to tell apart names that fold alike', () => {
    const hung = resolve({ province: 'Nam Định', district: 'Trực Ninh', commune: 'Xã Trực Hưng' });
    const hungNoAccents = resolve({ province: 'Nam Dinh', district: 'Truc Ninh', commune: 'Xa Truc Hung' });
    expect(hung.status).toBe('resolved');
    expect(hung.matchedOld.map((o) => o.communeCode)).toEqual(['14050']);
    expect(hungNoAccents.status).toBe('needs_decision');
    expect(hungNoAccents.matchedOld.map((o) => o.communeCode).sort()).toEqual(['14050', '14083']);
    expect(hungNoAccents.candidates.every((c) => c.reason === 'ambiguous_name')).toBe(true);
    // "Nga Thanh" typed with accents elsewhere means no tone, not "Nga Thành".
    expect(resolve({ province: 'Thanh Hóa', district: 'Nga Sơn', commune: 'Xã Nga Thanh' }).status).toBe(
      'resolved',
    );
  });

  it('uses the written type to tell apart a town and a district of one name (Kỳ Anh)', () => {
    const town = resolve({ province: 'Hà Tĩnh', district: 'Thị xã Kỳ Anh', commune: 'Phường Hưng Trí' });
    expect(town.status).toBe('resolved');
    expect(town.matchedOld[0]?.districtName).toBe('Thị xã Kỳ Anh');
    // Without the type both districts are searched; the commune name settles it.
    const either = resolve({ province: 'Hà Tĩnh', district: 'Kỳ Anh', commune: 'Phường Hưng Trí' });
    expect(either.current?.communeCode).toBe(town.current?.communeCode);
    // "Huyện Kỳ Anh" has no Phường Hưng Trí: the writer's type is not overridden.
    expect(
      resolve({ province: 'Hà Tĩnh', district: 'Huyện Kỳ Anh', commune: 'Phường Hưng Trí' }).problem,
    ).toBe('commune_not_found');
  });
});

describe('never a silent guess', () => {
  it('lists every target of a split commune (Phường Ngọc Hà, Ba Đình)', () => {
    const result = resolve({ province: 'Hà Nội', district: 'Ba Đình', commune: 'Phường Ngọc Hà' });
    expect(result.status).toBe('needs_decision');
    expect(result.current).toBeNull();
    expect(codes(result)).toEqual(['00004', '00008']);
    expect(result.candidates.every((c) => c.reason === 'split' && c.fromOldCommuneCodes[0] === '00016')).toBe(
      true,
    );
    expect(result.matchedOld[0]?.becameCommunes.every((t) => t.kind === 'partial')).toBe(true);
  });

  it('does not resolve an old commune of which only a part is listed (Đặng Xá, Gia Lâm)', () => {
    const result = resolve({ province: 'Hà Nội', district: 'Gia Lâm', commune: '00556' });
    expect(result.status).toBe('needs_decision');
    expect(result.candidates).toMatchObject([{ communeCode: '00541', reason: 'split' }]);
  });

  it('does not resolve an old code the table sends whole to two communes (a typo in the table)', () => {
    const result = resolve({ commune: '01615', era: 'old' });
    expect(result.status).toBe('needs_decision');
    expect(codes(result)).toEqual(['01636', '01648']);
  });

  it('asks when a name fits communes of two districts and the district is missing', () => {
    const result = resolve({ province: 'Thái Bình', commune: 'Xã An Ninh' });
    expect(result.status).toBe('needs_decision');
    expect(result.matchedOld).toHaveLength(2);
    expect(result.candidates.length).toBeGreaterThanOrEqual(2);
    expect(result.candidates.every((c) => c.reason === 'ambiguous_name')).toBe(true);
    const withDistrict = resolve({
      province: 'Thái Bình',
      district: result.matchedOld[0]!.districtName,
      commune: 'Xã An Ninh',
    });
    expect(withDistrict.status).toBe('resolved');
  });

  it('offers the rest of the district for an old commune missing from the table (Phường 14, Bình Thạnh)', () => {
    const result = resolve({ commune: '26935' });
    expect(result.status).toBe('needs_decision');
    expect(result.candidates.every((c) => c.reason === 'no_conversion')).toBe(true);
    expect(codes(result)).toContain('26929');
    const byName = resolve({ province: 'TP.HCM', district: 'Q. Bình Thạnh', commune: 'P14' });
    expect(byName.status).toBe('needs_decision');
    expect(byName.matchedOld.map((o) => o.communeCode).sort()).toEqual(['26929', '26935']);
  });

  it('reads an address without district both ways unless told which era it is from', () => {
    // Phường Ngọc Hà exists today, and an old Phường Ngọc Hà (Ba Đình) was split.
    const unknown = resolve({ province: 'Hà Nội', commune: 'Phường Ngọc Hà' });
    expect(unknown.status).toBe('needs_decision');
    expect(unknown.matchedCurrent.map((c) => c.communeCode)).toEqual(['00008']);
    expect(unknown.matchedOld.map((c) => c.communeCode)).toEqual(['00016']);
    const current = resolve({ province: 'Hà Nội', commune: 'Phường Ngọc Hà', era: 'current' });
    expect(current).toMatchObject({ status: 'resolved', current: { communeCode: '00008' }, matchedOld: [] });
    expect(resolve({ province: 'Hà Nội', commune: 'Phường Ngọc Hà', era: 'old' }).status).toBe(
      'needs_decision',
    );
  });

  it('treats a five-digit code as current or old unless told', () => {
    expect(resolve({ commune: '00025' }).status).toBe('needs_decision');
    expect(resolve({ commune: '00025', era: 'current' }).current?.communeName).toBe('Phường Giảng Võ');
    // Old 00004 (Trúc Bạch) went whole into new 00004 (Ba Đình): both readings agree.
    expect(resolve({ commune: '00004' }).current?.communeCode).toBe('00004');
  });
});

describe('current addresses', () => {
  it('resolves a current commune directly', () => {
    const result = resolve({ province: 'Tỉnh Ninh Bình', commune: 'Phường Hoa Lư', era: 'current' });
    expect(result.status).toBe('resolved');
    expect(result.current?.provinceCode).toBe('37');
    expect(result.matchedCurrent).toHaveLength(1);
  });

  it('resolves every current commune to itself, by name and by code', () => {
    const provinces = new Map(data.provinces.map((p) => [p.code, p.name]));
    const wrong = data.communes.filter((c) => {
      const byName = resolve({ province: provinces.get(c.provinceCode), commune: c.name, era: 'current' });
      const byCode = resolve({ province: c.provinceCode, commune: c.code, era: 'current' });
      return byName.current?.communeCode !== c.code || byCode.current?.communeCode !== c.code;
    });
    expect(wrong).toEqual([]);
  });
});

describe('every old commune of the official table', () => {
  it('resolves when, and only when, it went whole into one commune', () => {
    const districts = new Map(data.oldDistricts.map((d) => [d.code, d]));
    const provinces = new Map(data.oldProvinces.map((p) => [p.code, p.name]));
    const targets = new Map<string, { code: string; kind: string }[]>();
    for (const c of data.conversions) {
      targets.set(c.oldCommuneCode, [
        ...(targets.get(c.oldCommuneCode) ?? []),
        { code: c.newCommuneCode, kind: c.kind },
      ]);
    }
    const problems: string[] = [];
    for (const commune of data.oldCommunes) {
      const district = districts.get(commune.districtCode)!;
      const list = targets.get(commune.code) ?? [];
      const decidable = list.length === 1 && list[0]!.kind === 'whole';
      const byCode = resolve({ commune: commune.code, era: 'old' });
      const byName = resolve({
        province: provinces.get(district.provinceCode),
        district: district.name,
        commune: commune.name,
      });
      for (const result of [byCode, byName]) {
        if (result.status === 'resolved' && !decidable) problems.push(`${commune.code} guessed`);
        if (result.status === 'resolved' && result.current?.communeCode !== list[0]?.code) {
          problems.push(`${commune.code} resolved wrongly`);
        }
        if (result.status === 'not_found') problems.push(`${commune.code} not found`);
      }
      if (decidable && byCode.status !== 'resolved') problems.push(`${commune.code} not resolved by code`);
    }
    expect(problems).toEqual([]);
  });
});

describe('bad and incomplete input', () => {
  it.each<[ResolveInput, string]>([
    [{}, 'empty'],
    [{ province: '   ' }, 'empty'],
    [{ province: 'Hà Nội' }, 'commune_missing'],
    [{ province: 'Hà Nội', district: 'Ba Đình' }, 'commune_missing'],
    [{ commune: 'Phường Ba Đình' }, 'province_missing'],
    [{ province: 'Tỉnh Không Có', commune: 'Xã Tân Lập' }, 'province_not_found'],
    [{ province: '99', commune: 'Xã Tân Lập' }, 'province_not_found'],
    [{ province: '123', commune: 'Xã Tân Lập' }, 'province_not_found'],
    [{ province: 'Hà Nội', district: 'Huyện Không Có', commune: 'Trúc Bạch' }, 'district_not_found'],
    [{ province: 'Hà Nội', district: 'Ba Đình', commune: 'Phường Không Có' }, 'commune_not_found'],
    [{ commune: '123456' }, 'commune_not_found'],
    [{ commune: '99999' }, 'commune_not_found'],
    [{ province: 'Thành phố Hà Nội (02)', commune: 'Phường Ba Đình' }, 'code_mismatch'],
    [{ province: 'Hà Nội', commune: '13246', era: 'old' }, 'code_mismatch'],
    [{ province: 'Hà Nội', district: '376', commune: 'Trúc Bạch' }, 'code_mismatch'],
    [{ province: '!!!', commune: '???' }, 'province_not_found'],
    [{ province: 'Hà Nội', commune: 'x'.repeat(200) }, 'commune_not_found'],
  ])('%j → not found (%s)', (input, problem) => {
    const result = resolve(input);
    expect(result.status).toBe('not_found');
    expect(result.problem).toBe(problem);
    expect(result.current).toBeNull();
    expect(result.candidates).toEqual([]);
  });
});
