import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import {
  GENDER_CODES,
  type Gender,
  SALES_CHANNEL_CODES,
  type SalesChannelKind,
  SUBJECT_TYPE_CODES,
  type SubjectType,
} from '../../modules/subjects/rules';
import { useCurrentUser } from '../auth';
import { FormButtons, unitPickerProps, useEntityForm } from '../components/EntityForm';
import { FormAlert, type FormFeedback } from '../components/FormFeedback';
import { ErrorState, LoadingState } from '../components/PageStates';
import { UnitPicker } from '../components/UnitPicker';
import {
  type Subject,
  type SubjectInput,
  type SubjectMeta,
  useCreateSubject,
  useSubject,
  useSubjectMeta,
  useUpdateSubject,
} from '../data/subjects';
import { oneOf } from '../guards';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

type Channel = { kind: SalesChannelKind | null; detail: string };

type Values = {
  name: string;
  type: SubjectType | null;
  businessRegistrationNo: string;
  taxCode: string;
  address: string;
  provinceCode: string | null;
  communeCode: string | null;
  legalRepresentative: string;
  legalRepresentativeGender: Gender | null;
  womanLed: boolean;
  workforceTotal: number | string;
  workforceLocal: number | string;
  workforceTrained: number | string;
  salesChannels: Channel[];
  phone: string;
  email: string;
  website: string;
};

const REQUIRED = [
  'name',
  'type',
  'address',
  'communeCode',
  'legalRepresentative',
  'legalRepresentativeGender',
] as const;

