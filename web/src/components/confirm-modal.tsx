/**
 * The question asked before anything that cannot be undone: a Mantine modal with Cancel and a
 * confirm button that shows progress while the action runs. The organisation pages use it too.
 */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../api/client';
import { useT } from '../i18n';

export interface ConfirmModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the action; the modal closes when it resolves and shows the error when it throws. */
  onConfirm: () => Promise<void>;
  color?: string;
  testId?: string;
}

export function ConfirmModal({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  color = 'red',
  testId,
}: ConfirmModalProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const close = () => {
    if (busy) return;
    setProblem(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (error) {
      setBusy(false);
      setProblem(errorMessage(error));
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={title} centered data-testid={testId}>
      <Stack>
        {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button color={color} onClick={confirm} loading={busy} data-testid={testId && `${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
