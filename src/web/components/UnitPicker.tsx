import { Select, SimpleGrid } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { compareVietnamese } from '../../shared/text';
import { useCommunes, useProvinces } from '../data/adminUnits';
import { accentInsensitiveFilter } from './accentFilter';

export type UnitValue = { provinceCode: string | null; communeCode: string | null };

type Props = {
  value: UnitValue;
  onChange: (value: UnitValue) => void;
  provinceError?: string;
  communeError?: string;
  required?: boolean;
  /** Province officers work inside one province: the choice is fixed for them. */
  provinceLocked?: boolean;
  /** Some filters stop at the province. */
  withCommune?: boolean;
  provinceLabel?: string;
  communeLabel?: string;
};

function byName<T extends { name: string }>(items: T[] | undefined) {
  return [...(items ?? [])].sort((a, b) => compareVietnamese(a.name, b.name));
}

/** Province → commune choice over the units in force since 07/2025, searchable with or without accents. */
export function UnitPicker({
  value,
  onChange,
  provinceError,
  communeError,
  required,
  provinceLocked,
  withCommune = true,
  provinceLabel,
  communeLabel,
}: Props) {
  const { t } = useTranslation();
  const provinces = useProvinces();
  const communes = useCommunes(withCommune ? value.provinceCode : null);

  const provinceData = useMemo(
    () => byName(provinces.data).map((p) => ({ value: p.code, label: p.name })),
    [provinces.data],
  );
  const communeData = useMemo(
    () => byName(communes.data).map((c) => ({ value: c.code, label: c.name })),
    [communes.data],
  );

  return (
    <SimpleGrid cols={{ base: 1, sm: withCommune ? 2 : 1 }} spacing="sm">
      <Select
        label={provinceLabel ?? t('units.province')}
        placeholder={t('units.chooseProvince')}
        data={provinceData}
        value={value.provinceCode}
        onChange={(code) => onChange({ provinceCode: code, communeCode: null })}
        searchable
        clearable={!required}
        filter={accentInsensitiveFilter}
        nothingFoundMessage={t('units.nothingFound')}
        error={provinceError ?? (provinces.error ? provinces.error.message : undefined)}
        required={required}
        disabled={provinceLocked}
        comboboxProps={{ withinPortal: true }}
      />
      {withCommune && (
        <Select
          label={communeLabel ?? t('units.commune')}
          placeholder={value.provinceCode ? t('units.chooseCommune') : t('units.chooseProvinceFirst')}
          data={communeData}
          value={value.communeCode}
          onChange={(code) => onChange({ ...value, communeCode: code })}
          searchable
          clearable={!required}
          filter={accentInsensitiveFilter}
          nothingFoundMessage={t('units.nothingFound')}
          error={communeError ?? (communes.error ? communes.error.message : undefined)}
          required={required}
          disabled={!value.provinceCode}
          limit={200}
        />
      )}
    </SimpleGrid>
  );
}
