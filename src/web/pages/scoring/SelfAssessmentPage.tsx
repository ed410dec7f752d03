import { Alert, Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { EDITABLE_STATES } from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { useCurrentUser } from '../../auth';
import { ErrorState, errorMessage, LoadingState } from '../../components/PageStates';
import { AutosaveIndicator } from '../../components/sheet/AutosaveIndicator';
import { pickText, SheetForm, StarRating } from '../../components/sheet/SheetForm';
import { criteriaInFields } from '../../components/sheet/sheetModel';
import { useAutosave } from '../../components/sheet/useAutosave';
import {
  type ScoringDossier,
  useDossierRuleSet,
  useDossierSheetDocument,
  useSaveSelfAssessment,
  useScoringDossier,
} from '../../data/scoring';
import { useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { DossierStateText, EvidencePanel, RefusalPanel } from './parts';

/** /evaluation/dossiers/:id/self-assessment — the producer's self-assessment on the council's sheet. */
export function SelfAssessmentPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const dossier = useScoringDossier(id);
  const title = dossier.data
    ? t('scoring.self.title', { product: dossier.data.product.name })
    : t('scoring.self.titleFallback');
  usePageTitle(title);
  if (dossier.isPending) return <LoadingState />;
  if (dossier.isError)
    return (
      <RefusalPanel
        title={title}
        refusedTitle={t('errors.forbiddenTitle')}
        error={dossier.error}
        onRetry={() => void dossier.refetch()}
      />
    );
  return <SelfAssessment dossier={dossier.data} title={title} reload={() => dossier.refetch()} />;
}

function SelfAssessment({
  dossier,
  title,
  reload,
}: {
  dossier: ScoringDossier;
  title: string;
  reload: () => Promise<{ data?: ScoringDossier | undefined }>;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const sheet = useDossierSheetDocument(dossier.id);
  const ruleSet = useDossierRuleSet(dossier.id);
  const editable = user.role === 'producer' && EDITABLE_STATES.includes(dossier.state);
  const [answers, setAnswers] = useState<Record<string, string>>(() => ({
    ...dossier.selfAssessment.answers,
  }));
  const [serverStar, setServerStar] = useState<number | null>(dossier.selfAssessment.star);
  const version = useRef(dossier.version);
  const [stale, setStale] = useState(false);
  const [reloading, setReloading] = useState(false);
  const saveSelf = useSaveSelfAssessment(dossier.id);
  const autosave = useAutosave({
    value: answers,
    enabled: editable && !stale,
    save: async (value) => {
      try {
        const saved = await saveSelf({ version: version.current, answers: value });
        version.current = saved.version;
        setServerStar(saved.selfAssessment.star);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'STALE') setStale(true);
        throw error;
      }
    },
  });
  const refused = autosave.error instanceof ApiError ? criteriaInFields(autosave.error.fields) : {};

  /** Takes the dossier's new version and saves the answers on screen over it. */
  const reloadAndSave = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh.data) version.current = fresh.data.version;
      setStale(false);
      if (fresh.data && EDITABLE_STATES.includes(fresh.data.state)) await autosave.retry();
    } finally {
      setReloading(false);
    }
  };

  return (
    <Stack gap="md" maw={1100}>
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        <DossierStateText dossier={dossier} />
        <Anchor component={Link} to={`/evaluation/dossiers/${dossier.id}`} size="sm">
          {t('scoring.common.backToDossier')}
        </Anchor>
      </Stack>
      {editable ? (
        <Text size="sm">{t('scoring.self.intro')}</Text>
      ) : (
        <Alert color="gray" role="note">
          {user.role === 'producer' ? t('scoring.self.readOnly') : t('scoring.self.notOwner')}
        </Alert>
      )}
      {stale && (
        <Alert color="orange" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(autosave.error)}</Text>
            <Text size="sm">{t('scoring.self.stale')}</Text>
            <Button size="xs" variant="outline" loading={reloading} onClick={() => void reloadAndSave()}>
              {t('scoring.self.reloadKeep')}
            </Button>
          </Stack>
        </Alert>
      )}
      {serverStar !== null && !editable && (
        <Text>
          {t('scoring.self.serverStar')} <StarRating star={serverStar} />
        </Text>
      )}
      {sheet.isPending ? (
        <LoadingState />
      ) : sheet.isError || !sheet.data ? (
        <ErrorState
          title={t('scoring.common.sheetUnavailable')}
          error={sheet.error}
          onRetry={() => void sheet.refetch()}
        />
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {pickText(sheet.data.title, language)}
          </Text>
          <SheetForm
            sheet={sheet.data}
            answers={answers}
            onAnswer={(code, option) => setAnswers((current) => ({ ...current, [code]: option }))}
            readOnly={!editable}
            ruleSet={ruleSet.data}
            fallbackStar={autosave.dirty ? null : serverStar}
            errors={refused}
            idPrefix="self"
            status={
              editable && !stale ? (
                <AutosaveIndicator
                  status={autosave.status}
                  savedAt={autosave.savedAt}
                  error={autosave.error}
                  onRetry={() => void autosave.retry()}
                />
              ) : undefined
            }
          />
        </>
      )}
      <EvidencePanel dossier={dossier} error={null} />
    </Stack>
  );
}
