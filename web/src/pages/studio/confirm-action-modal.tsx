/** The question asked before deleting an output or cancelling a job, with progress and errors. */
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/client';

interface ConfirmActionModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  question: string;
  confirmLabel: string;
  /** Runs the action; the modal closes when it resolves and shows the error when it throws. */
  onConfirm: () => Promise<void>;
  testId: string;
}

export function ConfirmActionModal({
  opened,
  onClose,
  title,
  question,
  confirmLabel,
  onConfirm,
  testId,
}: ConfirmActionModalProps) {
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
        <Text size="sm">{question}</Text>
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={busy}>
            Keep it
          </Button>
          <Button color="red" onClick={confirm} loading={busy} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
