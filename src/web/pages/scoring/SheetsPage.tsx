import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { RuleSet, Sheet } from '../../../modules/criteria/documents';
import { leafCriteria } from '../../../modules/criteria/tree';
import { councilRoleLabels } from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { useCurrentUser } from '../../auth';
import { DataTable } from '../../components/DataTable';
import { Details } from '../../components/Details';
import { EmptyState, ErrorState, errorMessage, LoadingState } from '../../components/PageStates';
import { pickText, SheetForm, StarRating } from '../../components/sheet/SheetForm';
import {
  type DossierResult,
  type DossierSheets,
  type MemberSheet,
  type ScoringDossier,
  useCloseScoring,
  useDossierResult,
  useDossierRuleSet,
  useDossierSheetDocument,
  useDossierSheets,
  useReopenScoring,
  useReopenSheet,
  useScoringDossier,
} from '../../data/scoring';
import { formatDateTime, formatNumber } from '../../format';
import { pickLabel, useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { DossierStateText, ReasonDialogButton, RefusalPanel } from './parts';

/** /evaluation/dossiers/:id/sheets — the council's view of one dossier's sheets, and the chair's acts. */
export function SheetsPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const sheets = useDossierSheets(id);
  const dossier = useScoringDossier(id);
  const title = dossier.data
    ? t('scoring.sheets.title', { product: dossier.data.product.name })
    : t('scoring.sheets.titleFallback');
  usePageTitle(title);
  if (sheets.isPending) return <LoadingState />;
  if (sheets.isError)
    return (
      <RefusalPanel
        title={title}
        refusedTitle={t('errors.forbiddenTitle')}
        error={sheets.error}
        dossierId={id}
        onRetry={() => void sheets.refetch()}
      />
    );
  return <SheetsView dossierId={id!} view={sheets.data} title={title} dossier={dossier.data} />;
}

const statusKey = { none: 'statusNone', draft: 'statusDraft', submitted: 'statusSubmitted' } as const;

