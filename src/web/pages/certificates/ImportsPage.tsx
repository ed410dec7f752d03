import {
  Anchor,
  Button,
  FileInput,
  Group,
  Pagination,
  Paper,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { compareVietnamese } from '../../../shared/text';
import { isAdmin, useCurrentUser } from '../../auth';
import type { Column } from '../../components/DataTable';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { ListResults } from '../../components/ListPage';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import { useListParams } from '../../components/useListParams';
import { useProvinces } from '../../data/adminUnits';
import { type ImportJob, useImports, useIncompleteRecords, useUploadImport } from '../../data/imports';
import { formatDateTime, formatNumber } from '../../format';
import { useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { ImportStatusBadge } from './importParts';

// .txt is Excel's "Unicode text" (UTF-16, tab-separated), read as a CSV; .xls and .ods are accepted
// by the picker so that the server can say how to save them as .xlsx rather than the picker hiding them.
const ACCEPT = [
  '.xlsx',
  '.csv',
  '.txt',
  '.xls',
  '.ods',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'application/vnd.oasis.opendocument.spreadsheet',
].join(',');

/** /imports: upload a registry file (with real upload progress) and the province's past imports. */
export function ImportsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const params = useListParams();
  usePageTitle(t('certificates.imports.title'));
  const list = useImports(params.paging);

  const columns: Column<ImportJob>[] = [
    {
      key: 'file',
      header: t('certificates.imports.file'),
      primary: true,
      render: (j) => (
        <Anchor component={Link} to={`/imports/${j.id}`} fw={600} style={{ overflowWrap: 'anywhere' }}>
          {j.fileName}
        </Anchor>
      ),
    },
    {
      key: 'created',
      header: t('certificates.imports.uploadedAt'),
      render: (j) => formatDateTime(j.createdAt),
    },
    {
      key: 'rows',
      header: t('certificates.imports.rows'),
      render: (j) => formatNumber(j.totalRows, language),
    },
    {
      key: 'status',
      header: t('certificates.imports.status'),
      render: (j) => <ImportStatusBadge status={j.status} />,
    },
  ];

  return (
    <Stack gap="md">
      <Title order={1}>{t('certificates.imports.title')}</Title>
      <UploadForm />
      <Title order={2} size="h3">
        {t('certificates.imports.past')}
      </Title>
      <ListResults
        label={t('certificates.imports.past')}
        list={list}
        params={params}
        columns={columns}
        emptyTitle={t('certificates.imports.empty')}
      />
      <IncompleteRecordsList />
    </Stack>
  );
}

const INCOMPLETE_PAGE_SIZE = 10;

/** Imported records the registry left incomplete: what each lacks, and its certificate to complete. */
function IncompleteRecordsList() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useIncompleteRecords({ page, pageSize: INCOMPLETE_PAGE_SIZE });
  return (
    <Stack gap="xs" component="section" aria-labelledby="incomplete-title">
      <Title order={2} size="h3" id="incomplete-title">
        {t('certificates.imports.incompleteTitle')}
      </Title>
      <Text size="sm">{t('certificates.imports.incompleteHint')}</Text>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title={t('certificates.imports.incompleteNone')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table aria-labelledby="incomplete-title" striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('certificates.imports.fields.productName')}</Table.Th>
                  <Table.Th scope="col">{t('certificates.imports.incompleteMissing')}</Table.Th>
                  <Table.Th scope="col">{t('certificates.imports.file')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((r) => (
                  <Table.Tr key={`${r.importId}-${r.rowNumber}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/certificates/${r.certificateId}`} fw={600}>
                        {r.productName}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {r.subjectName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {r.missing.map((f) => t(`certificates.imports.fields.${f as 'taxCode'}`, f)).join(', ')}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/imports/${r.importId}`} size="sm">
                        {t('certificates.imports.fileRow', { file: r.fileName, row: r.rowNumber })}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.data.total > INCOMPLETE_PAGE_SIZE && (
            <Pagination
              total={Math.ceil(list.data.total / INCOMPLETE_PAGE_SIZE)}
              value={page}
              onChange={setPage}
              aria-label={t('certificates.imports.incompleteTitle')}
            />
          )}
        </>
      )}
    </Stack>
  );
}

function UploadForm() {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const admin = isAdmin(user.role);
  const provinces = useProvinces();
  const upload = useUploadImport();
  const feedback = useFormFeedback();
  const [file, setFile] = useState<File | null>(null);
  const [provinceCode, setProvinceCode] = useState<string | null>(user.provinceCode);

  const submit = () => {
    const errors: Record<string, string> = {};
    if (!file) errors.file = t('certificates.imports.chooseFile');
    if (admin && !provinceCode) errors.provinceCode = t('certificates.imports.chooseProvince');
    if (Object.keys(errors).length || !file) {
      feedback.setClientErrors(errors);
      return;
    }
    feedback.reset();
    upload.mutate(
      { file, provinceCode: admin ? (provinceCode ?? undefined) : undefined },
      { onSuccess: (job) => navigate(`/imports/${job.id}`), onError: feedback.setError },
    );
  };

  const percent =
    upload.progress && upload.progress.total > 0
      ? Math.round((upload.progress.loaded / upload.progress.total) * 100)
      : 0;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="upload-title">
      <Title order={2} size="h3" id="upload-title" mb="xs">
        {t('certificates.imports.upload')}
      </Title>
      <Text size="sm" mb="sm">
        {t('certificates.imports.uploadHint')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="sm" maw={560}>
          <FormAlert feedback={feedback} shownFields={['file', 'provinceCode']} />
          {admin && (
            <Select
              label={t('certificates.imports.province')}
              required
              searchable
              data={[...(provinces.data ?? [])]
                .sort((a, b) => compareVietnamese(a.name, b.name))
                .map((p) => ({ value: p.code, label: p.name }))}
              value={provinceCode}
              onChange={(v) => {
                setProvinceCode(v);
                feedback.clearField('provinceCode');
              }}
              error={feedback.fieldError('provinceCode')}
            />
          )}
          <FileInput
            label={t('certificates.imports.fileLabel')}
            description={t('certificates.imports.fileHint')}
            required
            accept={ACCEPT}
            value={file}
            onChange={(next) => {
              setFile(next);
              feedback.clearField('file');
            }}
            clearable
            error={feedback.fieldError('file')}
          />
          {upload.isPending && (
            <Stack gap={4}>
              <Progress value={percent} aria-label={t('certificates.imports.uploading')} animated />
              <Text size="sm" aria-live="polite">
                {t('certificates.imports.uploadProgress', {
                  percent,
                  loaded: formatNumber(Math.round((upload.progress?.loaded ?? 0) / 1024), language),
                  total: formatNumber(Math.round((upload.progress?.total ?? 0) / 1024), language),
                })}
              </Text>
            </Stack>
          )}
          <Group>
            <Button type="submit" loading={upload.isPending}>
              {t('certificates.imports.uploadSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