function valuesOf(
  subject: Subject | undefined,
  defaults: { provinceCode: string | null; communeCode: string | null },
): Values {
  return {
    name: subject?.name ?? '',
    type: oneOf(SUBJECT_TYPE_CODES, subject?.type) ?? null,
    businessRegistrationNo: subject?.businessRegistrationNo ?? '',
    taxCode: subject?.taxCode ?? '',
    address: subject?.address ?? '',
    provinceCode: subject?.provinceCode ?? defaults.provinceCode,
    communeCode: subject?.communeCode ?? defaults.communeCode,
    legalRepresentative: subject?.legalRepresentative ?? '',
    legalRepresentativeGender: oneOf(GENDER_CODES, subject?.legalRepresentativeGender) ?? null,
    womanLed: subject?.womanLed ?? false,
    workforceTotal: subject?.workforceTotal ?? '',
    workforceLocal: subject?.workforceLocal ?? '',
    workforceTrained: subject?.workforceTrained ?? '',
    salesChannels: (subject?.salesChannels ?? []).map((c) => ({
      kind: oneOf(SALES_CHANNEL_CODES, c.kind) ?? null,
      detail: c.detail ?? '',
    })),
    phone: subject?.phone ?? '',
    email: subject?.email ?? '',
    website: subject?.website ?? '',
  } satisfies Values;
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
const numberOrNull = (value: number | string) => (typeof value === 'number' ? value : null);

type CompleteValues = Values & { type: SubjectType; legalRepresentativeGender: Gender; communeCode: string };

function toInput(values: CompleteValues, womanLedChosen: boolean): SubjectInput {
  return {
    name: values.name.trim(),
    type: values.type,
    businessRegistrationNo: orNull(values.businessRegistrationNo),
    taxCode: orNull(values.taxCode),
    address: values.address.trim(),
    communeCode: values.communeCode,
    legalRepresentative: values.legalRepresentative.trim(),
    legalRepresentativeGender: values.legalRepresentativeGender,
    // Left out until someone ticks it, so the server's default (a woman representative) applies.
    womanLed: womanLedChosen ? values.womanLed : undefined,
    workforceTotal: numberOrNull(values.workforceTotal),
    workforceLocal: numberOrNull(values.workforceLocal),
    workforceTrained: numberOrNull(values.workforceTrained),
    salesChannels: values.salesChannels.flatMap((c) =>
      c.kind ? [{ kind: c.kind, detail: orNull(c.detail) }] : [],
    ),
    phone: orNull(values.phone),
    email: orNull(values.email),
    website: orNull(values.website),
  };
}

/** Create (`/subjects/new`) and edit (`/subjects/:id/edit`) share one form. */
export function SubjectFormPage() {
  const { id } = useParams();
  const existing = useSubject(id);
  const meta = useSubjectMeta();

  if ((id && existing.isPending) || meta.isPending) return <LoadingState />;
  if (existing.isError) return <ErrorState error={existing.error} onRetry={() => void existing.refetch()} />;
  if (meta.isError) return <ErrorState error={meta.error} onRetry={() => void meta.refetch()} />;
  return (
    <SubjectForm
      key={existing.data?.id ?? 'new'}
      subject={existing.data}
      meta={meta.data}
      onReload={() => void existing.refetch()}
    />
  );
}

function SubjectForm({
  subject,
  meta,
  onReload,
}: {
  subject: Subject | undefined;
  meta: SubjectMeta;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  // A new subject starts in the officer's own area; an existing one is where it is.
  const defaults = { provinceCode: user.provinceCode, communeCode: user.communeCode };
  const form = useEntityForm({
    record: subject,
    valuesOf: (record: Subject | undefined) => valuesOf(record, defaults),
    required: REQUIRED,
    create: useCreateSubject(),
    update: useUpdateSubject(subject?.id ?? ''),
    basePath: '/subjects',
    createdNotice: t('subjects.created'),
  });
  const { values, set, text, feedback } = form;
  const [womanLedChosen, setWomanLedChosen] = useState(Boolean(subject));
  usePageTitle(subject ? t('subjects.editTitle') : t('subjects.createTitle'));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const { type, legalRepresentativeGender, communeCode } = values;
    if (!form.checkRequired() || !type || !legalRepresentativeGender || !communeCode) return;
    form.save(toInput({ ...values, type, legalRepresentativeGender, communeCode }, womanLedChosen));
  };

  const options = (items: { code: string; vi: string; en: string }[]) =>
    items.map((item) => ({ value: item.code, label: pickLabel(item, language) }));
  const genders = options(meta.genders);

  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>{subject ? t('subjects.editTitle') : t('subjects.createTitle')}</Title>
      <form onSubmit={onSubmit} noValidate>
        <FormAlert
          feedback={feedback}
          shownFields={SHOWN_FIELDS(values.salesChannels.length)}
          onReload={onReload}
        />
        <Stack gap="md">
          <Fieldset legend={t('subjects.general')} variant="filled">
            <Stack gap="sm">
              <TextInput label={t('subjects.name')} required {...text('name')} />
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                <Select
                  label={t('subjects.type')}
                  data={options(meta.types)}
                  value={values.type}
                  onChange={(v) => set('type', oneOf(SUBJECT_TYPE_CODES, v) ?? null)}
                  error={feedback.fieldError('type')}
                  required
                />
                <TextInput label={t('subjects.businessRegistrationNo')} {...text('businessRegistrationNo')} />
                <TextInput label={t('subjects.taxCode')} inputMode="numeric" {...text('taxCode')} />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Fieldset legend={t('subjects.location')} variant="filled">
            <Stack gap="sm">
              <UnitPicker {...unitPickerProps(form)} />
              <TextInput label={t('subjects.address')} required {...text('address')} />
            </Stack>
          </Fieldset>

          <Fieldset legend={t('subjects.representative')} variant="filled">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  label={t('subjects.legalRepresentative')}
                  required
                  {...text('legalRepresentative')}
                />
                <Select
                  label={t('subjects.legalRepresentativeGender')}
                  data={genders}
                  value={values.legalRepresentativeGender}
                  onChange={(v) => {
                    const gender = oneOf(GENDER_CODES, v) ?? null;
                    set('legalRepresentativeGender', gender);
                    // Mirrors the server's default until the user decides otherwise.
                    if (!womanLedChosen) set('womanLed', gender === 'female');
                  }}
                  error={feedback.fieldError('legalRepresentativeGender')}
                  required
                />
              </SimpleGrid>
              <Checkbox
                label={t('subjects.womanLed')}
                checked={values.womanLed}
                onChange={(e) => {
                  setWomanLedChosen(true);
                  set('womanLed', e.currentTarget.checked);
                }}
                error={feedback.fieldError('womanLed')}
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t('subjects.workforce')} variant="filled">
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              {(['workforceTotal', 'workforceLocal', 'workforceTrained'] as const).map((key) => (
                <NumberInput
                  key={key}
                  label={t(`subjects.${key}`)}
                  min={0}
                  allowDecimal={false}
                  allowNegative={false}
                  thousandSeparator={language === 'vi' ? '.' : ','}
                  decimalSeparator={language === 'vi' ? ',' : '.'}
                  value={values[key]}
                  onChange={(v) => set(key, v)}
                  error={feedback.fieldError(key)}
                />
              ))}
            </SimpleGrid>
          </Fieldset>

          <SalesChannelsFieldset
            channels={values.salesChannels}
            kinds={meta.salesChannelKinds}
            onChange={(channels) => set('salesChannels', channels)}
            feedback={feedback}
          />

          <Fieldset legend={t('subjects.contact')} variant="filled">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput label={t('subjects.phone')} type="tel" autoComplete="tel" {...text('phone')} />
              <TextInput label={t('subjects.email')} type="email" autoComplete="email" {...text('email')} />
              <TextInput label={t('subjects.website')} type="url" {...text('website')} />
            </SimpleGrid>
          </Fieldset>

          <FormButtons saving={form.saving} onCancel={form.cancel} />
        </Stack>
      </form>
    </Stack>
  );
}