function SheetsView({
  dossierId,
  view,
  title,
  dossier,
}: {
  dossierId: string;
  view: DossierSheets;
  title: string;
  dossier: ScoringDossier | undefined;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const me = view.members.find((m) => m.userId === user.id);
  const isChair = me?.role === 'chair';
  const state = dossier?.state;
  const sheetDoc = useDossierSheetDocument(dossierId);
  const ruleSet = useDossierRuleSet(dossierId);
  const result = useDossierResult(dossierId, view.closed);
  const reopenSheet = useReopenSheet(dossierId);
  const reopenScoring = useReopenScoring(dossierId);
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const outcomeOf = (memberId: string) => result.data?.members.find((m) => m.memberId === memberId);
  const shownMember = view.members.find((m) => m.memberId === shown && m.answers);

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        <DossierStateText dossier={dossier} />
        <Group gap="md">
          <Anchor component={Link} to={`/evaluation/dossiers/${dossierId}`} size="sm">
            {t('scoring.common.backToDossier')}
          </Anchor>
          {me && !me.conflicted && (
            <Anchor component={Link} to={`/evaluation/dossiers/${dossierId}/score`} size="sm">
              {t('scoring.sheets.myScore')}
            </Anchor>
          )}
        </Group>
      </Stack>

      {notice && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}

      {isChair && (state === 'in_council' || state === 'scored') && (
        <Group gap="sm">
          {state === 'in_council' && (
            <CloseScoringButton
              dossierId={dossierId}
              sheet={sheetDoc.data}
              onDone={() => setNotice(t('scoring.sheets.closed'))}
            />
          )}
          {state === 'scored' && (
            <ReasonDialogButton
              label={t('scoring.sheets.reopenScoring')}
              title={t('scoring.sheets.reopenScoringTitle')}
              intro={t('scoring.sheets.reopenScoringIntro')}
              pending={reopenScoring.isPending}
              onSubmit={async (reason) => {
                await reopenScoring.mutateAsync(reason);
                setNotice(t('scoring.sheets.reopenScoringDone'));
              }}
            />
          )}
        </Group>
      )}

      {!view.closed && (
        <Alert color="blue" role="note">
          {t('scoring.sheets.hiddenUntilClosed')}
        </Alert>
      )}

      <Stack gap="xs" component="section" aria-labelledby="sheets-members">
        <Title order={2} size="h3" id="sheets-members">
          {t('scoring.sheets.members')}
        </Title>
        {view.members.length === 0 ? (
          <EmptyState title={t('scoring.sheets.empty')} />
        ) : (
          <DataTable
            label={t('scoring.sheets.members')}
            rows={view.members}
            rowKey={(m) => m.memberId}
            total={view.members.length}
            page={1}
            pageSize={Math.max(view.members.length, 1)}
            onPageChange={() => {}}
            columns={[
              {
                key: 'name',
                header: t('scoring.sheets.name'),
                primary: true,
                render: (m) => (
                  <Stack gap={0}>
                    <span>
                      {m.fullName} {m.userId === user.id ? t('scoring.sheets.you') : ''}
                    </span>
                    <Text size="xs" c="dimmed" component="span">
                      {pickLabel(councilRoleLabels[m.role], language)}
                    </Text>
                  </Stack>
                ),
              },
              {
                key: 'status',
                header: t('scoring.sheets.status'),
                render: (m) => <MemberStatus member={m} />,
              },
              ...(view.closed
                ? [
                    {
                      key: 'total',
                      header: t('scoring.sheets.total'),
                      render: (m: MemberSheet) => <MemberTotal member={m} outcome={outcomeOf(m.memberId)} />,
                    },
                  ]
                : []),
              {
                key: 'actions',
                header: t('common.actions'),
                render: (m) => (
                  <Stack gap={4} align="flex-start">
                    {view.closed && m.answers && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => setShown((s) => (s === m.memberId ? null : m.memberId))}
                        aria-expanded={shown === m.memberId}
                      >
                        {shown === m.memberId ? t('scoring.sheets.hideSheet') : t('scoring.sheets.viewSheet')}
                      </Button>
                    )}
                    {isChair &&
                      m.status === 'submitted' &&
                      (state === 'in_council' || state === 'scored') && (
                        <ReasonDialogButton
                          label={t('scoring.sheets.reopenSheet')}
                          title={t('scoring.sheets.reopenSheetTitle', { name: m.fullName })}
                          intro={t('scoring.sheets.reopenSheetIntro')}
                          pending={reopenSheet.isPending}
                          onSubmit={async (reason) => {
                            await reopenSheet.mutateAsync({ memberId: m.memberId, reason });
                            setNotice(t('scoring.sheets.reopenSheetDone', { name: m.fullName }));
                          }}
                          size="xs"
                        />
                      )}
                  </Stack>
                ),
              },
            ]}
          />
        )}
      </Stack>

      {shownMember?.answers && sheetDoc.data && (
        <Paper withBorder p="md" component="section" aria-labelledby="sheets-shown">
          <Title order={2} size="h3" id="sheets-shown" mb="sm">
            {t('scoring.sheets.viewSheet')}: {shownMember.fullName}
          </Title>
          {shownMember.comments?.general && (
            <Text mb="sm" style={{ whiteSpace: 'pre-wrap' }}>
              <Text span fw={600}>
                {t('scoring.sheets.generalComment')}:
              </Text>{' '}
              {shownMember.comments.general}
            </Text>
          )}
          <SheetForm
            sheet={sheetDoc.data}
            answers={shownMember.answers}
            readOnly
            comments={shownMember.comments?.criteria ?? {}}
            showComments
            ruleSet={ruleSet.data}
            headingOrder={3}
            idPrefix={`member-${shownMember.memberId}`}
          />
        </Paper>
      )}

      {view.closed &&
        (result.isPending ? (
          <LoadingState />
        ) : result.isError ? (
          <ErrorState error={result.error} onRetry={() => void result.refetch()} />
        ) : (
          <ResultPanel result={result.data} sheet={sheetDoc.data} ruleSet={ruleSet.data} />
        ))}
    </Stack>
  );
}

