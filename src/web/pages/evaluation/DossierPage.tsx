import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  FileInput,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type ChangeEvent, type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  DOCUMENT_TYPES,
  DOSSIER_ACTIONS,
  isEditable,
  isScoringClosed,
} from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { canSeeRegistry, isProvinceStaff, type User, useCurrentUser } from '../../auth';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Details } from '../../components/Details';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { ErrorState, errorMessage, LoadingState } from '../../components/PageStates';
import { useLocationNotice } from '../../components/RecordHeader';
import { UnitCodeName } from '../../components/UnitName';
import {
  type Dossier,
  documentUrl,
  type RegistrationForm,
  useCycle,
  useDossier,
  useDossierResult,
  useRemoveDocument,
  useSaveRegistrationForm,
  useUploadDocument,
} from '../../data/evaluation';
import { useProductMeta } from '../../data/products';
import { formatDateTime, formatNumber } from '../../format';
import { oneOf } from '../../guards';
import { pickLabel, useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { DossierSteps } from './DossierSteps';
import { DossierStateBadge, SubjectLink } from './labels';

export function DossierPage() {
  const { id } = useParams();
  const dossier = useDossier(id);
  if (dossier.isPending) return <LoadingState />;
  if (dossier.isError) return <ErrorState error={dossier.error} onRetry={() => void dossier.refetch()} />;
  return <DossierDetail dossier={dossier.data} onReload={() => void dossier.refetch()} />;
}

const isOwner = (user: User, dossier: Dossier) =>
  user.role === 'producer' && user.subjectIds.includes(dossier.subjectId);

function DossierDetail({ dossier, onReload }: { dossier: Dossier; onReload: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const notice = useLocationNotice();
  const cycle = useCycle(dossier.cycleId);
  usePageTitle(dossier.product.name);
  const owner = isOwner(user, dossier);
  const editing = owner && isEditable(dossier.state);
  const withCouncil = dossier.councilId !== null;

  return (
    <Stack gap="md">
      {notice && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}
      <Stack gap={4}>
        <Anchor component={Link} to={`/evaluation/cycles/${dossier.cycleId}`} size="sm">
          {cycle.data?.name ?? t('evaluation.dossier.cycle')}
        </Anchor>
        <Title order={1}>{dossier.product.name}</Title>
        <Group gap="xs">
          <DossierStateBadge state={dossier.state} />
          <Text size="sm">{t(`evaluation.type.${dossier.evaluationType}`)}</Text>
        </Group>
      </Stack>

      <Paper withBorder p="md">
        <Details
          items={[
            {
              label: t('evaluation.dossier.product'),
              value: canSeeRegistry(user.role) ? (
                <Anchor component={Link} to={`/products/${dossier.product.id}`}>
                  {dossier.product.name}
                </Anchor>
              ) : (
                dossier.product.name
              ),
            },
            { label: t('evaluation.dossier.subject'), value: <SubjectLink id={dossier.subjectId} /> },
            {
              label: t('evaluation.dossier.commune'),
              value: <UnitCodeName level="commune" code={dossier.communeCode} />,
            },
            { label: t('evaluation.dossier.submittedAt'), value: formatDateTime(dossier.submittedAt) },
            {
              label: t('evaluation.dossier.sheet'),
              value: `${dossier.sheet.code} (${dossier.sheet.revision})`,
            },
            { label: t('common.updatedAt'), value: formatDateTime(dossier.updatedAt) },
          ]}
        />
        {withCouncil && (
          <Group gap="sm" mt="md">
            {user.role === 'council_member' && (
              <Button component={Link} to={`/evaluation/dossiers/${dossier.id}/score`} variant="light">
                {t('evaluation.dossier.scoreLink')}
              </Button>
            )}
            {(isProvinceStaff(user.role) || user.role === 'council_member') && (
              <Button component={Link} to={`/evaluation/dossiers/${dossier.id}/sheets`} variant="light">
                {t('evaluation.dossier.sheetsLink')}
              </Button>
            )}
          </Group>
        )}
      </Paper>

      <DossierSteps dossier={dossier} cycle={cycle.data} onReload={onReload} />

      {isScoringClosed(dossier.state) && <ResultSection dossier={dossier} />}

      <RegistrationSection dossier={dossier} editing={editing} onReload={onReload} />
      <ChecklistSection dossier={dossier} editing={editing} />
      <SelfAssessmentSection dossier={dossier} editing={editing} />
      <HistorySection dossier={dossier} />
    </Stack>
  );
}

// ---------------------------------------------------------------- result

function ResultSection({ dossier }: { dossier: Dossier }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const result = useDossierResult(dossier.id, true);
  let body: ReactNode;
  if (result.isPending) body = <LoadingState />;
  else if (result.isError) {
    body =
      result.error instanceof ApiError && result.error.status === 404 ? (
        <Text c="dimmed">{t('evaluation.result.notPublished')}</Text>
      ) : (
        <ErrorState error={result.error} onRetry={() => void result.refetch()} />
      );
  } else {
    const r = result.data;
    body = (
      <Stack gap="sm">
        {!r.valid && (
          <Alert color="orange" role="note">
            {t('evaluation.result.invalid')}
          </Alert>
        )}
        <Details
          items={[
            { label: t('evaluation.result.score'), value: formatNumber(r.score, language) },
            {
              label: t('evaluation.result.star'),
              value: r.finalStar
                ? t('evaluation.stars', { count: r.finalStar })
                : t('evaluation.result.noStar'),
            },
            {
              label: t('evaluation.result.publishedAt'),
              value: r.publishedAt ? formatDateTime(r.publishedAt) : t('evaluation.result.notPublishedYet'),
            },
          ]}
        />
      </Stack>
    );
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="result-title">
      <Title order={2} size="h3" id="result-title" mb="sm">
        {t('evaluation.result.title')}
      </Title>
      {body}
    </Paper>
  );
}

// ---------------------------------------------------------------- registration form (Mẫu 01)

const FORM_FIELDS = [
  'applicantName',
  'applicantPosition',
  'phone',
  'email',
  'productName',
  'productDescription',
  'annualOutput',
  'markets',
  'notes',
] as const;
type FormField = (typeof FORM_FIELDS)[number];
const REQUIRED: readonly FormField[] = ['applicantName', 'phone', 'productName'];
const LONG: readonly FormField[] = ['productDescription', 'markets', 'notes'];
const MAX: Record<FormField, number> = {
  applicantName: 200,
  applicantPosition: 200,
  phone: 20,
  email: 254,
  productName: 300,
  productDescription: 4000,
  annualOutput: 300,
  markets: 1000,
  notes: 2000,
};

function formValues(dossier: Dossier, owner: boolean): Record<FormField, string> {
  const form = dossier.registrationForm;
  const values = {} as Record<FormField, string>;
  for (const field of FORM_FIELDS) {
    const value = form[field];
    values[field] = typeof value === 'string' ? value : '';
  }
  // A new form starts from the product's name, which the producer may still adjust.
  if (owner && !values.productName) values.productName = dossier.product.name;
  return values;
}

function RegistrationSection({
  dossier,
  editing,
  onReload,
}: {
  dossier: Dossier;
  editing: boolean;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const filled = Object.keys(dossier.registrationForm).length > 0;
  const shown = formValues(dossier, false);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="form-title">
      <Title order={2} size="h3" id="form-title" mb="sm">
        {t('evaluation.form.title')}
      </Title>
      {saved && (
        <Alert color="ocop" role="status" mb="sm">
          {t('evaluation.form.saved')}
        </Alert>
      )}
      {editing ? (
        // A new version (saved here, or reloaded after someone else's change) starts the form again from it.
        <RegistrationEditor key={dossier.version} dossier={dossier} onReload={onReload} onSaved={setSaved} />
      ) : filled ? (
        <Details
          items={FORM_FIELDS.map((field) => ({
            label: t(`evaluation.form.${field}`),
            value: shown[field],
            wide: LONG.includes(field),
          }))}
        />
      ) : (
        <Text c="dimmed">{t('evaluation.form.empty')}</Text>
      )}
    </Paper>
  );
}

function RegistrationEditor({
  dossier,
  onReload,
  onSaved,
}: {
  dossier: Dossier;
  onReload: () => void;
  onSaved: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const feedback = useFormFeedback();
  const save = useSaveRegistrationForm(dossier.id);
  const [values, setValues] = useState(() => formValues(dossier, true));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSaved(false);
    const missing: Record<string, string> = {};
    for (const field of REQUIRED) if (!values[field].trim()) missing[`form.${field}`] = t('errors.required');
    if (Object.keys(missing).length) {
      feedback.setClientErrors(missing);
      return;
    }
    feedback.reset();
    const form: Partial<Record<FormField, string>> = {};
    for (const field of FORM_FIELDS) if (values[field].trim()) form[field] = values[field].trim();
    // The three required fields are present: checked just above.
    save.mutate(
      { version: dossier.version, form: form as RegistrationForm },
      { onSuccess: () => onSaved(true), onError: feedback.setError },
    );
  };

  const stale = feedback.error instanceof ApiError && feedback.error.code === 'STALE';

  return (
    <form onSubmit={onSubmit} noValidate>
      {stale && (
        <Alert color="red" role="alert" mb="sm" title={t('evaluation.form.stale')}>
          <Button size="xs" variant="outline" color="red" onClick={onReload}>
            {t('errors.reload')}
          </Button>
        </Alert>
      )}
      {!stale && <FormAlert feedback={feedback} shownFields={FORM_FIELDS.map((f) => `form.${f}`)} />}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {FORM_FIELDS.map((field) => {
          const props = {
            label: t(`evaluation.form.${field}`),
            value: values[field],
            onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
              const next = e.currentTarget.value;
              setValues((current) => ({ ...current, [field]: next }));
              feedback.clearField(`form.${field}`);
              onSaved(false);
            },
            maxLength: MAX[field],
            required: REQUIRED.includes(field),
            error: feedback.fieldError(`form.${field}`),
          };
          return LONG.includes(field) ? (
            <Textarea key={field} {...props} autosize minRows={2} style={{ gridColumn: '1 / -1' }} />
          ) : (
            <TextInput
              key={field}
              {...props}
              type={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
            />
          );
        })}
      </SimpleGrid>
      <Group mt="md">
        <Button type="submit" loading={save.isPending}>
          {t('evaluation.form.save')}
        </Button>
      </Group>
    </form>
  );
}

// ---------------------------------------------------------------- documents

const ACCEPT = DOCUMENT_TYPES.join(',');

const megabytes = (bytes: number, language: 'vi' | 'en') =>
  formatNumber(Math.round((bytes / 1024 / 1024) * 10) / 10, language);

function ChecklistSection({ dossier, editing }: { dossier: Dossier; editing: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const remove = useRemoveDocument(dossier.id);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="checklist-title">
      <Title order={2} size="h3" id="checklist-title" mb="xs">
        {t('evaluation.checklist.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('evaluation.checklist.intro')}
      </Text>
      {remove.isError && <ErrorState error={remove.error} />}
      {dossier.checklist.length === 0 ? (
        <Text c="dimmed">{t('evaluation.checklist.empty')}</Text>
      ) : (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {dossier.checklist.map((item) => {
            const label = pickLabel(item.label, language);
            const documents = dossier.documents.filter((d) => d.checklistCode === item.code);
            return (
              <Paper component="li" key={item.code} withBorder p="sm">
                <Group gap="xs" mb={4} wrap="wrap">
                  <Text fw={600}>{label}</Text>
                  <Badge
                    variant={item.required ? 'filled' : 'light'}
                    color={item.required ? 'red' : 'gray'}
                    style={{ textTransform: 'none' }}
                  >
                    {item.required ? t('evaluation.checklist.required') : t('evaluation.checklist.optional')}
                  </Badge>
                </Group>
                {documents.length === 0 ? (
                  <Text size="sm" c={item.required ? 'red.8' : 'dimmed'}>
                    {t('evaluation.checklist.missing')}
                  </Text>
                ) : (
                  <List size="sm" spacing={4}>
                    {documents.map((d) => (
                      <List.Item key={d.id}>
                        <Group gap="xs" wrap="wrap">
                          <Anchor
                            href={documentUrl(dossier.id, d.id)}
                            download={d.fileName}
                            aria-label={t('evaluation.checklist.download', { name: d.fileName })}
                          >
                            {d.fileName}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {formatNumber(Math.ceil(d.bytes / 1024), language)} KB ·{' '}
                            {formatDateTime(d.uploadedAt)}
                          </Text>
                          {editing && (
                            <ConfirmButton
                              size="compact-xs"
                              variant="subtle"
                              color="red"
                              question={t('evaluation.checklist.removeConfirm', { name: d.fileName })}
                              onConfirm={() => remove.mutate(d.id)}
                              loading={remove.isPending && remove.variables === d.id}
                            >
                              {t('evaluation.checklist.remove')}
                            </ConfirmButton>
                          )}
                        </Group>
                      </List.Item>
                    ))}
                  </List>
                )}
                {editing && <UploadControl dossierId={dossier.id} item={item.code} label={label} />}
              </Paper>
            );
          })}
        </Stack>
      )}
    </Paper>
  );
}

function UploadControl({ dossierId, item, label }: { dossierId: string; item: string; label: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const upload = useUploadDocument(dossierId);
  // Every upload shares the server's UPLOAD_MAX_BYTES; the registry's meta is where the web reads it.
  const maxBytes = useProductMeta().data?.photoLimits.maxBytes;
  const [file, setFile] = useState<File | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState(false);

  const onUpload = () => {
    if (!file) return;
    setUploaded(false);
    upload.mutate(
      { item, file },
      {
        onSuccess: () => {
          setFile(null);
          setUploaded(true);
        },
      },
    );
  };

  const serverError = upload.error
    ? upload.error instanceof ApiError && upload.error.fields.file
      ? upload.error.fields.file
      : errorMessage(upload.error)
    : undefined;

  return (
    <Group gap="xs" mt="xs" align="flex-end" wrap="wrap">
      <FileInput
        label={t('evaluation.checklist.file', { item: label })}
        value={file}
        onChange={(next) => {
          upload.reset();
          setUploaded(false);
          // The browser's idea of the type is only a first check; the server reads the bytes.
          if (next?.type && !(DOCUMENT_TYPES as readonly string[]).includes(next.type)) {
            setClientError(t('evaluation.checklist.wrongType'));
            setFile(null);
            return;
          }
          if (next && maxBytes !== undefined && next.size > maxBytes) {
            setClientError(t('evaluation.checklist.tooLarge', { size: megabytes(maxBytes, language) }));
            setFile(null);
            return;
          }
          setClientError(null);
          setFile(next);
        }}
        accept={ACCEPT}
        description={
          maxBytes === undefined
            ? undefined
            : t('evaluation.checklist.limit', { size: megabytes(maxBytes, language) })
        }
        clearable
        error={clientError ?? serverError}
        style={{ flex: '1 1 16rem', minWidth: 0 }}
      />
      <Button onClick={onUpload} disabled={!file} loading={upload.isPending}>
        {t('evaluation.checklist.upload')}
      </Button>
      {uploaded && (
        <Text role="status" size="sm" c="ocop.8">
          {t('evaluation.checklist.uploaded')}
        </Text>
      )}
    </Group>
  );
}

// ---------------------------------------------------------------- self-assessment (Mẫu 02)

function SelfAssessmentSection({ dossier, editing }: { dossier: Dossier; editing: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const self = dossier.selfAssessment;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="self-title">
      <Title order={2} size="h3" id="self-title" mb="sm">
        {t('evaluation.self.title')}
      </Title>
      <Details
        items={[
          {
            label: t('evaluation.self.title'),
            value: t('evaluation.self.answered', { answered: self.answered, criteria: self.criteria }),
          },
          { label: t('evaluation.self.total'), value: formatNumber(self.total, language) },
          {
            label: t('evaluation.self.star'),
            value: self.star ? t('evaluation.stars', { count: self.star }) : t('evaluation.self.incomplete'),
          },
        ]}
      />
      {(editing || self.answered > 0) && (
        <Button
          component={Link}
          to={`/evaluation/dossiers/${dossier.id}/self-assessment`}
          mt="md"
          variant="light"
        >
          {editing ? t('evaluation.self.edit') : t('evaluation.self.view')}
        </Button>
      )}
    </Paper>
  );
}

// ---------------------------------------------------------------- history

const HISTORY_ACTIONS = [...DOSSIER_ACTIONS, 'create'] as const;

function HistorySection({ dossier }: { dossier: Dossier }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const actor = (row: Dossier['transitions'][number]) => {
    if (row.actorId === null) return t('evaluation.history.system');
    if (row.actorId === user.id) return t('evaluation.history.you');
    return row.actorName ?? t('evaluation.history.someone', { id: row.actorId.slice(0, 8) });
  };
  // Newest first; a list rather than a table so it reads the same on a phone.
  const rows = [...dossier.transitions].reverse();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="history-title">
      <Title order={2} size="h3" id="history-title" mb="sm">
        {t('evaluation.history.title')}
      </Title>
      <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
        {rows.map((row) => {
          const action = oneOf(HISTORY_ACTIONS, row.action);
          return (
            <Box
              component="li"
              key={`${row.at}-${row.action}-${row.toState}`}
              pb="xs"
              style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
            >
              <Group gap="xs" wrap="wrap">
                <Text fw={600} size="sm">
                  {formatDateTime(row.at)}
                </Text>
                <Text size="sm">{action ? t(`evaluation.action.${action}`) : row.action}</Text>
                <DossierStateBadge state={row.toState} />
              </Group>
              <Text size="sm" c="dimmed">
                {t('evaluation.history.actor')}: <span>{actor(row)}</span>
              </Text>
              {row.reason && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {t('evaluation.history.reason')}: {row.reason}
                </Text>
              )}
            </Box>
          );
        })}
      </Stack>
    </Paper>
  );
}
