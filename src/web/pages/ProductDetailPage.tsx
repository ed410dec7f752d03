import { Anchor, Button, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ConfirmButton } from '../components/ConfirmButton';
import { Details } from '../components/Details';
import { ErrorState, errorMessage, LoadingState } from '../components/PageStates';
import { DEFAULT_ACCEPTED, PhotoPicker } from '../components/PhotoPicker';
import { RecordHeader } from '../components/RecordHeader';
import { StatusBadge } from '../components/StatusBadge';
import {
  type Product,
  photoUrl,
  useProduct,
  useProductAction,
  useProductMeta,
  useRemovePhoto,
  useUploadPhoto,
} from '../data/products';
import { categoriesOf, schemeOf } from '../data/taxonomy';
import { formatDate, formatDateTime } from '../format';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

export function ProductDetailPage() {
  const { id } = useParams();
  const product = useProduct(id);
  if (product.isPending) return <LoadingState />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  return <ProductDetail product={product.data} />;
}

function ProductDetail({ product }: { product: Product }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const action = useProductAction(product.id);
  const meta = useProductMeta();
  usePageTitle(product.name);
  const c = product.classification;

  return (
    <Stack gap="md">
      <RecordHeader
        title={product.name}
        subtitle={
          <>
            <StatusBadge status={product.archivedAt ? 'archived' : product.status} />
            <Anchor component={Link} to={`/subjects/${product.subject.id}`} size="sm">
              {product.subject.name}
            </Anchor>
          </>
        }
        archivedAt={product.archivedAt}
        archivedNotice={t('products.archivedNotice')}
        editTo={`/products/${product.id}/edit`}
        actions={
          !product.archivedAt &&
          product.status === 'draft' && (
            <ConfirmButton
              variant="light"
              question={t('products.registerConfirm', { name: product.name })}
              onConfirm={() => action.mutate({ action: 'register', version: product.version })}
              loading={action.isPending}
            >
              {t('products.register')}
            </ConfirmButton>
          )
        }
        archive={{
          question: t('products.archiveConfirm', { name: product.name }),
          onArchive: () => action.mutate({ action: 'archive', version: product.version }),
          onRestore: () => action.mutate({ action: 'restore', version: product.version }),
          pending: action.isPending,
        }}
        error={action.error}
        history={{
          entityType: 'product',
          entityId: product.id,
          valueLabel: (field, value) => {
            if (field === 'categoryCode' && typeof value === 'string') {
              const category = categoriesOf(schemeOf(meta.data, c.scheme)).find((x) => x.code === value);
              return category ? pickLabel(category.label, language) : undefined;
            }
            if (field === 'standards' && Array.isArray(value)) {
              return value
                .map(
                  (code) =>
                    pickLabel(meta.data?.standards.find((x) => x.code === code)?.label, language) || code,
                )
                .join(', ');
            }
            return undefined;
          },
        }}
      />

      <Paper withBorder p="md">
        <Details
          items={[
            { label: t('products.subject'), value: product.subject.name },
            { label: t('products.group'), value: pickLabel(c.group?.label, language) },
            {
              label: t('products.category'),
              value: pickLabel(c.set?.label, language) || (c.known ? '' : c.code),
            },
            { label: t('products.location'), value: `${product.commune.name}, ${product.province.name}` },
            { label: t('products.gtin'), value: product.gtin },
            {
              label: t('products.craftVillage'),
              value: product.craftVillage?.name ?? t('products.noCraftVillage'),
            },
            {
              label: t('products.standards'),
              value: product.standards.map((s) => pickLabel(s.label, language)).join(', '),
            },
            { label: t('products.otherStandards'), value: product.otherStandards },
            { label: t('products.registeredAt'), value: formatDate(product.registeredAt) },
            { label: t('products.description'), value: product.description, wide: true },
            { label: t('products.story'), value: product.story, wide: true },
            { label: t('products.rawMaterialOrigin'), value: product.rawMaterialOrigin, wide: true },
            { label: t('common.createdAt'), value: formatDateTime(product.createdAt) },
            { label: t('common.updatedAt'), value: formatDateTime(product.updatedAt) },
          ]}
        />
      </Paper>

      <PhotoSection product={product} />
    </Stack>
  );
}

function PhotoSection({ product }: { product: Product }) {
  const { t } = useTranslation();
  const meta = useProductMeta();
  const upload = useUploadPhoto();
  const remove = useRemovePhoto(product.id);
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState(false);
  const limits = meta.data?.photoLimits;
  const full = limits ? product.photos.length >= limits.maxPhotosPerProduct : false;

  const onUpload = () => {
    if (!file) return;
    setUploaded(false);
    upload.mutate(
      { productId: product.id, file },
      {
        onSuccess: () => {
          setFile(null);
          setUploaded(true);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="photos-title">
      <Title order={2} size="h3" id="photos-title" mb="sm">
        {t('photos.title')}
      </Title>
      {product.photos.length === 0 ? (
        <Text c="dimmed" mb="sm">
          {t('photos.none')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 2, xs: 3, md: 5 }} spacing="sm" mb="md" component="ul" p={0}>
          {product.photos.map((photo, index) => (
            <Card component="li" key={photo.id} withBorder padding={4} style={{ listStyle: 'none' }}>
              <a href={photoUrl(product.id, photo.id, 'full')} target="_blank" rel="noreferrer">
                <img
                  className="photo-thumb"
                  src={photoUrl(product.id, photo.id, 'thumb')}
                  alt={t('photos.photoAlt', { n: index + 1, name: product.name })}
                  width={photo.thumbWidth}
                  height={photo.thumbHeight}
                />
              </a>
              {!product.archivedAt && (
                <ConfirmButton
                  mt={4}
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  question={t('photos.removeConfirm')}
                  onConfirm={() => remove.mutate(photo.id)}
                  loading={remove.isPending && remove.variables === photo.id}
                >
                  {t('photos.remove', { n: index + 1 })}
                </ConfirmButton>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
      {remove.isError && <ErrorState error={remove.error} />}
      {!product.archivedAt && !full && (
        <Stack gap="sm" maw={520}>
          <PhotoPicker
            file={file}
            onChange={(next) => {
              setFile(next);
              setUploaded(false);
              upload.reset();
            }}
            error={upload.isError ? errorMessage(upload.error) : undefined}
            acceptedTypes={limits?.acceptedTypes.length ? limits.acceptedTypes : DEFAULT_ACCEPTED}
            maxBytes={limits?.maxBytes}
          />
          <Group>
            <Button onClick={onUpload} disabled={!file} loading={upload.isPending}>
              {t('photos.upload')}
            </Button>
            {uploaded && (
              <Text role="status" c="ocop.8" size="sm">
                {t('photos.uploaded')}
              </Text>
            )}
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
