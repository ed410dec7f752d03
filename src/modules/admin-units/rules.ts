import type { AdminUnitData, ConversionKind } from './data';
import {
  accentKey,
  nameKeys,
  officialKey,
  PROVINCE_ALIASES,
  padCode,
  splitNameAndCode,
  typeOfName,
  type UnitType,
} from './names';

/**
 * Resolving an address written before or after the 2025 reform to the commune in force now.
 * Pure: works on an in-memory index built once from the unit tables (~25k rows).
 *
 * The law gives one answer only when the old commune went whole into one new commune. Otherwise
 * a person decides, and the resolver lists every candidate with why:
 * - `split`: the conversion table sends the old commune (in part) to several new communes, or
 *   lists only part of it ("Nhập một phần");
 * - `ambiguous_name`: the written names fit several units (two communes of that name in the
 *   province, or a current and an old commune), and they lead to different current communes;
 * - `no_conversion`: the old commune has no row in the official table (it was merged into a
 *   neighbour shortly before the reform); the candidates are where the rest of its district went.
 * An address without a district may be current (two tiers) or old; `era` says which when known.
 */

export type ResolveInput = {
  province?: string | undefined;
  district?: string | undefined;
  commune?: string | undefined;
  /** `current`: units in force since 2025-07-01; `old`: units before; absent: try both. */
  era?: 'current' | 'old' | undefined;
};

export type ResolveProblem =
  | 'empty'
  | 'province_missing'
  | 'province_not_found'
  | 'district_not_found'
  | 'commune_missing'
  | 'commune_not_found'
  | 'code_mismatch'
  | 'no_conversion';

export type CandidateReason = 'split' | 'ambiguous_name' | 'no_conversion';

export type CurrentRef = {
  communeCode: string;
  communeName: string;
  provinceCode: string;
  provinceName: string;
};

export type Candidate = CurrentRef & { reason: CandidateReason; fromOldCommuneCodes: string[] };

export type OldRef = {
  communeCode: string | null;
  communeName: string | null;
  districtCode: string;
  districtName: string;
  provinceCode: string;
  provinceName: string;
  becameCommunes: { communeCode: string; kind: ConversionKind; note: string }[];
};

export type ResolveResult = {
  status: 'resolved' | 'needs_decision' | 'not_found';
  current: CurrentRef | null;
  candidates: Candidate[];
  /** Current communes the address names directly (read as written after the reform). */
  matchedCurrent: CurrentRef[];
  /** Old units the address names (read as written before the reform), with where each went. */
  matchedOld: OldRef[];
  /** Why nothing could be matched (status not_found). */
  problem: ResolveProblem | null;
};

// ---------- index ----------

type Target = { communeCode: string; kind: ConversionKind; note: string };
type IndexedUnit = { code: string; name: string; keys: string[]; accents: string[]; type: UnitType | null };
type CurrentProvince = IndexedUnit;
type CurrentCommune = IndexedUnit & { provinceCode: string };
type OldProvince = IndexedUnit;
type OldDistrict = IndexedUnit & { provinceCode: string };
type OldCommune = IndexedUnit & { districtCode: string; provinceCode: string };

export type AdminUnitIndex = {
  provinces: Map<string, CurrentProvince>;
  provincesByKey: Map<string, CurrentProvince[]>;
  communes: Map<string, CurrentCommune>;
  communesByProvinceKey: Map<string, CurrentCommune[]>;
  oldProvinces: Map<string, OldProvince>;
  oldProvincesByKey: Map<string, OldProvince[]>;
  oldDistricts: Map<string, OldDistrict>;
  oldDistrictsByKey: Map<string, OldDistrict[]>;
  oldCommunes: Map<string, OldCommune>;
  oldCommunesByDistrictKey: Map<string, OldCommune[]>;
  oldCommunesByProvinceKey: Map<string, OldCommune[]>;
  oldCommunesByDistrict: Map<string, OldCommune[]>;
  targetsByOldCommune: Map<string, Target[]>;
  targetsByOldDistrict: Map<string, Target[]>;
  /** Old provinces whose communes went into each current province (for "new province, old district"). */
  oldProvincesOfCurrent: Map<string, Set<string>>;
};