function MemberStatus({ member }: { member: MemberSheet }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} align="flex-start">
      <Badge
        variant="light"
        color={member.status === 'submitted' ? 'ocop' : member.status === 'draft' ? 'blue' : 'gray'}
        style={{ textTransform: 'none', flexShrink: 0 }}
        styles={{ label: { overflow: 'visible' } }}
      >
        {t(`scoring.sheets.${statusKey[member.status]}`)}
      </Badge>
      {member.submittedAt && (
        <Text size="xs" c="dimmed">
          {formatDateTime(member.submittedAt)}
        </Text>
      )}
      {member.revision !== null && member.revision > 1 && (
        <Text size="xs" c="dimmed">
          {t('scoring.sheets.revision', { revision: member.revision })}
        </Text>
      )}
      {member.conflicted && (
        <Text size="xs" fw={600} c="orange.9">
          {t('scoring.sheets.conflicted')}
        </Text>
      )}
    </Stack>
  );
}

function MemberTotal({
  member,
  outcome,
}: {
  member: MemberSheet;
  outcome: DossierResult['members'][number] | undefined;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (member.total === null) return <>{t('common.none')}</>;
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {formatNumber(member.total, language)}
      </Text>
      {outcome && (
        <Text size="xs" c="dimmed">
          {Object.entries(outcome.parts)
            .map(([code, points]) => `${code} ${formatNumber(points, language)}`)
            .join(' · ')}
        </Text>
      )}
      {outcome?.outlier && (
        <Text size="xs" fw={600} c="orange.9">
          ⚠ {t('scoring.sheets.outlier')}
        </Text>
      )}
    </Stack>
  );
}

