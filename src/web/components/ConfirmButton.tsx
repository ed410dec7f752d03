import { Button, type ButtonProps, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type Props = ButtonProps & {
  children: ReactNode;
  /** The question, naming what will happen to what. */
  question: string;
  onConfirm: () => void;
};

/** A button for acts worth a second thought (archive, deactivate): it asks before acting. */
export function ConfirmButton({ children, question, onConfirm, ...buttonProps }: Props) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button {...buttonProps} onClick={open}>
        {children}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={children}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Text mb="md">{question}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color={buttonProps.color}
            onClick={() => {
              close();
              onConfirm();
            }}
          >
            {t('common.confirm')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
