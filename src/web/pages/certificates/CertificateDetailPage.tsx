import { Alert, Anchor, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentUser } from '../../auth';
import { Details } from '../../components/Details';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useLocationNotice } from '../../components/RecordHeader';
import {
  type CertificateWithVersions,
  certificatePdfUrl,
  certificateQrUrl,
  useCertificate,
  useCertificateMeta,
  verificationPath,
} from '../../data/certificates';
import { formatDateTime } from '../../format';
import { pickLabel, useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { CorrectButton } from './CorrectForm';
import { CertificateStatusBadge, formatLegalDate, Stars } from './parts';
import { RevokeButton } from './RevokeForm';

/** Printed sizes of the QR code offered for download, in millimetres (the PNG is 300 dpi). */
export const QR_SIZES = [20, 30, 50] as const;

export function CertificateDetailPage() {
  const { id } = useParams();
  const certificate = useCertificate(id);
  if (certificate.isPending) return <LoadingState />;
  if (certificate.isError)
    return <ErrorState error={certificate.error} onRetry={() => void certificate.refetch()} />;
  return <CertificateDetail certificate={certificate.data} />;
}

/** Mirrors canManageCertificatesIn (modules/certificates/policy.ts): the API decides again. */
function canManage(user: { role: string; provinceCode: string | null }, provinceCode: string): boolean {
  return (
    user.role === 'system_admin' || (user.role === 'province_officer' && user.provinceCode === provinceCode)
  );
}

function CertificateDetail({ certificate: c }: { certificate: CertificateWithVersions }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const meta = useCertificateMeta();
  const notice = useLocationNotice();
  usePageTitle(t('certificates.detailTitle', { number: c.number }));
  const latest = c.versions.length === 0 || c.versions.every((v) => v.version <= c.version);
  const manage = canManage(user, c.province.code) && latest;
  const levelLabel = pickLabel(
    meta.data?.issuerLevels.find((l) => l.code === c.issuer.level)?.label,
    language,
  );
  const kindLabel = pickLabel(meta.data?.issueKinds.find((k) => k.code === c.issueKind)?.label, language);
  const publicPath = verificationPath(c.verificationUrl);

  return (
    <Stack gap="md">
      {notice && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4}>
          <Title order={1}>{t('certificates.detailTitle', { number: c.number })}</Title>
          <Group gap="xs">
            <CertificateStatusBadge status={c.status} />
            <Text size="sm" c="dimmed">
              {t('certificates.versionOf', { version: c.version })}
            </Text>
          </Group>
        </Stack>
        {manage && c.status !== 'revoked' && (
          <Group gap="xs">
            <CorrectButton certificate={c} />
            <RevokeButton certificate={c} />
          </Group>
        )}
      </Group>
      {!latest && (
        <Alert color="gray" role="note">
          {t('certificates.olderVersion')}
        </Alert>
      )}
      {c.revocation && (
        <Alert color="red" role="note" title={t('certificates.revokedTitle')}>
          <Text size="sm">
            {t('certificates.revokedBy', {
              number: c.revocation.decisionNumber,
              date: formatLegalDate(c.revocation.decisionDate),
            })}
          </Text>
          <Text size="sm">
            {t('certificates.revokeReason')}: {pickLabel(c.revocation.reasonLabel, language)}
          </Text>
          {c.revocation.note && <Text size="sm">{c.revocation.note}</Text>}
        </Alert>
      )}
      {c.supersededBy && (
        <Alert color="gray" role="note">
          {t('certificates.supersededBy', {
            number: c.supersededBy.number,
            date: formatLegalDate(c.supersededBy.validFrom),
          })}
        </Alert>
      )}

      <Paper withBorder p="md">
        <Details
          items={[
            { label: t('certificates.number'), value: c.number },
            {
              label: t('certificates.product'),
              value: (
                <Anchor component={Link} to={`/products/${c.product.id}`}>
                  {c.product.name}
                </Anchor>
              ),
            },
            {
              label: t('certificates.subject'),
              value: (
                <Anchor component={Link} to={`/subjects/${c.subject.id}`}>
                  {c.subject.name}
                </Anchor>
              ),
            },
            { label: t('certificates.star'), value: <Stars star={c.star} /> },
            { label: t('certificates.ruleSet'), value: c.ruleSetCode },
            { label: t('certificates.issueKind'), value: kindLabel || c.issueKind },
            {
              label: t('certificates.issuer'),
              value: levelLabel ? `${c.issuer.name} (${levelLabel})` : c.issuer.name,
            },
            {
              label: t('certificates.decisionLabel'),
              value: c.decisionDate
                ? t('certificates.decisionValue', {
                    number: c.decisionNumber,
                    date: formatLegalDate(c.decisionDate),
                  })
                : t('certificates.decisionValueYear', {
                    number: c.decisionNumber,
                    year: c.recognitionYear ?? '',
                  }),
            },
            {
              label: t('certificates.validFrom'),
              value: c.validFrom ? formatLegalDate(c.validFrom) : t('certificates.validityUnknown'),
            },
            {
              label: t('certificates.validTo'),
              value: c.validTo ? formatLegalDate(c.validTo) : t('certificates.validityUnknown'),
            },
            { label: t('certificates.statusLabel'), value: pickLabel(c.statusLabel, language) },
            {
              label: t('certificates.place'),
              value: c.commune ? `${c.commune.name}, ${c.province.name}` : c.province.name,
            },
            { label: t('certificates.originalAddress'), value: c.originalAddress ?? '' },
            { label: t('certificates.source'), value: t(`certificates.sources.${c.source}`) },
            { label: t('certificates.correctionReason'), value: c.correctionReason ?? '', wide: true },
          ]}
        />
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="documents-title">
        <Title order={2} size="h3" id="documents-title" mb="sm">
          {t('certificates.documents')}
        </Title>
        <Stack gap="sm">
          <Group gap="sm">
            <Button
              component="a"
              href={certificatePdfUrl(c.id)}
              target="_blank"
              rel="noreferrer"
              variant="light"
            >
              {t('certificates.pdf')}
            </Button>
            <Button component="a" href={publicPath} target="_blank" rel="noreferrer" variant="default">
              {t('certificates.publicPage')}
            </Button>
          </Group>
          <Text size="sm">{t('certificates.qrHint')}</Text>
          <Group gap="lg" align="flex-start">
            {(['png', 'svg'] as const).map((format) => (
              <Stack key={format} gap={4}>
                <Text size="sm" fw={600}>
                  {t(`certificates.qr.${format}`)}
                </Text>
                <Group gap="xs">
                  {QR_SIZES.map((mm) => (
                    <Anchor
                      key={mm}
                      href={certificateQrUrl(c.id, format, mm)}
                      download
                      size="sm"
                      aria-label={t('certificates.qr.download', { format: format.toUpperCase(), mm })}
                    >
                      {mm} mm
                    </Anchor>
                  ))}
                </Group>
              </Stack>
            ))}
          </Group>
        </Stack>
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="versions-title">
        <Title order={2} size="h3" id="versions-title" mb="sm">
          {t('certificates.versions')}
        </Title>
        <List spacing="xs">
          {c.versions.map((v) => (
            <List.Item key={v.id}>
              {v.id === c.id ? (
                <Text component="span" fw={600}>
                  {t('certificates.versionOf', { version: v.version })} ({t('certificates.thisVersion')})
                </Text>
              ) : (
                <Anchor component={Link} to={`/certificates/${v.id}`}>
                  {t('certificates.versionOf', { version: v.version })}
                </Anchor>
              )}{' '}
              <Text component="span" size="sm" c="dimmed">
                {formatDateTime(v.createdAt)}
                {v.correctionReason ? ` — ${v.correctionReason}` : ''}
              </Text>
            </List.Item>
          ))}
        </List>
      </Paper>
    </Stack>
  );
}
