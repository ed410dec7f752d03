import { useCommune, useCommunes, useProvince, useProvinces } from '../data/adminUnits';

/** A unit's name from its code, using the cached unit lists (codes alone mean little to people). */
export function UnitName({
  provinceCode,
  communeCode,
}: {
  provinceCode: string | null;
  communeCode?: string | null;
}) {
  const provinces = useProvinces();
  const communes = useCommunes(communeCode ? provinceCode : null);
  const province = provinces.data?.find((p) => p.code === provinceCode)?.name ?? provinceCode ?? '';
  const commune = communeCode
    ? (communes.data?.find((c) => c.code === communeCode)?.name ?? communeCode)
    : '';
  return <>{[commune, province].filter(Boolean).join(', ')}</>;
}

/**
 * A unit code as people read it: "Xã Kim Sơn (14638)". The name comes from the admin-units API
 * on first sight and stays cached; until then, or for a code it does not know, the code alone.
 */
export function UnitCodeName({ level, code }: { level: 'province' | 'commune'; code: string }) {
  const commune = useCommune(level === 'commune' ? code : null);
  const province = useProvince(level === 'province' ? code : null);
  const name = level === 'commune' ? commune.data?.name : province.data?.name;
  return <>{name ? `${name} (${code})` : code}</>;
}