function unitKeys(names: string[]): { keys: string[]; accents: string[] } {
  const keys = new Set<string>();
  const accents = new Set<string>();
  for (const name of names) {
    const read = nameKeys(name);
    keys.add(read.keys[0] ?? officialKey(name));
    accents.add(read.accent ?? accentKey(name));
  }
  return { keys: [...keys], accents: [...accents] };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const ALIAS_TO_KEY = new Map(
  Object.entries(PROVINCE_ALIASES).flatMap(([key, aliases]) => aliases.map((a) => [a, key] as const)),
);

export function buildIndex(data: AdminUnitData): AdminUnitIndex {
  const index: AdminUnitIndex = {
    provinces: new Map(),
    provincesByKey: new Map(),
    communes: new Map(),
    communesByProvinceKey: new Map(),
    oldProvinces: new Map(),
    oldProvincesByKey: new Map(),
    oldDistricts: new Map(),
    oldDistrictsByKey: new Map(),
    oldCommunes: new Map(),
    oldCommunesByDistrictKey: new Map(),
    oldCommunesByProvinceKey: new Map(),
    oldCommunesByDistrict: new Map(),
    targetsByOldCommune: new Map(),
    targetsByOldDistrict: new Map(),
    oldProvincesOfCurrent: new Map(),
  };
  for (const p of data.provinces) {
    const unit = { code: p.code, name: p.name, ...unitKeys([p.name]), type: typeOfName(p.name) };
    index.provinces.set(p.code, unit);
    for (const key of unit.keys) push(index.provincesByKey, key, unit);
  }
  for (const c of data.communes) {
    const unit = {
      code: c.code,
      name: c.name,
      ...unitKeys([c.name]),
      type: c.divisionType as UnitType,
      provinceCode: c.provinceCode,
    };
    index.communes.set(c.code, unit);
    for (const key of unit.keys) push(index.communesByProvinceKey, `${c.provinceCode}|${key}`, unit);
  }
  for (const p of data.oldProvinces) {
    const unit = { code: p.code, name: p.name, ...unitKeys([p.name]), type: typeOfName(p.name) };
    index.oldProvinces.set(p.code, unit);
    for (const key of unit.keys) push(index.oldProvincesByKey, key, unit);
  }
  for (const d of data.oldDistricts) {
    const unit = {
      code: d.code,
      name: d.name,
      ...unitKeys([d.name]),
      type: typeOfName(d.name),
      provinceCode: d.provinceCode,
    };
    index.oldDistricts.set(d.code, unit);
    for (const key of unit.keys) push(index.oldDistrictsByKey, key, unit);
  }
  for (const c of data.oldCommunes) {
    const district = index.oldDistricts.get(c.districtCode);
    if (!district) continue;
    const { keys, accents } = unitKeys([c.name, ...c.aliases]);
    const unit = {
      code: c.code,
      name: c.name,
      keys,
      accents,
      type: c.divisionType as UnitType,
      districtCode: c.districtCode,
      provinceCode: district.provinceCode,
    };
    index.oldCommunes.set(c.code, unit);
    push(index.oldCommunesByDistrict, c.districtCode, unit);
    for (const key of keys) {
      push(index.oldCommunesByDistrictKey, `${c.districtCode}|${key}`, unit);
      push(index.oldCommunesByProvinceKey, `${district.provinceCode}|${key}`, unit);
    }
  }
  for (const c of data.conversions) {
    push(index.targetsByOldCommune, c.oldCommuneCode, {
      communeCode: c.newCommuneCode,
      kind: c.kind,
      note: c.note,
    });
    const oldProvince = index.oldCommunes.get(c.oldCommuneCode)?.provinceCode;
    const newProvince = index.communes.get(c.newCommuneCode)?.provinceCode;
    if (oldProvince && newProvince) {
      const set = index.oldProvincesOfCurrent.get(newProvince) ?? new Set<string>();
      set.add(oldProvince);
      index.oldProvincesOfCurrent.set(newProvince, set);
    }
  }
  for (const c of data.districtConversions) {
    push(index.targetsByOldDistrict, c.oldDistrictCode, {
      communeCode: c.newCommuneCode,
      kind: c.kind,
      note: c.note,
    });
  }
  return index;
}

// ---------- reading the input ----------

type Part = {
  code: string | null;
  badCode: boolean;
  keys: string[];
  type: UnitType | null;
  accent: string | null;
};

function readPart(written: string | undefined, width: 2 | 3 | 5): Part | null {
  const text = written?.trim();
  if (!text) return null;
  const split = splitNameAndCode(text);
  let name = split.name;
  let codeText = split.code;
  if (codeText === null && /^\d+$/.test(name)) {
    codeText = name;
    name = '';
  }
  const code = codeText === null ? null : padCode(codeText, width);
  const { keys, type, accent } = name ? nameKeys(name) : { keys: [], type: null, accent: null };
  return { code, badCode: codeText !== null && code === null, keys, type, accent };
}

function withProvinceAliases(keys: string[]): string[] {
  return [...new Set(keys.flatMap((k) => [k, ALIAS_TO_KEY.get(k) ?? k]))];
}

/**
 * Where folded keys collide, what the writer wrote decides when it fits some of the units: the
 * exact accented spelling ("Trực Hùng", not "Trực Hưng"), then the unit type ("Thị xã Kỳ Anh").
 * When nothing fits, all stay and the caller sees the ambiguity.
 */
function narrow<U>(part: Part, units: U[], unitOf: (u: U) => Pick<IndexedUnit, 'accents' | 'type'>): U[] {
  let result = units;
  if (part.accent && result.length > 1) {
    const accented = result.filter((u) => unitOf(u).accents.includes(part.accent!));
    if (accented.length) result = accented;
  }
  if (part.type && result.length > 1) {
    const typed = result.filter((u) => unitOf(u).type === part.type);
    if (typed.length) result = typed;
  }
  return result;
}

/** Units matching a part by code or by name keys (narrowed, unless the caller narrows across readings). */
function matchUnits<U extends IndexedUnit>(
  part: Part,
  byCode: (code: string) => U | undefined,
  byKey: (key: string) => U[],
  narrowHere = true,
): { units: U[]; mismatch: boolean } {
  if (part.badCode) return { units: [], mismatch: false };
  if (part.code !== null) {
    const unit = byCode(part.code);
    if (!unit) return { units: [], mismatch: false };
    // "Tên (mã)" written with a name the code does not carry: the writer meant something else.
    if (part.keys.length && !part.keys.some((k) => unit.keys.includes(k)))
      return { units: [], mismatch: true };
    return { units: [unit], mismatch: false };
  }
  const found = [...new Set(part.keys.flatMap(byKey))];
  return { units: narrowHere ? narrow(part, found, (u) => u) : found, mismatch: false };
}

// ---------- the two readings ----------

type Reading<T> = { matches: T[]; problem: ResolveProblem | null };

const PROBLEM_DEPTH: ResolveProblem[] = [
  'empty',
  'province_missing',
  'province_not_found',
  'district_not_found',
  'commune_missing',
  'commune_not_found',
  'no_conversion',
  'code_mismatch',
];

function readAsCurrent(index: AdminUnitIndex, p: Part | null, c: Part | null): Reading<CurrentCommune> {
  let provinces: CurrentProvince[] | null = null;
  if (p) {
    const found = matchUnits(
      { ...p, keys: withProvinceAliases(p.keys) },
      (code) => index.provinces.get(code),
      (key) => index.provincesByKey.get(key) ?? [],
    );
    if (!found.units.length)
      return { matches: [], problem: found.mismatch ? 'code_mismatch' : 'province_not_found' };
    provinces = found.units;
  }
  if (!c) return { matches: [], problem: 'commune_missing' };
  if (c.code === null && !c.badCode && !provinces) return { matches: [], problem: 'province_missing' };
  const found = matchUnits(
    c,
    (code) => index.communes.get(code),
    (key) => (provinces ?? []).flatMap((pr) => index.communesByProvinceKey.get(`${pr.code}|${key}`) ?? []),
    false,
  );
  let matches = found.units;
  if (provinces && c.code !== null) {
    const allowed = new Set(provinces.map((pr) => pr.code));
    matches = matches.filter((m) => allowed.has(m.provinceCode));
    if (!matches.length && found.units.length) return { matches: [], problem: 'code_mismatch' };
  }
  if (!matches.length)
    return { matches: [], problem: found.mismatch ? 'code_mismatch' : 'commune_not_found' };
  return { matches, problem: null };
}

type OldMatch = { commune: OldCommune | null; district: OldDistrict; targets: Target[] };

function readAsOldIn(
  index: AdminUnitIndex,
  provinceCodes: Set<string> | null,
  d: Part | null,
  c: Part | null,
): Reading<OldMatch> {
  let districts: OldDistrict[] | null = null;
  if (d) {
    const found = matchUnits(
      d,
      (code) => index.oldDistricts.get(code),
      (key) => index.oldDistrictsByKey.get(key) ?? [],
    );
    districts = provinceCodes ? found.units.filter((u) => provinceCodes.has(u.provinceCode)) : found.units;
    if (!districts.length) {
      // A district code of another province contradicts the province; a name may just be elsewhere.
      const contradiction = found.mismatch || (d.code !== null && found.units.length > 0);
      return { matches: [], problem: contradiction ? 'code_mismatch' : 'district_not_found' };
    }
  }
  const islandMatches = (list: OldDistrict[]) =>
    list
      .filter((dist) => index.targetsByOldDistrict.has(dist.code))
      .map((dist) => ({
        commune: null,
        district: dist,
        targets: index.targetsByOldDistrict.get(dist.code)!,
      }));

  if (!c) {
    // Island districts had no communes: the district alone names the place.
    const islands = districts ? islandMatches(districts) : [];
    if (districts && islands.length === districts.length) return { matches: islands, problem: null };
    return { matches: [], problem: 'commune_missing' };
  }
  if (c.code === null && !c.badCode && !districts && !provinceCodes)
    return { matches: [], problem: 'province_missing' };

  const found = matchUnits(
    c,
    (code) => index.oldCommunes.get(code),
    (key) =>
      districts
        ? districts.flatMap((dist) => index.oldCommunesByDistrictKey.get(`${dist.code}|${key}`) ?? [])
        : [...(provinceCodes ?? [])].flatMap(
            (pc) => index.oldCommunesByProvinceKey.get(`${pc}|${key}`) ?? [],
          ),
    false,
  );
  let communes = found.units;
  if (c.code !== null) {
    communes = communes.filter(
      (u) =>
        (!districts || districts.some((dist) => dist.code === u.districtCode)) &&
        (!provinceCodes || provinceCodes.has(u.provinceCode)),
    );
    if (!communes.length && found.units.length) return { matches: [], problem: 'code_mismatch' };
  }
  const matches: OldMatch[] = communes.map((commune) => ({
    commune,
    district: index.oldDistricts.get(commune.districtCode)!,
    targets: index.targetsByOldCommune.get(commune.code) ?? [],
  }));
  // "Côn Đảo, Bà Rịa - Vũng Tàu" written as if the island district were a commune.
  if (c.code === null) {
    const named =
      districts ?? [...index.oldDistricts.values()].filter((dist) => provinceCodes?.has(dist.provinceCode));
    for (const island of islandMatches(named)) {
      if (island.district.keys.some((k) => c.keys.includes(k))) matches.push(island);
    }
  }
  if (!matches.length)
    return { matches: [], problem: found.mismatch ? 'code_mismatch' : 'commune_not_found' };
  return { matches, problem: null };
}

function readAsOld(index: AdminUnitIndex, p: Part | null, d: Part | null, c: Part | null): Reading<OldMatch> {
  if (!p) return readAsOldIn(index, null, d, c);
  const keys = withProvinceAliases(p.keys);
  const old = matchUnits(
    { ...p, keys },
    (code) => index.oldProvinces.get(code),
    (key) => index.oldProvincesByKey.get(key) ?? [],
  );
  const current = matchUnits(
    { ...p, keys },
    (code) => index.provinces.get(code),
    (key) => index.provincesByKey.get(key) ?? [],
  );
  // Records often carry the new province's name with the old district and commune: widen to the
  // old provinces merged into it when the old province of that name holds no such place.
  const widened = new Set(
    current.units.flatMap((pr) => [...(index.oldProvincesOfCurrent.get(pr.code) ?? [])]),
  );
  if (!old.units.length) {
    if (!widened.size) return { matches: [], problem: old.mismatch ? 'code_mismatch' : 'province_not_found' };
    return readAsOldIn(index, widened, d, c);
  }
  const strict = new Set(old.units.map((u) => u.code));
  const first = readAsOldIn(index, strict, d, c);
  if (first.matches.length || !widened.size || [...widened].every((code) => strict.has(code))) return first;
  const second = readAsOldIn(index, widened, d, c);
  if (second.matches.length) return second;
  return PROBLEM_DEPTH.indexOf(second.problem!) > PROBLEM_DEPTH.indexOf(first.problem!) ? second : first;
}

// ---------- the answer ----------

const REASON_PRIORITY: CandidateReason[] = ['split', 'no_conversion', 'ambiguous_name'];

function currentRef(index: AdminUnitIndex, communeCode: string): CurrentRef {
  const commune = index.communes.get(communeCode)!;
  return {
    communeCode,
    communeName: commune.name,
    provinceCode: commune.provinceCode,
    provinceName: index.provinces.get(commune.provinceCode)?.name ?? '',
  };
}

function oldRef(index: AdminUnitIndex, match: OldMatch): OldRef {
  return {
    communeCode: match.commune?.code ?? null,
    communeName: match.commune?.name ?? null,
    districtCode: match.district.code,
    districtName: match.district.name,
    provinceCode: match.district.provinceCode,
    provinceName: index.oldProvinces.get(match.district.provinceCode)?.name ?? '',
    becameCommunes: match.targets.map((t) => ({ communeCode: t.communeCode, kind: t.kind, note: t.note })),
  };
}

function notFound(problem: ResolveProblem, matchedOld: OldRef[] = []): ResolveResult {
  return { status: 'not_found', current: null, candidates: [], matchedCurrent: [], matchedOld, problem };
}

export function resolveAddress(index: AdminUnitIndex, input: ResolveInput): ResolveResult {
  const p = readPart(input.province, 2);
  const d = readPart(input.district, 3);
  const c = readPart(input.commune, 5);
  if (!p && !d && !c) return notFound('empty');

  // A current address has no district; one that names a district is read as old unless told otherwise.
  const tryCurrent = input.era === 'current' || (input.era === undefined && !d);
  const tryOld = input.era !== 'current';
  const asCurrent = tryCurrent ? readAsCurrent(index, p, c) : null;
  const asOld = tryOld ? readAsOld(index, p, d, c) : null;
  // Narrowing spans both readings: "Phường Hồng Hà" written with its type is the current ward, not an old "Xã Hồng Hà".
  type Match = { current: CurrentCommune } | { old: OldMatch };
  const unitOf = (m: Match) => ('current' in m ? m.current : (m.old.commune ?? m.old.district));
  const all: Match[] = [
    ...(asCurrent?.matches ?? []).map((current) => ({ current })),
    ...(asOld?.matches ?? []).map((old) => ({ old })),
  ];
  const kept = c ? narrow(c, all, unitOf) : all;
  const currentMatches = kept.flatMap((m) => ('current' in m ? [m.current] : []));
  const oldMatches = kept.flatMap((m) => ('old' in m ? [m.old] : []));

  const options = new Map<string, { reason: CandidateReason; from: Set<string> }>();
  const addOption = (communeCode: string, reason: CandidateReason, fromOld?: string) => {
    const entry = options.get(communeCode);
    if (!entry) {
      options.set(communeCode, { reason, from: new Set(fromOld ? [fromOld] : []) });
      return;
    }
    if (REASON_PRIORITY.indexOf(reason) < REASON_PRIORITY.indexOf(entry.reason)) entry.reason = reason;
    if (fromOld) entry.from.add(fromOld);
  };
  let decided = true;
  for (const m of currentMatches) addOption(m.code, 'ambiguous_name');
  for (const m of oldMatches) {
    const from = m.commune?.code;
    if (m.targets.length === 0) {
      decided = false;
      const neighbours = index.oldCommunesByDistrict.get(m.district.code) ?? [];
      for (const n of neighbours) {
        for (const t of index.targetsByOldCommune.get(n.code) ?? [])
          addOption(t.communeCode, 'no_conversion', from);
      }
      continue;
    }
    const split = m.targets.length > 1 || m.targets.some((t) => t.kind === 'partial');
    if (split) decided = false;
    for (const t of m.targets) addOption(t.communeCode, split ? 'split' : 'ambiguous_name', from);
  }

  const matchedCurrent = currentMatches.map((m) => currentRef(index, m.code));
  const matchedOld = oldMatches.map((m) => oldRef(index, m));
  if (options.size === 0) {
    const problems = [asCurrent?.problem, asOld?.problem].filter((x): x is ResolveProblem => !!x);
    if (oldMatches.length) problems.push('no_conversion');
    // The reading that got furthest explains best why nothing matched.
    const deepest = problems.sort((a, b) => PROBLEM_DEPTH.indexOf(b) - PROBLEM_DEPTH.indexOf(a))[0];
    return notFound(deepest ?? 'commune_not_found', matchedOld);
  }
  if (decided && options.size === 1) {
    const [communeCode] = [...options.keys()];
    return {
      status: 'resolved',
      current: currentRef(index, communeCode!),
      candidates: [],
      matchedCurrent,
      matchedOld,
      problem: null,
    };
  }
  const candidates: Candidate[] = [...options].map(([communeCode, option]) => ({
    ...currentRef(index, communeCode),
    reason: option.reason,
    fromOldCommuneCodes: [...option.from].sort(),
  }));
  candidates.sort(
    (a, b) =>
      REASON_PRIORITY.indexOf(a.reason) - REASON_PRIORITY.indexOf(b.reason) ||
      a.communeCode.localeCompare(b.communeCode),
  );
  return { status: 'needs_decision', current: null, candidates, matchedCurrent, matchedOld, problem: null };
}
