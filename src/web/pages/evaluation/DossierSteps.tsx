import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type DossierAction, TRANSITIONS } from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { errorMessage } from '../../components/PageStates';
import {
  type Cycle,
  type Dossier,
  type GenericStep,
  TRANSITION_PATHS,
  useDossierStep,
} from '../../data/evaluation';

/** Steps this page makes; the council's (close, reopen) and recognition are made on their own pages. */
type PageStep = GenericStep | 'assign';
const isPageStep = (action: DossierAction): action is PageStep =>
  action === 'assign' || action in TRANSITION_PATHS;

/** Steps that end or refuse something are shown in red. */
const DANGER: readonly PageStep[] = ['withdraw', 'return', 'not_recognise'];

/**
 * The steps the current user may take now. Which ones is the state machine's answer for this user
 * (the API's `actions`, computed by rules.ts `availableActions` from the dossier's state and the
 * user's capacities); whether a reason is asked comes from the same rules (`TRANSITIONS`).
 */
export function DossierSteps({
  dossier,
  cycle,
  onReload,
}: {
  dossier: Dossier;
  cycle: Cycle | undefined;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [done, setDone] = useState<string | null>(null);
  const steps = dossier.actions.filter(isPageStep);
  const elsewhere = dossier.actions.filter(
    (a): a is 'close_scoring' | 'reopen_scoring' | 'recognise' =>
      a === 'close_scoring' || a === 'reopen_scoring' || a === 'recognise',
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="steps-title">
      <Title order={2} size="h3" id="steps-title" mb="sm">
        {t('evaluation.dossier.steps')}
      </Title>
      {done && (
        <Alert color="ocop" role="status" mb="sm">
          {done}
        </Alert>
      )}
      {steps.length === 0 && elsewhere.length === 0 && (
        <Text c="dimmed">{t('evaluation.dossier.noSteps')}</Text>
      )}
      {steps.length > 0 && (
        <Group gap="sm">
          {steps.map((action) => (
            <StepButton
              key={action}
              action={action}
              dossier={dossier}
              cycle={cycle}
              onReload={onReload}
              onDone={() => setDone(t('evaluation.done', { step: t(`evaluation.action.${action}`) }))}
            />
          ))}
        </Group>
      )}
      {elsewhere.map((action) => (
        <Text key={action} size="sm" mt="sm">
          {t(`evaluation.elsewhere.${action}`)}{' '}
          <Anchor
            component={Link}
            to={
              action === 'recognise'
                ? `/evaluation/cycles/${dossier.cycleId}/results`
                : `/evaluation/dossiers/${dossier.id}/sheets`
            }
          >
            {t(`evaluation.action.${action}`)}
          </Anchor>
        </Text>
      ))}
    </Paper>
  );
}

function StepButton({
  action,
  dossier,
  cycle,
  onDone,
  onReload,
}: {
  action: PageStep;
  dossier: Dossier;
  cycle: Cycle | undefined;
  onDone: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const step = useDossierStep(dossier.id);
  const [reason, setReason] = useState('');
  const [councilId, setCouncilId] = useState<string | null>(null);
  const [reasonMissing, setReasonMissing] = useState(false);
  const rule = TRANSITIONS[action];
  const label = t(`evaluation.action.${action}`);
  const councils = cycle?.councils ?? [];
  // A cycle usually has one council: it is the choice until someone picks another.
  const chosenCouncil = councilId ?? (councils.length === 1 ? councils[0]!.id : null);
  const error = step.error;
  const fields = error instanceof ApiError ? error.fields : {};
  const stale = error instanceof ApiError && error.code === 'STALE';
  const listed = Object.entries(fields).filter(([path]) => path !== 'reason' && path !== 'councilId');

  const onOpen = () => {
    step.reset();
    setReason('');
    setCouncilId(null);
    setReasonMissing(false);
    open();
  };

  const onConfirm = () => {
    if (rule.reason === 'required' && !reason.trim()) {
      setReasonMissing(true);
      return;
    }
    const callbacks = {
      onSuccess: () => {
        close();
        onDone();
      },
    };
    if (action === 'assign') {
      if (!chosenCouncil) return;
      step.mutate({ action, version: dossier.version, councilId: chosenCouncil }, callbacks);
    } else {
      step.mutate({ action, version: dossier.version, reason }, callbacks);
    }
  };

  return (
    <>
      <Button
        variant={DANGER.includes(action) ? 'outline' : 'filled'}
        color={DANGER.includes(action) ? 'red' : undefined}
        onClick={onOpen}
      >
        {label}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={label}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="sm">
          <Text>{t(`evaluation.confirm.${action}`, { name: dossier.product.name })}</Text>
          {error ? (
            <Alert color="red" role="alert" title={errorMessage(error)}>
              {listed.length > 0 && (
                <List size="sm">
                  {listed.map(([path, message]) => (
                    <List.Item key={path}>{message}</List.Item>
                  ))}
                </List>
              )}
              {stale && (
                <Button
                  mt="sm"
                  size="xs"
                  variant="outline"
                  color="red"
                  onClick={() => {
                    close();
                    onReload();
                  }}
                >
                  {t('evaluation.dossier.reload')}
                </Button>
              )}
            </Alert>
          ) : null}
          {action === 'assign' &&
            (councils.length === 0 ? (
              <Text c="red" size="sm">
                {t('evaluation.noCouncil')}
              </Text>
            ) : (
              <Select
                label={t('evaluation.council')}
                data={councils.map((c) => ({
                  value: c.id,
                  label: t('evaluation.councilMembers', { name: c.name, count: c.memberCount }),
                }))}
                value={chosenCouncil}
                onChange={setCouncilId}
                allowDeselect={false}
                error={fields.councilId}
                required
              />
            ))}
          {rule.reason !== 'none' && (
            <Textarea
              label={
                rule.reason === 'required' ? t('evaluation.reasonRequired') : t('evaluation.reasonOptional')
              }
              value={reason}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setReasonMissing(false);
              }}
              maxLength={2000}
              autosize
              minRows={3}
              required={rule.reason === 'required'}
              error={reasonMissing ? t('errors.required') : fields.reason}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={step.isPending}>
              {t('common.cancel')}
            </Button>
            <Button
              color={DANGER.includes(action) ? 'red' : undefined}
              onClick={onConfirm}
              loading={step.isPending}
              disabled={action === 'assign' && !chosenCouncil}
            >
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
