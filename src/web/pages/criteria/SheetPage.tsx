import { Alert, Anchor, Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Criterion, SheetOption } from '../../../modules/criteria/documents';
import { ApiError } from '../../api';
import { isAdmin, useCurrentUser } from '../../auth';
import { Details } from '../../components/Details';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import { criteriaUrls, type Sheet, useSheet, useSheetAction } from '../../data/criteria';
import { usePageTitle } from '../../usePageTitle';
import {
  DemoBadge,
  DocumentStatusBadge,
  LifecycleActions,
  ProblemList,
  SourceBadge,
  useLocalText,
} from './shared';

type Localized = { vi: string; en?: string | undefined };

function RequiredMark({ star }: { star: number | undefined }) {
  const { t } = useTranslation();
  if (!star) return null;
  return (
    <Badge variant="light" color="red" style={{ textTransform: 'none' }}>
      {t('criteria.tree.required', { star })}
    </Badge>
  );
}

function Guidance({ guidance, note }: { guidance?: Localized | undefined; note?: Localized | undefined }) {
  const { t } = useTranslation();
  const text = useLocalText();
  return (
    <>
      {guidance && (
        <Text size="sm" c="dimmed">
          {t('criteria.tree.guidance')}: {text(guidance)}
        </Text>
      )}
      {note && (
        <Text size="sm" c="dimmed" fs="italic">
          {t('criteria.tree.note')}: {text(note)}
        </Text>
      )}
    </>
  );
}

