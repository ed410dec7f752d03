import { Anchor, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { canCreateSubjects, useCurrentUser } from '../auth';
import { Details } from '../components/Details';
import { EmptyState, ErrorState, LoadingState } from '../components/PageStates';
import { RecordHeader } from '../components/RecordHeader';
import { StatusBadge } from '../components/StatusBadge';
import { useProducts } from '../data/products';
import { type Subject, useArchiveSubject, useSubject, useSubjectMeta } from '../data/subjects';
import { formatDateTime, formatNumber } from '../format';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

export function SubjectDetailPage() {
  const { id } = useParams();
  const subject = useSubject(id);
  if (subject.isPending) return <LoadingState />;
  if (subject.isError) return <ErrorState error={subject.error} onRetry={() => void subject.refetch()} />;
  return <SubjectDetail subject={subject.data} />;
}

function SubjectDetail({ subject }: { subject: Subject }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const meta = useSubjectMeta();
  const archive = useArchiveSubject(subject.id);
  usePageTitle(subject.name);

  const label = (list: { code: string; vi: string; en: string }[] | undefined, code: string) =>
    pickLabel(
      list?.find((x) => x.code === code),
      language,
    ) || code;
  const gender = (code: string) => label(meta.data?.genders, code);
  const number = (value: number | null) => (value === null ? '' : formatNumber(value, language));

  return (
    <Stack gap="md">
      <RecordHeader
        title={subject.name}
        subtitle={
          <>
            <StatusBadge status={subject.archivedAt ? 'archived' : 'active'} />
            <Text size="sm">{label(meta.data?.types, subject.type)}</Text>
          </>
        }
        archivedAt={subject.archivedAt}
        archivedNotice={t('subjects.archivedNotice')}
        editTo={`/subjects/${subject.id}/edit`}
        archive={
          canCreateSubjects(user.role)
            ? {
                question: t('subjects.archiveConfirm', { name: subject.name }),
                onArchive: () => archive.mutate('archive'),
                onRestore: () => archive.mutate('restore'),
                pending: archive.isPending,
              }
            : undefined
        }
        error={archive.error}
        history={{
          entityType: 'subject',
          entityId: subject.id,
          valueLabel: (field, value) => {
            if (typeof value !== 'string') return undefined;
            if (field === 'type') return label(meta.data?.types, value);
            if (field === 'legalRepresentativeGender') return gender(value);
            return undefined;
          },
        }}
      />

      <Paper withBorder p="md">
        <Details
          items={[
            { label: t('subjects.businessRegistrationNo'), value: subject.businessRegistrationNo },
            { label: t('subjects.taxCode'), value: subject.taxCode },
            { label: t('subjects.legalRepresentative'), value: subject.legalRepresentative },
            {
              label: t('subjects.legalRepresentativeGender'),
              value: gender(subject.legalRepresentativeGender),
            },
            { label: t('subjects.womanLed'), value: subject.womanLed ? t('common.yes') : t('common.no') },
            {
              label: t('subjects.location'),
              value: [subject.address, subject.communeName, subject.provinceName].filter(Boolean).join(', '),
              wide: true,
            },
            { label: t('subjects.workforceTotal'), value: number(subject.workforceTotal) },
            { label: t('subjects.workforceLocal'), value: number(subject.workforceLocal) },
            { label: t('subjects.workforceTrained'), value: number(subject.workforceTrained) },
            {
              label: t('subjects.salesChannels'),
              wide: true,
              value:
                subject.salesChannels.length === 0 ? null : (
                  <List size="sm">
                    {subject.salesChannels.map((c, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: channels have no identity besides position
                      <List.Item key={i}>
                        {label(meta.data?.salesChannelKinds, c.kind)}
                        {c.detail ? `: ${c.detail}` : ''}
                      </List.Item>
                    ))}
                  </List>
                ),
            },
            { label: t('subjects.phone'), value: subject.phone },
            { label: t('subjects.email'), value: subject.email },
            { label: t('subjects.website'), value: subject.website },
            { label: t('common.createdAt'), value: formatDateTime(subject.createdAt) },
            { label: t('common.updatedAt'), value: formatDateTime(subject.updatedAt) },
          ]}
        />
      </Paper>

      <SubjectProducts subject={subject} />
    </Stack>
  );
}

function SubjectProducts({ subject }: { subject: Subject }) {
  const { t } = useTranslation();
  const products = useProducts({ subjectId: subject.id, page: 1, pageSize: 100, archived: 'include' });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="subject-products">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h3" id="subject-products">
          {t('subjects.products')}
        </Title>
        {!subject.archivedAt && (
          <Button component={Link} to={`/products/new?subjectId=${subject.id}`} variant="light">
            {t('subjects.addProduct')}
          </Button>
        )}
      </Group>
      {products.isPending ? (
        <LoadingState />
      ) : products.isError ? (
        <ErrorState error={products.error} onRetry={() => void products.refetch()} />
      ) : products.data.items.length === 0 ? (
        <EmptyState title={t('subjects.noProducts')} />
      ) : (
        <>
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {products.data.items.map((p) => (
              <Group component="li" key={p.id} justify="space-between" wrap="nowrap" gap="xs">
                <Anchor component={Link} to={`/products/${p.id}`}>
                  {p.name}
                </Anchor>
                <StatusBadge status={p.archivedAt ? 'archived' : p.status} />
              </Group>
            ))}
          </Stack>
          {products.data.total > products.data.items.length && (
            <Anchor component={Link} to={`/products?subject=${subject.id}`} size="sm" mt="sm" display="block">
              {t('home.viewAll')}
            </Anchor>
          )}
        </>
      )}
    </Paper>
  );
}