const BASE_FIELDS = [
  'name',
  'type',
  'businessRegistrationNo',
  'taxCode',
  'address',
  'communeCode',
  'legalRepresentative',
  'legalRepresentativeGender',
  'womanLed',
  'workforceTotal',
  'workforceLocal',
  'workforceTrained',
  'salesChannels',
  'phone',
  'email',
  'website',
];

function SHOWN_FIELDS(channelCount: number): string[] {
  const channelFields = Array.from({ length: channelCount }, (_, i) => [
    `salesChannels.${i}.kind`,
    `salesChannels.${i}.detail`,
  ]).flat();
  return [...BASE_FIELDS, ...channelFields];
}

function SalesChannelsFieldset({
  channels,
  kinds,
  onChange,
  feedback,
}: {
  channels: Channel[];
  kinds: SubjectMeta['salesChannelKinds'];
  onChange: (channels: Channel[]) => void;
  feedback: FormFeedback;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const kindOptions = kinds.map((k) => ({ value: k.code, label: pickLabel(k, language) }));
  const update = (index: number, change: Partial<Channel>) => {
    onChange(channels.map((c, i) => (i === index ? { ...c, ...change } : c)));
    for (const key of Object.keys(change)) feedback.clearField(`salesChannels.${index}.${key}`);
  };
  return (
    <Fieldset legend={t('subjects.salesChannels')} variant="filled">
      <Stack gap="sm">
        {feedback.fieldError('salesChannels') && (
          <Text c="red.7" size="sm" role="alert">
            {feedback.fieldError('salesChannels')}
          </Text>
        )}
        {channels.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('subjects.noChannels')}
          </Text>
        )}
        {channels.map((channel, index) => {
          const n = index + 1;
          const kind = kinds.find((k) => k.code === channel.kind);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
            <Group key={index} align="flex-end" gap="xs" wrap="nowrap">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" style={{ flex: 1 }}>
                <Select
                  label={t('subjects.channelKind', { n })}
                  data={kindOptions}
                  value={channel.kind}
                  onChange={(value) => update(index, { kind: oneOf(SALES_CHANNEL_CODES, value) ?? null })}
                  error={feedback.fieldError(`salesChannels.${index}.kind`)}
                />
                <TextInput
                  label={t('subjects.channelDetail', { n })}
                  description={kind ? pickLabel(kind.detailLabel, language) : undefined}
                  required={kind?.requiresDetail}
                  value={channel.detail}
                  onChange={(e) => update(index, { detail: e.currentTarget.value })}
                  error={feedback.fieldError(`salesChannels.${index}.detail`)}
                />
              </SimpleGrid>
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={t('subjects.removeChannel', { n })}
                title={t('subjects.removeChannel', { n })}
                onClick={() => onChange(channels.filter((_, i) => i !== index))}
              >
                <span aria-hidden>✕</span>
              </ActionIcon>
            </Group>
          );
        })}
        <Button
          variant="light"
          size="xs"
          style={{ alignSelf: 'flex-start' }}
          onClick={() => onChange([...channels, { kind: null, detail: '' }])}
        >
          {t('subjects.addChannel')}
        </Button>
      </Stack>
    </Fieldset>
  );
}
