import { Paper, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { canWriteCraftVillage, useCurrentUser } from '../auth';
import { Details } from '../components/Details';
import { ErrorState, LoadingState } from '../components/PageStates';
import { RecordHeader } from '../components/RecordHeader';
import { StatusBadge } from '../components/StatusBadge';
import { type CraftVillage, useCraftVillage, useCraftVillageAction } from '../data/craftVillages';
import { formatDateTime } from '../format';
import { usePageTitle } from '../usePageTitle';

export function CraftVillageDetailPage() {
  const { id } = useParams();
  const village = useCraftVillage(id);
  if (village.isPending) return <LoadingState />;
  if (village.isError) return <ErrorState error={village.error} onRetry={() => void village.refetch()} />;
  return <CraftVillageDetail village={village.data} />;
}

function CraftVillageDetail({ village }: { village: CraftVillage }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const action = useCraftVillageAction(village.id);
  usePageTitle(village.name);
  // Everyone in the registry reads villages; only the officers of its area change them.
  const mayWrite = canWriteCraftVillage(user, village);

  return (
    <Stack gap="md">
      <RecordHeader
        title={village.name}
        subtitle={<StatusBadge status={village.archivedAt ? 'archived' : 'active'} />}
        archivedAt={village.archivedAt}
        archivedNotice={t('craftVillages.archivedNotice')}
        editTo={mayWrite ? `/craft-villages/${village.id}/edit` : undefined}
        archive={
          mayWrite
            ? {
                question: t('craftVillages.archiveConfirm', { name: village.name }),
                onArchive: () => action.mutate({ action: 'archive', version: village.version }),
                onRestore: () => action.mutate({ action: 'restore', version: village.version }),
                pending: action.isPending,
              }
            : undefined
        }
        error={action.error}
        history={{ entityType: 'craft_village', entityId: village.id }}
      />
      <Paper withBorder p="md">
        <Details
          items={[
            {
              label: t('craftVillages.location'),
              value: `${village.commune.name}, ${village.province.name}`,
            },
            {
              label: t('craftVillages.kind'),
              value: village.traditional ? t('craftVillages.kindTraditional') : t('craftVillages.kindOther'),
            },
            { label: t('craftVillages.recognitionYear'), value: village.recognitionYear },
            { label: t('common.createdAt'), value: formatDateTime(village.createdAt) },
            { label: t('common.updatedAt'), value: formatDateTime(village.updatedAt) },
          ]}
        />
      </Paper>
    </Stack>
  );
}
