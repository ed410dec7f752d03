import {
  Alert,
  Fieldset,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { STANDARD_CODES } from '../../modules/products/rules';
import { accentInsensitiveFilter } from '../components/accentFilter';
import { FormButtons, unitPickerProps, useEntityForm } from '../components/EntityForm';
import { FormAlert } from '../components/FormFeedback';
import { ErrorState, errorMessage, LoadingState } from '../components/PageStates';
import { DEFAULT_ACCEPTED, PhotoPicker } from '../components/PhotoPicker';
import { SubjectSelect } from '../components/SubjectPicker';
import { UnitPicker } from '../components/UnitPicker';
import { useCommuneCraftVillages } from '../data/craftVillages';
import {
  type Product,
  type ProductInput,
  type ProductMeta,
  useCreateProduct,
  useProduct,
  useProductMeta,
  useUpdateProduct,
  useUploadPhoto,
} from '../data/products';
import { useSubject } from '../data/subjects';
import { categoryOptions, schemeOf } from '../data/taxonomy';
import { oneOf } from '../guards';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

type Values = {
  subjectId: string | null;
  name: string;
  categoryCode: string | null;
  provinceCode: string | null;
  communeCode: string | null;
  gtin: string;
  standards: string[];
  otherStandards: string;
  description: string;
  story: string;
  rawMaterialOrigin: string;
  craftVillageId: string | null;
};

const SHOWN_FIELDS = [
  'subjectId',
  'name',
  'taxonomyScheme',
  'categoryCode',
  'communeCode',
  'gtin',
  'standards',
  'otherStandards',
  'description',
  'story',
  'rawMaterialOrigin',
  'craftVillageId',
];
const REQUIRED = ['subjectId', 'name', 'categoryCode', 'communeCode'] as const;

function valuesOf(product: Product | undefined, subjectId: string | null): Values {
  return {
    subjectId: product?.subject.id ?? subjectId,
    name: product?.name ?? '',
    categoryCode: product?.classification.code ?? null,
    provinceCode: product?.province.code ?? null,
    communeCode: product?.commune.code ?? null,
    gtin: product?.gtin ?? '',
    standards: product?.standards.map((s) => s.code) ?? [],
    otherStandards: product?.otherStandards ?? '',
    description: product?.description ?? '',
    story: product?.story ?? '',
    rawMaterialOrigin: product?.rawMaterialOrigin ?? '',
    craftVillageId: product?.craftVillage?.id ?? null,
  };
}

export function ProductFormPage() {
  const { id } = useParams();
  const existing = useProduct(id);
  const meta = useProductMeta();

  if ((id && existing.isPending) || meta.isPending) return <LoadingState />;
  if (existing.isError) return <ErrorState error={existing.error} onRetry={() => void existing.refetch()} />;
  if (meta.isError) return <ErrorState error={meta.error} onRetry={() => void meta.refetch()} />;
  return (
    <ProductForm
      key={existing.data?.id ?? 'new'}
      product={existing.data}
      meta={meta.data}
      onReload={() => void existing.refetch()}
    />
  );
}

function ProductForm({
  product,
  meta,
  onReload,
}: {
  product: Product | undefined;
  meta: ProductMeta;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [searchParams] = useSearchParams();
  const form = useEntityForm({
    record: product,
    // "Add a product" from a subject's page brings the subject along.
    valuesOf: (record: Product | undefined) => valuesOf(record, searchParams.get('subjectId')),
    required: REQUIRED,
    create: useCreateProduct(),
    update: useUpdateProduct(product?.id ?? ''),
    basePath: '/products',
    createdNotice: t('products.created'),
  });
  const { values, set, text, feedback } = form;
  const [photo, setPhoto] = useState<File | null>(null);
  usePageTitle(product ? t('products.editTitle') : t('products.createTitle'));
  const upload = useUploadPhoto();
  const saving = form.saving || upload.isPending;
  const subject = useSubject(values.subjectId);
  const villages = useCommuneCraftVillages(values.communeCode);

  // A product is made where its producer is, unless said otherwise: start from the subject's commune.
  const subjectProvince = subject.data?.provinceCode ?? null;
  const subjectCommune = subject.data?.communeCode ?? null;
  const { setValues } = form;
  useEffect(() => {
    if (!subjectCommune) return;
    setValues((current) =>
      current.communeCode
        ? current
        : { ...current, provinceCode: subjectProvince, communeCode: subjectCommune },
    );
  }, [subjectProvince, subjectCommune, setValues]);

  const scheme = schemeOf(meta, product?.classification.scheme);

  const afterCreate = async (created: Product) => {
    let notice = t('products.created');
    if (photo) {
      try {
        await upload.mutateAsync({ productId: created.id, file: photo });
      } catch (error) {
        notice = `${notice} ${t('photos.uploadFailed', { message: errorMessage(error) })}`;
      }
    }
    form.open(created, notice);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.checkRequired()) return;
    const input: ProductInput = {
      subjectId: values.subjectId ?? '',
      name: values.name,
      taxonomyScheme: scheme?.code,
      categoryCode: values.categoryCode ?? '',
      communeCode: values.communeCode ?? '',
      gtin: values.gtin.trim() || null,
      standards: values.standards.flatMap((code) => oneOf(STANDARD_CODES, code) ?? []),
      otherStandards: values.otherStandards,
      description: values.description,
      story: values.story,
      rawMaterialOrigin: values.rawMaterialOrigin,
      craftVillageId: values.craftVillageId,
    };
    form.save(input, (created) => void afterCreate(created));
  };

  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>{product ? t('products.editTitle') : t('products.createTitle')}</Title>
      <form onSubmit={onSubmit} noValidate>
        <FormAlert feedback={feedback} shownFields={SHOWN_FIELDS} onReload={onReload} />
        <Stack gap="md">
          <Fieldset legend={t('subjects.general')} variant="filled">
            <Stack gap="sm">
              <TextInput label={t('products.name')} required {...text('name')} />
              <SubjectSelect
                label={t('products.subject')}
                value={values.subjectId}
                onChange={(id) => set('subjectId', id)}
                error={feedback.fieldError('subjectId')}
                required
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t('products.classification')} variant="filled">
            <Stack gap="sm">
              {scheme && !scheme.current && (
                <Alert color="blue" role="note">
                  {t('products.scheme')}: {pickLabel(scheme.label, language)} ({scheme.legalBasis})
                </Alert>
              )}
              <Select
                label={t('products.category')}
                placeholder={t('products.chooseCategory')}
                data={categoryOptions(scheme, language)}
                value={values.categoryCode}
                onChange={(code) => set('categoryCode', code)}
                error={feedback.fieldError('categoryCode') ?? feedback.fieldError('taxonomyScheme')}
                searchable
                filter={accentInsensitiveFilter}
                nothingFoundMessage={t('units.nothingFound')}
                required
                maxDropdownHeight={320}
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t('products.location')} variant="filled">
            <Stack gap="sm">
              <UnitPicker
                // A craft village belongs to one commune: a new commune drops the old choice.
                {...unitPickerProps(form, { craftVillageId: null })}
              />
              <Select
                label={t('products.craftVillage')}
                placeholder={t('products.noCraftVillage')}
                data={(villages.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
                value={values.craftVillageId}
                onChange={(id) => set('craftVillageId', id)}
                error={feedback.fieldError('craftVillageId')}
                disabled={!values.communeCode || (villages.data?.length ?? 0) === 0}
                clearable
              />
            </Stack>
          </Fieldset>

          <Fieldset legend={t('products.quality')} variant="filled">
            <Stack gap="sm">
              <MultiSelect
                label={t('products.standards')}
                data={meta.standards.map((s) => ({ value: s.code, label: pickLabel(s.label, language) }))}
                value={values.standards}
                onChange={(codes) => set('standards', codes)}
                error={feedback.fieldError('standards')}
                searchable
                filter={accentInsensitiveFilter}
                clearable
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput label={t('products.otherStandards')} {...text('otherStandards')} />
                <TextInput label={t('products.gtin')} inputMode="numeric" {...text('gtin')} />
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Fieldset legend={t('products.about')} variant="filled">
            <Stack gap="sm">
              <Textarea
                label={t('products.description')}
                autosize
                minRows={3}
                maxRows={12}
                {...text('description')}
              />
              <Textarea label={t('products.story')} autosize minRows={3} maxRows={12} {...text('story')} />
              <Textarea
                label={t('products.rawMaterialOrigin')}
                autosize
                minRows={2}
                maxRows={8}
                {...text('rawMaterialOrigin')}
              />
            </Stack>
          </Fieldset>

          {!product && (
            <Fieldset legend={t('photos.title')} variant="filled">
              <PhotoPicker
                file={photo}
                onChange={setPhoto}
                description={`${t('photos.hint')} ${t('photos.afterCreate')}`}
                acceptedTypes={
                  meta.photoLimits.acceptedTypes.length ? meta.photoLimits.acceptedTypes : DEFAULT_ACCEPTED
                }
                maxBytes={meta.photoLimits.maxBytes}
              />
            </Fieldset>
          )}

          <FormButtons saving={saving} onCancel={form.cancel} />
        </Stack>
      </form>
    </Stack>
  );
}