function CloseScoringButton({
  dossierId,
  sheet,
  onDone,
}: {
  dossierId: string;
  sheet: Sheet | undefined;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const close = useCloseScoring(dossierId);
  const [opened, setOpened] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const dismiss = () => {
    setOpened(false);
    setChosen([]);
    close.reset();
  };
  const fields = close.error instanceof ApiError ? close.error.fields : {};
  return (
    <>
      <Button onClick={() => setOpened(true)}>{t('scoring.sheets.close')}</Button>
      <Modal
        opened={opened}
        onClose={dismiss}
        title={t('scoring.sheets.closeTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('scoring.sheets.closeIntro')}</Text>
          {close.error && (
            <Alert color="red" role="alert">
              <Text size="sm">{errorMessage(close.error)}</Text>
              {Object.keys(fields).length > 0 && (
                <List size="sm">
                  {Object.entries(fields).map(([path, message]) => (
                    <List.Item key={path}>{message}</List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          {sheet && sheet.disqualifiers.length > 0 && (
            <Checkbox.Group label={t('scoring.sheets.disqualifiers')} value={chosen} onChange={setChosen}>
              <Stack gap="xs" mt="xs">
                {sheet.disqualifiers.map((d) => (
                  <Checkbox key={d.code} value={d.code} label={pickText(d.text, language)} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={dismiss}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={close.isPending}
              onClick={() =>
                close.mutate(chosen, {
                  onSuccess: () => {
                    dismiss();
                    onDone();
                  },
                })
              }
            >
              {t('scoring.sheets.closeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function ResultPanel({
  result,
  sheet,
  ruleSet,
}: {
  result: DossierResult;
  sheet: Sheet | undefined;
  ruleSet: RuleSet | undefined;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const names = useMemo(
    () =>
      new Map(
        sheet ? leafCriteria(sheet).map((v) => [v.criterion.code, pickText(v.criterion.name, language)]) : [],
      ),
    [sheet, language],
  );
  const spread = [...result.spread].sort((a, b) => b.max - b.min - (a.max - a.min));
  const num = (n: number | null) => (n === null ? t('common.none') : formatNumber(n, language));
  const rounding = ruleSet
    ? ruleSet.rounding.mode === 'truncate'
      ? t('scoring.sheets.roundingTruncate', { decimals: ruleSet.rounding.decimals })
      : t('scoring.sheets.roundingHalfUp', { decimals: ruleSet.rounding.decimals })
    : '';
  const disqualifierText = (code: string) => {
    const d = sheet?.disqualifiers.find((x) => x.code === code);
    return d ? pickText(d.text, language) : code;
  };
  const outcomeKey = result.outcome as keyof typeof outcomeLabels;
  const outcomeLabels = {
    invalid: t('scoring.sheets.outcomes.invalid'),
    disqualified: t('scoring.sheets.outcomes.disqualified'),
    'below-recognition': t('scoring.sheets.outcomes.below-recognition'),
    recognisable: t('scoring.sheets.outcomes.recognisable'),
  };
  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="sheets-result">
        <Title order={2} size="h3" id="sheets-result" mb="sm">
          {t('scoring.sheets.result')}
        </Title>
        <Details
          items={[
            { label: t('scoring.sheets.outcome'), value: outcomeLabels[outcomeKey] ?? result.outcome },
            { label: t('scoring.sheets.finalStar'), value: <StarRating star={result.finalStar} /> },
            {
              label: t('scoring.sheets.valid'),
              value: result.valid
                ? t('scoring.sheets.sheetCount', { count: result.sheetCount, minimum: result.minimumSheets })
                : t('scoring.sheets.invalid', { count: result.sheetCount, minimum: result.minimumSheets }),
            },
            { label: t('scoring.sheets.exactMean'), value: num(result.exactMean) },
            { label: t('scoring.sheets.score'), value: num(result.score) },
            ...(rounding ? [{ label: t('scoring.sheets.rounding'), value: rounding }] : []),
            { label: t('scoring.sheets.scoreStar'), value: <StarRating star={result.scoreStar} /> },
            {
              label: t('scoring.sheets.requirementCap'),
              value:
                result.requirementCap >= 5 ? (
                  t('scoring.sheets.requirementCapNone')
                ) : (
                  <StarRating star={result.requirementCap} />
                ),
            },
            {
              label: t('scoring.sheets.disqualified'),
              value: result.disqualifiers.length
                ? result.disqualifiers.map(disqualifierText).join('; ')
                : t('scoring.sheets.none'),
              wide: true,
            },
            {
              label: t('scoring.sheets.partMeans'),
              value: Object.entries(result.partMeans)
                .map(([code, points]) => `${code} ${formatNumber(points, language)}`)
                .join(' · '),
            },
          ]}
        />
        {result.requirements.length > 0 && (
          <Stack gap={4} mt="md">
            <Text fw={600} size="sm">
              {t('scoring.sheets.requirements')}
            </Text>
            <List size="sm">
              {result.requirements.map((r) => (
                <List.Item key={`${r.criterionCode}-${r.star}`}>
                  {t('scoring.sheets.requirement', {
                    code: r.criterionCode,
                    star: r.star,
                    min: formatNumber(r.minPoints, language),
                    met: r.metCount,
                    count: r.sheetCount,
                    verdict: r.met ? t('scoring.sheets.met') : t('scoring.sheets.notMet'),
                  })}
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
        {ruleSet && (
          <Text size="sm" c="dimmed" mt="md">
            {t('scoring.sheets.outlierHint', {
              distance: formatNumber(ruleSet.outlierDistance.value, language),
            })}
          </Text>
        )}
      </Paper>

      {spread.length > 0 && (
        <Paper withBorder p="md" component="section" aria-labelledby="sheets-spread">
          <Title order={2} size="h3" id="sheets-spread" mb={4}>
            {t('scoring.sheets.spread')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('scoring.sheets.spreadHint')}
          </Text>
          <Table.ScrollContainer minWidth={520}>
            <Table striped aria-labelledby="sheets-spread">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('scoring.sheets.criterion')}</Table.Th>
                  <Table.Th ta="right">{t('scoring.sheets.min')}</Table.Th>
                  <Table.Th ta="right">{t('scoring.sheets.max')}</Table.Th>
                  <Table.Th ta="right">{t('scoring.sheets.mean')}</Table.Th>
                  <Table.Th ta="right">{t('scoring.sheets.range')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {spread.map((s) => (
                  <Table.Tr key={s.criterionCode}>
                    <Table.Td>
                      {s.criterionCode}
                      {names.get(s.criterionCode) ? `. ${names.get(s.criterionCode)}` : ''}
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(s.min, language)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(s.max, language)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(s.mean, language)}</Table.Td>
                    <Table.Td ta="right" fw={s.max - s.min > 0 ? 700 : undefined}>
                      {formatNumber(Math.round((s.max - s.min) * 100) / 100, language)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}
