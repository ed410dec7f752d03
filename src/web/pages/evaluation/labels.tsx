import { Anchor, Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  type CycleLevel,
  cycleLevelLabels,
  type DossierState,
  stateLabels,
} from '../../../modules/evaluation/rules';
import { canSeeRegistry, useCurrentUser } from '../../auth';
import type { Column } from '../../components/DataTable';
import type { DossierRow } from '../../data/evaluation';
import { useSubject } from '../../data/subjects';
import { pickLabel, useLanguage } from '../../i18n';

/** Colours with an AA-compliant shade 7 in the theme; the badge text always names the state too. */
const stateColors: Record<DossierState, string> = {
  draft: 'gray',
  submitted: 'blue',
  returned: 'orange',
  prechecked: 'cyan',
  accepted: 'teal',
  in_council: 'violet',
  scored: 'indigo',
  proposed: 'grape',
  recognised: 'ocop',
  not_recognised: 'red',
  withdrawn: 'gray',
};

/** The state names come from the state machine (rules.ts), in both languages. */
export function useStateLabel() {
  const language = useLanguage();
  return (state: DossierState) => pickLabel(stateLabels[state], language);
}

export function useLevelLabel() {
  const language = useLanguage();
  return (level: CycleLevel) => pickLabel(cycleLevelLabels[level], language);
}

export function DossierStateBadge({ state }: { state: DossierState }) {
  const label = useStateLabel();
  return (
    <Badge
      variant="light"
      color={stateColors[state]}
      style={{ textTransform: 'none', flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {label(state)}
    </Badge>
  );
}

/** Names given by the API as `{ vi, en? }`: English falls back to Vietnamese. */
export function localName(name: { vi: string; en?: string | undefined }, language: 'vi' | 'en'): string {
  return (language === 'en' ? name.en : undefined) || name.vi;
}

/**
 * A subject by name, linked to its page. Dossiers carry the subject's id only; the name comes from
 * the registry (cached per subject), which council members do not see: they get the plain word.
 */
export function SubjectLink({ id }: { id: string }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const registry = canSeeRegistry(user.role);
  const subject = useSubject(registry ? id : null);
  if (!registry) return <>{t('evaluation.subjectLink')}</>;
  return (
    <Anchor component={Link} to={`/subjects/${id}`}>
      {subject.data?.name ?? t('evaluation.subjectLink')}
    </Anchor>
  );
}

/** The columns every dossier table shares after its own: evaluation type, state, self-assessed star. */
export function useDossierStatusColumns<T extends DossierRow>(): Column<T>[] {
  const { t } = useTranslation();
  return [
    {
      key: 'type',
      header: t('evaluation.columns.type'),
      render: (d) => t(`evaluation.type.${d.evaluationType}`),
    },
    {
      key: 'state',
      header: t('evaluation.columns.state'),
      render: (d) => <DossierStateBadge state={d.state} />,
    },
    {
      key: 'self',
      header: t('evaluation.columns.selfStar'),
      render: (d) =>
        d.selfAssessmentStar
          ? t('evaluation.stars', { count: d.selfAssessmentStar })
          : t('evaluation.noStar'),
    },
  ];
}
