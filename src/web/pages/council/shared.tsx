import { Anchor, Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LEVELS } from '../../../modules/criteria/documents';
import { type DossierState, stateLabels } from '../../../modules/evaluation/rules';
import { formatNumber } from '../../format';
import { oneOf } from '../../guards';
import { pickLabel, useLanguage } from '../../i18n';

/** Stars as drawn marks and as words, so the meaning never rests on the glyphs alone. */
export function Stars({ count }: { count: number | null }) {
  const { t } = useTranslation();
  if (count === null) return <Text span>{t('council.results.noStar')}</Text>;
  return (
    <Text span style={{ whiteSpace: 'nowrap' }}>
      <span aria-hidden>{'★'.repeat(count)} </span>
      {t('council.stars', { count })}
    </Text>
  );
}

/** A dossier's state in the UI language (the labels are the evaluation rules'). */
export function DossierStateText({ state }: { state: string }) {
  const language = useLanguage();
  const label = stateLabels[state as DossierState];
  return <>{label ? pickLabel({ vi: label.vi, en: label.en }, language) : state}</>;
}

/** "cấp trung ương" for a level code the API names ("central"…). */
export function useLevelName() {
  const { t } = useTranslation();
  return (level: string) => {
    const known = oneOf(LEVELS, level);
    return known ? t(`council.level.${known}`) : level;
  };
}

export function Score({ value }: { value: number | null }) {
  const language = useLanguage();
  return <>{value === null ? '—' : formatNumber(value, language)}</>;
}

/** Words and a colour: the text always says it, the colour only repeats it. */
export function FlagBadge({ color, children }: { color: string; children: string }) {
  return (
    <Badge
      variant="light"
      color={color}
      style={{ textTransform: 'none' }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {children}
    </Badge>
  );
}

/** Links between a cycle's pages: the cycle itself, its councils, its results. */
export function CycleLinks({ cycleId, current }: { cycleId: string; current: 'council' | 'results' }) {
  const { t } = useTranslation();
  const links = [
    { key: 'cycle', to: `/evaluation/cycles/${cycleId}`, label: t('council.nav.cycle') },
    { key: 'council', to: `/evaluation/cycles/${cycleId}/council`, label: t('council.nav.council') },
    { key: 'results', to: `/evaluation/cycles/${cycleId}/results`, label: t('council.nav.results') },
  ];
  return (
    <Group component="nav" aria-label={t('council.nav.label')} gap="md">
      {links.map((link) =>
        link.key === current ? (
          <Text key={link.key} fw={600} aria-current="page">
            {link.label}
          </Text>
        ) : (
          <Anchor key={link.key} component={Link} to={link.to}>
            {link.label}
          </Anchor>
        ),
      )}
    </Group>
  );
}
