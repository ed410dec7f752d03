import { Checkbox, Fieldset, NumberInput, Stack, TextInput, Title } from '@mantine/core';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useCurrentUser } from '../auth';
import { FormButtons, unitPickerProps, useEntityForm } from '../components/EntityForm';
import { FormAlert } from '../components/FormFeedback';
import { ErrorState, LoadingState } from '../components/PageStates';
import { UnitPicker } from '../components/UnitPicker';
import {
  type CraftVillage,
  useCraftVillage,
  useCreateCraftVillage,
  useUpdateCraftVillage,
} from '../data/craftVillages';
import { currentYear } from '../format';
import { usePageTitle } from '../usePageTitle';

type Values = {
  name: string;
  provinceCode: string | null;
  communeCode: string | null;
  /** '' while empty: NumberInput's own "no number". */
  recognitionYear: number | string;
  traditional: boolean;
};

const REQUIRED = ['name', 'communeCode'] as const;
const SHOWN_FIELDS = ['name', 'communeCode', 'recognitionYear', 'traditional'];
/** The oldest recognition the server accepts (craft-village-service.ts). */
const FIRST_YEAR = 1950;

export function CraftVillageFormPage() {
  const { id } = useParams();
  const existing = useCraftVillage(id);
  if (id && existing.isPending) return <LoadingState />;
  if (existing.isError) return <ErrorState error={existing.error} onRetry={() => void existing.refetch()} />;
  return (
    <CraftVillageForm
      key={existing.data?.id ?? 'new'}
      village={existing.data}
      onReload={() => void existing.refetch()}
    />
  );
}

function CraftVillageForm({
  village,
  onReload,
}: {
  village: CraftVillage | undefined;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const form = useEntityForm({
    record: village,
    // A new village starts in the officer's own area.
    valuesOf: (record: CraftVillage | undefined): Values => ({
      name: record?.name ?? '',
      provinceCode: record?.province.code ?? user.provinceCode,
      communeCode: record?.commune.code ?? user.communeCode,
      recognitionYear: record?.recognitionYear ?? '',
      traditional: record?.traditional ?? false,
    }),
    required: REQUIRED,
    create: useCreateCraftVillage(),
    update: useUpdateCraftVillage(village?.id ?? ''),
    basePath: '/craft-villages',
    createdNotice: t('craftVillages.created'),
  });
  const { values, set, text, feedback } = form;
  const title = village ? t('craftVillages.editTitle') : t('craftVillages.createTitle');
  usePageTitle(title);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.checkRequired() || !values.communeCode) return;
    form.save({
      name: values.name.trim(),
      communeCode: values.communeCode,
      recognitionYear: typeof values.recognitionYear === 'number' ? values.recognitionYear : null,
      traditional: values.traditional,
    });
  };

  return (
    <Stack gap="md" maw={760}>
      <Title order={1}>{title}</Title>
      <form onSubmit={onSubmit} noValidate>
        <FormAlert feedback={feedback} shownFields={SHOWN_FIELDS} onReload={onReload} />
        <Stack gap="md">
          <Fieldset legend={t('craftVillages.general')} variant="filled">
            <Stack gap="sm">
              <TextInput label={t('craftVillages.name')} required {...text('name')} />
              <UnitPicker
                {...unitPickerProps(form)}
                // Officers keep the registry of their own province only.
                provinceLocked={user.role !== 'system_admin' && Boolean(user.provinceCode)}
              />
              <NumberInput
                label={t('craftVillages.recognitionYear')}
                description={t('craftVillages.recognitionYearHint')}
                min={FIRST_YEAR}
                max={currentYear()}
                allowDecimal={false}
                allowNegative={false}
                inputMode="numeric"
                value={values.recognitionYear}
                onChange={(year) => set('recognitionYear', year)}
                error={feedback.fieldError('recognitionYear')}
              />
              <Checkbox
                label={t('craftVillages.traditional')}
                checked={values.traditional}
                onChange={(e) => set('traditional', e.currentTarget.checked)}
                error={feedback.fieldError('traditional')}
              />
            </Stack>
          </Fieldset>
          <FormButtons saving={form.saving} onCancel={form.cancel} />
        </Stack>
      </form>
    </Stack>
  );
}