function Options({ options, label }: { options: SheetOption[]; label: string }) {
  const { t } = useTranslation();
  const text = useLocalText();
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table aria-label={label} verticalSpacing={4} fz="sm" withRowBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('criteria.code')}</Table.Th>
            <Table.Th scope="col">{t('criteria.tree.option')}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'right' }}>
              {t('criteria.tree.points')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {options.map((o) => (
            <Table.Tr key={o.code}>
              <Table.Td ff="monospace">{o.code}</Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm">{text(o.text)}</Text>
                  <Group gap={4}>
                    <RequiredMark star={o.requiredForStar} />
                  </Group>
                  <Guidance guidance={o.guidance} />
                </Stack>
              </Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{o.points}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CriterionItem({ criterion }: { criterion: Criterion }) {
  const { t } = useTranslation();
  const text = useLocalText();
  return (
    <li style={{ marginBottom: 12 }}>
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Text fw={600} ff="monospace">
            {criterion.code}
          </Text>
          <Text fw={600}>{text(criterion.name)}</Text>
          {criterion.maxPoints !== undefined && (
            <Text size="sm" c="dimmed">
              {t('criteria.tree.max', { points: criterion.maxPoints })}
            </Text>
          )}
          <RequiredMark star={criterion.requiredForStar} />
        </Group>
        <Guidance guidance={criterion.guidance} note={criterion.note} />
        {criterion.options?.length ? (
          <Options
            options={criterion.options}
            label={t('criteria.tree.optionsOf', { code: criterion.code })}
          />
        ) : null}
        {criterion.criteria?.length ? (
          <ul style={{ paddingLeft: 20, margin: 0 }}>
            {criterion.criteria.map((c) => (
              <CriterionItem key={c.code} criterion={c} />
            ))}
          </ul>
        ) : null}
      </Stack>
    </li>
  );
}

/** The sheet's tree: parts, groups, criteria with their options and marks, as nested lists. */
function SheetTree({ document }: { document: Sheet['document'] }) {
  const { t } = useTranslation();
  const text = useLocalText();
  if (!document.parts.length) return <Text size="sm">{t('criteria.tree.empty')}</Text>;
  return (
    <Stack gap="md">
      {document.parts.map((part) => (
        <Paper
          key={part.code}
          withBorder
          p="sm"
          component="section"
          aria-label={t('criteria.tree.part', {
            code: part.code,
            name: text(part.name),
            points: part.maxPoints,
          })}
        >
          <Title order={3} size="h4">
            {t('criteria.tree.part', { code: part.code, name: text(part.name), points: part.maxPoints })}
          </Title>
          <Guidance guidance={part.guidance} />
          {part.groups.map((group) => (
            <Stack key={group.code} gap={4} mt="sm">
              <Title order={4} size="h5">
                {group.code} — {text(group.name)}
                {group.maxPoints !== undefined
                  ? ` (${t('criteria.tree.max', { points: group.maxPoints })})`
                  : ''}
              </Title>
              <Guidance guidance={group.guidance} />
              <ul style={{ paddingLeft: 16, margin: 0 }}>
                {group.criteria.map((c) => (
                  <CriterionItem key={c.code} criterion={c} />
                ))}
              </ul>
            </Stack>
          ))}
        </Paper>
      ))}
    </Stack>
  );
}

function Lifecycle({ sheet }: { sheet: Sheet }) {
  const { t } = useTranslation();
  const text = useLocalText();
  const action = useSheetAction(sheet.id);
  return (
    <LifecycleActions
      status={sheet.status}
      version={sheet.version}
      activateQuestion={t('criteria.activateSheetQuestion', { name: text(sheet.title) })}
      retireQuestion={t('criteria.retireQuestion', { name: text(sheet.title) })}
      action={action}
    />
  );
}

/** /criteria/sheets/:id — a scoring sheet: its tree, disqualifiers, validation report, lifecycle, exports. */
export function SheetPage() {
  const { t } = useTranslation();
  const text = useLocalText();
  const { id } = useParams();
  const user = useCurrentUser();
  const query = useSheet(id);
  usePageTitle(query.data ? text(query.data.title) : t('criteria.sheet'));
  if (query.isPending) return <LoadingState />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <EmptyState
          title={t('criteria.notFound')}
          action={
            <Anchor component={Link} to="/criteria">
              {t('criteria.backToList')}
            </Anchor>
          }
        />
      );
    }
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  const sheet = query.data;
  const d = sheet.document;
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/criteria" size="sm">
        {t('criteria.backToList')}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{text(sheet.title)}</Title>
        <Group gap="xs">
          <DocumentStatusBadge status={sheet.status} />
          {sheet.demo && <DemoBadge />}
          <Text size="sm" c="dimmed">
            {sheet.code} · {t('criteria.revisionValue', { revision: sheet.revision })}
          </Text>
        </Group>
      </Stack>
      {sheet.demo && (
        <Alert color="orange" role="note">
          {t('criteria.demoNote')}
        </Alert>
      )}
      <Group gap="md">
        <Anchor href={criteriaUrls.sheetJson(sheet.id)} download>
          {t('criteria.exportJson')}
        </Anchor>
        <Anchor href={criteriaUrls.sheetXlsx(sheet.id)} download>
          {t('criteria.exportXlsx')}
        </Anchor>
      </Group>
      {isAdmin(user.role) && <Lifecycle sheet={sheet} />}

      <Details
        items={[
          { label: t('criteria.ruleSet'), value: sheet.ruleSetCode },
          { label: t('criteria.productSet'), value: `${d.productSet.code} — ${text(d.productSet.name)}` },
          {
            label: t('criteria.partMaxima'),
            value: d.parts
              .map((p) => t('criteria.partValue', { code: p.code, points: p.maxPoints }))
              .join('; '),
          },
          { label: t('criteria.provenance'), value: d.provenance.source, wide: true },
          { label: t('criteria.provenanceNote'), value: d.provenance.note, wide: true },
          { label: t('criteria.guidance'), value: text(d.guidance), wide: true },
        ]}
      />

      <Stack gap="xs" component="section" aria-labelledby="criteria-sheet-problems">
        <Title order={2} size="h3" id="criteria-sheet-problems">
          {t('criteria.problemsTitle')}
        </Title>
        <ProblemList problems={sheet.problems} />
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="criteria-sheet-tree">
        <Title order={2} size="h3" id="criteria-sheet-tree">
          {t('criteria.tree.title')}
        </Title>
        <SheetTree document={d} />
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="criteria-sheet-disqualifiers">
        <Title order={2} size="h3" id="criteria-sheet-disqualifiers">
          {t('criteria.disqualifiers')}
        </Title>
        {d.disqualifiers.length ? (
          <List spacing="xs">
            {d.disqualifiers.map((q) => (
              <List.Item key={q.code}>
                <Group gap="xs" wrap="wrap">
                  <Text ff="monospace" size="sm">
                    {q.code}
                  </Text>
                  <Text size="sm">{text(q.text)}</Text>
                  <SourceBadge source={q.source} />
                </Group>
              </List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm">{t('criteria.noDisqualifiers')}</Text>
        )}
      </Stack>
    </Stack>
  );
}
